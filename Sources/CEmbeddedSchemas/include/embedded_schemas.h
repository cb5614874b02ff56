#ifndef CROCEVIA_EMBEDDED_SCHEMAS_H
#define CROCEVIA_EMBEDDED_SCHEMAS_H

/// One file of Crocevia's Schemas/ folder, embedded in the executable at build time.
typedef struct {
    /// The path under Schemas/, such as "hsds/service.json".
    const char *name;
    const unsigned char *bytes;
    unsigned long size;
} crocevia_embedded_file;

/// Every embedded file, sorted by name; `count` receives how many.
const crocevia_embedded_file *crocevia_embedded_files(unsigned long *count);

#endif
