import Foundation

/// The fast way through an HSDS JSON Lines feed (no profile, read as UTF-8). The importing
/// thread only reads the file in chunks and cuts them into lines; two other threads take a
/// chunk's lines while it cuts the next one and writes the one before:
///
/// - a line whose bytes hash to a stored active record is that record byte for byte (the
///   registry stores the compact JSON Crocevia writes, which is what Crocevia's own JSON Lines
///   hold), so it is unchanged without being parsed;
/// - any other line is parsed there and prepared (hashed, validated) as the ordinary reader's
///   records are; when its compact JSON is the line itself, the line's hash is the record's.
///
/// The first line this way cannot read exactly as the ordinary reader would (bytes that are not
/// UTF-8, a NUL byte, a line that is not one JSON value, an HSDS page, a byte order mark) ends
/// it: the lines before it are applied, and the ordinary reader takes the file from that line.
/// A NUL byte in the first 64 KiB makes the ordinary reader refuse the whole file as binary, so
/// then it takes the file from its first line.
/// It reads the file from its start and skips the records before that line, so its findings and
/// its choice of encoding are those it would have made for the whole file.
final class JSONLinesFeed {
    struct Span {
        var start: Int
        var count: Int
        var line: Int
    }

    enum Line {
        case blank
        /// Byte for byte the stored record in this slot of `ImportLoad.known`.
        case unchanged(slot: Int)
        /// Parsed and prepared; the value is left out (`.null`) when nothing needs it any more.
        case record(Record, ImportLoad.Prepared)
        /// The ordinary reader takes the file from this line.
        case stop
    }

    /// What the preparing threads share, read only.
    struct Context: @unchecked Sendable {
        let source: String
        let path: String
        let object: Target
        let known: ImportLoad.Known
        let knownByHash: [ContentHash: Int]
        /// The validators by object, shared by the threads.
        let validators: [Target: SchemaValidator]
        /// Records keep their values (for checks that run at apply, such as case data's).
        let keepValues: Bool
    }

    /// A chunk of whole lines, taken on other threads.
    final class Chunk: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
        let spans: [Span]
        /// Filled by the preparing threads; read once `done` is reached.
        var lines: [Line] = []
        let done = DispatchGroup()

        init(bytes: UnsafeMutableRawBufferPointer, spans: [Span]) {
            self.bytes = bytes
            self.spans = spans
        }

        deinit { bytes.deallocate() }

        /// Whether the chunk has a NUL byte in its first 64 KiB (`TextInput` refuses such a file).
        var binaryAtStart: Bool {
            guard let last = spans.last else { return false }
            return memchr(bytes.baseAddress!, 0, min(1 << 16, last.start + last.count)) != nil
        }

        func line(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + spans[index].start, count: spans[index].count)
        }

        /// Starts taking the lines on other threads.
        func start(_ context: Context) {
            done.enter()
            DispatchQueue.global().async { [self] in
                lines = Parallel.map(count: spans.count, state: { _ in Worker() }) { mine, index in
                    JSONLinesFeed.take(self.line(index), number: self.spans[index].line, context: context, slots: &mine.slots,
                                       buffer: &mine.scratch)
                }
                done.leave()
            }
        }
    }

    /// What one thread taking lines keeps: the known slots once fetched, a scratch buffer.
    struct Worker: ~Copyable {
        var slots: [String: Int]?
        var scratch = ByteBuffer(capacity: 4096)
    }

    /// One line, as a preparing thread sees it.
    /// `slots` is the thread's copy of the known records' slots by id, fetched when first needed.
    static func take(_ line: UnsafeBufferPointer<UInt8>, number: Int, context: Context, slots: inout [String: Int]?,
                     buffer: inout ByteBuffer) -> Line {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
        let hash = ContentHash(line)
        if let slot = context.knownByHash[hash] { return .unchanged(slot: slot) }
        guard let (value, compact) = parse(line) else { return .stop }
        if let page = value.objectValue, case .array? = page["contents"], page.keys.contains(where: HSDSPageReader.pageKeys.contains) {
            return .stop  // the ordinary reader hands out a page's records
        }
        var record = Record(value: value, provenance: Provenance(source: context.source, file: context.path, line: number, record: 0))
        if slots == nil { slots = context.known.slots() }
        let ready = ImportLoad.prepare(record, object: context.object, known: context.known, slots: slots!, validators: context.validators,
                                       buffer: &buffer, line: (line, hash, compact))
        if ready.id != nil, ready.failures.isEmpty, !context.keepValues { record.value = .null }  // freed on this thread
        return .record(record, ready)
    }

    /// One JSON value from a line of clean UTF-8 (no NUL byte), and whether the line is that
    /// value's compact JSON as `JSONText` writes it; nil when it is not one value.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> (JSONValue, compact: Bool)? {
        guard let base = line.baseAddress, TextInput.isCleanUTF8(line) else { return nil }
        var parser = JSONParser(base: base, end: line.count, position: 0, line: 1, maxDepth: 512)
        guard let value = try? parser.parseValue(), parser.skipWhitespace() == nil else { return nil }
        return (value, parser.compact)
    }

    // MARK: Reading the file

    private let file: ByteSource
    /// The bytes after the last line break read so far.
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var atEnd = false
    var bytesRead: Int { file.bytesRead }
    var size: Int? { file.size }

    /// Nil when the file cannot be opened (the ordinary reader says why) or is not a plain file.
    init?(path: String) {
        guard path != "-", let file = try? ByteSource(path: path), file.size != nil else { return nil }
        self.file = file
    }

    /// The next chunk of whole lines (at least 4 MiB of them, or the rest), nil at the end.
    func next() throws -> Chunk? {
        guard !atEnd else { return nil }
        var capacity = max(4 << 20, carry.count * 2)
        var bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        var count = carry.count
        carry.withUnsafeBytes { bytes.copyMemory(from: $0) }
        carry = []
        var lastBreak = -1
        do {
            while true {
                while count < capacity {
                    let n = try file.read(into: bytes.baseAddress! + count, capacity: capacity - count)
                    if n == 0 {
                        atEnd = true
                        break
                    }
                    count += n
                }
                if atEnd { break }
                if let found = UnsafeRawBufferPointer(rebasing: bytes[0..<count]).lastIndex(of: 0x0A) {
                    lastBreak = found
                    break
                }
                // One line longer than the chunk: a bigger one.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 8)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                bytes.deallocate()
                bytes = bigger
                capacity *= 2
            }
        } catch {
            bytes.deallocate()
            throw error
        }
        let end = atEnd ? count : lastBreak + 1
        if end < count { carry = Array(UnsafeRawBufferPointer(rebasing: bytes[end..<count])) }
        guard end > 0 else {
            bytes.deallocate()
            return nil
        }
        return Chunk(bytes: bytes, spans: spans(UnsafeRawBufferPointer(rebasing: bytes[0..<end])))
    }

    /// Every line's bytes without its line break (and a CR before it), with its number.
    private func spans(_ bytes: UnsafeRawBufferPointer) -> [Span] {
        var spans: [Span] = []
        spans.reserveCapacity(bytes.count / 512)
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var start = 0
        while start < bytes.count {
            let end = memchr(base + start, 0x0A, bytes.count - start).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? bytes.count
            var stop = end
            if stop > start && base[stop - 1] == 0x0D { stop -= 1 }
            spans.append(Span(start: start, count: stop - start, line: nextLine))
            nextLine += 1
            start = end + 1
        }
        return spans
    }
}

extension ImportLoad {
    /// Takes a JSON Lines file of HSDS records the fast way (see `JSONLinesFeed`). Returns nil
    /// when it took the whole file, else the line from which the ordinary reader must take it.
    func takeJSONLines(_ path: String, progress: ProgressReporter?) throws -> Int? {
        guard let feed = JSONLinesFeed(path: path) else { return 1 }
        try drain()  // the records of earlier inputs first, in order
        let context = JSONLinesFeed.Context(source: source, path: path, object: object, known: known, knownByHash: known.activeByHash,
                                            validators: validators, keepValues: caseChecks != nil)
        progress?.start(input: path)
        defer { progress?.finish() }
        var records = 0
        var previous: JSONLinesFeed.Chunk?
        while true {
            let chunk = try feed.next()
            if previous == nil, chunk?.binaryAtStart == true { return 1 }
            chunk?.start(context)
            if previous == nil, let chunk, let size = feed.size, let last = chunk.spans.last {
                // Room for the feed's new ids (as many lines as the first chunk's suggest, less the known ones).
                let lines = chunk.spans.count * (size / (last.start + last.count + 1))
                seenNew.reserveCapacity(min(max(lines - known.ids.count, 0), 20_000_000))
            }
            if let previous, let stop = try apply(previous, path: path, records: &records) {
                chunk?.done.wait()
                return stop
            }
            guard let chunk else { break }
            previous = chunk
            progress?.tick(records: records, done: feed.bytesRead, total: feed.size)
        }
        // A file without records: the ordinary reader says so.
        return records == 0 ? 1 : nil
    }

    /// Applies a chunk's lines in order, up to one the ordinary reader must take (its number).
    private func apply(_ chunk: JSONLinesFeed.Chunk, path: String, records: inout Int) throws -> Int? {
        chunk.done.wait()
        defer { DispatchQueue.global().async { withExtendedLifetime(chunk) {} } }  // freed on another thread
        for (index, line) in chunk.lines.enumerated() {
            let number = chunk.spans[index].line
            switch line {
            case .blank:
                continue
            case .stop:
                return number
            case .unchanged(let slot):
                records += 1
                if seenKnown[slot] < 0 {
                    // Most lines of a re-import: counted without a record or an id.
                    seenKnown[slot] = number
                    summary.records += 1
                    summary.unchanged += 1
                    continue
                }
                // The same record twice: the second is rejected, with its content.
                let record = Record(value: .null, provenance: Provenance(source: source, file: path, line: number, record: records))
                try apply(record, Prepared(id: known.ids[slot], slot: slot, unchanged: true, type: object)) {
                    JSONLinesFeed.parse(chunk.line(index))?.0 ?? .null
                }
            case .record(var record, let ready):
                records += 1
                record.provenance.record = records
                try apply(record, ready) { JSONLinesFeed.parse(chunk.line(index))?.0 ?? .null }
            }
        }
        return nil
    }
}
