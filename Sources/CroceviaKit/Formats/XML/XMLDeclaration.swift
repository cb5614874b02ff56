import Foundation

/// The encoding an XML file declares (`<?xml version="1.0" encoding="ISO-8859-1"?>`), so that
/// `TextInput` decodes it as declared rather than by detection. UTF-16 is left to the byte-order
/// mark; an encoding Crocevia does not read is refused by name rather than guessed.
enum XMLDeclaration {
    static func encoding(ofFile path: String) throws -> TextEncoding? {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256), head.starts(with: Array("<?xml".utf8)) else { return nil }
        let text = String(decoding: head, as: UTF8.self)
        guard let end = text.range(of: "?>"),
              let match = text[..<end.lowerBound].range(of: #"encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"#, options: .regularExpression) else {
            return nil
        }
        let declared = text[match].split(whereSeparator: { $0 == "\"" || $0 == "'" })[1]
        guard let encoding = TextEncoding(name: String(declared)) else {
            throw CroceviaError.unreadableInput(file: path, line: 1, message: "the file declares encoding \"\(declared)\", which crocevia does not read",
                                                hint: "convert it first: iconv -f \(declared) -t UTF-8 \(path) > converted.xml")
        }
        switch encoding {
        case .utf16le, .utf16be, .auto: return nil
        default: return encoding
        }
    }
}
