import Foundation

/// One import's decisions, record by record, in feed order: whether a record is refused (no id,
/// an id used twice, mapping errors, schema or case-data errors), unchanged, added or changed,
/// and the counts. Around it: the registry's snapshot of the source (`RegistrySnapshot`), the
/// ids seen (`SeenIDs`), the threads that prepare records (`RecordPreparer`), and the rows it
/// writes (`SourceRecordWriter`).
final class ImportLoad {
    let db: RegistryDatabase
    let source: String
    let object: Target
    let allowInvalid: Bool
    /// The validators by object (one for an HSDS feed, one per entity for case data), shared by
    /// the preparing threads.
    let validators: [Target: SchemaValidator]
    let columns: [String: String]
    let findings: FindingLog
    let writer: SourceRecordWriter
    // The importing thread's alone, touched for every record: no run-time exclusivity checks.
    @exclusivity(unchecked) var summary = ImportSummary()
    private(set) var snapshot = RegistrySnapshot()
    @exclusivity(unchecked) var seen = SeenIDs(known: 0)
    /// Records read and not yet worked on.
    private var batch: [Record] = []
    /// The batch other threads are preparing while this one reads the next and applies the last.
    private var preparing: Parallel.Batch<Record, PreparedRecord>?
    /// Case data's own checks (see `CaseChecks`), with the directory's services as the
    /// registry holds them.
    private(set) var caseChecks: CaseChecks?
    /// A source whose records were imported before the registry kept their keys (version 6):
    /// this import writes the key of each unchanged record too, once.
    private var keysMissing = false
    private var keys: [[SQLValue]] = []

    init(db: RegistryDatabase, source: String, object: Target, runID: Int64, allowInvalid: Bool, validators: [Target: SchemaValidator],
         columns: [String: String], findings: FindingLog) {
        self.db = db
        self.source = source
        self.object = object
        self.allowInvalid = allowInvalid
        self.validators = validators
        self.columns = columns
        self.findings = findings
        writer = SourceRecordWriter(db: db, source: source, runID: runID, object: object)
        summary.runID = runID
        summary.source = source
    }

    /// Reads what the registry holds of the source (nothing, on a first import).
    func readExisting() throws {
        if try writer.startBulkIfEmpty() { return }
        snapshot = try RegistrySnapshot(db, source: source)
        seen = SeenIDs(known: snapshot.count)
        keysMissing = try !db.rows("SELECT 1 FROM registry_meta WHERE key = ?", [.text(Self.keysMissingMark + source)]).isEmpty
    }

    /// The mark in `registry_meta` of a source whose records have no `source_key` yet.
    static let keysMissingMark = "source_key_missing:"

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

    /// What the preparing threads share, once `readExisting` has run.
    var preparer: RecordPreparer { RecordPreparer(snapshot: snapshot, object: object, validators: validators) }

    /// Takes a record; records are worked on in batches.
    func take(_ record: Record) throws {
        batch.append(record)
        if batch.count == 2048 { try process() }
    }

    /// Hands the full batch to other threads, then applies the one before it (in feed order, so
    /// findings and counts come out as from one thread) while they work; reading goes on
    /// meanwhile.
    private func process() throws {
        guard !batch.isEmpty else { return }
        let previous = preparing
        preparing = preparer.batch(batch)
        batch = []
        batch.reserveCapacity(2048)
        try previous?.forEach { try apply($0, $1, value: nil) }
    }

    /// Applies every record taken so far: the batch being prepared, then the one being filled.
    func drain() throws {
        try process()
        if let last = preparing {
            preparing = nil
            try last.forEach { try apply($0, $1, value: nil) }
        }
    }

    /// `value` gives the record's value when `record` was handed over without it and it turns
    /// out to be needed (a record rejected as a duplicate is kept with its content).
    func apply(_ record: Record, _ ready: PreparedRecord, value: (() -> JSONValue)?) throws {
        summary.records += 1
        let place = record.provenance
        guard let id = ready.id else {
            let finding = Finding(.error, rule: "registry.no-id", message: "the record has no \"id\", so the registry cannot keep track of it; it was not imported",
                                  hint: "give the profile an id rule (id: { from: [...] }) or make sure the feed carries ids",
                                  file: place.file, line: place.line, record: place.record, field: "id")
            try reject(record, id: nil, findings: [finding])
            return
        }
        if let first = seen.mark(id, slot: ready.slot, line: place.line) {
            var record = record
            if let value, record.value == .null { record.value = value() }
            let finding = Finding(.error, rule: "registry.duplicate-id", message: "the id \(id) was already used by the record on line \(first); this one was not imported",
                                  file: place.file, line: place.line, record: place.record, field: "id", value: id)
            try reject(record, id: id, findings: [finding])
            return
        }
        if ready.unchanged {
            summary.unchanged += 1
            if keysMissing, let key = place.key { keys.append([.text(key), .text(source), .text(id)]) }
            return
        }
        // A record whose mapping left fields out has errors, as `validate` says: it is refused
        // like one that fails its schema (the findings were printed as the record was mapped).
        if place.mappingErrors > 0 && !allowInvalid {
            let finding = Finding(.error, rule: "registry.mapping-errors",
                                  message: "the record had \(place.mappingErrors) error\(place.mappingErrors == 1 ? "" : "s") when it was mapped (see above); it was not imported",
                                  hint: "fix the values the findings name, or import with --allow-invalid to take it without those fields",
                                  file: place.file, line: place.line, record: place.record)
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
                summary.rejected += 1
                try writer.reject(record, id: id, findings: recordFindings)
                return
            }
        }
        if ready.slot == nil { summary.added += 1 } else { summary.changed += 1 }
        try writer.add(id: id, type: type, hash: ready.hash, content: ready.content, place: place)
    }

    /// Reports a refused record's one finding and keeps the record in `rejected_record`.
    private func reject(_ record: Record, id: String?, findings recordFindings: [Finding]) throws {
        for finding in recordFindings { findings.add(finding) }
        summary.rejected += 1
        try writer.reject(record, id: id, findings: recordFindings)
    }

    /// Works on the records still waiting and writes every row.
    func flush() throws {
        try drain()
        try writer.finish()
        for arguments in keys { try db.execute("UPDATE source_record SET source_key = ? WHERE source = ? AND id = ?", arguments) }
        keys = []
    }

    /// After a full feed read to its end: the source's records all have their keys.
    func keysWritten() throws {
        if keysMissing { try db.execute("DELETE FROM registry_meta WHERE key = ?", [.text(Self.keysMissingMark + source)]) }
    }

    /// Marks the source's active records that the feed no longer has as removed.
    func removeMissing() throws {
        let missing = seen.unseen(in: snapshot)
        summary.removed = missing.count
        try writer.markRemoved(missing)
    }
}
