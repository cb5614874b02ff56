import Foundation
import Synchronization

/// One import's state: the source's records as the registry holds them, the ids seen in the
/// feed, and the rows waiting to be written.
final class ImportLoad {
    /// The source's records as the registry held them when the run began, each in a slot (not
    /// changed after: the preparing threads read it as it is).
    struct Known {
        var ids: [String] = []
        var hashes: [ContentHash] = []
        var active: [Bool] = []
        /// The slot of each active record by its hash (a JSON Lines line is looked up by its
        /// bytes' hash), made by `index()`.
        var activeByHash: [ContentHash: Int] = [:]
        private let byID = SlotsByID()

        mutating func add(id: String, hash: ContentHash, active: Bool) {
            ids.append(id)
            hashes.append(hash)
            self.active.append(active)
        }

        mutating func index() {
            activeByHash.reserveCapacity(ids.count)
            for slot in ids.indices where active[slot] { activeByHash[hashes[slot]] = slot }
        }

        /// The slot of each record by its id, made the first time a thread asks: a re-import
        /// whose lines all match by their hash never does.
        func slots() -> [String: Int] { byID.slots(of: ids) }
    }

    final class SlotsByID: Sendable {
        private let made = Mutex<[String: Int]?>(nil)

        func slots(of ids: [String]) -> [String: Int] {
            made.withLock { made in
                if let made { return made }
                var slots: [String: Int] = [:]
                slots.reserveCapacity(ids.count)
                for (slot, id) in ids.enumerated() { slots[id] = slot }
                made = slots
                return slots
            }
        }
    }

    let db: RegistryDatabase
    let source: String
    let object: Target
    let allowInvalid: Bool
    /// The validators by object (one for an HSDS feed, one per entity for case data), shared by
    /// the preparing threads.
    let validators: [Target: SchemaValidator]
    let columns: [String: String]
    let findings: FindingLog
    // The importing thread's alone, touched for every record: no run-time exclusivity checks.
    @exclusivity(unchecked) var summary = ImportSummary()
    var known = Known()
    /// The line on which the feed had each known record (by slot; -1: not yet), and the new ids
    /// with theirs. Kept apart so that a re-import, whose records are all known, never hashes
    /// an id on the importing thread.
    @exclusivity(unchecked) var seenKnown: [Int] = []
    @exclusivity(unchecked) var seenNew: [String: Int] = [:]
    @exclusivity(unchecked) var pending: [[SQLValue]] = []
    var pendingRejected: [[SQLValue]] = []
    /// Records read and not yet worked on.
    var batch: [Record] = []

    init(db: RegistryDatabase, source: String, object: Target, runID: Int64, allowInvalid: Bool, validators: [Target: SchemaValidator],
         columns: [String: String], findings: FindingLog) throws {
        self.db = db
        self.source = source
        self.object = object
        self.allowInvalid = allowInvalid
        self.validators = validators
        self.columns = columns
        self.findings = findings
        summary.runID = runID
        summary.source = source
    }

    /// Case data's own checks (see `CaseChecks`), with the directory's services as the
    /// registry holds them.
    var caseChecks: CaseChecks?

    func prepareCaseChecks() throws {
        var services: Set<String> = []
        try db.query("SELECT id FROM source_record WHERE object_type = 'service' AND status = 'active'", []) { row in
            if let id = row[0].text { services.insert(id) }
        }
        if services.isEmpty {
            findings.add(Finding(.warning, rule: "case.no-directory",
                                 message: "the registry holds no directory services yet, so the referrals' to_service_id were not checked; import the directory feeds first",
                                 file: source))
        }
        caseChecks = CaseChecks(services: services.isEmpty ? nil : services, today: AgeBand.today)
    }

    /// A first import into an empty registry: `source_record` has no index while the records go
    /// in, and gets them at the end (see `RegistrySchema.sourceRecordIndexes`). The feed's ids
    /// are unique (`markSeen`), so nothing can conflict meanwhile.
    private(set) var bulk = false

    func readExisting() throws {
        if try db.rows("SELECT 1 FROM source_record LIMIT 1").isEmpty {
            bulk = true
            for name in RegistrySchema.sourceRecordIndexNames { try db.execute("DROP INDEX \(name)") }
            return
        }
        let count = Int(try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = ?", [.text(source)]).integer ?? 0)
        known.ids.reserveCapacity(count)
        known.hashes.reserveCapacity(count)
        known.active.reserveCapacity(count)
        // Read through the covering index source_record_hash: a fraction of the table's pages.
        try db.queryText("SELECT id, content_hash, status FROM source_record WHERE source = ?", [.text(source)]) { row in
            guard let hash = ContentHash(hex: row.bytes(1)) else { return }
            known.add(id: row.text(0), hash: hash, active: row.bytes(2).elementsEqual("active".utf8))
        }
        known.index()
        seenKnown = Array(repeating: -1, count: known.ids.count)
    }

    /// Marks the id as seen on `line`; returns the line on which the feed first had it, when it
    /// already had (that line stays marked). One hash of a new id, none of a known one.
    func markSeen(_ id: String, slot: Int?, line: Int) -> Int? {
        if let slot {
            if seenKnown[slot] >= 0 { return seenKnown[slot] }
            seenKnown[slot] = line
            return nil
        }
        guard let first = seenNew.updateValue(line, forKey: id) else { return nil }
        seenNew[id] = first
        return first
    }

    /// Takes a record; records are worked on in batches.
    func take(_ record: Record) throws {
        batch.append(record)
        if batch.count == 2048 { try process() }
    }

    /// What can be worked out for a record without the others: its id, its hash, whether the
    /// registry has it unchanged, and (new or changed) its schema failures.
    struct Prepared {
        var id: String?
        /// The record's slot in `known`, when the registry has it.
        var slot: Int?
        var hash = ContentHash(high: 0, low: 0)
        var unchanged = false
        /// The record's object (for case data, its entity's), once it is looked at.
        var type: Target?
        /// The compact JSON (UTF-8, checked: the parser's input, or the writer's output).
        var content: [UInt8] = []
        var failures: [SchemaValidator.Failure] = []
    }

    /// A batch being prepared on other threads.
    final class Preparing: @unchecked Sendable {
        var records: [Record]
        /// Filled by the preparing threads; read once `done` is reached.
        var prepared: [Prepared] = []
        let done = DispatchGroup()

        init(_ records: [Record]) { self.records = records }
    }

    /// The batch other threads are preparing while this one reads the next and writes the last.
    var preparing: Preparing?

    /// Hands the full batch to other threads, then applies and writes the one before it (in feed
    /// order, so findings and counts come out as from one thread) while they work; reading goes
    /// on meanwhile. `known` is only read from here on, so the threads share it as it is.
    func process() throws {
        guard !batch.isEmpty else { return }
        let previous = preparing
        preparing = startPreparing(batch)
        batch = []
        batch.reserveCapacity(2048)
        if let previous { try apply(previous) }
    }

    /// Applies every record taken so far: the batch being prepared, then the one being filled.
    func drain() throws {
        try process()
        if let last = preparing {
            preparing = nil
            try apply(last)
        }
    }

    /// What one preparing thread keeps: the known slots, a scratch buffer.
    private struct Worker: ~Copyable {
        let slots: [String: Int]
        var bytes = ByteBuffer(capacity: 4096)
    }

    private func startPreparing(_ records: [Record]) -> Preparing {
        let work = Preparing(records)
        let shared = Shared((known, validators, object))
        work.done.enter()
        DispatchQueue.global().async {
            let (known, validators, object) = shared.value
            work.prepared = Parallel.map(count: work.records.count, state: { _ in Worker(slots: known.slots()) }) { mine, index in
                Self.prepare(work.records[index], object: object, known: known, slots: mine.slots, validators: validators, buffer: &mine.bytes)
            }
            work.done.leave()
        }
        return work
    }

    private func apply(_ work: Preparing) throws {
        work.done.wait()
        for (record, ready) in zip(work.records, work.prepared) { try apply(record, ready) }
        // Freeing a batch's records is 5% of a first import: another thread does it.
        let done = (work.records, work.prepared)
        work.records = []
        work.prepared = []
        DispatchQueue.global().async { withExtendedLifetime(done) {} }
    }

    /// `buffer` is the thread's own, emptied here. `line` is the JSON Lines line the record was
    /// parsed from, with its hash, and whether the parser found it compact: then the line is the
    /// record's compact JSON, not written again (and, when the writer gives the line's bytes
    /// all the same, the hash is still the line's).
    static func prepare(_ record: Record, object: Target, known: Known, slots: [String: Int], validators: [Target: SchemaValidator], buffer: inout ByteBuffer,
                        line: (bytes: UnsafeBufferPointer<UInt8>, hash: ContentHash, compact: Bool)? = nil) -> Prepared {
        guard case .object(let fields) = record.value, let id = fields["id"]?.stringValue, !id.isEmpty else { return Prepared(id: nil) }
        var ready = Prepared(id: id, slot: slots[id])
        let compactLine = line.flatMap { $0.compact ? $0 : nil }
        if let compactLine {
            ready.hash = compactLine.hash
        } else {
            buffer.removeAll()
            JSONText.write(record.value, to: &buffer, pretty: false)
            let same = line.map { line in buffer.withBytes { $0.count == line.bytes.count && memcmp($0.baseAddress!, line.bytes.baseAddress!, $0.count) == 0 } } ?? false
            ready.hash = same ? line!.hash : buffer.withBytes(ContentHash.init)
        }
        if let slot = ready.slot, known.active[slot], known.hashes[slot] == ready.hash {
            ready.unchanged = true
            return ready
        }
        let type = CaseEntities.objectType(of: record.value, feed: object)
        ready.type = type
        ready.content = compactLine.map { Array($0.bytes) } ?? buffer.withBytes(Array.init)
        ready.failures = validators[type]?.validate(record.value) ?? []
        return ready
    }

    /// `value` gives the record's value when `record` was handed over without it and it turns
    /// out to be needed (a record rejected as a duplicate is kept with its content).
    func apply(_ record: Record, _ ready: Prepared, value: (() -> JSONValue)? = nil) throws {
        summary.records += 1
        let place = record.provenance
        guard let id = ready.id else {
            let finding = Finding(.error, rule: "registry.no-id", message: "the record has no \"id\", so the registry cannot keep track of it; it was not imported",
                                  hint: "give the profile an id rule (id: { from: [...] }) or make sure the feed carries ids",
                                  file: place.file, line: place.line, record: place.record, field: "id")
            findings.add(finding)
            try reject(record, id: nil, findings: [finding])
            return
        }
        if let first = markSeen(id, slot: ready.slot, line: place.line) {
            var record = record
            if let value, record.value == .null { record.value = value() }
            let finding = Finding(.error, rule: "registry.duplicate-id", message: "the id \(id) was already used by the record on line \(first); this one was not imported",
                                  file: place.file, line: place.line, record: place.record, field: "id", value: id)
            findings.add(finding)
            try reject(record, id: id, findings: [finding])
            return
        }
        if ready.unchanged {
            summary.unchanged += 1
            return
        }
        // A record whose mapping left fields out has errors, as `validate` says: it is refused
        // like one that fails its schema (the findings were printed as the record was mapped).
        if place.mappingErrors > 0 && !allowInvalid {
            let finding = Finding(.error, rule: "registry.mapping-errors",
                                  message: "the record had \(place.mappingErrors) error\(place.mappingErrors == 1 ? "" : "s") when it was mapped (see above); it was not imported",
                                  hint: "fix the values the findings name, or import with --allow-invalid to take it without those fields",
                                  file: place.file, line: place.line, record: place.record)
            findings.add(finding)
            try reject(record, id: id, findings: [finding])
            return
        }
        var recordFindings = ready.failures.map {
            Validation.finding(for: $0, record: record, columns: columns, subject: !object.isCase)
        }
        let type = ready.type ?? object
        if let caseChecks { recordFindings += caseChecks.findings(for: record, object: type) }
        if !recordFindings.isEmpty {
            for finding in recordFindings { findings.add(finding) }
            if !allowInvalid && recordFindings.contains(where: { $0.severity == .error }) {
                try reject(record, id: id, findings: recordFindings)
                return
            }
        }
        if ready.slot == nil { summary.added += 1 } else { summary.changed += 1 }
        pending.append([.text(source), .text(id), .text(type.name), .text(ready.hash.hex), .utf8(ready.content), .text("active"),
                        .text(place.file), SQLValue(place.line), .integer(summary.runID), .integer(summary.runID), .null])
        if pending.count >= 1000 { try write() }
    }

    func reject(_ record: Record, id: String?, findings recordFindings: [Finding]) throws {
        summary.rejected += 1
        let described = JSONValue.array(recordFindings.map { finding in
            var members: [(String, JSONValue)] = [("severity", .string(finding.severity.rawValue)), ("rule", .string(finding.rule)),
                                                  ("message", .string(finding.message))]
            if let field = finding.field { members.append(("field", .string(field))) }
            if let path = finding.path { members.append(("path", .string(path))) }
            if let value = finding.value, !object.isCase { members.append(("value", .string(value))) }
            return .object(JSONObject(members))
        })
        pendingRejected.append([.integer(summary.runID), .text(source), .text(record.provenance.file), SQLValue(record.provenance.line),
                                SQLValue(id), .text(JSONText.compact(Self.kept(record.value, object: object))), .text(JSONText.compact(described))])
        if pendingRejected.count >= 1000 { try write() }
    }

    /// What `rejected_record` keeps of a record: all of a directory record; of a case record only
    /// what says which one it was (its id, type, pseudonymous key, desk and time), never its
    /// other values, which may name someone.
    static func kept(_ value: JSONValue, object: Target) -> JSONValue {
        guard object.isCase, case .object(let members) = value else { return value }
        return .object(JSONObject(members.members.filter { keptCaseFields.contains($0.key) }))
    }

    static let keptCaseFields: Set<String> = ["id", "type", "person_key", "desk_id", "datetime", "contact_id"]

    /// Works on the records still waiting and writes every row.
    func flush() throws {
        try drain()
        try write()
        if bulk {
            for statement in RegistrySchema.sourceRecordIndexes { try db.execute(statement) }
            bulk = false
        }
    }

    func write() throws {
        if !pending.isEmpty {
            try db.insert(into: "source_record",
                          columns: ["source", "id", "object_type", "content_hash", "content", "status", "file", "line", "first_run", "changed_run", "removed_run"],
                          rows: pending,
                          suffix: bulk ? "" : """
                          ON CONFLICT (source, id) DO UPDATE SET object_type = excluded.object_type, content_hash = excluded.content_hash,
                          content = excluded.content, status = 'active', file = excluded.file, line = excluded.line,
                          changed_run = excluded.changed_run, removed_run = NULL
                          """)
            pending.removeAll(keepingCapacity: true)
        }
        if !pendingRejected.isEmpty {
            try db.insert(into: "rejected_record", columns: ["run_id", "source", "file", "line", "record_id", "content", "findings"],
                          rows: pendingRejected, suffix: "")
            pendingRejected.removeAll(keepingCapacity: true)
        }
    }

    /// Marks the source's active records that the feed no longer has as removed.
    func removeMissing() throws {
        let missing = known.ids.indices.filter { known.active[$0] && seenKnown[$0] < 0 }.map { known.ids[$0] }.sorted()
        summary.removed = missing.count
        for start in stride(from: 0, to: missing.count, by: 500) {
            let chunk = missing[start..<min(start + 500, missing.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try db.execute("UPDATE source_record SET status = 'removed', removed_run = ? WHERE source = ? AND id IN (\(marks))",
                           [.integer(summary.runID), .text(source)] + chunk.map { .text($0) })
        }
    }
}

