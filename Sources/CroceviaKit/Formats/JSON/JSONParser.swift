/// A byte-level JSON parser over a buffer of valid UTF-8 (RFC 8259, no extensions).
///
/// It parses one value at a time from `position`; running out of bytes mid-value is reported as
/// `.needMore`, so a streaming reader can append more input and parse the value again.
struct JSONParser {
    enum Failure: Error {
        case needMore
        case syntax(String)
        case tooDeep
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int
    /// The current physical line (1-based).
    var line: Int
    let maxDepth: Int
    /// Whether the text parsed so far is exactly what `JSONText` writes compactly for its value:
    /// no white space, no escape that the writer would write otherwise (`\/`, `\u…`), no member
    /// name twice. A JSON Lines import stores such a line as it is, without writing it again.
    private(set) var compact = true
    /// When set, the line where each member and element starts, by JSON Pointer (filled as the
    /// value is parsed): a pretty-printed document's findings name their member's line.
    var lines: [String: Int]?
    private var pointer = ""

    init(base: UnsafePointer<UInt8>, end: Int, position: Int, line: Int, maxDepth: Int) {
        self.base = base
        self.end = end
        self.position = position
        self.line = line
        self.maxDepth = maxDepth
    }

    /// Skips white space; returns the next byte without consuming it, or nil at the buffer's end.
    mutating func skipWhitespace() -> UInt8? {
        while position < end {
            let b = base[position]
            switch b {
            case 0x20, 0x09, 0x0D: position += 1; compact = false
            case 0x0A: position += 1; line += 1; compact = false
            default: return b
            }
        }
        return nil
    }

    mutating func parseValue(depth: Int = 0) throws(Failure) -> JSONValue {
        guard let b = skipWhitespace() else { throw .needMore }
        switch b {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw .syntax("unexpected \(Self.describe(b))")
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maxDepth else { throw .tooDeep }
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        guard let first = skipWhitespace() else { throw .needMore }
        if first == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members))
        }
        while true {
            guard let quote = skipWhitespace() else { throw .needMore }
            guard quote == UInt8(ascii: "\"") else { throw .syntax("expected a member name in quotes, found \(Self.describe(quote))") }
            let keyLine = line
            let key = try parseString()
            guard let colon = skipWhitespace() else { throw .needMore }
            guard colon == UInt8(ascii: ":") else { throw .syntax("expected ':' after the member name \"\(key)\", found \(Self.describe(colon))") }
            position += 1
            if lines != nil {
                let enclosing = pointer
                pointer += "/" + JSONPointer.escape(key)
                lines![pointer] = keyLine
                members.append((key, try parseValue(depth: depth)))
                pointer = enclosing
            } else {
                members.append((key, try parseValue(depth: depth)))
            }
            guard let next = skipWhitespace() else { throw .needMore }
            position += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { break }
            position -= 1
            throw .syntax("expected ',' or '}' in an object, found \(Self.describe(next))")
        }
        let kept = Self.lastMemberWins(members)
        if kept.count != members.count { compact = false }
        return .object(JSONObject(kept))
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= maxDepth else { throw .tooDeep }
        position += 1
        var items: [JSONValue] = []
        guard let first = skipWhitespace() else { throw .needMore }
        if first == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            if lines != nil {
                _ = skipWhitespace()
                let enclosing = pointer
                pointer += "/\(items.count)"
                lines![pointer] = line
                items.append(try parseValue(depth: depth))
                pointer = enclosing
            } else {
                items.append(try parseValue(depth: depth))
            }
            guard let next = skipWhitespace() else { throw .needMore }
            position += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { break }
            position -= 1
            throw .syntax("expected ',' or ']' in an array, found \(Self.describe(next))")
        }
        return .array(items)
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(Failure) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < end {
            let b = base[position]
            if b == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
                position += 1
                return text
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw .syntax(b == 0x0A ? "a string is not closed before the end of the line" : "a control character (\(Self.describe(b))) inside a string must be escaped") }
            position += 1
        }
        guard position < end else { throw .needMore }
        var bytes = Array(UnsafeBufferPointer(start: base + start, count: position - start))
        while position < end {
            let b = base[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if b < 0x20 { throw .syntax(b == 0x0A ? "a string is not closed before the end of the line" : "a control character (\(Self.describe(b))) inside a string must be escaped") }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                position += 1
                continue
            }
            guard position + 1 < end else { throw .needMore }
            let e = base[position + 1]
            position += 2
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F); compact = false
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                compact = false
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard position + 6 <= end else { throw .needMore }
                    if base[position] == UInt8(ascii: "\\") && base[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            position -= 6
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                bytes.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                position -= 1
                throw .syntax("unknown escape \\\(Self.describe(e))")
            }
        }
        throw .needMore
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard position + 4 <= end else { throw .needMore }
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = base[position + k]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - 0x57)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - 0x37)
            default: throw .syntax("\\u must be followed by four hexadecimal digits")
            }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = position
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { throw .needMore }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard try digits() > 0 else { throw .syntax("a number needs digits after '-'") }
        }
        if position < end && base[position] == UInt8(ascii: ".") {
            position += 1
            guard try digits() > 0 else { throw .syntax("a number needs digits after the decimal point") }
        }
        if position < end && (base[position] | 0x20) == UInt8(ascii: "e") {
            position += 1
            guard position < end else { throw .needMore }
            if base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard try digits() > 0 else { throw .syntax("a number needs digits in its exponent") }
        }
        // A number at the very end of the buffer may continue in the next chunk.
        guard position < end else { throw .needMore }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
    }

    private mutating func digits() throws(Failure) -> Int {
        let start = position
        while position < end, base[position] >= 0x30, base[position] <= 0x39 { position += 1 }
        return position - start
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= end else { throw .needMore }
        for k in 0..<count where base[position + k] != word.utf8Start[k] {
            throw .syntax("unexpected \(Self.describe(base[position]))")
        }
        position += count
    }

    /// Keeps the last of repeated member names, as most JSON readers do.
    private static func lastMemberWins(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
        guard members.count > 1 else { return members }
        if members.count <= 16 {
            var hasRepeat = false
            outer: for i in 1..<members.count {
                for j in 0..<i where members[j].key == members[i].key {
                    hasRepeat = true
                    break outer
                }
            }
            if !hasRepeat { return members }
        }
        var lastIndex: [String: Int] = [:]
        for (index, member) in members.enumerated() { lastIndex[member.key] = index }
        if lastIndex.count == members.count { return members }
        return members.enumerated().filter { lastIndex[$0.element.key] == $0.offset }.map(\.element)
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        switch byte {
        case 0x0A: return "end of line"
        case 0x20: return "a space"
        default: return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
