/// Writes records as JSON Lines (one compact value per line) or as one JSON array.
public final class JSONRecordWriter: RecordWriter {
    public enum Mode: Sendable { case json, jsonl }

    private let sink: OutputSink
    private let mode: Mode
    private let pretty: Bool
    private let includeProvenance: Bool
    private var count = 0
    private var buffer = ByteBuffer(capacity: OutputSink.flushThreshold + (1 << 16))

    /// - Parameter includeProvenance: adds a `_provenance` member (source, file, line, record,
    ///   key) to each object record.
    public init(sink: OutputSink, mode: Mode, pretty: Bool = false, includeProvenance: Bool = false) {
        self.sink = sink
        self.mode = mode
        self.pretty = pretty
        self.includeProvenance = includeProvenance
    }

    public func write(_ record: Record) throws {
        var value = record.value
        if includeProvenance, case .object(var object) = value {
            object["_provenance"] = record.provenance.jsonValue
            value = .object(object)
        }
        switch mode {
        case .jsonl:
            JSONText.write(value, to: &buffer, pretty: false)
            buffer.append(0x0A)
        case .json:
            buffer.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            if pretty {
                buffer.append("\n  ")
                JSONText.write(value, to: &buffer, pretty: true, indent: 1)
            } else {
                JSONText.write(value, to: &buffer, pretty: false)
            }
        }
        count += 1
        if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
    }

    public func finish() throws {
        if mode == .json {
            if count == 0 { buffer.append("[") }
            buffer.append(pretty && count > 0 ? "\n]\n" : "]\n")
        }
        try sink.write(&buffer)
    }

    public func commit() throws {
        try sink.commit()
    }
}
