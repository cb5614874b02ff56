/// Writes records as one XML document, the mirror of `XMLRecordReader`:
///
///     <?xml version="1.0" encoding="UTF-8"?>
///     <records>
///     <record><name>Spesa a domicilio</name><phones><number>+390111234567</number></phones></record>
///     </records>
///
/// Members become child elements in order, a list becomes the element repeated, members named
/// `@name` with a plain value become attributes and `#text` the element's text; `null` is an
/// empty element. A key that is not an XML name (`tipo servizio`, `2024`) is written with `_` in
/// place of what XML forbids, with a warning once per key. Characters XML 1.0 cannot carry
/// (control characters other than tab and line breaks) are left out, with a warning.
public final class XMLRecordWriter: RecordWriter {
    private let sink: OutputSink
    private var recordElement = "record"
    private let pretty: Bool
    private let includeProvenance: Bool
    private let findings: FindingLog
    private var buffer = ByteBuffer(capacity: OutputSink.flushThreshold + (1 << 16))
    private var started = false
    private var elementNames: [String: String] = [:]
    private var warnedText = false
    /// The record being written: where writer findings point.
    private var current = Provenance(source: "", file: "-", line: 0, record: 0)

    public init(sink: OutputSink, recordElement: String = "record", pretty: Bool = false, includeProvenance: Bool = false, findings: FindingLog) {
        self.sink = sink
        self.pretty = pretty
        self.includeProvenance = includeProvenance
        self.findings = findings
        self.recordElement = elementName(recordElement)
    }

    public func write(_ record: Record) throws {
        if !started { start() }
        current = record.provenance
        var value = record.value
        if includeProvenance, case .object(var object) = value {
            object["_provenance"] = record.provenance.jsonValue
            value = .object(object)
        }
        element(recordElement, value, depth: 1)
        if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
    }

    public func finish() throws {
        if !started { start() }
        buffer.append("</records>\n")
        try sink.write(&buffer)
    }

    private func start() {
        started = true
        buffer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records>\n")
    }

    /// One element: `<name attributes>content</name>`, on its own line(s) when pretty.
    private func element(_ name: String, _ value: JSONValue, depth: Int) {
        if pretty && depth > 1 { buffer.append(0x0A) }
        indent(depth)
        buffer.append(UInt8(ascii: "<"))
        buffer.append(name)
        switch value {
        case .null:
            buffer.append("/>")
        case .object(let object):
            var children: [(key: String, value: JSONValue)] = []
            var text: JSONValue?
            for member in object.members {
                if member.key.hasPrefix("@"), member.key.count > 1, isPlain(member.value) {
                    buffer.append(UInt8(ascii: " "))
                    buffer.append(elementName(String(member.key.dropFirst())))
                    buffer.append("=\"")
                    escape(member.value.cellText, attribute: true)
                    buffer.append(UInt8(ascii: "\""))
                } else if member.key == "#text", isPlain(member.value) {
                    text = member.value
                } else {
                    children.append(member)
                }
            }
            if children.isEmpty && text == nil {
                buffer.append("/>")
                break
            }
            buffer.append(UInt8(ascii: ">"))
            if let text { escape(text.cellText, attribute: false) }
            for child in children { member(elementName(child.key), child.value, depth: depth + 1) }
            if pretty && !children.isEmpty { buffer.append(0x0A); indent(depth) }
            close(name)
        case .array(let items):
            buffer.append(UInt8(ascii: ">"))
            for item in items { element("item", item, depth: depth + 1) }
            if pretty && !items.isEmpty { buffer.append(0x0A); indent(depth) }
            close(name)
        case .string(let text) where text.isEmpty:
            buffer.append("/>")
        case .bool, .number, .string:
            buffer.append(UInt8(ascii: ">"))
            escape(value.cellText, attribute: false)
            close(name)
        }
        if depth == 1 { buffer.append(0x0A) }
    }

    /// A member: a list repeats the element once per item.
    private func member(_ name: String, _ value: JSONValue, depth: Int) {
        if case .array(let items) = value {
            for item in items { element(name, item, depth: depth) }
        } else {
            element(name, value, depth: depth)
        }
    }

    private func close(_ name: String) {
        buffer.append("</")
        buffer.append(name)
        buffer.append(UInt8(ascii: ">"))
    }

    private func indent(_ depth: Int) {
        guard pretty else { return }
        for _ in 0..<depth { buffer.append("  ") }
    }

    private func isPlain(_ value: JSONValue) -> Bool {
        switch value {
        case .array, .object: return false
        default: return true
        }
    }

    /// The element name for a key: the key itself when it is an XML name, else a cleaned copy.
    private func elementName(_ key: String) -> String {
        if let known = elementNames[key] { return known }
        var name = ""
        for (n, scalar) in key.unicodeScalars.enumerated() {
            let letter = scalar.properties.isAlphabetic || scalar == "_"
            let allowed = letter || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "."
            if n == 0 && !letter { name.append("_") }
            if allowed || n > 0 { name.unicodeScalars.append(allowed ? scalar : "_") }
        }
        if name.isEmpty { name = "_" }
        if name != key {
            findings.add(Finding(.warning, rule: "xml.element-name", message: "\"\(key)\" is not an XML element name; written as <\(name)>",
                                 hint: "rename the column or map it with a profile", file: current.file, line: current.line, record: current.record, field: key))
        }
        elementNames[key] = name
        return name
    }

    private func escape(_ text: String, attribute: Bool) {
        var run = text.utf8.startIndex
        let utf8 = text.utf8
        func flush(_ upTo: String.UTF8View.Index) {
            if run < upTo { buffer.append(String(text[run..<upTo])) }
        }
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let replacement: String?
            switch byte {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = attribute ? "&quot;" : nil
            case 0x0D: replacement = "&#13;"
            case 0x09, 0x0A: replacement = attribute ? "&#\(byte);" : nil
            case 0..<0x20:
                replacement = ""
                if !warnedText {
                    warnedText = true
                    findings.add(Finding(.warning, rule: "xml.control-character",
                                         message: "a value holds a control character (U+\(String(byte, radix: 16, uppercase: true))) that XML cannot carry; it was left out (reported once)",
                                         file: current.file, line: current.line, record: current.record))
                }
            default: replacement = nil
            }
            if let replacement {
                flush(index)
                buffer.append(replacement)
                run = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        flush(utf8.endIndex)
    }

    public func commit() throws {
        try sink.commit()
    }
}
