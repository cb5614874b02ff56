import Foundation

/// The formats Crocevia checks when `format` is an assertion: those partners' data uses (uuid,
/// uri, email, date-time) and the other common ones. A format not listed here is not checked.
enum FormatCheck: String {
    case dateTime = "date-time", date, time, email, hostname, ipv4, ipv6, uri, uriReference = "uri-reference", uuid

    func accepts(_ text: String) -> Bool {
        switch self {
        case .date: return Self.isDate(Substring(text))
        case .time: return Self.isTime(Substring(text))
        case .dateTime:
            guard let t = text.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
            return Self.isDate(text[..<t]) && Self.isTime(text[text.index(after: t)...])
        case .email: return Self.isEmail(text)
        case .hostname: return Self.isHostname(text)
        case .ipv4: return Self.isIPv4(Substring(text))
        case .ipv6: return Self.isIPv6(text)
        case .uuid: return Self.isUUID(text)
        case .uri: return Self.isURI(text, absolute: true)
        case .uriReference: return Self.isURI(text, absolute: false)
        }
    }

    /// Unreserved, sub-delimiters, the general delimiters and `%`.
    private static let uriCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~" + "!$&'()*+,;=" + ":@/?#[]%")

    private static func digits(_ text: Substring, _ count: Int) -> Int? {
        guard text.count == count, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// RFC 3339 full-date.
    static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = digits(parts[0], 4), let month = digits(parts[1], 2), let day = digits(parts[2], 2),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// RFC 3339 full-time: hh:mm:ss, optional fraction, then Z or an offset; a leap second only
    /// at 23:59:60 UTC.
    static func isTime(_ text: Substring) -> Bool {
        let chars = Array(text)
        guard chars.count >= 9 else { return false }
        guard let hour = digits(text.prefix(2), 2), chars[2] == ":", let minute = digits(Substring(String(chars[3...4])), 2), chars[5] == ":",
              let second = digits(Substring(String(chars[6...7])), 2) else { return false }
        var index = 8
        if chars[index] == "." {
            index += 1
            let start = index
            while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
            guard index > start else { return false }
        }
        guard index < chars.count else { return false }
        var offsetMinutes = 0
        switch chars[index] {
        case "Z", "z":
            guard index == chars.count - 1 else { return false }
        case "+", "-":
            let rest = String(chars[(index + 1)...])
            guard rest.count == 5, let oh = digits(Substring(rest.prefix(2)), 2), Array(rest)[2] == ":", let om = digits(Substring(rest.suffix(2)), 2),
                  oh <= 23, om <= 59 else { return false }
            offsetMinutes = (oh * 60 + om) * (chars[index] == "+" ? 1 : -1)
        default:
            return false
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return false }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// RFC 5321 mailbox: a dot-atom or quoted local part, then a host name or an address literal.
    static func isEmail(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
            let local = UnsafeBufferPointer(rebasing: bytes[..<at])
            let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
            guard !local.isEmpty, !domain.isEmpty else { return false }
            if local.first == UInt8(ascii: "\"") {
                guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return false }
            } else {
                guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return false }
                var previousDot = false
                for byte in local {
                    let dot = byte == UInt8(ascii: ".")
                    if dot && previousDot { return false }
                    previousDot = dot
                    guard byte < 0x80, emailLocalBytes[Int(byte)] else { return false }
                }
            }
            if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") {
                let literal = String(decoding: domain.dropFirst().dropLast(), as: UTF8.self)
                if literal.lowercased().hasPrefix("ipv6:") { return isIPv6(String(literal.dropFirst(5))) }
                return isIPv4(Substring(literal))
            }
            return isHostname(domain)
        }
    }

    private static let emailLocalBytes: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(scalar)
    }

    static func isHostname(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isHostname)
    }

    /// Validators call this for every email and hostname of every record: it reads the bytes
    /// as they are, without making strings.
    static func isHostname(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var start = 0
        while true {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ".") { end += 1 }
            let count = end - start
            guard (1...63).contains(count), bytes[start] != 0x2D, bytes[end - 1] != 0x2D else { return false }
            for index in start..<end {
                let byte = bytes[index]
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D else { return false }
            }
            // "--" in the third and fourth place marks an A-label ("xn--"), which must be IDNA.
            if count >= 4 && bytes[start + 2] == 0x2D && bytes[start + 3] == 0x2D {
                let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                guard label.lowercased().hasPrefix("xn--"), IDNA.isValidALabel(label[...]) else { return false }
            }
            if end == bytes.count { return true }
            start = end + 1
        }
    }

    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part), value <= 255 else { return false }
            return part.count == 1 || part.first != "0"
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII }), !text.contains(":::") else { return false }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String, last: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.components(separatedBy: ":")
            var count = 0
            for (index, piece) in pieces.enumerated() {
                if last && index == pieces.count - 1 && piece.contains(".") {
                    guard isIPv4(Substring(piece)) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit) else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(text, last: true) == 8
        }
        guard let head = groups(halves[0], last: false), let tail = groups(halves[1], last: true) else { return false }
        return head + tail <= 7
    }

    /// Every id of every record goes through here: the bytes as they are.
    static func isUUID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 36, let base = bytes.baseAddress else { return false }
            // 8-4-4-4-12 hexadecimal digits: the dashes in their places, then every other byte a digit.
            guard base[8] == 0x2D, base[13] == 0x2D, base[18] == 0x2D, base[23] == 0x2D else { return false }
            for index in 0..<36 where index != 8 && index != 13 && index != 18 && index != 23 {
                let byte = base[index], letter = byte | 0x20  // A-F as a-f
                guard (byte >= 0x30 && byte <= 0x39) || (letter >= 0x61 && letter <= 0x66) else { return false }
            }
            return true
        }
    }

    /// RFC 3986 URI (absolute) or URI reference, checked by characters and structure.
    static func isURI(_ text: String, absolute: Bool) -> Bool {
        let reference = URIReference(text)
        if absolute && reference.scheme == nil { return false }
        let allowed = uriCharacters
        let bytes = Array(text)
        var index = 0
        while index < bytes.count {
            let c = bytes[index]
            guard allowed.contains(c) else { return false }
            if c == "%" {
                guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else { return false }
                index += 2
            }
            index += 1
        }
        if let authority = reference.authority {
            let parts = authority.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return false }
            if parts.count == 2, parts[0].contains("[") || parts[0].contains("]") { return false }
            let hostPort = String(parts.last!)
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else { return false }
                let literal = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
                guard literal.hasPrefix("v") || literal.hasPrefix("V") || isIPv6(String(literal)) else { return false }
                let after = hostPort[hostPort.index(after: close)...]
                guard after.isEmpty || (after.hasPrefix(":") && after.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })) else { return false }
            } else {
                if hostPort.contains("[") || hostPort.contains("]") { return false }
                if let colon = hostPort.lastIndex(of: ":") {
                    guard hostPort[hostPort.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
                }
            }
        }
        if reference.fragment?.contains("#") == true { return false }
        if !absolute, reference.scheme == nil, reference.authority == nil,
           let firstSegment = reference.path.split(separator: "/", omittingEmptySubsequences: false).first, firstSegment.contains(":") {
            return false
        }
        if let fragment = reference.fragment, fragment.contains("[") || fragment.contains("]") { return false }
        if let query = reference.query, query.contains("[") || query.contains("]") { return false }
        if reference.path.contains("[") || reference.path.contains("]") { return false }
        return true
    }
}
