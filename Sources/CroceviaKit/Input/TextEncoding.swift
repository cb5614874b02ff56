/// The character encodings Crocevia reads. Everything is turned into UTF-8 on the way in.
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 unless the file shows otherwise: a UTF-16 byte-order mark, or bytes that are not UTF-8
    /// before any UTF-8 character (then Windows-1252, what Italian Excel exports use).
    case auto
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case latin1 = "iso-8859-1"
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"

    /// Accepts the usual spellings: `utf8`, `cp1252`, `latin1`, `ISO-8859-1`...
    public init?(name: String) {
        let folded = String(name.lowercased().map { $0 == "_" ? "-" : $0 })
        switch folded {
        case "auto": self = .auto
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252", "win1252", "windows1252": self = .windows1252
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1": self = .latin1
        case "utf-16le", "utf16le", "utf-16", "utf16": self = .utf16le
        case "utf-16be", "utf16be": self = .utf16be
        default: return nil
        }
    }

    /// Windows-1252 code points for bytes 0x80...0x9F (the rest of the upper half is Latin-1).
    /// The five bytes Windows-1252 leaves undefined map to the C1 controls, as browsers do.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
