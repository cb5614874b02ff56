internal import CLibXML2
import Foundation

/// Checks XML files against an XML Schema (XSD) with libxml2's streaming reader: the document is
/// read once, never held whole, and every validity error becomes a finding with its line, counted
/// against the record (element under the root, or `recordElement`) it falls in.
///
/// The schema is parsed from memory, so it cannot pull anything in: `xs:include` and `xs:import`
/// of other files are refused like every external entity (name one self-contained XSD).
public final class XSDSchema {
    fileprivate let schema: xmlSchemaPtr
    public let path: String

    public init(path: String) throws {
        self.path = path
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CroceviaError.io("\(path): cannot read the XSD: \(error.localizedDescription)")
        }
        XMLSafety.install()
        let collector = Collector()
        let parsed: xmlSchemaPtr? = bytes.withUnsafeBytes { raw -> xmlSchemaPtr? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self),
                  let context = xmlSchemaNewMemParserCtxt(base, Int32(raw.count)) else { return nil }
            defer { xmlSchemaFreeParserCtxt(context) }
            let opaque = Unmanaged.passUnretained(collector).toOpaque()
            xmlSchemaSetParserStructuredErrors(context, Collector.report, opaque)
            // The XSD's own XML is parsed with libxml2's global handler: catch it too, then restore.
            xmlSetStructuredErrorFunc(opaque, Collector.report)
            defer { xmlSetStructuredErrorFunc(nil, nil) }
            return xmlSchemaParse(context)
        }
        guard let parsed else {
            let first = collector.problems.first
            throw CroceviaError.configuration(file: path, line: first.flatMap { $0.line > 0 ? $0.line : nil }, column: nil,
                                              message: "not a usable XML Schema: \(first?.message ?? "libxml2 could not read it")")
        }
        schema = parsed
    }

    deinit { xmlSchemaFree(schema) }

    /// Collects libxml2's messages while a schema is parsed.
    private final class Collector {
        var problems: [XMLFeed.Problem] = []
        static let report: xmlStructuredErrorFunc = { context, error in
            guard let context, let error else { return }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "invalid schema"
            collector.problems.append(XMLFeed.Problem(message: message.trimmingWhitespace(), line: Int(error.pointee.line), hint: nil))
        }
    }
}

public enum XSDValidation {
    /// Validates one XML input; returns the records (elements under the root, or named) seen and
    /// how many of them had validity errors.
    public static func validate(path: String, encoding: TextEncoding, schema: XSDSchema, recordElement: String?,
                                findings: FindingLog) throws -> (records: Int, invalid: Int) {
        var encoding = encoding
        if encoding == .auto, let declared = try XMLDeclaration.encoding(ofFile: path) { encoding = declared }
        let input = TextInput(source: try ByteSource(path: path), encoding: encoding, findings: findings)
        let feed = XMLFeed(input: input)
        var records = 0
        var invalid = 0
        var lastInvalid = 0
        feed.onValidityProblem = { problem in
            findings.add(Finding(.error, rule: "xsd.invalid", message: problem.message, hint: "see the element and its line in the file",
                                 file: input.name, line: problem.line, record: records == 0 ? nil : records))
            if records != lastInvalid {
                lastInvalid = records
                invalid += 1
            }
        }
        guard let reader = feed.openReader() else {
            throw CroceviaError.unreadableInput(file: input.name, line: 1, message: "libxml2 could not start reading", hint: nil)
        }
        defer {
            XMLSafety.unregister(reader: reader)
            xmlFreeTextReader(reader)
        }
        guard xmlTextReaderSetSchema(reader, schema.schema) == 0 else {
            throw CroceviaError.io("libxml2 could not attach the XSD \(schema.path)")
        }
        let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                if let error = feed.inputError { throw error }
                let problem = feed.firstError ?? XMLFeed.Problem(message: "the XML is malformed", line: Int(xmlTextReaderGetParserLineNumber(reader)))
                throw CroceviaError.unreadableInput(file: input.name, line: problem.line, message: problem.message, hint: problem.hint)
            }
            guard xmlTextReaderNodeType(reader) == element else { continue }
            if let recordElement {
                guard let name = xmlTextReaderConstLocalName(reader), String(cString: name) == recordElement else { continue }
                records += 1
            } else if xmlTextReaderDepth(reader) == 1 {
                records += 1
            }
        }
        return (records, invalid)
    }
}
