/// Where a record came from: kept from the reader to the registry so every finding and every
/// merged field can point back at the partner's own file, line and key.
public struct Provenance: Sendable, Equatable {
    /// The partner (source) name, as the profile or `--source` gives it.
    public var source: String
    /// The file as named on the command line (`-` for standard input).
    public var file: String
    /// The physical line where the record starts (1-based; in a CSV file the header is line 1).
    public var line: Int
    /// The record's 1-based position in its file.
    public var record: Int
    /// The partner's own key for the record, when the profile names key columns.
    public var key: String?
    /// Where the record's members start, for a record that spans lines (pretty-printed JSON, XML)
    /// or files (a tabular package), when the reader was asked (`ReaderOptions.places`).
    public var places: SourcePlaces?
    /// How many error findings mapping the record through a profile gave (fields left out).
    public var mappingErrors = 0
    /// The sheet, for a record read from a workbook (its `line` is then the row's number).
    public var sheet: SheetPlace?

    public init(source: String, file: String, line: Int, record: Int, key: String? = nil) {
        self.source = source
        self.file = file
        self.line = line
        self.record = record
        self.key = key
    }

    /// The workbook cell of one of the record's columns (`Servizi!D14`); the row (`Servizi!14:14`)
    /// for a field that is not a column; nil for a record not read from a sheet.
    public func cell(of field: String?) -> String? {
        guard let sheet else { return nil }
        guard let field, let column = sheet.columns[field] else { return "\(sheet.name)!\(line):\(line)" }
        return "\(sheet.name)!\(CellReference.letters(column))\(line)"
    }

    /// The line where the member a JSON Pointer names starts (or the closest member around it
    /// that has a place), else the record's line.
    public func line(at pointer: String?) -> Int {
        pointer.flatMap { places?.place(of: $0)?.line } ?? line
    }

    /// The file that holds the member a JSON Pointer names (a tabular package's CSV).
    public func file(at pointer: String?) -> String {
        pointer.flatMap { places?.place(of: $0)?.file } ?? file
    }

    /// The provenance as a JSON object, for outputs that carry it (`--provenance`).
    public var jsonValue: JSONValue {
        var object = JSONObject([
            ("source", .string(source)), ("file", .string(file)),
            ("line", .number(String(line))), ("record", .number(String(record))),
        ])
        if let key { object["key"] = .string(key) }
        return .object(object)
    }
}

/// A workbook's sheet, as the records read from it know it.
public struct SheetPlace: Sendable, Equatable {
    /// The sheet's name, quoted as a formula quotes it when it has spaces (`'Punti di ascolto'`).
    public var name: String
    /// Each column's index (0 for A), by the record's key for it.
    public var columns: [String: Int]
    /// The header's row number.
    public var headerRow = 1
    /// The sheet's name as the workbook has it (`name` may be quoted).
    public var plainName: String

    public init(name: String, columns: [String: Int]) {
        plainName = name
        self.name = name.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "_" }) ? "'\(name.replacingOccurrences(of: "'", with: "''"))'" : name
        self.columns = columns
    }
}

/// Where each member of a record starts in the input, by JSON Pointer (`/phones/1/number`).
public struct SourcePlaces: Sendable, Equatable {
    public struct Place: Sendable, Equatable {
        /// The file, when it is not the record's (a tabular package's `phones.csv`).
        public var file: String?
        public var line: Int

        public init(file: String? = nil, line: Int) {
            self.file = file
            self.line = line
        }
    }

    public var byPointer: [String: Place]

    public init(_ byPointer: [String: Place] = [:]) {
        self.byPointer = byPointer
    }

    /// The place of the member at `pointer`, or of the closest member that encloses it.
    public func place(of pointer: String) -> Place? {
        var pointer = Substring(pointer)
        while true {
            if let place = byPointer[String(pointer)] { return place }
            guard let slash = pointer.lastIndex(of: "/") else { return nil }
            pointer = pointer[..<slash]
        }
    }
}

/// One record flowing through the stages: a JSON-shaped value and where it came from.
public struct Record: Sendable, Equatable {
    public var value: JSONValue
    public var provenance: Provenance

    /// How a partner knows the record: its own key, else its name (directory data only: case
    /// records name no one).
    public var subject: String? {
        provenance.key ?? value["name"]?.stringValue.map { String($0.prefix(80)) }
    }

    public init(value: JSONValue, provenance: Provenance) {
        self.value = value
        self.provenance = provenance
    }
}
