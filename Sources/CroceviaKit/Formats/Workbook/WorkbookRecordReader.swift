/// Reads a workbook (`.xlsx` or `.ods`) as records, a sheet's rows streamed as they are
/// inflated: one record per row under the sheet's header row, keyed by the header as a CSV
/// export of the sheet would be (every header column present, an empty cell as ""), so the same
/// content gives the same records in both.
///
/// The sheet is the first that has data unless `--sheet` names one (by name or 1-based number)
/// or says `all` (each sheet read in turn under its own header, a finding for each). The header
/// is the first row that looks like one (text only, about as wide as the rows below it: title
/// rows above it are skipped and said), or the row `--header-row` gives. Header cells merged
/// across columns name each column they cover. Records say their sheet, so findings name the
/// cell (`Servizi!D14`).
public final class WorkbookRecordReader: RecordReader {
    public enum Kind: Sendable {
        case xlsx, ods
    }

    public struct Options: Sendable {
        /// A sheet's name or 1-based number, or `all`; nil for the first sheet with data.
        public var sheet: String?
        /// The header's row number; nil to find it.
        public var headerRow: Int?

        public init(sheet: String? = nil, headerRow: Int? = nil) {
            self.sheet = sheet
            self.headerRow = headerRow
        }
    }

    public let name: String
    public var progress: (done: Int, total: Int?) { rows?.progress ?? (0, nil) }

    private let workbook: Workbook
    private let options: Options
    private let source: String
    private let findings: FindingLog
    /// The sheets still to read, by index; with no sheet named, the first with data.
    private var pending: [Int]
    private let firstWithData: Bool
    private var rows: SheetRows?
    /// Rows above a header row named by `--header-row`.
    private var skippedAbove = 0
    private var buffered: [SheetRow] = []
    private var header: [String] = []
    private var place = SheetPlace(name: "", columns: [:])
    private var recordCount = 0
    private var sheetRecords = 0
    /// Rows looked at to find the header.
    static let headerSearchRows = 30

    public init(path: String, kind: Kind, options: Options = Options(), source: String, findings: FindingLog) throws {
        name = path
        self.options = options
        self.source = source
        self.findings = findings
        let archive = try ZipArchive(path: path)
        switch kind {
        case .xlsx: workbook = try XLSXWorkbook(archive: archive, findings: findings)
        case .ods: workbook = try ODSWorkbook(archive: archive, findings: findings)
        }
        let names = workbook.sheetNames
        guard !names.isEmpty else {
            throw CroceviaError.unreadableInput(file: path, line: nil, message: "the workbook has no sheets", hint: nil)
        }
        switch options.sheet {
        case nil:
            pending = Array(names.indices)
            firstWithData = true
        case "all"?:
            pending = Array(names.indices)
            firstWithData = false
        case let asked?:
            let listed = names.map { "\"\($0)\"" }.joined(separator: ", ")
            if let number = Int(asked) {
                guard (1...names.count).contains(number) else {
                    throw CroceviaError.usage("--sheet \(number): \(path) has \(names.count) sheet\(names.count == 1 ? "" : "s") (\(listed))")
                }
                pending = [number - 1]
            } else if let index = names.firstIndex(of: asked) ?? names.firstIndex(where: { $0.lowercased() == asked.lowercased() }) {
                pending = [index]
            } else {
                throw CroceviaError.usage("--sheet \"\(asked)\": \(path) has no such sheet; its sheets: \(listed)")
            }
            firstWithData = false
        }
    }

    public func next() throws -> Record? {
        while true {
            if rows == nil {
                guard try startSheet() else { return nil }
            }
            guard let row = try nextRow() else {
                endSheet()
                continue
            }
            if row.cells.allSatisfy({ $0.text.isEmpty }) { continue }
            return record(row)
        }
    }

    // MARK: Sheets

    /// Opens the next sheet to read and finds its header; false when none is left.
    private func startSheet() throws -> Bool {
        while let index = pending.first {
            pending.removeFirst()
            let rows = try workbook.rows(ofSheet: index)
            place = SheetPlace(name: workbook.sheetNames[index], columns: [:])
            buffered = []
            skippedAbove = 0
            while buffered.count < Self.headerSearchRows, let row = try rows.next() {
                guard !row.cells.allSatisfy({ $0.text.isEmpty }) else { continue }
                // The header row named: the rows above it are passed over, however many.
                if let wanted = options.headerRow {
                    if row.number < wanted {
                        skippedAbove += 1
                        continue
                    }
                    buffered.append(row)
                    break
                }
                buffered.append(row)
            }
            (rows as? XLSXSheetRows).map(reportErrors)
            guard !buffered.isEmpty else {
                if !firstWithData {
                    findings.add(Finding(.info, rule: "workbook.empty-sheet", message: "sheet \(place.name) has no data", file: name))
                }
                continue
            }
            self.rows = rows
            try readHeader(sheet: index)
            if firstWithData { pending = [] }
            sheetRecords = 0
            return true
        }
        return false
    }

    private func endSheet() {
        if !firstWithData || options.sheet != nil {
            findings.add(Finding(.info, rule: "workbook.sheet", message: "sheet \(place.name): \(sheetRecords) record\(sheetRecords == 1 ? "" : "s") under the header on row \(headerRowNumber)",
                                 file: name, line: headerRowNumber, cell: "\(place.name)!\(headerRowNumber):\(headerRowNumber)"))
        }
        rows = nil
    }

    private var headerRowNumber = 0

    /// The header row: the one asked for, else the first that is text only and about as wide
    /// as the widest row near the top. Rows above it are titles, said in a finding.
    private func readHeader(sheet: Int) throws {
        let position: Int
        if let wanted = options.headerRow {
            guard let found = buffered.firstIndex(where: { $0.number == wanted }) else {
                throw CroceviaError.usage("--header-row \(wanted): row \(wanted) of sheet \(place.name) in \(name) is empty or missing")
            }
            position = found
            if skippedAbove > 0 {
                findings.add(Finding(.info, rule: "workbook.title-rows",
                                     message: "sheet \(place.name): the header is row \(wanted), as asked; \(skippedAbove) row\(skippedAbove == 1 ? "" : "s") above it \(skippedAbove == 1 ? "is" : "are") not read",
                                     file: name, line: wanted, cell: "\(place.name)!\(wanted):\(wanted)"))
            }
        } else {
            let widths = buffered.map { row in row.cells.filter { !$0.text.isEmpty }.count }
            let widest = widths.max() ?? 0
            position = buffered.indices.first { index in
                widths[index] >= max(min(2, widest), (widest + 1) / 2) && buffered[index].cells.allSatisfy { $0.text.isEmpty || $0.isText }
            } ?? 0
        }
        let row = buffered[position]
        headerRowNumber = row.number
        place.headerRow = row.number
        if position > 0 {
            let titles = buffered[..<position].flatMap { $0.cells.map(\.text) }.filter { !$0.isEmpty }.prefix(3).map { "\"\(Finding.shorten($0, limit: 40))\"" }
            findings.add(Finding(.info, rule: "workbook.title-rows",
                                 message: "sheet \(place.name): the header is row \(row.number); \(position == 1 ? "the row above it" : "the \(position) rows above it") (\(titles.joined(separator: ", "))) \(position == 1 ? "is read as a title" : "are read as titles"), not records",
                                 hint: "--header-row N names the header row", file: name, line: row.number, cell: "\(place.name)!\(row.number):\(row.number)"))
        }
        buffered.removeFirst(position + 1)
        var names: [String] = []
        for cell in row.cells where cell.column < CellReference.maximumColumns {
            while names.count < cell.column { names.append("") }
            for _ in 0..<max(1, cell.span) { names.append(cell.text) }
        }
        // A header cell merged across columns leaves the ones it covers empty: they take its name.
        if names.contains(where: \.isEmpty) {
            for merge in try workbook.merges(ofSheet: sheet) where (merge.first.row...merge.last.row).contains(row.number) {
                guard merge.first.column < names.count, case let text = names[merge.first.column], !text.isEmpty else { continue }
                for column in merge.first.column...min(merge.last.column, CellReference.maximumColumns - 1) {
                    while names.count <= column { names.append("") }
                    if names[column].isEmpty { names[column] = text }
                }
            }
        }
        while names.last?.isEmpty == true { names.removeLast() }
        header = cleanHeader(names, row: row.number)
        var columns: [String: Int] = [:]
        for (index, key) in header.enumerated() { columns[key] = index }
        place.columns = columns
    }

    /// The header's names as CSV cleans them; a repeated one (a header merged across columns,
    /// or typed twice) is a warning naming its cell.
    private func cleanHeader(_ raw: [String], row: Int) -> [String] {
        CSVRecordReader.cleanHeader(raw) { index, name, renamed in
            findings.add(Finding(.warning, rule: "workbook.duplicate-column",
                                 message: "column \(CellReference.letters(index)) is headed \"\(name)\" too (a merged header, or one typed twice); it is read as \"\(renamed)\"",
                                 hint: "give each column a name of its own", file: self.name, line: row, field: name,
                                 cell: "\(place.name)!\(CellReference.letters(index))\(row)"))
        }
    }

    private func nextRow() throws -> SheetRow? {
        if !buffered.isEmpty { return buffered.removeFirst() }
        guard let rows else { return nil }
        let row = try rows.next()
        (rows as? XLSXSheetRows).map(reportErrors)
        return row
    }

    private func reportErrors(_ rows: XLSXSheetRows) {
        for error in rows.takeErrors() {
            findings.add(Finding(.warning, rule: "workbook.formula-error",
                                 message: "the cell's formula gives \(error.value); the value is left empty",
                                 hint: "fix the formula in the workbook, or type the value", file: name, value: error.value,
                                 cell: "\(place.name)!\(error.cell)"))
        }
    }

    // MARK: Records

    private func record(_ row: SheetRow) -> Record {
        recordCount += 1
        sheetRecords += 1
        var values = [String](repeating: "", count: header.count)
        var extra: [(key: String, value: JSONValue)] = []
        for cell in row.cells where !cell.text.isEmpty {
            let text = cell.text.hasPrefix("#") && !cell.isText && Self.formulaErrors.contains(cell.text) ? "" : cell.text
            if cell.column < header.count {
                values[cell.column] = text
            } else {
                let key = "column_\(cell.column + 1)"
                extra.append((key, .string(text)))
                place.columns[key] = cell.column
                findings.add(Finding(.warning, rule: "workbook.beyond-header",
                                     message: "a value in a column with no header is kept as \(key)",
                                     hint: "give the column a name in the header row", file: name, line: row.number, record: recordCount,
                                     field: key, value: text, cell: "\(place.name)!\(CellReference.letters(cell.column))\(row.number)"))
            }
        }
        var members = zip(header, values).map { (key: $0.0, value: JSONValue.string($0.1)) }
        members += extra
        var provenance = Provenance(source: source, file: name, line: row.number, record: recordCount)
        provenance.sheet = place
        return Record(value: .object(JSONObject(members)), provenance: provenance)
    }

    static let formulaErrors: Set<String> = ["#N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#GETTING_DATA", "#SPILL!", "#CALC!"]
}
