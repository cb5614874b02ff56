import Foundation

/// What the onboarding page tells a partner about a file they uploaded: a profile suggested from
/// it, the file checked through that profile (the same bilingual report as `validate --html`,
/// grouped by column, with `sheet!cell` places), and the findings as CSV. Nothing is imported:
/// a coordinator does that once the profile is right. Knows nothing of HTTP.
public struct UploadReport: Sendable {
    public let records: Int
    public let invalid: Int
    public let errors: Int
    public let warnings: Int
    /// The profile the file was read through, as YAML: the partner's stored one, else one suggested.
    public let profile: String
    /// Whether `profile` is the partner's stored profile (not a suggestion).
    public let storedProfile: Bool
    /// The validation report, a whole HTML page.
    public let html: String
    /// The findings, one per row: cell (or line), column, severity, rule, message, value.
    public let findingsCSV: String
    /// For a workbook: its sheet given back (the values as read, in their cells) with a note on
    /// each cell a finding names, the cell filled yellow.
    public let annotated: [UInt8]?

    /// Reads `file` (its format told by its content) through `profile` (the partner's stored one,
    /// YAML) or, without one, a profile suggested from the file, and checks it. Reading stops
    /// after `timeLimit` seconds, said as an error finding. `shownAs` is the name the partner gave
    /// the file, for the report; the file's own path never appears in what is returned.
    public static func make(file: String, shownAs: String, partner: String, language: HTMLReport.Language, profile stored: String? = nil,
                            timeLimit: Double? = nil) throws -> UploadReport {
        // The limit counts from here: the suggestion's time too.
        var reading = ReaderOptions()
        reading.deadline = timeLimit.map(Deadline.init(seconds:))
        let yaml = try stored ?? ProfileSuggestion.suggest(file: file, from: nil, encoding: nil, options: ReaderOptions(), sample: 200, source: partner).yaml
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let profilePath = folder.appendingPathComponent("profile.yaml").path
        try yaml.write(toFile: profilePath, atomically: true, encoding: .utf8)
        let findings = FindingLog()
        var options = ValidateOptions(inputs: [file], target: .profile(path: profilePath))
        options.reader = reading
        let summary = try Validation(options: options, findings: findings).run()
        let profileName = stored != nil ? (language == .it ? "profilo del partner" : "the partner's profile")
            : (language == .it ? "profilo suggerito" : "suggested profile")
        let html = HTMLReport.html(summary: summary, findings: findings, inputs: [shownAs], schema: profileName, language: language)
        var csv = ByteBuffer()
        csv.append("cell,line,column,severity,rule,message,value\n")
        for finding in findings.findings {
            let cells = [finding.cell ?? "", finding.line.map(String.init) ?? "", finding.field ?? "", finding.severity.rawValue, finding.rule,
                         finding.message, finding.value ?? ""]
            csv.append(CSVText.line(cells))
        }
        // The upload's path is the server's business: the partner's own name for it instead.
        let hide = { (text: String) in text.replacingOccurrences(of: file, with: shownAs).replacingOccurrences(of: profilePath, with: "profile.yaml") }
        let annotated = Format.sheetFormat(of: file).flatMap {
            $0.isWorkbook ? try? annotatedSheet(file, format: $0, findings: findings.findings, language: language, rows: summary.records) : nil
        }
        return UploadReport(records: summary.records, invalid: summary.invalidRecords, errors: findings.errorCount, warnings: findings.warningCount,
                            profile: yaml.replacingOccurrences(of: file, with: shownAs), storedProfile: stored != nil, html: hide(html),
                            findingsCSV: hide(csv.string), annotated: annotated)
    }

    /// The sheet the report read, rebuilt from its records (each value in its own cell, the
    /// header in its row), with the findings as notes on the cells they name (a finding about
    /// a whole row goes on its first cell). Only the `rows` records the check read (within its
    /// time limit) are read again.
    static func annotatedSheet(_ file: String, format: Format, findings: [Finding], language: HTMLReport.Language, rows limit: Int) throws -> [UInt8]? {
        let reader = try format.makeReader(path: file, source: "upload", findings: FindingLog())
        var cells: [Int: [Int: String]] = [:]
        var sheet: SheetPlace?
        var read = 0
        while read < limit, let record = try reader.next() {
            read += 1
            guard let place = record.provenance.sheet, let object = record.value.objectValue else { continue }
            if sheet == nil {
                sheet = place
                for (key, column) in place.columns { cells[place.headerRow, default: [:]][column] = key }
            }
            for (key, value) in object.members {
                if let column = place.columns[key] { cells[record.provenance.line, default: [:]][column] = value.cellText }
            }
        }
        guard let sheet, let last = cells.keys.max() else { return nil }
        var notes: [String: String] = [:]
        for finding in findings {
            guard let cell = finding.cell, let bang = cell.lastIndex(of: "!") else { continue }
            let reference = String(cell[cell.index(after: bang)...])
            let place = reference.contains(":") ? "A" + (reference.split(separator: ":").first.map(String.init) ?? "") : reference
            guard CellReference.parse(place)?.row != nil else { continue }
            let severity = finding.severity == .error ? (language == .it ? "Errore" : "Error") : (language == .it ? "Avviso" : "Warning")
            let note = "\(severity): \(finding.message)" + (finding.hint.map { " (\($0))" } ?? "")
            notes[place] = notes[place].map { $0 + "\n" + note } ?? note
        }
        let width = (cells.values.flatMap(\.keys).max() ?? 0) + 1
        let rows = (1...last).map { number in (0..<width).map { cells[number]?[$0] ?? "" } }
        var out = XLSXWriter.Sheet(name: sheet.plainName, rows: rows, widths: Array(repeating: 18, count: width))
        out.headerRow = sheet.headerRow
        out.comments = notes
        return XLSXWriter.workbook([out])
    }
}
