/// Reads JSON and JSON Lines as a stream of records, without loading the input whole.
///
/// - `json`: a top-level array is streamed element by element, or the array at `recordsPath`
///   inside the document (`{"servizi": [...]}`), its other members read and set aside; any other
///   document, or several documents one after another, gives one record per top-level value. A syntax error is fatal
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

    /// JSON: the member path to the array of records inside the document (`servizi`,
    /// `data.items`); empty for a top-level array or bare values.
    private let recordsPath: [String]

    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var line = 1
    private var eof = false
    private var recordCount = 0
    private enum State {
        case topLevel
        /// Expecting the object that holds member `recordsPath[level]`.
        case enterObject(level: Int)
        /// Inside that object, looking for the member.
        case seekMember(level: Int, first: Bool)
        case arrayFirst, arrayNext
        /// After the records array: the rest of the enclosing objects, `levels` of them.
        case closeObjects(levels: Int)
        case afterArray
    }
    private var state = State.topLevel
    private var sawValue = false
    private var arrayLine = 0

    /// Whether records over several lines say where their members start (`Provenance.places`).
    public var places = false

    public init(input: TextInput, mode: Mode, source: String, findings: FindingLog, recordsPath: [String] = [], maxDepth: Int = 512) {
        self.input = input
        self.mode = mode
        self.source = source
        self.findings = findings
        self.recordsPath = mode == .json ? recordsPath : []
        self.maxDepth = maxDepth
        capacity = 512 * 1024
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    public func next() throws -> Record? {
        while true {
            guard let b = try peekNonWhitespace() else {
                switch state {
                case .arrayFirst, .arrayNext:
                    throw fatal("the array that opens on line \(arrayLine) is not closed before the end of the file", line: line)
                case .enterObject, .seekMember, .closeObjects:
                    if !sawValue { return emptyFile() }
                    throw fatal("the file ends inside the document", line: line)
                case .topLevel, .afterArray:
                    if !sawValue { return emptyFile() }
                    return nil
                }
            }
            sawValue = true
            switch state {
            case .topLevel:
                if mode == .json && recordCount == 0 && b == UInt8(ascii: "[") && recordsPath.isEmpty {
                    openArray()
                    continue
                }
                if !recordsPath.isEmpty {
                    state = .enterObject(level: 0)
                    continue
                }
                if let record = try parseRecord() { return record }
            case .enterObject(let level):
                guard b == UInt8(ascii: "{") else {
                    throw fatal("expected an object holding \"\(recordsPath[level])\" (the records path \(recordsPath.joined(separator: "."))), found \(JSONParser.describe(b))", line: line)
                }
                start += 1
                state = .seekMember(level: level, first: true)
            case .seekMember(let level, let first):
                if b == UInt8(ascii: "}") {
                    throw fatal("the document has no member \"\(recordsPath[level])\" (the records path \(recordsPath.joined(separator: ".")))", line: line)
                }
                if !first {
                    guard b == UInt8(ascii: ",") else { throw fatal("expected ',' or '}' in an object, found \(JSONParser.describe(b))", line: line) }
                    start += 1
                }
                let key = try memberName()
                state = .seekMember(level: level, first: false)
                guard key == recordsPath[level] else {
                    _ = try attempt { parser throws(JSONParser.Failure) in try parser.parseValue() }
                    continue
                }
                if level + 1 < recordsPath.count {
                    state = .enterObject(level: level + 1)
                    continue
                }
                guard try peekNonWhitespace() == UInt8(ascii: "[") else {
                    throw fatal("\"\(recordsPath.joined(separator: "."))\" is not an array of records", line: line)
                }
                openArray()
            case .arrayFirst:
                if b == UInt8(ascii: "]") {
                    closeArray()
                    continue
                }
                state = .arrayNext
                if let record = try parseRecord() { return record }
            case .arrayNext:
                if b == UInt8(ascii: "]") {
                    closeArray()
                    continue
                }
                guard b == UInt8(ascii: ",") else {
                    throw fatal("expected ',' or ']' after an element of the array, found \(JSONParser.describe(b))", line: line)
                }
                start += 1
                if let record = try parseRecord() { return record }
            case .closeObjects(let levels):
                if b == UInt8(ascii: "}") {
                    start += 1
                    state = levels > 1 ? .closeObjects(levels: levels - 1) : .afterArray
                    continue
                }
                guard b == UInt8(ascii: ",") else { throw fatal("expected ',' or '}' in an object, found \(JSONParser.describe(b))", line: line) }
                start += 1
                _ = try memberName()
                _ = try attempt { parser throws(JSONParser.Failure) in try parser.parseValue() }
            case .afterArray:
                throw fatal("unexpected \(JSONParser.describe(b)) after the end of the records array", line: line)
            }
        }
    }

    private func openArray() {
        arrayLine = line
        start += 1
        state = .arrayFirst
    }

    private func closeArray() {
        start += 1
        state = recordsPath.isEmpty ? .afterArray : .closeObjects(levels: recordsPath.count)
    }

    private func emptyFile() -> Record? {
        if mode == .json {
            findings.add(Finding(.error, rule: "json.empty", message: "the file holds no JSON value", file: name, line: line))
        }
        return nil
    }

    /// Reads `"name":` and returns the name.
    private func memberName() throws -> String {
        try attempt { parser throws(JSONParser.Failure) -> String in
            guard parser.skipWhitespace() == UInt8(ascii: "\"") else {
                throw .syntax("expected a member name in quotes")
            }
            let key = try parser.parseString()
            guard let colon = parser.skipWhitespace() else { throw .needMore }
            guard colon == UInt8(ascii: ":") else { throw .syntax("expected ':' after the member name \"\(key)\"") }
            parser.position += 1
            return key
        }
    }

    /// Runs `body` on a parser at the cursor, reading more input as long as it needs more; a
    /// syntax error is fatal.
    private func attempt<T>(_ body: (inout JSONParser) throws(JSONParser.Failure) -> T) throws -> T {
        while true {
            var parser = JSONParser(base: buffer, end: end, position: start, line: line, maxDepth: maxDepth)
            do {
                let result = try body(&parser)
                start = parser.position
                line = parser.line
                return result
            } catch .needMore {
                if eof { throw fatal("the file ends in the middle of a JSON value", line: parser.line) }
                try fill(grow: true)
            } catch .tooDeep {
                throw fatal("JSON nested deeper than \(maxDepth) levels", line: parser.line)
            } catch .syntax(let message) {
                throw fatal(message, line: parser.line, column: column(at: parser.position))
            }
        }
    }

    /// Parses one value at `start`; nil when a JSON Lines line was skipped as a finding.
    private func parseRecord() throws -> Record? {
        _ = try peekNonWhitespace()  // so that `line` is the value's first line
        while true {
            var parser = JSONParser(base: buffer, end: end, position: start, line: line, maxDepth: maxDepth)
            let valueLine: Int
            do {
                _ = parser.skipWhitespace()
                valueLine = parser.line
                let valueStart = parser.position
                let value = try parser.parseValue()
                start = parser.position
                line = parser.line
                recordCount += 1
                var provenance = Provenance(source: source, file: name, line: valueLine, record: recordCount)
                if places && line > valueLine {
                    // A record over several lines: parsed again, noting where its members start.
                    var again = JSONParser(base: buffer, end: end, position: valueStart, line: valueLine, maxDepth: maxDepth)
                    again.lines = [:]
                    if (try? again.parseValue()) != nil {
                        provenance.places = SourcePlaces(again.lines!.mapValues { SourcePlaces.Place(line: $0) })
                    }
                }
                return Record(value: value, provenance: provenance)
            } catch .needMore {
                if eof {
                    if mode == .jsonl { return try skipBadLine("the line ends in the middle of a JSON value") }
                    throw fatal("the file ends in the middle of a JSON value that starts on line \(line)", line: parser.line)
                }
                try fill(grow: true)
            } catch .tooDeep {
                let message = "JSON nested deeper than \(maxDepth) levels"
                if mode == .jsonl { return try skipBadLine(message) }
                throw fatal(message, line: parser.line)
            } catch .syntax(let message) {
                if mode == .jsonl { return try skipBadLine(message) }
                throw fatal(message, line: parser.line, column: column(at: parser.position))
            }
        }
    }

    /// JSON Lines: reports the bad line and moves past it.
    private func skipBadLine(_ message: String) throws -> Record? {
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
                // A final space lets a number at the very end finish parsing (a space, not a
                // line break, so that line numbers stay right).
                ensureCapacity(end + 1)
                buffer[end] = 0x20
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
