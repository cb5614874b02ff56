import Crypto
import Foundation

public struct ImportOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The feed is the source's whole content: its records missing from the feed are removed.
        case full
        /// The feed carries changes only: nothing is removed.
        case delta
    }

    public var inputs: [String]
    /// The source's name in the registry (else the profile's, else the first input's file name).
    public var source: String?
    public var profile: String?
    public var from: Format?
    /// The HSDS object each record is, for HSDS input without a profile.
    public var hsdsObject = "service"
    public var encoding: TextEncoding?
    public var reader = ReaderOptions()
    public var mode = Mode.full
    /// Import records with error findings too (they are still reported).
    public var allowInvalid = false
    /// Seconds to wait for another run holding the registry.
    public var wait = 0.0
    /// The network secret's key file, for case data profiles (else the environment's).
    public var secretFile: String?

    public init(inputs: [String]) { self.inputs = inputs }
}

public struct ImportSummary: Sendable, Equatable {
    public var runID: Int64 = 0
    public var source = ""
    /// What the feed's records are: an HSDS object, or `case/contact` for case data (each
    /// record then says its entity).
    public var object = ""
    public var mode = ImportOptions.Mode.full
    public var records = 0
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    public var removed = 0
    public var rejected = 0
    public var unreadableInputs = 0
    /// A full feed that could not be read to its end removes nothing.
    public var removalSkipped = false

    public init() {}
}

/// Loads one source's feed into the registry, in one transaction:
///
/// - each record is read (through the source's profile, when it has one) and keyed by its `id`
///   (profiles make stable UUIDv5 ids, so a re-read row keeps its id);
/// - its compact JSON is hashed (SHA-256, first 128 bits); a record whose hash and status are
///   those in the registry is unchanged and not touched, without being validated again;
/// - a new or changed record is validated against its HSDS schema; one with errors is kept in
///   `rejected_record` with its findings and not imported, unless `allowInvalid`; a valid one is
///   inserted or updated (a removed record that comes back counts as changed);
/// - in `full` mode, the source's active records missing from the feed are marked removed
///   (tombstones, not deletes), unless an input stopped early: then nothing is removed and a
///   warning says why;
/// - a `run_log` row records the counts. A run that fails rolls back and leaves only a
///   `failed` run-log row.
public final class Importer {
    public let options: ImportOptions
    private let findings: FindingLog
    private let progress: ProgressReporter?

    private let readerOptions: ReaderOptions
    private let encoding: TextEncoding?
    private let mapper: Mapper?
    private let object: String
    private let formats: [Format]
    private let validators: [String: SchemaValidator]
    private let tabular: TabularSchema
    private let columns: [String: String]
    /// The source's name in the registry.
    public let source: String

    /// Loads the profile and the schema: a bad invocation or profile throws here, before any
    /// registry is opened (so none is made).
    public init(options: ImportOptions, findings: FindingLog, progress: ProgressReporter? = nil) throws {
        self.options = options
        self.findings = findings
        self.progress = progress
        guard !options.inputs.isEmpty else { throw CroceviaError.usage("name at least one input file (- for standard input)") }
        let schemas = HSDSSchemas(directory: try SchemaLocator.schemasDirectory())
        var readerOptions = options.reader
        var from = options.from
        var encoding = options.encoding
        var mapper: Mapper?
        var object = options.hsdsObject
        if let path = options.profile {
            let profile = try ProfileLoader.load(path: path, schemas: schemas)
            try profile.source.apply(to: &readerOptions, from: &from, encoding: &encoding)
            let secret = HSDSSchemas.isCase(profile.target) ? try NetworkSecret.resolve(file: options.secretFile) : nil
            mapper = try Mapper(profile: profile, findings: findings, secret: secret)
            object = profile.target
        } else {
            readerOptions.hsdsObject = readerOptions.hsdsObject ?? object
        }
        // Without a profile the records are HSDS already: JSON and JSON Lines files read as such.
        let formats = try options.inputs.map { input -> Format in
            let format = try Format.of(input, given: from)
            guard mapper == nil, from == nil else { return format }
            return format == .json ? .hsdsJSON : format == .jsonl ? .hsdsJSONL : format
        }
        if mapper == nil, formats.contains(.caseCSV) {
            guard formats.allSatisfy({ $0 == .caseCSV }) else { throw CroceviaError.usage("case-csv input is case data: import it apart from HSDS input") }
            object = "case/contact"  // each record says which entity it is
        }
        if mapper == nil, let plain = formats.first(where: { !$0.isCanonical }) {
            throw CroceviaError.usage("\(plain.rawValue) input needs --profile, which says how the partner's records become HSDS (or case data); or say --from hsds-json, hsds-jsonl, hsds-csv or case-csv")
        }
        let validators = try SchemaLoader.validators(for: object)
        let tabular = try TabularSchema.bundled(schemas: schemas)
        let columns = mapper.map(Validation.columnsByPath) ?? [:]
        let source = options.source ?? mapper?.profile.source.name ?? Converter.baseName(options.inputs[0])
        self.readerOptions = readerOptions
        self.encoding = encoding
        self.mapper = mapper
        self.object = object
        self.formats = formats
        self.validators = validators
        self.tabular = tabular
        self.columns = columns
        self.source = source
    }

    public func run(into db: RegistryDatabase) throws -> ImportSummary {
        let options = options, findings = findings, mapper = mapper
        let started = Self.timestamp()

        do {
            return try db.exclusive(wait: options.wait) {
                try RegistrySchema.prepare(db, schema: tabular)
                let load = try Load(db: db, source: source, object: object, runID: try RunLog.nextID(db), allowInvalid: options.allowInvalid,
                                validators: validators, columns: columns, findings: findings)
                try load.readExisting()
                if HSDSSchemas.isCase(object) { try load.prepareCaseChecks() }
                for (input, format) in zip(options.inputs, formats) {
                    if format == .hsdsJSONL, mapper == nil, try load.takeUnchangedLines(input) { continue }
                    let whole = try InputRun(findings: findings, progress: progress, verb: "imported")
                        .read(input, format: format, encoding: encoding, source: source, options: readerOptions, mapper: mapper) { raw in
                            try load.take(mapper?.map(raw) ?? raw)
                        }
                    if !whole { load.summary.unreadableInputs += 1 }
                }
                try load.flush()
                mapper?.reportUnseenColumns(inputName: options.inputs.joined(separator: ", "))
                if options.mode == .full {
                    if load.summary.unreadableInputs > 0 {
                        load.summary.removalSkipped = true
                        findings.add(Finding(.warning, rule: "registry.removal-skipped",
                                             message: "the feed was not read to its end, so no record of \(source) was marked removed; fix the file and import it again",
                                             file: options.inputs.joined(separator: ", ")))
                    } else {
                        try load.removeMissing()
                    }
                }
                if HSDSSchemas.isCase(object) { try CaseTables.rebuild(db, source: source) }
                load.summary.mode = options.mode
                load.summary.object = object
                try RunLog.insert(db, id: load.summary.runID, kind: "import", source: source, mode: options.mode.rawValue,
                                  inputs: options.inputs, started: started, summary: load.summary, status: "succeeded", message: nil)
                return load.summary
            }
        } catch {
            RunLog.recordFailure(db, kind: "import", source: source, mode: options.mode.rawValue, inputs: options.inputs,
                                 started: started, error: error, wait: options.wait)
            throw error
        }
    }

    static func timestamp() -> String { Date().ISO8601Format(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)) }
}

/// One import's state: the source's records as the registry holds them, the ids seen in the
/// feed, and the rows waiting to be written.
private final class Load {
    struct Known {
        var hash: ContentHash
        var active: Bool
    }

    let db: RegistryDatabase
    let source: String
    let object: String
    let allowInvalid: Bool
    /// The validators by object (one for an HSDS feed, one per entity for case data), and the
    /// second thread's own.
    let validators: [String: SchemaValidator]
    let spareValidators: [String: SchemaValidator]
    let columns: [String: String]
    let findings: FindingLog
    var summary = ImportSummary()
    /// The source's records as the registry held them when the run began (not changed after).
    var known: [String: Known] = [:]
    /// Ids of the feed, with the line each was first seen on.
    var seen: [String: Int] = [:]
    var pending: [[SQLValue]] = []
    var pendingRejected: [[SQLValue]] = []
    /// Records read and not yet worked on.
    var batch: [Record] = []

    init(db: RegistryDatabase, source: String, object: String, runID: Int64, allowInvalid: Bool, validators: [String: SchemaValidator],
         columns: [String: String], findings: FindingLog) throws {
        self.db = db
        self.source = source
        self.object = object
        self.allowInvalid = allowInvalid
        self.validators = validators
        spareValidators = try SchemaLoader.validators(for: object)
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

    func readExisting() throws {
        let count = try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = ?", [.text(source)]).integer ?? 0
        known.reserveCapacity(Int(count))
        seen.reserveCapacity(Int(count))
        // Read through the covering index source_record_hash: a fraction of the table's pages.
        try db.query("SELECT id, content_hash, status FROM source_record WHERE source = ?", [.text(source)]) { row in
            guard let id = row[0].text, let hash = row[1].text.flatMap(ContentHash.init(hex:)) else { return }
            known[id] = Known(hash: hash, active: row[2].text == "active")
        }
    }

    /// Takes a JSON Lines file through `UnchangedLines` when it can; false when the ordinary
    /// reader must.
    func takeUnchangedLines(_ path: String) throws -> Bool {
        var knownByHash: [ContentHash: String] = [:]
        knownByHash.reserveCapacity(known.count)
        for (id, entry) in known where entry.active { knownByHash[entry.hash] = id }
        guard !knownByHash.isEmpty, let lines = UnchangedLines.scan(path: path, source: source, knownByHash: knownByHash) else { return false }
        for line in lines {
            switch line {
            case .record(let record):
                try take(record)
            case .unchanged(let id, let number):
                try drain()  // records before this one first, in order
                summary.records += 1
                if let first = seen[id] {
                    // A parsed line took this id first: the ordinary reader's finding, without the record's copy.
                    findings.add(Finding(.error, rule: "registry.duplicate-id", message: "the id \(id) was already used by the record on line \(first); this one was not imported",
                                         file: path, line: number, field: "id", value: id))
                    summary.rejected += 1
                    continue
                }
                seen[id] = number
                summary.unchanged += 1
            }
        }
        return true
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
        var hash = ContentHash(high: 0, low: 0)
        var unchanged = false
        var content = ""
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

    private func startPreparing(_ records: [Record]) -> Preparing {
        let work = Preparing(records)
        let shared = UnsafeSendable((known, [validators, spareValidators], object))
        work.done.enter()
        DispatchQueue.global().async {
            let count = work.records.count
            work.prepared = [Prepared](unsafeUninitializedCapacity: count) { buffer, initialized in
                let base = UnsafeSendable(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    let (known, validators, object) = shared.value
                    var bytes = ByteBuffer(capacity: 4096)
                    for index in stride(from: part, to: count, by: 2) {
                        (base.value + index).initialize(to: Self.prepare(work.records[index], object: object, known: known, validators: validators[part], buffer: &bytes))
                    }
                }
                initialized = count
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

    /// `buffer` is the thread's own, emptied here.
    static func prepare(_ record: Record, object: String, known: [String: Known], validators: [String: SchemaValidator],
                        buffer: inout ByteBuffer) -> Prepared {
        guard case .object(let fields) = record.value, let id = fields["id"]?.stringValue, !id.isEmpty else { return Prepared(id: nil) }
        buffer.removeAll()
        JSONText.write(record.value, to: &buffer, pretty: false)
        var ready = Prepared(id: id, hash: buffer.withBytes(ContentHash.init))
        if let old = known[id], old.active, old.hash == ready.hash {
            ready.unchanged = true
            return ready
        }
        ready.content = buffer.string
        ready.failures = validators[CaseEntities.objectType(of: record.value, feed: object)]?.validate(record.value) ?? []
        return ready
    }

    func apply(_ record: Record, _ ready: Prepared) throws {
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
        if let first = seen[id] {
            let finding = Finding(.error, rule: "registry.duplicate-id", message: "the id \(id) was already used by the record on line \(first); this one was not imported",
                                  file: place.file, line: place.line, record: place.record, field: "id", value: id)
            findings.add(finding)
            try reject(record, id: id, findings: [finding])
            return
        }
        seen[id] = place.line
        if ready.unchanged {
            summary.unchanged += 1
            return
        }
        var recordFindings = ready.failures.map { Validation.finding(for: $0, record: record, columns: columns) }
        let type = CaseEntities.objectType(of: record.value, feed: object)
        if let caseChecks { recordFindings += caseChecks.findings(for: record, object: type) }
        if !recordFindings.isEmpty {
            for finding in recordFindings { findings.add(finding) }
            if !allowInvalid && recordFindings.contains(where: { $0.severity == .error }) {
                try reject(record, id: id, findings: recordFindings)
                return
            }
        }
        if known[id] == nil { summary.added += 1 } else { summary.changed += 1 }
        pending.append([.text(source), .text(id), .text(type), .text(ready.hash.hex), .text(ready.content), .text("active"),
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
            if let value = finding.value { members.append(("value", .string(value))) }
            return .object(JSONObject(members))
        })
        pendingRejected.append([.integer(summary.runID), .text(source), .text(record.provenance.file), SQLValue(record.provenance.line),
                                SQLValue(id), .text(JSONText.compact(record.value)), .text(JSONText.compact(described))])
        if pendingRejected.count >= 1000 { try write() }
    }

    /// Works on the records still waiting and writes every row.
    func flush() throws {
        try drain()
        try write()
    }

    func write() throws {
        if !pending.isEmpty {
            try db.insert(into: "source_record",
                          columns: ["source", "id", "object_type", "content_hash", "content", "status", "file", "line", "first_run", "changed_run", "removed_run"],
                          rows: pending,
                          suffix: """
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
        let missing = known.filter { $0.value.active && seen[$0.key] == nil }.map(\.key).sorted()
        summary.removed = missing.count
        for start in stride(from: 0, to: missing.count, by: 500) {
            let chunk = missing[start..<min(start + 500, missing.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try db.execute("UPDATE source_record SET status = 'removed', removed_run = ? WHERE source = ? AND id IN (\(marks))",
                           [.integer(summary.runID), .text(source)] + chunk.map { .text($0) })
        }
    }
}

/// The first 128 bits of the SHA-256 of a record's compact JSON.
struct ContentHash: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(bytes))
        var words = (UInt64(0), UInt64(0))
        digest.withUnsafeBytes { bytes in
            words.0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian
            words.1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian
        }
        high = words.0
        low = words.1
    }

    init?(hex: String) {
        guard hex.utf8.count == 32, let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else { return nil }
        self.high = high
        self.low = low
    }

    var hex: String {
        func padded(_ word: UInt64) -> String {
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return padded(high) + padded(low)
    }
}
