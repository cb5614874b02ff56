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
    /// Run in the import's transaction once its records are in (an accepted upload deleted with
    /// it): a failure there undoes the import.
    public var inTransaction: (@Sendable (RegistryDatabase) throws -> Void)?

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
    /// Corrections routed to the source that its feed now carries (applied and closed).
    public var correctionsApplied = 0
    public var unreadableInputs = 0
    /// A full feed that could not be read to its end removes nothing.
    public var removalSkipped = false

    public init() {}
}

/// Loads one source's feed into the registry, in one transaction:
///
/// - each record is read (through the source's profile, when it has one) and keyed by its `id`
///   (profiles make stable UUIDv5 ids, so a re-read row keeps its id);
/// - its compact JSON is hashed (`ContentHash`); a record whose hash and status are
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

    private let plan: RunPlan
    private let mapper: Mapper?
    private let object: Target
    private let validators: [Target: SchemaValidator]
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
        var request = RunPlan.Request(inputs: options.inputs, from: options.from, encoding: options.encoding, reader: options.reader,
                                      profile: options.profile, source: options.source)
        request.object = Target(options.hsdsObject)  // an unknown one is refused below
        request.secretFile = options.secretFile
        // Without a profile the records are HSDS already: JSON and JSON Lines files read as such.
        request.jsonIsHSDS = true
        let plan = try RunPlan(request, findings: findings)
        let mapper = plan.profile.map { Mapper(compiled: $0, findings: findings) }
        var caseCSV = false
        if mapper == nil, plan.formats.contains(where: { $0.model == .caseData }) {
            guard plan.formats.allSatisfy({ $0.model == .caseData }) else { throw CroceviaError.usage("case-csv input is case data: import it apart from HSDS input") }
            caseCSV = true
        }
        if mapper == nil, let plain = plan.formats.first(where: { !$0.isCanonical }) {
            throw CroceviaError.usage("\(plain.rawValue) input needs --profile, which says how the partner's records become HSDS (or case data); or say --from hsds-json, hsds-jsonl, hsds-csv or case-csv")
        }
        // Case data in CSV: each record says which entity it is.
        let object = caseCSV ? Target.caseContact : try plan.object ?? Target.named(options.hsdsObject)
        self.plan = plan
        self.mapper = mapper
        self.object = object
        validators = try SchemaLoader.validators(for: object)
        tabular = try TabularSchema.bundled(schemas: try HSDSSchemas.standard())
        columns = mapper.map { Validation.columnsByPath($0.profile) } ?? [:]
        // One import is one source: named after its first input when nothing else names it.
        source = plan.sourceName(of: options.inputs[0])
    }

    public func run(into db: RegistryDatabase) throws -> ImportSummary {
        let options = options, findings = findings, mapper = mapper, plan = plan
        let started = Self.timestamp()

        do {
            return try db.exclusive(wait: options.wait) {
                try RegistrySchema.prepare(db, schema: tabular)
                let load = ImportLoad(db: db, source: source, object: object, runID: try RunLog.nextID(db), allowInvalid: options.allowInvalid,
                                validators: validators, columns: columns, findings: findings)
                try load.readExisting()
                if object.isCase { try load.prepareCaseChecks() }
                for (index, format) in plan.formats.enumerated() {
                    // Records before this line were taken the fast way.
                    var resume = 1
                    if format == .hsdsJSONL, mapper == nil, plan.encoding == nil || plan.encoding == .auto || plan.encoding == .utf8 {
                        guard let line = try load.takeJSONLines(plan.inputs[index], progress: progress) else { continue }
                        resume = line
                    }
                    let whole = try plan.read(index, findings: findings, progress: progress, verb: "imported", mapper: mapper, source: source) { raw in
                        if raw.provenance.line < resume { return }
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
                        // A whole feed: every record has its key now.
                        try load.keysWritten()
                    }
                }
                if object.isCase { try CaseTables.rebuild(db, source: source) }
                // The corrections this feed now carries are applied.
                if !object.isCase { load.summary.correctionsApplied = try Corrections.closeApplied(source: source, runID: load.summary.runID, in: db) }
                load.summary.mode = options.mode
                load.summary.object = object.name
                try options.inTransaction?(db)
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
