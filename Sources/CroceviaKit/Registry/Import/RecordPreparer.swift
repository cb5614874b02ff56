import Foundation

/// What can be worked out for a record without the others: its id, its hash, whether the
/// registry has it unchanged, and (new or changed) its schema failures.
struct PreparedRecord: Sendable {
    var id: String?
    /// The record's slot in the snapshot, when the registry has it.
    var slot: Int?
    var hash = ContentHash(high: 0, low: 0)
    var unchanged = false
    /// The record's object (for case data, its entity's), once it is looked at.
    var type: Target?
    /// The compact JSON (UTF-8, checked: the parser's input, or the writer's output).
    var content: [UInt8] = []
    var failures: [SchemaValidator.Failure] = []
}

/// Prepares records on the preparing threads, which share it: the registry's snapshot of the
/// source, and the validators by object (one for an HSDS feed, one per entity for case data).
struct RecordPreparer: Sendable {
    let snapshot: RegistrySnapshot
    let object: Target
    let validators: [Target: SchemaValidator]

    /// What one preparing thread keeps: the snapshot's slots by id once fetched, a scratch buffer.
    struct Worker: ~Copyable {
        var slots: [String: Int]?
        var buffer = ByteBuffer(capacity: 4096)
    }

    /// `line` is the JSON Lines line the record was parsed from, with its hash, and whether the
    /// parser found it compact: then the line is the record's compact JSON, not written again
    /// (and, when the writer gives the line's bytes all the same, the hash is still the line's).
    func prepare(_ record: Record, worker: inout Worker, line: (bytes: UnsafeBufferPointer<UInt8>, hash: ContentHash, compact: Bool)? = nil) -> PreparedRecord {
        guard case .object(let fields) = record.value, let id = fields["id"]?.stringValue, !id.isEmpty else { return PreparedRecord(id: nil) }
        if worker.slots == nil { worker.slots = snapshot.slots() }
        var ready = PreparedRecord(id: id, slot: worker.slots![id])
        let compactLine = line.flatMap { $0.compact ? $0 : nil }
        if let compactLine {
            ready.hash = compactLine.hash
        } else {
            worker.buffer.removeAll()
            JSONText.write(record.value, to: &worker.buffer, pretty: false)
            let same = line.map { line in worker.buffer.withBytes { $0.count == line.bytes.count && memcmp($0.baseAddress!, line.bytes.baseAddress!, $0.count) == 0 } } ?? false
            ready.hash = same ? line!.hash : worker.buffer.withBytes(ContentHash.init)
        }
        if let slot = ready.slot, snapshot.isUnchanged(slot: slot, hash: ready.hash) {
            ready.unchanged = true
            return ready
        }
        let type = CaseEntities.objectType(of: record.value, feed: object)
        ready.type = type
        ready.content = compactLine.map { Array($0.bytes) } ?? worker.buffer.withBytes(Array.init)
        ready.failures = validators[type]?.validate(record.value) ?? []
        return ready
    }

    /// A batch of records handed to the preparing threads, while this one reads the next.
    func batch(_ records: [Record]) -> Parallel.Batch<Record, PreparedRecord> {
        Parallel.Batch(records, state: { _ in Worker() }) { mine, record in prepare(record, worker: &mine) }
    }
}
