#if canImport(Glibc)
import Glibc
#endif
internal import CLibXML2

/// One XML part of a workbook (a sheet, the shared strings, the styles) read node by node on
/// libxml2's streaming reader, over the part's bytes as they are inflated: the one place the
/// workbook readers touch libxml2. Safe as the XML reader is: no network, no DTD, external
/// entities refused.
final class PartReader {
    enum Node {
        case start, end, text, other
    }

    /// The part's name inside the archive (`xl/worksheets/sheet1.xml`), for messages.
    let part: String
    let file: String
    private let input: TextInput
    private let feed: XMLFeed
    private var reader: xmlTextReaderPtr?
    /// Local names by libxml2's interned pointer: each is decoded once.
    private var names: [UnsafePointer<UInt8>: String] = [:]

    init(archive: ZipArchive, member: ZipArchive.Member, findings: FindingLog) throws {
        part = member.name
        file = archive.file
        input = TextInput(source: try archive.source(member), encoding: .auto, findings: findings)
        feed = XMLFeed(input: input)
        guard let reader = feed.openReader() else {
            throw CroceviaError.unreadableInput(file: file, line: nil, message: "libxml2 could not start reading \(part)", hint: nil)
        }
        self.reader = reader
    }

    deinit {
        if let reader {
            XMLSafety.unregister(reader: reader)
            xmlFreeTextReader(reader)
        }
    }

    /// Moves to the next node; nil at the end of the part.
    func next() throws -> Node? {
        let status = xmlTextReaderRead(reader)
        if status == 0 { return nil }
        if status < 0 { throw failure() }
        switch xmlTextReaderNodeType(reader) {
        case Int32(XML_READER_TYPE_ELEMENT.rawValue): return .start
        case Int32(XML_READER_TYPE_END_ELEMENT.rawValue): return .end
        case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue),
             Int32(XML_READER_TYPE_CDATA.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue): return .text
        default: return .other
        }
    }

    /// The element's local name (on `.start` and `.end`).
    var name: String {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return "" }
        if let known = names[pointer] { return known }
        let decoded = String(cString: pointer)
        names[pointer] = decoded
        return decoded
    }

    /// Whether the element just started is empty (`<c r="A1"/>`): no `.end` follows it.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// The text of a `.text` node.
    var text: String {
        guard let value = xmlTextReaderConstValue(reader) else { return "" }
        return String(cString: value)
    }

    /// The value of the element's attribute with this local name, whatever its prefix.
    func attribute(_ localName: String) -> String? {
        guard xmlTextReaderHasAttributes(reader) == 1, xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        repeat {
            if let name = xmlTextReaderConstLocalName(reader), strcmp(name, localName) == 0 {
                return xmlTextReaderConstValue(reader).map { String(cString: $0) }
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        return nil
    }

    /// The text of the element just started, up to its end (its descendants' text joined);
    /// elements named in `skipping` (phonetic runs) are left out.
    func elementText(skipping: Set<String> = []) throws -> String {
        guard !isEmptyElement else { return "" }
        let start = depth
        var text = ""
        var skipDepth: Int?
        while let node = try next() {
            switch node {
            case .start:
                if skipDepth == nil, skipping.contains(name), !isEmptyElement { skipDepth = depth }
            case .end:
                if depth == start { return text }
                if depth == skipDepth { skipDepth = nil }
            case .text:
                if skipDepth == nil { text += self.text }
            case .other:
                break
            }
        }
        return text
    }

    /// The part's bytes read so far, and how many it has.
    var progress: (done: Int, total: Int?) { (input.source.bytesRead, input.source.size) }

    /// The line libxml2 is on, in the part.
    var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }

    private func failure() -> CroceviaError {
        if let error = feed.inputError { return error }
        let problem = feed.firstError ?? XMLFeed.Problem(message: "the XML is malformed", line: line)
        return .unreadableInput(file: file, line: nil, message: "the workbook's part \(part) is not well-formed XML (its line \(problem.line): \(problem.message))",
                                hint: "open it in Excel or LibreOffice and save it again")
    }
}
