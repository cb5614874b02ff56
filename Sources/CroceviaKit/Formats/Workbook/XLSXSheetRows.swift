/// The rows of one xlsx sheet, read from its XML as it is inflated: `<row r="14">` holding
/// `<c r="D14" t="s" s="3"><v>…</v></c>` cells. A cell's type says how to read its value: a
/// shared string's index (`s`), an inline string (`inlineStr`, `<is>`), a formula's text result
/// (`str`), a truth value (`b`), an error (`e`), else a number, given as the text the file
/// stores unless its style is a date or a time.
final class XLSXSheetRows: SheetRows {
    private let workbook: XLSXWorkbook
    private let reader: PartReader
    private var lastRow = 0
    private var inData = false
    /// Formula errors (`#N/A`) met, by cell, for the record reader to report.
    private(set) var errors: [(cell: String, value: String)] = []

    var progress: (done: Int, total: Int?) { reader.progress }

    init(workbook: XLSXWorkbook, reader: PartReader) {
        self.workbook = workbook
        self.reader = reader
    }

    func next() throws -> SheetRow? {
        while let node = try reader.next() {
            guard node == .start else {
                if node == .end && reader.name == "sheetData" { return nil }
                continue
            }
            let name = reader.name
            if name == "sheetData" {
                inData = true
                if reader.isEmptyElement { return nil }
                continue
            }
            guard inData, name == "row" else { continue }
            let number = reader.attribute("r").flatMap { Int($0) } ?? lastRow + 1
            lastRow = number
            var row = SheetRow(number: number, cells: [])
            if reader.isEmptyElement { return row }
            try readCells(into: &row)
            return row
        }
        return nil
    }

    private func readCells(into row: inout SheetRow) throws {
        var nextColumn = 0
        while let node = try reader.next() {
            if node == .end {
                if reader.name == "row" { return }
                continue
            }
            guard node == .start, reader.name == "c" else { continue }
            let reference = reader.attribute("r").flatMap(CellReference.parse)
            let column = reference?.column ?? nextColumn
            nextColumn = column + 1
            let type = reader.attribute("t") ?? "n"
            let style = reader.attribute("s").flatMap { Int($0) } ?? 0
            guard !reader.isEmptyElement else { continue }
            // The cell's value: its <v>, or an inline string's <is>; a formula's <f> is left.
            var value: String?
            let depth = reader.depth
            while let inner = try reader.next() {
                if inner == .end {
                    if reader.depth == depth { break }
                    continue
                }
                guard inner == .start else { continue }
                switch reader.name {
                case "v": value = try reader.elementText()
                case "is": value = try reader.elementText(skipping: ["rPh", "phoneticPr"])
                default: break
                }
            }
            guard let value, column < CellReference.maximumColumns else { continue }
            switch type {
            case "s":
                guard let index = Int(value), index >= 0, index < workbook.strings.count else {
                    throw workbook.archive.damaged("cell \(CellReference.letters(column))\(row.number) names shared string \(value), which the workbook does not have")
                }
                row.cells.append(SheetRow.Cell(column: column, text: workbook.strings[index], isText: true))
            case "d":  // an ISO date, as strict Office Open XML writes one
                row.cells.append(SheetRow.Cell(column: column, text: value, isText: false))
            case "inlineStr", "str":
                row.cells.append(SheetRow.Cell(column: column, text: value, isText: true))
            case "b":
                row.cells.append(SheetRow.Cell(column: column, text: value == "1" ? "true" : "false", isText: false))
            case "e":
                errors.append(("\(CellReference.letters(column))\(row.number)", value))
                row.cells.append(SheetRow.Cell(column: column, text: value, isText: false))
            default:
                let kind = style < workbook.dateStyles.count ? workbook.dateStyles[style] : .none
                if kind != .none, let serial = Double(value),
                   let date = CellReference.isoDate(serial: serial, date1904: workbook.date1904, timeOnly: kind == .time) {
                    row.cells.append(SheetRow.Cell(column: column, text: date, isText: false))
                } else {
                    row.cells.append(SheetRow.Cell(column: column, text: value, isText: false))
                }
            }
        }
    }

    /// Takes the formula errors met since the last call.
    func takeErrors() -> [(cell: String, value: String)] {
        defer { errors.removeAll() }
        return errors
    }
}
