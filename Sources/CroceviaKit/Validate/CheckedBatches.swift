/// The checks of one record that need no other record: its schema (for case data, its entity's),
/// case data's rules, and what the HSDS checks across records read of it. Shared by the threads
/// that check a batch.
struct RecordCheck: Sendable {
    /// What a record's checks found.
    struct Result: Sendable {
        var findings: [Finding]
        /// What the HSDS checks across records need: the facts, and the record's name or key.
        var facts: HSDSFacts?
        var subject: String?
    }

    let schema: SchemaValidator
    /// Case data: each entity's schema, and the rules a schema cannot say.
    let caseValidators: [Target: SchemaValidator]
    let caseChecks: CaseChecks?
    /// The object the records are, when known.
    let object: Target?
    /// The partner's columns by target path, from the profile.
    let columns: [String: String]
    let hsds: HSDSWalk?

    /// The partner's column for a JSON Pointer into a record; none without a profile.
    func field(at pointer: String) -> String? {
        columns.isEmpty ? nil : Validation.column(for: JSONPointer.tokens(pointer) ?? [], in: columns)
    }

    func check(_ record: Record) -> Result {
        let type = object.map { CaseEntities.objectType(of: record.value, feed: $0) }
        var found = (type.flatMap { caseValidators[$0] } ?? schema).validate(record.value).map {
            Validation.finding(for: $0, record: record, columns: columns, subject: caseChecks == nil)
        }
        if let caseChecks, let type { found += caseChecks.findings(for: record, object: type) }
        guard let hsds else { return Result(findings: found) }
        let fields: ((String) -> String?)? = columns.isEmpty ? nil : { field(at: $0) }
        return Result(findings: found, facts: hsds.facts(of: record, fields: fields), subject: record.subject)
    }
}

/// Records checked on the machine's cores in batches while the next are read, their findings
/// given out in the order one thread would give them: a record's findings from reading and
/// mapping (which `held` keeps back until then), then those of its own checks, then those of
/// `across` (the checks across records, which run on this thread, in order, from what the
/// record's checks read of it).
final class CheckedBatches {
    /// A record on its way, with the findings that came before its own.
    struct Item: Sendable {
        var record: Record
        var before: [Finding]
    }

    /// Where reading and mapping report: kept back, then given out in place.
    let held = FindingLog(keepPerRule: .max)
    private let findings: FindingLog
    /// One for each worker, which only it uses while a batch is checked.
    let checks: [RecordCheck]
    /// Checks a record (where its provenance says) against the others seen so far, from what its
    /// checks found and whether it is invalid already; returns whether it is invalid now.
    private let across: (Provenance, RecordCheck.Result, _ invalid: Bool) -> Bool
    private var filling: [Item] = []
    private var working: Parallel.Batch<Item, RecordCheck.Result>?
    private(set) var records = 0
    private(set) var invalidRecords = 0
    static let size = 512

    init(checks: [RecordCheck], findings: FindingLog, across: @escaping (Provenance, RecordCheck.Result, _ invalid: Bool) -> Bool) {
        precondition(checks.count >= Parallel.workers, "a record check for each worker")
        self.checks = checks
        self.findings = findings
        self.across = across
        filling.reserveCapacity(Self.size)
    }

    func add(_ record: Record) {
        filling.append(Item(record: record, before: held.takeAll()))
        if filling.count == Self.size { process() }
    }

    /// Gives out every record added so far, then what `held` has left (the end of an input).
    func drain() {
        process()
        working?.forEach { giveOut($0.before, $0.record.provenance, $1) }
        working = nil
        for finding in held.takeAll() { findings.add(finding) }
    }

    /// Hands the full batch to other threads, then gives out the one before it while they work.
    private func process() {
        guard !filling.isEmpty else { return }
        let previous = working
        let checks = self.checks
        working = Parallel.Batch(filling, state: { checks[$0] }) { check, item in check.check(item.record) }
        filling = []
        filling.reserveCapacity(Self.size)
        previous?.forEach { giveOut($0.before, $0.record.provenance, $1) }
    }

    /// Gives out a record's findings: `before` (from reading and mapping it), then its checks'.
    func giveOut(_ before: [Finding], _ provenance: Provenance, _ checked: RecordCheck.Result) {
        for finding in before { findings.add(finding) }
        for finding in checked.findings { findings.add(finding) }
        records += 1
        if across(provenance, checked, checked.findings.contains { $0.severity == .error }) { invalidRecords += 1 }
    }
}
