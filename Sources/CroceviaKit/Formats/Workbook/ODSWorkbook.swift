/// An OpenDocument spreadsheet (`.ods`, from LibreOffice): every sheet is a `<table:table>` in
/// `content.xml`, read as a stream; the sheets' names are found first by a pass over its bytes.
final class ODSWorkbook: Workbook {
    let archive: ZipArchive
    let sheetNames: [String]
    private let content: ZipArchive.Member
    private let findings: FindingLog

    init(archive: ZipArchive, findings: FindingLog) throws {
        self.archive = archive
        self.findings = findings
        guard let content = archive.member("content.xml") else {
            throw CroceviaError.unreadableInput(file: archive.file, line: nil, message: "this ZIP archive is not an OpenDocument spreadsheet: it has no content.xml",
                                                hint: "save the file from LibreOffice as .ods")
        }
        self.content = content
        sheetNames = try archive.tags(in: content, starting: "<table:table ").map { $0.attribute("table:name") ?? "" }
    }

    func rows(ofSheet index: Int) throws -> SheetRows {
        try ODSSheetRows(reader: PartReader(archive: archive, member: content, findings: findings), sheet: index)
    }

    /// ODS gives merged cells in the row (`number-columns-spanned`), so there is no list to read.
    func merges(ofSheet index: Int) throws -> [(first: (column: Int, row: Int), last: (column: Int, row: Int))] { [] }
}

/// The rows of one sheet of an ODS `content.xml`: `<table:table-row>` with `<table:table-cell>`,
/// both repeatable (`number-rows-repeated`, `number-columns-repeated`: LibreOffice writes a run
/// of equal cells once), a cell's value in its `office:value`, `office:date-value`,
/// `office:time-value` or `office:boolean-value` by its `office:value-type`, else its paragraphs'
/// text (`<text:p>`, with `<text:s>` for spaces, `<text:tab>`, `<text:line-break>`).
final class ODSSheetRows: SheetRows {
    private let reader: PartReader
    private let sheet: Int
    private var started = false
    private var tableDepth = 0
    private var rowNumber = 0
    /// A row repeated: the copies still to give.
    private var repeated: (row: SheetRow, left: Int)?
    /// Excel's and LibreOffice's last row.
    static let maximumRows = 1_048_576

    var progress: (done: Int, total: Int?) { reader.progress }

    init(reader: PartReader, sheet: Int) {
        self.reader = reader
        self.sheet = sheet
    }

    func next() throws -> SheetRow? {
        if let (row, left) = repeated {
            rowNumber += 1
            repeated = left > 1 ? (row, left - 1) : nil
            return SheetRow(number: rowNumber, cells: row.cells)
        }
        if !started {
            started = true
            var seen = 0
            while let node = try reader.next() {
                guard node == .start, reader.name == "table" else { continue }
                if seen == sheet {
                    tableDepth = reader.depth
                    if reader.isEmptyElement { return nil }
                    break
                }
                seen += 1
            }
            guard tableDepth > 0 else { return nil }
        }
        while let node = try reader.next() {
            if node == .end && reader.name == "table" && reader.depth == tableDepth { return nil }
            guard node == .start, reader.name == "table-row" else { continue }
            let copies = max(1, reader.attribute("number-rows-repeated").flatMap { Int($0) } ?? 1)
            let row = try readRow()
            if row.cells.allSatisfy({ $0.text.isEmpty }) {
                // Empty rows (a sheet's tail is a million of them, written once) are counted only.
                rowNumber += copies
                if rowNumber > Self.maximumRows { return nil }
                continue
            }
            rowNumber += 1
            guard rowNumber + copies - 1 <= Self.maximumRows else {
                throw CroceviaError.unreadableInput(file: reader.file, line: nil, message: "the sheet repeats a row past row \(Self.maximumRows), where every spreadsheet ends",
                                                    hint: "open it in LibreOffice and save it again")
            }
            if copies > 1 { repeated = (row, copies - 1) }
            return SheetRow(number: rowNumber, cells: row.cells)
        }
        return nil
    }

    private func readRow() throws -> SheetRow {
        var row = SheetRow(number: 0, cells: [])
        guard !reader.isEmptyElement else { return row }
        let depth = reader.depth
        var column = 0
        while let node = try reader.next() {
            if node == .end {
                if reader.depth == depth { break }
                continue
            }
            guard node == .start else { continue }
            let name = reader.name
            guard name == "table-cell" || name == "covered-table-cell" else { continue }
            let copies = max(1, reader.attribute("number-columns-repeated").flatMap { Int($0) } ?? 1)
            let span = max(1, reader.attribute("number-columns-spanned").flatMap { Int($0) } ?? 1)
            let type = reader.attribute("value-type")
            var text: String
            switch type {
            case "float", "percentage", "currency":
                text = reader.attribute("value") ?? ""
            case "date":
                text = reader.attribute("date-value") ?? ""
                if text.hasSuffix("T00:00:00") { text.removeLast(9) }
            case "time":
                text = Self.time(reader.attribute("time-value") ?? "")
            case "boolean":
                text = reader.attribute("boolean-value") ?? ""
            default:
                text = reader.attribute("string-value") ?? ""
            }
            let paragraphs = try cellText()
            if text.isEmpty && (type == nil || type == "string") { text = paragraphs }
            if !text.isEmpty && name == "table-cell" {
                for copy in 0..<copies where column + copy < CellReference.maximumColumns {
                    row.cells.append(SheetRow.Cell(column: column + copy, text: text, isText: type == nil || type == "string", span: span))
                }
            }
            column += copies
        }
        return row
    }

    /// The paragraphs of the cell just started, joined by line breaks.
    private func cellText() throws -> String {
        guard !reader.isEmptyElement else { return "" }
        let depth = reader.depth
        var paragraphs: [String] = []
        var current: String?
        while let node = try reader.next() {
            switch node {
            case .start:
                switch reader.name {
                case "p", "h":
                    if let current { paragraphs.append(current) }
                    current = ""
                case "s":
                    current = (current ?? "") + String(repeating: " ", count: max(1, reader.attribute("c").flatMap { Int($0) } ?? 1))
                case "tab":
                    current = (current ?? "") + "\t"
                case "line-break":
                    current = (current ?? "") + "\n"
                case "annotation":
                    // A comment on the cell: not its value.
                    _ = try reader.elementText()
                default:
                    break
                }
            case .end:
                if reader.depth == depth {
                    if let current { paragraphs.append(current) }
                    return paragraphs.joined(separator: "\n")
                }
            case .text:
                current = (current ?? "") + reader.text
            case .other:
                break
            }
        }
        if let current { paragraphs.append(current) }
        return paragraphs.joined(separator: "\n")
    }

    /// `PT09H30M00S` → `09:30` (seconds when there are some).
    static func time(_ duration: String) -> String {
        var hours = 0, minutes = 0, seconds = 0.0, number = ""
        for character in duration.uppercased() {
            switch character {
            case "0"..."9", ".", ",": number.append(character == "," ? "." : character)
            case "H": hours = Int(number) ?? 0; number = ""
            case "M": minutes = Int(number) ?? 0; number = ""
            case "S": seconds = Double(number) ?? 0; number = ""
            default: number = ""
            }
        }
        let whole = Int(seconds.rounded())
        return String(format: "%02d:%02d", hours, minutes) + (whole == 0 ? "" : String(format: ":%02d", whole))
    }
}
