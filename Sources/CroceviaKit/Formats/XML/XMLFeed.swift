internal import CLibXML2

/// The bridge between libxml2 and Crocevia's input: it hands libxml2 the UTF-8 text of a
/// `TextInput` through a read callback and collects libxml2's errors with their lines. Passed to
/// C as an unretained pointer; its owner (`XMLRecordReader`) outlives the libxml2 reader.
final class XMLFeed {
    struct Problem {
        var message: String
        var line: Int
        var hint: String?
    }

    let input: TextInput
    private var chunk: UnsafeBufferPointer<UInt8>?
    private var offset = 0
    /// An input failure (not XML: binary, unreadable) met inside the read callback.
    var inputError: CroceviaError?
    var firstError: Problem?
    var firstWarning: Problem?
    /// External entities refused since the last record was taken.
    private var refusals: [Problem] = []
    /// XSD validity errors, handed over as they come (validation does not stop the reader).
    var onValidityProblem: ((Problem) -> Void)?

    init(input: TextInput) {
        self.input = input
    }

    /// Copies up to `capacity` bytes of text into `buffer`; 0 at the end, -1 on failure.
    private func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32 {
        do {
            while chunk == nil || offset == chunk!.count {
                guard let next = try input.nextChunk() else { return 0 }
                chunk = next
                offset = 0
            }
            let available = chunk!.count - offset
            let n = min(available, capacity)
            UnsafeMutableRawPointer(buffer).copyMemory(from: chunk!.baseAddress! + offset, byteCount: n)
            offset += n
            return Int32(n)
        } catch let error as CroceviaError {
            inputError = error
            return -1
        } catch {
            inputError = .unreadableInput(file: input.name, line: 1, message: "\(error)", hint: nil)
            return -1
        }
    }

    private func record(_ error: xmlError) {
        let text = error.message.map { String(cString: $0) } ?? "malformed XML"
        if error.domain == Int32(XML_FROM_SCHEMASV.rawValue), let onValidityProblem {
            onValidityProblem(Problem(message: text.trimmingWhitespace(), line: Int(error.line), hint: nil))
            return
        }
        var message = text.trimmingWhitespace()
        var hint: String?
        if message.contains("entity") && (message.contains("amplification") || message.contains("loop")) {
            message = "entity expansion is out of all proportion (an \"entity bomb\"): \(message)"
            hint = "the file defines entities that expand into each other; ask the sender for a plain export"
        } else if message.contains("failed to load external entity") || message.contains("external entity") {
            message = "the document refers to an external entity, which crocevia never loads: \(message)"
            hint = "external entities can read local files; ask the sender for an export without a DOCTYPE"
        } else if message.contains("huge text node") || message.contains("Huge input lookup") {
            message = "a text value is too long for the XML parser (over 10 MB): \(message)"
        } else if let plain = Self.plainWords.first(where: { message.hasPrefix($0.prefix) }) {
            message = "\(plain.words) (libxml2: \(message))"
            hint = plain.hint
        }
        let problem = Problem(message: message, line: Int(error.line), hint: hint)
        if error.level.rawValue >= XML_ERR_ERROR.rawValue {
            if firstError == nil { firstError = problem }
        } else if firstWarning == nil {
            firstWarning = problem
        }
    }

    func refusedEntity(_ url: String, line: Int) {
        refusals.append(Problem(message: "the document refers to an external entity (\(url)), which crocevia never loads; the value stays empty",
                                line: line, hint: "external entities can read local files; ask the sender for an export without a DOCTYPE"))
    }

    func takeRefusals() -> [Problem] {
        defer { refusals.removeAll() }
        return refusals
    }

    /// libxml2's terse messages for the mistakes partners' exports really make, in plain words.
    private static let plainWords: [(prefix: String, words: String, hint: String)] = [
        ("xmlParseEntityRef: no name", "a bare & in the text", "an ampersand is written &amp; in XML; the exporting program should escape it"),
        ("EntityRef: expecting ';'", "a bare & in the text", "an ampersand is written &amp; in XML; the exporting program should escape it"),
        ("Document is empty", "the file holds no XML", "check that the export wrote its data"),
        ("Start tag expected", "the file does not start with an XML element", "is it really XML? HTML error pages and CSV files are sometimes saved as .xml"),
        ("Extra content at the end of the document", "there is more after the root element closes", "two documents may have been joined into one file; an XML file has exactly one root element"),
        ("Premature end of data", "the file ends before its elements are closed", "the export may have been cut short; ask for the whole file"),
        ("Excessive depth in document", "elements are nested deeper than 256 levels", "real exports are never this deep: the file is damaged, or built to harm"),
        ("Input is not proper UTF-8", "the text is not valid UTF-8", "pass --encoding with the file's real encoding"),
    ]

    /// Opens a libxml2 streaming reader over this feed with Crocevia's safe options.
    func openReader() -> xmlTextReaderPtr? {
        XMLSafety.install()
        let options = XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_IGNORE_ENC.rawValue
        let context = Unmanaged.passUnretained(self).toOpaque()
        // The text arrives as UTF-8 from TextInput, whatever the file's declaration says.
        guard let reader = xmlReaderForIO(Self.read, nil, context, input.name, "UTF-8", Int32(options)) else { return nil }
        xmlTextReaderSetStructuredErrorHandler(reader, Self.report, context)
        XMLSafety.register(reader: reader, feed: context)
        return reader
    }

    static let read: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer else { return -1 }
        return Unmanaged<XMLFeed>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: Int(length))
    }

    static let report: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLFeed>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }
}
