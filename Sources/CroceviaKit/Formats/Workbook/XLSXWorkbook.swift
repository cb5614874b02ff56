/// An Office Open XML workbook (`.xlsx`, from Excel or LibreOffice): its sheets by name, its
/// shared strings, and which cell styles are dates, read from the parts its relationships name.
/// Each sheet's rows are then read as a stream (`XLSXSheetRows`).
final class XLSXWorkbook: Workbook {
    let archive: ZipArchive
    let sheetNames: [String]
    private let sheetParts: [ZipArchive.Member]
    private let findings: FindingLog
    /// Shared strings, by index.
    private(set) var strings = SharedStrings()
    /// For each cell style (`s`), whether its number format is a date, a time, or neither.
    private(set) var dateStyles: [DateStyle] = []
    private(set) var date1904 = false

    enum DateStyle {
        case none, date, time
    }

    /// The longest shared-string table read: beyond it the workbook is refused (memory stays flat).
    static let maximumStringBytes = 128 << 20

    init(archive: ZipArchive, findings: FindingLog) throws {
        self.archive = archive
        self.findings = findings
        let relations = try Self.relations(archive, "_rels/.rels", base: "")
        let workbookPart = relations.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbook = archive.member(workbookPart) else {
            throw CroceviaError.unreadableInput(file: archive.file, line: nil, message: "this ZIP archive is not an Excel workbook: it has no \(workbookPart)",
                                                hint: "save the file from Excel or LibreOffice as .xlsx (Office Open XML)")
        }
        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let workbookRelations = try Self.relations(archive, (folder.isEmpty ? "" : folder + "/") + "_rels/" + workbookPart.split(separator: "/").last! + ".rels", base: folder)
        var names: [String] = [], parts: [ZipArchive.Member] = []
        let reader = try PartReader(archive: archive, member: workbook, findings: findings)
        while let node = try reader.next() {
            guard node == .start else { continue }
            switch reader.name {
            case "workbookPr":
                date1904 = ["1", "true"].contains(reader.attribute("date1904") ?? "")
            case "sheet":
                guard let name = reader.attribute("name"), let id = reader.attribute("id"),
                      let target = workbookRelations.first(where: { $0.id == id })?.target else { continue }
                guard let member = archive.member(target) else {
                    throw archive.damaged("sheet \(name) should be in \(target), which the archive does not hold")
                }
                names.append(name)
                parts.append(member)
            default:
                break
            }
        }
        sheetNames = names
        sheetParts = parts
        if let styles = workbookRelations.first(where: { $0.type.hasSuffix("/styles") }), let member = archive.member(styles.target) {
            dateStyles = try Self.dateStyles(PartReader(archive: archive, member: member, findings: findings))
        }
        if let shared = workbookRelations.first(where: { $0.type.hasSuffix("/sharedStrings") }), let member = archive.member(shared.target) {
            strings = try readStrings(member)
        }
    }

    func rows(ofSheet index: Int) throws -> SheetRows {
        try XLSXSheetRows(workbook: self, reader: PartReader(archive: archive, member: sheetParts[index], findings: findings))
    }

    /// The merged ranges of a sheet (`<mergeCell ref="A1:C1"/>`), which the sheet lists after its
    /// rows: found by a pass over its bytes that only looks for them.
    func merges(ofSheet index: Int) throws -> [(first: (column: Int, row: Int), last: (column: Int, row: Int))] {
        try archive.tags(in: sheetParts[index], starting: "<mergeCell ").compactMap { tag in
            let ends = (tag.attribute("ref") ?? "").split(separator: ":").map { CellReference.parse(String($0)) }
            guard ends.count == 2, let first = ends[0], let last = ends[1], let top = first.row, let bottom = last.row else { return nil }
            return ((first.column, top), (last.column, bottom))
        }
    }

    // MARK: The parts

    private struct Relation {
        let id: String
        let type: String
        let target: String
    }

    /// A relationships part; targets resolved against `base` (the folder of the part they are of).
    private static func relations(_ archive: ZipArchive, _ part: String, base: String) throws -> [Relation] {
        guard let member = archive.member(part) else { return [] }
        let reader = try PartReader(archive: archive, member: member, findings: FindingLog())
        var found: [Relation] = []
        while let node = try reader.next() {
            guard node == .start, reader.name == "Relationship", let id = reader.attribute("Id"), let target = reader.attribute("Target") else { continue }
            var path = target.hasPrefix("/") ? String(target.dropFirst()) : (base.isEmpty ? target : base + "/" + target)
            // `../` in a target climbs out of the base folder.
            var parts: [Substring] = []
            for piece in path.split(separator: "/") {
                if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
            }
            path = parts.joined(separator: "/")
            found.append(Relation(id: id, type: reader.attribute("Type") ?? "", target: path))
        }
        return found
    }

    /// Which cell styles show a date or a time: Excel's built-in date formats (14–22, 45–47)
    /// and the workbook's own formats whose code has day, month, year or hour letters outside
    /// quotes and brackets.
    private static func dateStyles(_ reader: PartReader) throws -> [DateStyle] {
        var custom: [Int: DateStyle] = [:]
        var styles: [DateStyle] = []
        var inCellFormats = false
        while let node = try reader.next() {
            switch node {
            case .start:
                switch reader.name {
                case "numFmt":
                    if let id = reader.attribute("numFmtId").flatMap({ Int($0) }), let code = reader.attribute("formatCode") { custom[id] = kind(ofCode: code) }
                case "cellXfs":
                    inCellFormats = !reader.isEmptyElement
                case "xf" where inCellFormats:
                    let id = reader.attribute("numFmtId").flatMap { Int($0) } ?? 0
                    styles.append(custom[id] ?? builtIn(id))
                default:
                    break
                }
            case .end:
                if reader.name == "cellXfs" { inCellFormats = false }
            default:
                break
            }
        }
        return styles
    }

    private static func builtIn(_ id: Int) -> DateStyle {
        switch id {
        case 14...17, 22, 27...36, 50...58: return .date
        case 18...21, 45...47: return .time
        default: return .none
        }
    }

    /// A number format's code read for date and time letters (`dd/mm/yyyy`, `[h]:mm`, `hh:mm`);
    /// `[Red]`, `"text"` and `\x` are left out.
    static func kind(ofCode code: String) -> DateStyle {
        var quoted = false, escaped = false, bracket = ""
        var letters: Set<Character> = []
        for character in code.lowercased() {
            if escaped {
                escaped = false
            } else if quoted {
                if character == "\"" { quoted = false }
            } else if !bracket.isEmpty {
                if character == "]" {
                    // `[h]`, `[mm]`, `[ss]`: elapsed time; `[Red]`, `[$-410]`: not a date.
                    if bracket.count > 1, bracket.dropFirst().allSatisfy({ "hms".contains($0) }) { letters.insert("h") }
                    bracket = ""
                } else {
                    bracket.append(character)
                }
            } else {
                switch character {
                case "\\", "_", "*": escaped = true
                case "\"": quoted = true
                case "[": bracket = "["
                default: letters.insert(character)
                }
            }
        }
        if letters.contains("d") || letters.contains("y") { return .date }
        if letters.contains("h") || letters.contains("s") { return .time }
        return letters.contains("m") ? .date : .none
    }

    /// The shared strings: each `<si>`'s text, its rich-text runs joined, phonetic runs left out.
    private func readStrings(_ member: ZipArchive.Member) throws -> SharedStrings {
        let reader = try PartReader(archive: archive, member: member, findings: findings)
        var strings = SharedStrings()
        while let node = try reader.next() {
            guard node == .start, reader.name == "si" else { continue }
            strings.append(try reader.elementText(skipping: ["rPh", "phoneticPr"]))
            guard strings.byteCount <= Self.maximumStringBytes else {
                throw CroceviaError.unreadableInput(file: archive.file, line: nil,
                                                    message: "the workbook's shared strings exceed \(Self.maximumStringBytes >> 20) MiB of text (a workbook built to exhaust memory?)",
                                                    hint: "save each sheet as CSV and send those")
            }
        }
        return strings
    }
}

/// A workbook's shared strings in one buffer, each found by where it ends: a sheet of a million
/// cells holds as many strings, and a `String` each would cost several times their text.
struct SharedStrings {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    var count: Int { ends.count }
    var byteCount: Int { bytes.count }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        ends.append(UInt32(bytes.count))
    }

    subscript(index: Int) -> String {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<Int(ends[index])]), as: UTF8.self) }
    }
}

/// What the record reader asks of a workbook, whatever its kind.
protocol Workbook: AnyObject {
    var sheetNames: [String] { get }
    func rows(ofSheet index: Int) throws -> SheetRows
    /// Merged ranges not given in the rows themselves (xlsx lists them after its rows).
    func merges(ofSheet index: Int) throws -> [(first: (column: Int, row: Int), last: (column: Int, row: Int))]
}
