/// Reads JSON and JSON Lines as a stream of records, without loading the input whole.
///
/// - `json`: a top-level array is streamed element by element; any other document, or several
///   documents one after another, gives one record per top-level value. A syntax error is fatal
///   (there is no safe place to resume) and names its line.
/// - `jsonl`: one value per line; a line that is not JSON becomes an error finding and reading
///   goes on with the next line.
///
/// Nesting deeper than `maxDepth` is refused rather than risking the stack.
public final class JSONRecordReader: RecordReader {
    public enum Mode: Sendable { case json, jsonl }

    public var name: String { input.name }
    public var progress: (done: Int, total: Int?) { (input.source.bytesRead, input.source.size) }
    private let input: TextInput
    private let mode: Mode
    private let source: String
    private let findings: FindingLog
    private let maxDepth: Int

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var line = 1
    private var eof = false
    private var recordCount = 0
    private enum State { case topLevel, arrayFirst, arrayNext, afterArray }
    private var state = State.topLevel
    private var sawValue = false
    private var arrayLine = 0

    public init(input: TextInput, mode: Mode, source: String, findings: FindingLog, maxDepth: Int = 512) {
        self.input = input
        self.mode = mode
        self.source = source
        self.findings = findings
        self.maxDepth = maxDepth
        capacity = 512 * 1024
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    public func next() throws -> Record? {
        while true {
            guard let b = try peekNonWhitespace() else {
                if state == .arrayFirst || state == .arrayNext {
                    throw fatal("the array that opens on line \(arrayLine) is not closed before the end of the file", line: line)
                }
                if !sawValue && recordCount == 0 && mode == .json {
                    findings.add(Finding(.error, rule: "json.empty", message: "the file holds no JSON value", file: name, line: line))
                }
                return nil
            }
            switch state {
            case .topLevel:
                if mode == .json && !sawValue && b == UInt8(ascii: "[") {
                    sawValue = true
                    arrayLine = line
                    start += 1
                    state = .arrayFirst
                    continue
                }
                sawValue = true
                if let record = try parseRecord() { return record }
            case .arrayFirst:
                if b == UInt8(ascii: "]") {
                    start += 1
                    state = .afterArray
                    continue
                }
                state = .arrayNext
                if let record = try parseRecord() { return record }
            case .arrayNext:
                start += 1
                if b == UInt8(ascii: "]") {
                    state = .afterArray
                    continue
                }
                guard b == UInt8(ascii: ",") else {
                    throw fatal("expected ',' or ']' after an element of the array, found \(JSONParser.describe(b))", line: line)
                }
                if let record = try parseRecord() { return record }
            case .afterArray:
                throw fatal("unexpected \(JSONParser.describe(b)) after the end of the top-level array", line: line)
            }
        }
    }

    /// Parses one value at `start`; nil when a JSON Lines line was skipped as a finding.
    private func parseRecord() throws -> Record? {
        while true {
            var parser = JSONParser(base: buffer, end: end, position: start, line: line, maxDepth: maxDepth)
            let valueLine: Int
            do {
                _ = parser.skipWhitespace()
                valueLine = parser.line
                let value = try parser.parseValue()
                start = parser.position
                line = parser.line
                recordCount += 1
                return Record(value: value, provenance: Provenance(source: source, file: name, line: valueLine, record: recordCount))
            } catch .needMore {
                if eof {
                    if mode == .jsonl { return try skipBadLine("the line ends in the middle of a JSON value", errorLine: parser.line) }
                    throw fatal("the file ends in the middle of a JSON value that starts on line \(line)", line: parser.line)
                }
                try fill(grow: true)
            } catch .tooDeep {
                let message = "JSON nested deeper than \(maxDepth) levels"
                if mode == .jsonl { return try skipBadLine(message, errorLine: parser.line) }
                throw fatal(message, line: parser.line)
            } catch .syntax(let message) {
                if mode == .jsonl { return try skipBadLine(message, errorLine: parser.line) }
                throw fatal(message, line: parser.line, column: column(at: parser.position))
            }
        }
    }

    /// JSON Lines: reports the bad line and moves past it.
    private func skipBadLine(_ message: String, errorLine: Int) throws -> Record? {
        recordCount += 1
        findings.add(Finding(
            .error, rule: "json.syntax", message: "line is not valid JSON: \(message); the line was skipped",
            hint: "each line of a JSON Lines file must hold one complete JSON value", file: name, line: line, record: recordCount))
        while true {
            while start < end {
                let b = buffer[start]
                start += 1
                if b == 0x0A {
                    line += 1
                    return nil
                }
            }
            if eof { return nil }
            try fill(grow: false)
        }
    }

    private func peekNonWhitespace() throws -> UInt8? {
        while true {
            while start < end {
                let b = buffer[start]
                switch b {
                case 0x20, 0x09, 0x0D: start += 1
                case 0x0A: start += 1; line += 1
                default: return b
                }
            }
            if eof { return nil }
            try fill(grow: false)
        }
    }

    /// Reads more input after the unread bytes. With `grow`, the buffered text at least doubles,
    /// so a value larger than a chunk is re-parsed only a logarithmic number of times.
    private func fill(grow: Bool) throws {
        let unread = end - start
        if start > 0 {
            if unread > 0 { buffer.update(from: buffer + start, count: unread) }
            start = 0
            end = unread
        }
        let target = grow ? max(unread * 2, unread + 64 * 1024) : unread + 1
        while end < target {
            guard let chunk = try input.nextChunk() else {
                eof = true
                // A final newline lets a number at the very end finish parsing.
                ensureCapacity(end + 1)
                buffer[end] = 0x0A
                end += 1
                return
            }
            ensureCapacity(end + chunk.count)
            (buffer + end).update(from: chunk.baseAddress!, count: chunk.count)
            end += chunk.count
        }
    }

    private func ensureCapacity(_ needed: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBuffer.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    private func column(at position: Int) -> Int? {
        var k = min(position, end) - 1
        while k >= 0 {
            if buffer[k] == 0x0A { return String(decoding: UnsafeBufferPointer(start: buffer + k + 1, count: position - k - 1), as: UTF8.self).count + 1 }
            k -= 1
        }
        return nil
    }

    private func fatal(_ message: String, line: Int, column: Int? = nil) -> CroceviaError {
        .unreadableInput(file: name, line: line, message: "not valid JSON: " + message + (column.map { " (column \($0))" } ?? ""), hint: nil)
    }
}
