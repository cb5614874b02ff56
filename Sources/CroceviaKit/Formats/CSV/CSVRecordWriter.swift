/// Writes records as CSV (RFC 4180, LF line ends): a header row, then one row per record.
///
/// The columns are those given, or else the keys of the first record. A later record with keys
/// outside the header cannot be written without losing them, so each such record is an error
/// finding that names the keys. Arrays and objects are written as compact JSON in their cell.
public final class CSVRecordWriter: RecordWriter {
    private let sink: OutputSink
    private let delimiter: UInt8
    private let findings: FindingLog
    private var columns: [String]?
    private let columnsGiven: [String]?
    private var buffer = ByteBuffer(capacity: OutputSink.flushThreshold + (1 << 16))

    public init(sink: OutputSink, delimiter: UInt8 = UInt8(ascii: ","), columns: [String]? = nil, findings: FindingLog) {
        self.sink = sink
        self.delimiter = delimiter
        self.columnsGiven = columns
        self.findings = findings
    }

    public func write(_ record: Record) throws {
        let object: JSONObject
        if case .object(let o) = record.value {
            object = o
        } else {
            object = JSONObject([("value", record.value)])
        }
        if columns == nil {
            columns = columnsGiven ?? object.keys
            writeRow(columns!)
        }
        let header = columns!
        var cells: [String] = []
        cells.reserveCapacity(header.count)
        var matched = 0
        for (index, column) in header.enumerated() {
            // Records usually carry the header's keys in the header's order: try that first.
            let value: JSONValue?
            if index < object.members.count && object.members[index].key == column {
                value = object.members[index].value
            } else {
                value = object[column]
            }
            if value != nil { matched += 1 }
            cells.append(value?.cellText ?? "")
        }
        if matched < object.count {
            let extra = object.keys.filter { !header.contains($0) }
            findings.add(Finding(
                .error, rule: "csv.extra-keys",
                message: "the record has keys that are not columns of the output: \(extra.joined(separator: ", ")); their values were not written",
                hint: "name every column with --columns", file: record.provenance.file, line: record.provenance.line, record: record.provenance.record))
        }
        writeRow(cells)
        if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
    }

    /// Writes the header alone when no record came and columns were given.
    public func finish() throws {
        if columns == nil, let given = columnsGiven {
            columns = given
            writeRow(given)
        }
        try sink.write(&buffer)
    }

    private func writeRow(_ cells: [String]) {
        Self.appendRow(cells, delimiter: delimiter, to: &buffer)
    }

    /// One CSV row (RFC 4180: a cell with the delimiter, a quote or a line break is quoted, its
    /// quotes doubled), ended with a line feed. Also used for the deduplicator's CSV files.
    static func appendRow(_ cells: [String], delimiter: UInt8, to buffer: inout ByteBuffer) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { buffer.append(delimiter) }
            appendCell(cell, delimiter: delimiter, to: &buffer)
        }
        buffer.append(0x0A)
    }

    private static func appendCell(_ cell: String, delimiter: UInt8, to buffer: inout ByteBuffer) {
        var cell = cell
        cell.withUTF8 { utf8 in
            var needsQuotes = false
            for b in utf8 where b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D {
                needsQuotes = true
                break
            }
            guard needsQuotes else {
                buffer.append(utf8)
                return
            }
            buffer.append(0x22)
            var runStart = 0
            for (i, b) in utf8.enumerated() where b == 0x22 {
                buffer.append(UnsafeBufferPointer(rebasing: utf8[runStart...i]))
                buffer.append(0x22)
                runStart = i + 1
            }
            buffer.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
            buffer.append(0x22)
        }
    }

    public func commit() throws {
        try sink.commit()
    }
}
