import Foundation

/// The fast way through an HSDS JSON Lines feed (no profile, read as UTF-8). The importing
/// thread only reads the file in batches of lines (`JSONLineBatches`); other threads take a
/// batch's lines while it reads the next one and applies the one before:
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
extension ImportLoad {
    enum Line: Sendable {
        case blank
        /// Byte for byte the stored record in this slot of the snapshot.
        case unchanged(slot: Int)
        /// Parsed and prepared; the value is left out (`.null`) when nothing needs it any more.
        case record(Record, PreparedRecord)
        /// The ordinary reader takes the file from this line.
        case stop
    }

    /// What the threads taking lines share, read only.
    struct LineContext: Sendable {
        let preparer: RecordPreparer
        let source: String
        let path: String
        /// Records keep their values (for checks that run at apply, such as case data's).
        let keepValues: Bool
    }

    /// A batch of lines being taken on other threads.
    final class TakenLines: @unchecked Sendable {
        let batch: JSONLineBatches.Batch
        /// Written by the threads before `done` is left, read after it is reached.
        private(set) var lines: [Line] = []
        private let done = DispatchGroup()

        init(_ batch: JSONLineBatches.Batch, context: LineContext) {
            self.batch = batch
            done.enter()
            DispatchQueue.global().async { [self] in
                lines = Parallel.map(count: batch.spans.count, state: { _ in RecordPreparer.Worker() }) { mine, index in
                    ImportLoad.take(batch.line(index), number: batch.spans[index].line, context: context, worker: &mine)
                }
                done.leave()
            }
        }

        func wait() { done.wait() }
    }

    /// One line, as a thread taking lines sees it.
    static func take(_ line: UnsafeBufferPointer<UInt8>, number: Int, context: LineContext, worker: inout RecordPreparer.Worker) -> Line {
        if JSONLineBatches.isBlank(line) { return .blank }
        let hash = ContentHash(line)
        if let slot = context.preparer.snapshot.activeByHash[hash] { return .unchanged(slot: slot) }
        guard let (value, compact) = JSONLineBatches.parse(line) else { return .stop }
        if let page = value.objectValue, case .array? = page["contents"], page.keys.contains(where: HSDSPageReader.pageKeys.contains) {
            return .stop  // the ordinary reader hands out a page's records
        }
        var record = Record(value: value, provenance: Provenance(source: context.source, file: context.path, line: number, record: 0))
        let ready = context.preparer.prepare(record, worker: &worker, line: (line, hash, compact))
        if ready.id != nil, ready.failures.isEmpty, !context.keepValues { record.value = .null }  // freed on this thread
        return .record(record, ready)
    }

    /// Takes a JSON Lines file of HSDS records the fast way. Returns nil when it took the whole
    /// file, else the line from which the ordinary reader must take it.
    func takeJSONLines(_ path: String, progress: ProgressReporter?) throws -> Int? {
        guard let file = JSONLineBatches(path: path) else { return 1 }
        try drain()  // the records of earlier inputs first, in order
        let context = LineContext(preparer: preparer, source: source, path: path, keepValues: caseChecks != nil)
        progress?.start(input: path)
        defer { progress?.finish() }
        var records = 0
        var previous: TakenLines?
        while true {
            let batch = try file.next()
            if previous == nil, batch?.binaryAtStart == true { return 1 }
            let taken = batch.map { TakenLines($0, context: context) }
            if previous == nil, let batch, let size = file.size, batch.end > 0 {
                // Room for the feed's new ids (as many lines as the first batch's suggest, less the known ones).
                let lines = batch.spans.count * (size / batch.end)
                seen.new.reserveCapacity(min(max(lines - snapshot.count, 0), 20_000_000))
            }
            if let previous, let stop = try apply(previous, path: path, records: &records) {
                taken?.wait()
                return stop
            }
            guard let taken else { break }
            previous = taken
            progress?.tick(records: records, done: file.bytesRead, total: file.size)
        }
        // A file without records: the ordinary reader says so.
        return records == 0 ? 1 : nil
    }

    /// Applies a batch's lines in order, up to one the ordinary reader must take (its number).
    private func apply(_ taken: TakenLines, path: String, records: inout Int) throws -> Int? {
        taken.wait()
        defer { DispatchQueue.global().async { withExtendedLifetime(taken) {} } }  // freed on another thread
        let batch = taken.batch
        for (index, line) in taken.lines.enumerated() {
            let number = batch.spans[index].line
            switch line {
            case .blank:
                continue
            case .stop:
                return number
            case .unchanged(let slot):
                records += 1
                if seen.known[slot] < 0 {
                    // Most lines of a re-import: counted without a record or an id.
                    seen.known[slot] = number
                    summary.records += 1
                    summary.unchanged += 1
                    continue
                }
                // The same record twice: the second is rejected, with its content.
                let record = Record(value: .null, provenance: Provenance(source: source, file: path, line: number, record: records))
                try apply(record, PreparedRecord(id: snapshot.ids[slot], slot: slot, unchanged: true, type: object)) {
                    JSONLineBatches.parse(batch.line(index))?.0 ?? .null
                }
            case .record(var record, let ready):
                records += 1
                record.provenance.record = records
                try apply(record, ready) { JSONLineBatches.parse(batch.line(index))?.0 ?? .null }
            }
        }
        return nil
    }
}
