/// Writes CSV rows as JSON Lines straight from the CSV reader's bytes: the line `JSONRecordWriter`
/// writes for the record `CSVRecordReader.next()` would make (members in column order, each value
/// a string), without making the record. A plain CSV → JSON Lines conversion spends its time
/// here; the general path gives the same bytes (`CSVRowsTests` holds them to it).
struct JSONLinesRowWriter: CSVRowSink, ~Copyable {
    private let sink: OutputSink
    private var buffer = ByteBuffer(capacity: OutputSink.flushThreshold + (1 << 16))
    /// `"name":` for each column seen so far, encoded once, one after another; `keyEnds[n]` is
    /// where column n's ends.
    private var keys = ByteBuffer()
    private var keyEnds: [Int] = []
    /// Names the columns (`CSVRecordReader.key(at:)`); set for each input, whose header it reads.
    private var keyOf: (Int) -> String = { "column_\($0 + 1)" }
    /// Where the row being written starts, until it ends.
    private var rowStart: Int?
    private var column = 0

    init(sink: OutputSink) {
        self.sink = sink
    }

    /// Starts an input: its columns are named by `key`.
    mutating func start(columns key: @escaping (Int) -> String) {
        keyOf = key
        keys.removeAll()
        keyEnds.removeAll()
    }

    mutating func startRow() {
        rowStart = buffer.count
        column = 0
        buffer.append(UInt8(ascii: "{"))
    }

    mutating func field(_ bytes: UnsafeBufferPointer<UInt8>) {
        if column > 0 { buffer.append(UInt8(ascii: ",")) }
        if column == keyEnds.count {
            JSONText.writeString(keyOf(column), to: &keys)
            keys.append(UInt8(ascii: ":"))
            keyEnds.append(keys.count)
        }
        let start = column == 0 ? 0 : keyEnds[column - 1]
        let end = keyEnds[column]
        keys.withBytes { buffer.append(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        JSONText.writeString(utf8: bytes, to: &buffer)
        column += 1
    }

    /// Forgets the row being written, if one is (a blank line, or a row the input broke off).
    mutating func discardRow() {
        if let rowStart { buffer.truncate(to: rowStart) }
        rowStart = nil
    }

    mutating func endRow() {
        buffer.append(UInt8(ascii: "}"))
        buffer.append(0x0A)
        rowStart = nil
    }

    /// Hands the buffer to the sink once it holds enough.
    mutating func flushIfFull() throws {
        if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
    }

    /// Writes what is left; `commit()` then moves the output into place.
    mutating func finish() throws {
        try sink.write(&buffer)
    }

    func commit() throws {
        try sink.commit()
    }
}
