/// Writes JSON values as UTF-8 text: compact (one line, for JSON Lines) or pretty (two-space
/// indentation). Member order is kept; non-ASCII text is written as UTF-8, not escaped.
public enum JSONText {
    public static func write(_ value: JSONValue, to buffer: inout ByteBuffer, pretty: Bool, indent: Int = 0) {
        switch value {
        case .null: buffer.append("null")
        case .bool(let b): buffer.append(b ? "true" : "false")
        case .number(let n): buffer.append(n)
        case .string(let s): writeString(s, to: &buffer)
        case .array(let items):
            if items.isEmpty { buffer.append("[]"); return }
            buffer.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1, &buffer) }
                write(item, to: &buffer, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent, &buffer) }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { buffer.append("{}"); return }
            buffer.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1, &buffer) }
                writeString(member.key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                if pretty { buffer.append(UInt8(ascii: " ")) }
                write(member.value, to: &buffer, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(indent, &buffer) }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// True when `text` is exactly one JSON number (`12`, `-0.5`, `1e3`; not `012`, `+1`, `1.`).
    public static func isNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return false }
        bytes.append(0x20)  // lets the parser see where the number ends
        return bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(base: buffer.baseAddress!, end: buffer.count, position: 0, line: 1, maxDepth: 1)
            guard case .number? = try? parser.parseValue() else { return false }
            return parser.position == buffer.count - 1
        }
    }

    /// The value as compact JSON text.
    public static func compact(_ value: JSONValue) -> String {
        var buffer = ByteBuffer()
        write(value, to: &buffer, pretty: false)
        return buffer.string
    }

    /// The value as indented JSON text.
    public static func pretty(_ value: JSONValue) -> String {
        var buffer = ByteBuffer()
        write(value, to: &buffer, pretty: true)
        return buffer.string
    }

    private static func newline(_ indent: Int, _ buffer: inout ByteBuffer) {
        buffer.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { buffer.append(UInt8(ascii: " ")); buffer.append(UInt8(ascii: " ")) }
    }

    static func writeString(_ string: String, to buffer: inout ByteBuffer) {
        var string = string
        string.withUTF8 { writeString(utf8: $0, to: &buffer) }
    }

    /// Writes UTF-8 text as a JSON string.
    static func writeString(utf8: UnsafeBufferPointer<UInt8>, to buffer: inout ByteBuffer) {
        buffer.append(UInt8(ascii: "\""))
        guard let base = utf8.baseAddress else {
            buffer.append(UInt8(ascii: "\""))
            return
        }
        let count = utf8.count
        var runStart = 0
        var i = 0
        while i < count {
            while i + 8 <= count, !SWAR.hasEscapable(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
            }
            guard i < count else { break }
            let b = base[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C {
                i += 1
                continue
            }
            if i > runStart { buffer.append(UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            buffer.append(UInt8(ascii: "\\"))
            switch b {
            case 0x22: buffer.append(UInt8(ascii: "\""))
            case 0x5C: buffer.append(UInt8(ascii: "\\"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            default:
                let digits: StaticString = "0123456789abcdef"
                buffer.append(UInt8(ascii: "u")); buffer.append(UInt8(ascii: "0")); buffer.append(UInt8(ascii: "0"))
                buffer.append(digits.utf8Start[Int(b >> 4)]); buffer.append(digits.utf8Start[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        if count > runStart { buffer.append(UnsafeBufferPointer(start: base + runStart, count: count - runStart)) }
        buffer.append(UInt8(ascii: "\""))
    }
}

extension JSONText {
    /// One JSON value from text that Crocevia wrote (the registry's stored records); nil when it
    /// is not exactly one value.
    public static func parse(_ text: String) -> JSONValue? {
        var text = text
        return text.withUTF8 { bytes -> JSONValue? in
            guard let base = bytes.baseAddress else { return nil }
            var parser = JSONParser(base: base, end: bytes.count, position: 0, line: 1, maxDepth: 512)
            guard let value = try? parser.parseValue(), parser.skipWhitespace() == nil else { return nil }
            return value
        }
    }
}
