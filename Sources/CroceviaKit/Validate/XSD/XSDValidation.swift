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
    ///
    /// libxml2 validates as it parses, a chunk ahead of the node the reader is on, and names the
    /// line where the element concerned starts. So each record's lines are kept (from its start
    /// to the start of its last element) and, at the end, every problem goes to the record whose
    /// lines hold it; a problem outside every record (the root element's) says so and makes no
    /// record invalid. (A file with several records on one line gives that line's problems to
    /// its first record.)
    public static func validate(path: String, encoding: TextEncoding, schema: XSDSchema, recordElement: String?,
                                findings: FindingLog) throws -> (records: Int, invalid: Int) {
        var encoding = encoding
        if encoding == .auto, let declared = try XMLDeclaration.encoding(ofFile: path) { encoding = declared }
        let input = TextInput(source: try ByteSource(path: path), encoding: encoding, findings: findings)
        let feed = XMLFeed(input: input)
        var problems: [XMLFeed.Problem] = []
        feed.onValidityProblem = { problems.append($0) }
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
        let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
        // Each record's first line, and the line where its last element starts.
        var firstLines: [Int] = []
        var lastLines: [Int] = []
        /// The depth of the record being read, nil between records.
        var recordDepth: Int32?
        var rootName = "the root element"
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                if let error = feed.inputError { throw error }
                let problem = feed.firstError ?? XMLFeed.Problem(message: "the XML is malformed", line: Int(xmlTextReaderGetParserLineNumber(reader)))
                throw CroceviaError.unreadableInput(file: input.name, line: problem.line, message: problem.message, hint: problem.hint)
            }
            let type = xmlTextReaderNodeType(reader)
            let depth = xmlTextReaderDepth(reader)
            if let open = recordDepth {
                if type == element, depth > open {
                    lastLines[lastLines.count - 1] = max(lastLines[lastLines.count - 1], Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader))))
                    continue
                }
                if type == endElement, depth == open { recordDepth = nil }
                if depth >= open { continue }
                recordDepth = nil
            }
            guard type == element else { continue }
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            if depth == 0 { rootName = "<\(name)>" }
            guard recordElement.map({ $0 == name }) ?? (depth == 1) else { continue }
            let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
            firstLines.append(line)
            lastLines.append(line)
            if xmlTextReaderIsEmptyElement(reader) != 1 { recordDepth = depth }
        }
        var invalid: Set<Int> = []
        for problem in problems {
            // The last record starting at or before the problem's line, if the line is within it.
            var low = 0
            var high = firstLines.count
            while low < high {
                let middle = (low + high) / 2
                if firstLines[middle] <= problem.line { low = middle + 1 } else { high = middle }
            }
            var index = low - 1
            while index > 0 && firstLines[index - 1] == problem.line { index -= 1 }
            let record = index >= 0 && problem.line <= lastLines[index] ? index + 1 : nil
            if let record { invalid.insert(record) }
            let message = record == nil ? "\(rootName), outside the records: \(XSDMessage.plain(problem.message))" : XSDMessage.plain(problem.message)
            findings.add(Finding(.error, rule: "xsd.invalid", message: message, hint: "see the element and its line in the file",
                                 file: input.name, line: problem.line, record: record))
        }
        return (firstLines.count, invalid.count)
    }
}

/// libxml2's schema messages in plain words: names without their `{namespace}`, elements as
/// `<name>`, the common complaints rephrased (anything else keeps libxml2's words).
enum XSDMessage {
    static func plain(_ message: String) -> String {
        // `{urn:…}name`, `{http://…}name`: a namespace is a URI, so it holds a colon.
        var text = message.replacingOccurrences(of: #"\{[^{}\s']*:[^{}\s']*\}(?=[A-Za-z_])"#, with: "", options: .regularExpression)
        let rules: [(String, String)] = [
            (#"^Element '([^']+)'(, attribute '([^']+)')?: "#, "<$1>$2: "),
            (#", attribute '([^']+)': "#, ", attribute $1: "),
            (#"\[facet 'pattern'\] The value '([^']*)' is not accepted by the pattern '([^']*)'\."#, "the value '$1' does not match the pattern $2."),
            (#"\[facet 'enumeration'\] The value '([^']*)' is not an element of the set \{([^}]*)\}\."#, "the value '$1' is not one of $2."),
            (#"\[facet '(maxLength|minLength|length)'\] The value '([^']*)' has a length of '(\d+)'; this (exceeds|underruns|differs from) the allowed (maximum |minimum )?length of '(\d+)'\."#,
             "the value '$2' has $3 characters; the $5length allowed is $6."),
            (#"\[facet '(maxInclusive|minInclusive|maxExclusive|minExclusive)'\] The value '([^']*)' is (greater|less) than (or equal to )?the (maximum|minimum) value allowed \('([^']*)'\)\."#,
             "the value '$2' is $3 than $4the $5 allowed, $6."),
            (#"'([^']*)' is not a valid value of the (atomic|local atomic|union|list) type '([^']+)'\."#, "'$1' is not a valid $3."),
            (#"This element is not expected\. Expected is one of \( ([^)]*) \)\."#, "this element is not expected here; expected one of $1."),
            (#"This element is not expected\. Expected is \( ([^)]*) \)\."#, "this element is not expected here; expected $1."),
            (#"This element is not expected\."#, "this element is not expected here."),
            (#"Missing child element\(s\)\. Expected is one of \( ([^)]*) \)\."#, "a child element is missing: expected one of $1."),
            (#"Missing child element\(s\)\. Expected is \( ([^)]*) \)\."#, "a child element is missing: expected $1."),
            (#"The attribute '([^']+)' is required but missing\."#, "the attribute $1 is required but missing."),
            (#"The attribute '([^']+)' is not allowed\."#, "the attribute $1 is not allowed."),
            (#"Character content other than whitespace is not allowed because the content type is 'element-only'\."#,
             "text is not allowed here, only elements."),
            (#"No matching global declaration available for the validation root\."#, "the schema declares no such root element."),
        ]
        for (pattern, template) in rules {
            text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return text
    }
}
