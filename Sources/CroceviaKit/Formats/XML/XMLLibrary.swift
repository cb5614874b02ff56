internal import CLibXML2

/// The libxml2 that Crocevia was built with (`crocevia --version` shows it). XML reading arrives
/// with the XML formats; libxml2 is seen only in `Formats/XML/` and `Validate/XSD/`.
public enum XMLLibrary {
    /// The version, such as `2.9.14`.
    public static var version: String {
        xmlCheckVersion(LIBXML_VERSION)
        return LIBXML_DOTTED_VERSION
    }
}
