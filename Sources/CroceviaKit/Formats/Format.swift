import Foundation

/// The formats `crocevia convert` reads and writes, by their command-line names. A name says two
/// things, asked apart: the file's `syntax` and the records' `model` (`hsds-json` is JSON holding
/// HSDS objects). The names stay one word each because they are the command line's contract.
public enum Format: String, Sendable, CaseIterable {
    case csv, json, jsonl, xml
    /// A workbook: Excel's Office Open XML (`.xlsx`) or OpenDocument (`.ods`), a sheet's rows as records.
    case xlsx, ods
    /// HSDS objects as one JSON array (the output of a mapping profile).
    case hsdsJSON = "hsds-json"
    /// HSDS objects, one per line.
    case hsdsJSONL = "hsds-jsonl"
    /// An HSDS tabular package: a folder with `datapackage.json` and one CSV per resource.
    case hsdsCSV = "hsds-csv"
    /// HSDS services as one sheet, a row per service at a location (CSV, or read from a workbook).
    case hsdsFlat = "hsds-flat"
    /// Case data's canonical tabular form: a folder with one CSV per entity (`contact.csv`…).
    case caseCSV = "case-csv"

    /// Guesses a format from a file name's extension: `.csv`, `.tsv`, `.txt`, `.json`, `.jsonl`,
    /// `.ndjson`, `.xml`, `.xlsx`, `.xlsm`, `.ods`.
    public init?(fileExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt": self = .csv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "xml": self = .xml
        case "xlsx", "xlsm": self = .xlsx
        case "ods": self = .ods
        default: return nil
        }
    }

    /// Guesses an input's format: a folder holding `datapackage.json` (or that file) is an HSDS
    /// tabular package, a folder holding `contact.csv`, `referral.csv`… is case data's tabular
    /// form; otherwise the file name's extension decides.
    public init?(guessingFrom path: String) {
        var isFolder: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        if path.hasSuffix("datapackage.json") || (folder && FileManager.default.fileExists(atPath: path + "/datapackage.json")) {
            self = .hsdsCSV
            return
        }
        if folder, CaseEntities.names.contains(where: { FileManager.default.fileExists(atPath: "\(path)/\($0).csv") }) {
            self = .caseCSV
            return
        }
        self.init(fileExtensionOf: path)
    }

    /// The format to read `input` in: the one given, else a guess from its name (usage error
    /// when there is none).
    ///
    /// A sheet's formats (csv, xlsx, ods) are told apart by the file's content, whatever its name
    /// or `--from` says: a workbook is a ZIP archive, a CSV file is text. So a profile written for
    /// a partner's CSV export reads their workbook, and a `.xlsx` that is really CSV is read as CSV.
    public static func of(_ input: String, given: Format?) throws -> Format {
        guard let format = given ?? Format(guessingFrom: input) else {
            throw CroceviaError.usage("cannot tell the format of \(input) from its name; say --from csv, json, jsonl, xml, xlsx, ods, hsds-json, hsds-jsonl, hsds-csv or case-csv")
        }
        if format == .csv || format.isWorkbook, let sniffed = sheetFormat(of: input) { return sniffed }
        return format
    }

    /// xlsx or ods for a workbook, csv for a file that is not a ZIP archive; nil for standard
    /// input, a file that cannot be opened (its reader says why), or a ZIP archive of another kind.
    static func sheetFormat(of path: String) -> Format? {
        guard path != "-", let source = try? ByteSource(path: path) else { return nil }
        var head = [UInt8](repeating: 0, count: 4)
        let count = head.withUnsafeMutableBytes { (try? source.read(into: $0.baseAddress!, capacity: 4)) ?? 0 }
        guard ZipArchive.isZip(head.prefix(count)) else { return .csv }
        guard let archive = try? ZipArchive(path: path) else { return nil }
        if archive.member("xl/workbook.xml") != nil || archive.member("[Content_Types].xml") != nil { return .xlsx }
        if let mimetype = archive.member("mimetype"), let bytes = try? archive.bytes(mimetype, limit: 256),
           String(decoding: bytes, as: UTF8.self).hasPrefix("application/vnd.oasis.opendocument.spreadsheet") {
            return .ods
        }
        return archive.member("content.xml") != nil ? .ods : nil
    }

    /// What a file is written in, whatever its records mean.
    public enum Syntax: Sendable {
        case csv, json, jsonl, xml
        /// Workbooks: a ZIP archive of XML parts, in Office Open XML's or OpenDocument's shape.
        case xlsx, ods
        /// A folder of CSV files (an HSDS tabular package, case data's tables).
        case tables
    }

    /// What the records are: the partner's own (a profile says what they become), HSDS objects,
    /// or case data.
    public enum Model: Sendable {
        case partner, hsds, caseData
    }

    public var syntax: Syntax {
        switch self {
        case .csv: return .csv
        case .json, .hsdsJSON: return .json
        case .jsonl, .hsdsJSONL: return .jsonl
        case .xml: return .xml
        case .xlsx: return .xlsx
        case .ods: return .ods
        case .hsdsCSV, .caseCSV: return .tables
        case .hsdsFlat: return .csv
        }
    }

    public var model: Model {
        switch self {
        case .csv, .json, .jsonl, .xml, .xlsx, .ods: return .partner
        case .hsdsJSON, .hsdsJSONL, .hsdsCSV, .hsdsFlat: return .hsds
        case .caseCSV: return .caseData
        }
    }

    /// The format of this syntax and model, when there is one (XML holds partners' records only).
    public init?(syntax: Syntax, model: Model) {
        guard let format = Format.allCases.first(where: { $0.syntax == syntax && $0.model == model }) else { return nil }
        self = format
    }

    /// Whether records in this format are HSDS objects already.
    public var isHSDS: Bool { model == .hsds }

    /// The HSDS reading of a JSON format (pages' contents are the records); others as they are.
    public var asHSDS: Format { syntax == .json || syntax == .jsonl ? Format(syntax: syntax, model: .hsds)! : self }

    /// Whether records in this format need no profile: HSDS, or case data's tabular form.
    public var isCanonical: Bool { model != .partner }

    /// The names accepted on the command line, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The names of the formats written (workbooks are only read).
    public static var writtenNames: String { allCases.filter { !$0.isWorkbook }.map(\.rawValue).joined(separator: ", ") }

    /// Whether it is a workbook (read, not written).
    public var isWorkbook: Bool { self == .xlsx || self == .ods }

    /// Opens a reader for this format over one input (a file, `-`, or a package folder).
    public func makeReader(path: String, encoding: TextEncoding = .auto, source: String, options: ReaderOptions = ReaderOptions(),
                           findings: FindingLog, chunkSize: Int = 256 * 1024) throws -> RecordReader {
        func input() throws -> TextInput {
            var encoding = encoding
            if self == .xml && encoding == .auto, let declared = try XMLDeclaration.encoding(ofFile: path) {
                encoding = declared
            }
            return TextInput(source: try ByteSource(path: path), encoding: encoding, findings: findings, chunkSize: chunkSize)
        }
        switch self {
        case .csv:
            return CSVRecordReader(input: try input(), options: .init(delimiter: options.delimiter, maxFieldBytes: options.maxFieldBytes),
                                   source: source, findings: findings)
        case .json:
            let reader = JSONRecordReader(input: try input(), mode: .json, source: source, findings: findings, recordsPath: options.recordsPath)
            reader.places = options.places
            return reader
        case .jsonl:
            return JSONRecordReader(input: try input(), mode: .jsonl, source: source, findings: findings)
        case .hsdsJSON:
            let reader = JSONRecordReader(input: try input(), mode: .json, source: source, findings: findings, recordsPath: options.recordsPath)
            reader.places = options.places
            return HSDSPageReader(reader)
        case .hsdsJSONL:
            return HSDSPageReader(JSONRecordReader(input: try input(), mode: .jsonl, source: source, findings: findings))
        case .hsdsCSV:
            return TabularPackageReader(path: path, root: options.hsdsObject ?? "service", source: source, findings: findings,
                                        schemas: try HSDSSchemas.standard(), maxFieldBytes: options.maxFieldBytes, places: options.places)
        case .hsdsFlat:
            // The rows from a CSV file or a workbook's sheet, whichever the file is.
            let rows = Format.sheetFormat(of: path) ?? .csv
            let inner = try rows.makeReader(path: path, encoding: encoding, source: source, options: options, findings: findings, chunkSize: chunkSize)
            return FlatHSDSReader(inner, source: source, findings: findings)
        case .caseCSV:
            return try CaseTabularReader(folder: path, source: source, findings: findings,
                                         schemas: try HSDSSchemas.standard(), maxFieldBytes: options.maxFieldBytes)
        case .xlsx, .ods:
            return try WorkbookRecordReader(path: path, kind: self == .xlsx ? .xlsx : .ods,
                                            options: .init(sheet: options.sheet, headerRow: options.headerRow), source: source, findings: findings)
        case .xml:
            return XMLRecordReader(input: try input(), source: source, recordElement: options.recordElement, findings: findings,
                                   maxTextBytes: options.maxFieldBytes, enclosing: options.enclosing, places: options.places)
        }
    }

    /// Opens a writer for this format (`-` is standard output; hsds-csv needs a folder). Nothing
    /// appears at `path` until the writer's `commit()`.
    public func makeWriter(path: String, options: WriterOptions, findings: FindingLog) throws -> RecordWriter {
        switch self {
        case .csv:
            return CSVRecordWriter(sink: try OutputSink(path: path), delimiter: options.delimiter, columns: options.columns, findings: findings)
        case .json, .hsdsJSON:
            return JSONRecordWriter(sink: try OutputSink(path: path), mode: .json, pretty: options.pretty, includeProvenance: options.provenance)
        case .jsonl, .hsdsJSONL:
            return JSONRecordWriter(sink: try OutputSink(path: path), mode: .jsonl, includeProvenance: options.provenance)
        case .hsdsCSV:
            return try TabularPackageWriter(folder: path, root: options.hsdsObject ?? "service",
                                            schemas: try HSDSSchemas.standard(), findings: findings)
        case .hsdsFlat:
            return FlatHSDSWriter(sink: try OutputSink(path: path), delimiter: options.delimiter, findings: findings)
        case .caseCSV:
            return try CaseTabularWriter(folder: path, fallback: options.hsdsObject ?? "case/contact",
                                         schemas: try HSDSSchemas.standard(), findings: findings)
        case .xlsx, .ods:
            throw CroceviaError.usage("crocevia reads workbooks (\(rawValue)) but does not write them; say --to csv, and open the CSV file in the spreadsheet")
        case .xml:
            return XMLRecordWriter(sink: try OutputSink(path: path), recordElement: options.recordElement ?? "record", pretty: options.pretty,
                                   includeProvenance: options.provenance, findings: findings)
        }
    }
}

/// Options that shape how an input is read, whatever its format.
public struct ReaderOptions: Sendable {
    /// CSV: the field delimiter, or nil to detect it.
    public var delimiter: UInt8?
    /// CSV and XML: the longest field or text accepted.
    public var maxFieldBytes = 64 << 20
    /// JSON: the member path to the records array in the document.
    public var recordsPath: [String] = []
    /// XML: the local name of the record element; nil takes the root element's children.
    public var recordElement: String?
    /// hsds-csv: the resource whose rows become records (default `service`).
    public var hsdsObject: String?
    /// XML: each record carries its enclosing elements as `..` (see `XMLRecordReader`).
    public var enclosing = false
    /// Workbooks: the sheet (a name, a 1-based number, or `all`); nil for the first with data.
    public var sheet: String?
    /// Workbooks: the header's row number; nil to find it below any title rows.
    public var headerRow: Int?
    /// JSON, XML and tabular packages: records say where their members start
    /// (`Provenance.places`), so a finding names the member's line and file.
    public var places = false
    /// When reading must stop (the onboarding page's limit on a report): past it the run stops
    /// reading the input, with an error finding that says how much was read.
    public var deadline: Deadline?

    public init(delimiter: UInt8? = nil, maxFieldBytes: Int = 64 << 20, recordsPath: [String] = [], recordElement: String? = nil) {
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.recordsPath = recordsPath
        self.recordElement = recordElement
    }
}

/// A moment given as so many seconds from when it was made.
public struct Deadline: Sendable {
    let at: UInt64
    public let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
        at = DispatchTime.now().uptimeNanoseconds + UInt64(max(seconds, 0) * 1e9)
    }

    public var isPast: Bool { DispatchTime.now().uptimeNanoseconds > at }
}

/// Options that shape an output, whatever its format.
public struct WriterOptions: Sendable {
    /// CSV: the delimiter written.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// CSV: the columns, in order; nil takes the first record's keys.
    public var columns: [String]?
    /// JSON and XML: indent the records for people to read.
    public var pretty = false
    /// XML: the element each record becomes (default: the profile's target, else `record`).
    public var recordElement: String?
    /// hsds-csv: the HSDS object each record is (default `service`).
    public var hsdsObject: String?
    /// JSON and JSON Lines: add each record's `_provenance`.
    public var provenance = false

    public init() {}
}
