/// The fast way through a JSON Lines file (no profile, read as UTF-8): the reading thread only
/// cuts the file into batches of lines (`JSONLineBatches`) and counts the records; the workers
/// parse and check each line of a batch while it cuts the next, so a record is made, checked and
/// freed on one core.
///
/// A line that this way cannot read exactly as the ordinary reader would (bytes that are not
/// clean UTF-8, a line that is not one JSON value, an HSDS page, a byte order mark) ends it: the
/// records before it are given out, and the ordinary reader takes the file from that line, so
/// it says what is wrong there and reads the rest. A NUL byte in the first 64 KiB, or a file
/// without records, goes to the ordinary reader whole (it refuses the one, and warns of the
/// other). A record's members are all on its line, so findings name the same lines either way.
extension CheckedBatches {
    /// A line on its way: its place in the batch, its number, and the record it is if not blank.
    private struct LineItem: Sendable {
        var index: Int
        var line: Int
        var record: Int
    }

    private enum Line: Sendable {
        case blank
        /// A record's provenance and what its checks found (its value is freed where it was made).
        case record(Provenance, RecordCheck.Result)
        /// The ordinary reader takes the file from this line.
        case stop
    }

    /// Takes the file the fast way; returns nil when it took the whole file, else the line from
    /// which the ordinary reader must take it. `pages`: the records are HSDS, whose feeds may be
    /// the API's pages (which the ordinary reader opens).
    func takeJSONLines(_ path: String, source: String, pages: Bool, progress: ProgressReporter?) throws -> Int? {
        // Batches of 1 MiB (some 1,000 records): three are about at once (one read, one
        // checked, one given out), and what the checks keep of a record until it is given out
        // is the larger part of memory.
        guard let file = JSONLineBatches(path: path, batchBytes: 1 << 20) else { return 1 }
        drain()  // the records of earlier inputs first, in order
        progress?.start(input: path)
        defer { progress?.finish() }
        var records = 0
        var previous: Parallel.Batch<LineItem, Line>?
        while true {
            let batch = try file.next()
            if previous == nil, batch?.binaryAtStart == true { return 1 }
            let working = batch.map { start($0, path: path, source: source, pages: pages, records: &records) }
            if let previous, let stop = giveOut(previous) {
                working?.forEach { _, _ in }  // waited for, and dropped
                return stop
            }
            guard let working else { break }
            previous = working
            progress?.tick(records: self.records, done: file.bytesRead, total: file.size)
        }
        return records == 0 ? 1 : nil
    }

    private func start(_ batch: JSONLineBatches.Batch, path: String, source: String, pages: Bool, records: inout Int) -> Parallel.Batch<LineItem, Line> {
        var items: [LineItem] = []
        items.reserveCapacity(batch.spans.count)
        for (index, span) in batch.spans.enumerated() {
            if !JSONLineBatches.isBlank(batch.line(index)) { records += 1 }
            items.append(LineItem(index: index, line: span.line, record: records))
        }
        return Parallel.Batch(items, state: { self.checks[$0] }) { check, item in
            let bytes = batch.line(item.index)
            if JSONLineBatches.isBlank(bytes) { return .blank }
            guard let (value, _) = JSONLineBatches.parse(bytes) else { return .stop }
            if pages, let page = value.objectValue, case .array? = page["contents"], page.keys.contains(where: HSDSPageReader.pageKeys.contains) {
                return .stop
            }
            let record = Record(value: value, provenance: Provenance(source: source, file: path, line: item.line, record: item.record))
            return .record(record.provenance, check.check(record))
        }
    }

    /// Gives out a batch's records in order, up to a line the ordinary reader must take (its number).
    private func giveOut(_ batch: Parallel.Batch<LineItem, Line>) -> Int? {
        var stop: Int?
        batch.forEach { item, line in
            guard stop == nil else { return }
            switch line {
            case .blank: break
            case .stop: stop = item.line
            case .record(let provenance, let result): giveOut([], provenance, result)
            }
        }
        return stop
    }
}
