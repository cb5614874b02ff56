#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads delimited text (RFC 4180 and what spreadsheets really write) as a stream of flat records
/// keyed by the header row.
///
/// The delimiter (`,` `;` tab `|`) is detected from the header unless given. Quoted fields may
/// hold delimiters, doubled quotes and line breaks; CRLF, LF and CR all end a row. A row with fewer
/// fields than the header keeps what it has; extra fields are kept as `column_N` (N counted from
/// 1); each such row is a warning finding. A quoted field that never closes is fatal and names the
/// line where it opened: the rows before it have been delivered.
public final class CSVRecordReader: RecordReader {
    public struct Options: Sendable {
        /// The field delimiter, or nil to detect it from the header.
        public var delimiter: UInt8?
        /// A field longer than this is refused (it usually means a missing closing quote).
        public var maxFieldBytes: Int
        /// A header with no rows is a warning (an export that lost its data) unless empty
        /// tables are normal, as in a tabular package.
        public var warnsWhenEmpty = true

        public init(delimiter: UInt8? = nil, maxFieldBytes: Int = 64 << 20, warnsWhenEmpty: Bool = true) {
            self.delimiter = delimiter
            self.maxFieldBytes = maxFieldBytes
            self.warnsWhenEmpty = warnsWhenEmpty
        }
    }

    public var name: String { input.name }
    public var progress: (done: Int, total: Int?) { (input.source.bytesRead, input.source.size) }
    /// The header row, once read (`readHeader()` or the first `next()`).
    public private(set) var header: [String] = []
    /// The delimiter in use, once known.
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    private let input: TextInput
    private let options: Options
    private let source: String
    private let findings: FindingLog
    private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var position = 0
    private var line = 1
    private var eof = false
    private var headerRead = false
    private var skipLineFeed = false
    private var recordCount = 0
    private var reportedNoRecords = false
    /// The first line, gathered from several reads when they were small.
    private var firstLine: UnsafeMutableBufferPointer<UInt8>?
    private var pending: [UInt8] = []

    public init(input: TextInput, options: Options = Options(), source: String, findings: FindingLog) {
        self.input = input
        self.options = options
        self.source = source
        self.findings = findings
    }

    deinit { firstLine?.deallocate() }

    /// Reads the header row (once) and returns it; an empty file gives an empty header.
    @discardableResult
    public func readHeader() throws -> [String] {
        guard !headerRead else { return header }
        headerRead = true
        guard try loadFirstLine() else {
            findings.add(Finding(.error, rule: "csv.empty", message: "the file is empty: no header row, no records",
                                 hint: "check that the export finished and that the right file was sent", file: name, line: 1))
            return header
        }
        delimiter = options.delimiter ?? detectDelimiter()
        var row = RecordFields()
        guard try readRow(into: &row) != nil else { return header }
        header = Self.cleanHeader(row.values, file: name, findings: findings)
        return header
    }

    public func next() throws -> Record? {
        var row = RecordFields()
        guard let line = try nextRow(into: &row) else { return nil }
        return Record(value: .object(makeObject(row.values)),
                      provenance: Provenance(source: source, file: name, line: line, record: recordCount))
    }

    /// Reads the next row into `row` (each field's bytes as they are scanned), skipping blank
    /// lines and saying what a ragged row did; returns the row's line, or nil at the end. This is
    /// what `next()` reads with; a writer that needs no record (`JSONLinesRowWriter`) takes the
    /// fields straight from the reader's buffer.
    public func nextRow<Row: CSVRowSink & ~Copyable>(into row: inout Row) throws -> Int? {
        try readHeader()
        while true {
            row.startRow()
            guard let scanned = try readRow(into: &row) else {
                row.discardRow()
                break
            }
            if scanned.blank && header.count != 1 {  // a blank line
                row.discardRow()
                continue
            }
            recordCount += 1
            if scanned.fields != header.count { reportRagged(fields: scanned.fields, line: scanned.line) }
            row.endRow()
            return scanned.line
        }
        if recordCount == 0 && !header.isEmpty && !reportedNoRecords && options.warnsWhenEmpty {
            reportedNoRecords = true
            findings.add(Finding(.warning, rule: "csv.no-records", message: "the file has a header row but no records",
                                 hint: "check that the export included the data", file: name, line: 1))
        }
        return nil
    }

    /// The key of the field at `index`: its header name, else `column_N` (N counted from 1).
    public func key(at index: Int) -> String {
        index < header.count ? header[index] : "column_\(index + 1)"
    }

    private func makeObject(_ values: [String]) -> JSONObject {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(max(values.count, header.count))
        for (index, value) in values.enumerated() {
            members.append((key(at: index), .string(value)))
        }
        return JSONObject(members)
    }

    private func reportRagged(fields: Int, line: Int) {
        let message = fields < header.count
            ? "the row has \(fields) fields, the header has \(header.count); the missing fields are left empty"
            : "the row has \(fields) fields, the header has \(header.count); the extra \(fields - header.count == 1 ? "field is kept as column_\(fields)" : "fields are kept as column_\(header.count + 1)…column_\(fields)")"
        findings.add(Finding(.warning, rule: "csv.ragged-row", message: message,
                             hint: "a field holding the delimiter must be in double quotes", file: name, line: line, record: recordCount))
    }

    static func cleanHeader(_ raw: [String], file: String, findings: FindingLog) -> [String] {
        cleanHeader(raw) { index, name, renamed in
            findings.add(Finding(.warning, rule: "csv.duplicate-column", message: "column \"\(name)\" appears more than once; column \(index + 1) is read as \"\(renamed)\"",
                                 file: file, line: 1, field: name))
        }
    }

    /// Header names trimmed, an empty one named `column_N` (N from 1), a repeated one given
    /// `_2`, `_3`; `repeated` is told the column's index, its name and what it is read as. CSV
    /// files and workbooks' sheets name their columns alike.
    static func cleanHeader(_ raw: [String], repeated: (Int, String, String) -> Void) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for (index, rawName) in raw.enumerated() {
            var name = rawName.trimmingWhitespace()
            if name.isEmpty { name = "column_\(index + 1)" }
            if seen.contains(name) {
                var n = 2
                while seen.contains("\(name)_\(n)") { n += 1 }
                repeated(index, name, "\(name)_\(n)")
                name = "\(name)_\(n)"
            }
            seen.insert(name)
            names.append(name)
        }
        return names
    }

    // MARK: Scanning

    private func loadChunk() throws -> Bool {
        // At the end the chunk is empty, also when it was the header line read ahead (a file that
        // is one line without a line break was read again and again).
        guard !eof else {
            chunk = UnsafeBufferPointer(start: nil, count: 0)
            position = 0
            return false
        }
        guard let next = try input.nextChunk() else {
            eof = true
            chunk = UnsafeBufferPointer(start: nil, count: 0)
            position = 0
            return false
        }
        chunk = next
        position = 0
        return true
    }

    /// Makes the first chunk hold the whole header line (or 64 KiB of it), however small the
    /// reads are (a pipe may deliver a few bytes at a time): the delimiter is detected from it.
    private func loadFirstLine() throws -> Bool {
        guard try loadChunk() else { return false }
        func hasLineBreak(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.contains(0x0A) || bytes.contains(0x0D) }
        if hasLineBreak(chunk) { return true }
        var first = Array(chunk)
        while !hasLineBreak(chunk) && first.count < 64 * 1024, try loadChunk() {
            first.append(contentsOf: chunk)
        }
        firstLine = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: first.count)
        _ = firstLine!.initialize(from: first)
        chunk = UnsafeBufferPointer(firstLine!)
        position = 0
        return true
    }

    /// Counts candidate delimiters outside quotes on the first line; the most frequent wins.
    private func detectDelimiter() -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09, UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        for b in chunk {
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { break }
            if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        var best = 1  // comma when nothing else shows
        for k in counts.indices where counts[k] > counts[best] { best = k }
        return candidates[best]
    }

    private enum State { case fieldStart, unquoted, quoted, closingQuote }

    /// Reads one row, handing each field to `row`; nil at the end of the input. `blank`: the row
    /// is one empty field (a blank line).
    ///
    /// The cursor and line live in locals while scanning (stored properties of a class pay for
    /// exclusivity checks on every access) and are stored back whenever the row ends or a new
    /// chunk is loaded.
    private func readRow<Row: CSVRowSink & ~Copyable>(into row: inout Row) throws -> (fields: Int, line: Int, blank: Bool)? {
        var fields = 0
        /// Whether the one field so far was empty (for `blank`).
        var firstEmpty = false
        pending.removeAll(keepingCapacity: true)
        var state = State.fieldStart
        let rowLine = line
        var fieldLine = line
        var line = self.line
        let delimiter = self.delimiter
        let delimiters = SWAR.splat(delimiter)
        let lineFeeds = SWAR.splat(0x0A)
        let returns = SWAR.splat(0x0D)
        var base = chunk.baseAddress
        var count = chunk.count
        var position = self.position
        defer {
            self.position = position
            self.line = line
        }
        func emit(_ bytes: UnsafeBufferPointer<UInt8>) {
            if fields == 0 { firstEmpty = bytes.isEmpty }
            fields += 1
            row.field(bytes)
        }
        func emitPending() {
            pending.withUnsafeBufferPointer { emit($0) }
            pending.removeAll(keepingCapacity: true)
        }
        func scanned() -> (fields: Int, line: Int, blank: Bool) { (fields, rowLine, fields == 1 && firstEmpty) }
        /// Ends a field at a delimiter or line break; true when the row ended.
        func terminate(_ b: UInt8) -> Bool {
            guard b != delimiter else { return false }
            line += 1
            if b == 0x0D { skipLineFeed = true }
            return true
        }
        while true {
            if position == count {
                self.position = position
                guard try loadChunk() else {
                    position = 0  // the end: loadChunk left an empty chunk
                    switch state {
                    case .quoted:
                        throw CroceviaError.unreadableInput(
                            file: name, line: fieldLine,
                            message: "the quoted field that opens on line \(fieldLine) is never closed (the file ends inside it)",
                            hint: "look for a stray \" on that line; a quote inside a field is written twice (\"\")")
                    case .fieldStart:
                        if fields == 0 { return nil }
                        emit(UnsafeBufferPointer(start: nil, count: 0))
                    case .unquoted, .closingQuote:
                        emitPending()
                    }
                    return scanned()
                }
                base = chunk.baseAddress
                count = chunk.count
                position = 0
            }
            let p = base!
            if skipLineFeed {
                skipLineFeed = false
                if p[position] == 0x0A {
                    position += 1
                    continue
                }
            }
            switch state {
            case .fieldStart:
                if p[position] == 0x22 {
                    position += 1
                    fieldLine = line
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .unquoted:
                var i = position
                while i + 8 <= count {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    if SWAR.has(word, delimiters) || SWAR.has(word, lineFeeds) || SWAR.has(word, returns) { break }
                    i += 8
                }
                while i < count {
                    let b = p[i]
                    if b == delimiter || b == 0x0A || b == 0x0D { break }
                    i += 1
                }
                if i == count {
                    pending.append(contentsOf: UnsafeBufferPointer(start: p + position, count: i - position))
                    position = i
                    try checkFieldSize(fieldLine)
                    continue
                }
                if pending.isEmpty {
                    emit(UnsafeBufferPointer(start: p + position, count: i - position))
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(start: p + position, count: i - position))
                    emitPending()
                }
                position = i + 1
                if terminate(p[i]) { return scanned() }
                state = .fieldStart
            case .quoted:
                let from = p + position
                guard let hit = memchr(from, 0x22, count - position) else {
                    line += countNewlines(from, count - position)
                    pending.append(contentsOf: UnsafeBufferPointer(start: from, count: count - position))
                    position = count
                    try checkFieldSize(fieldLine)
                    continue
                }
                let q = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                line += countNewlines(from, q - position)
                if pending.isEmpty && q + 1 < count && p[q + 1] != 0x22 {
                    let after = p[q + 1]
                    if after == delimiter || after == 0x0A || after == 0x0D {
                        // The whole field sits in this chunk with no doubled quotes.
                        emit(UnsafeBufferPointer(start: from, count: q - position))
                        position = q + 2
                        if terminate(after) { return scanned() }
                        state = .fieldStart
                        continue
                    }
                }
                pending.append(contentsOf: UnsafeBufferPointer(start: from, count: q - position))
                try checkFieldSize(fieldLine)
                position = q + 1
                state = .closingQuote
            case .closingQuote:
                let b = p[position]
                if b == 0x22 {
                    pending.append(0x22)
                    position += 1
                    state = .quoted
                } else if b == delimiter || b == 0x0A || b == 0x0D {
                    emitPending()
                    position += 1
                    if terminate(b) { return scanned() }
                    state = .fieldStart
                } else {
                    findings.add(Finding(.warning, rule: "csv.text-after-quote",
                                         message: "text follows the closing quote of field \(fields + 1); it was kept as part of the field",
                                         hint: "a quote inside a field is written twice (\"\")", file: name, line: line, record: recordCount + 1))
                    state = .unquoted
                }
            }
        }
    }

    private func checkFieldSize(_ fieldLine: Int) throws {
        guard pending.count > options.maxFieldBytes else { return }
        throw CroceviaError.unreadableInput(
            file: name, line: fieldLine,
            message: "a field that starts on line \(fieldLine) is longer than \(options.maxFieldBytes >> 20) MiB",
            hint: "a quote that is never closed makes the rest of the file one field; otherwise raise --max-field-size")
    }

    private func countNewlines(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        SWAR.countLineFeeds(p, n)
    }
}

/// Receives the fields of CSV rows as the reader scans them. A field's bytes (UTF-8, quotes
/// resolved) are valid only during the call. Each `startRow` is followed by the row's fields and
/// `endRow`, or by `discardRow` (a blank line, the end of the input) with or without fields.
public protocol CSVRowSink: ~Copyable {
    mutating func startRow()
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>)
    /// The row was a blank line: forget its field.
    mutating func discardRow()
    mutating func endRow()
}

extension CSVRowSink where Self: ~Copyable {
    public mutating func startRow() {}
    public mutating func discardRow() {}
    public mutating func endRow() {}
}

/// A row's fields as strings, for the record `next()` makes.
struct RecordFields: CSVRowSink {
    var values: [String] = []

    mutating func startRow() { values.removeAll(keepingCapacity: true) }
    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>) { values.append(String(decoding: bytes, as: UTF8.self)) }
}
