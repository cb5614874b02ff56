/// Small CSV texts written whole (reports' tables, findings, corrections): a field quoted when it
/// holds a comma, a quote or a line end, quotes doubled.
enum CSVText {
    static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// One row, its fields joined by commas, with its line end.
    static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\n"
    }
}
