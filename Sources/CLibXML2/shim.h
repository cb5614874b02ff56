// Debian's libxml2 is built with ICU; its headers then import ICU's, which clash with the ICU
// module Foundation carries. Reading xmlversion.h first and dropping the flag avoids that.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
