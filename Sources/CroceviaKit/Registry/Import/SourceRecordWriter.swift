import Foundation

/// The rows one import writes, in batches of 1,000: the source's records into `source_record`
/// (inserted, or updated on a conflict of `(source, id)`), the records refused into
/// `rejected_record` with their findings, and the marks of the records the feed no longer has.
final class SourceRecordWriter {
    let db: RegistryDatabase
    let source: String
    let runID: Int64
    /// What the feed's records are: for case data, a rejected record keeps only the fields that
    /// say which one it was (`kept`).
    let object: Target
    // The importing thread's alone, touched for every record: no run-time exclusivity checks.
    @exclusivity(unchecked) private var records: [[SQLValue]] = []
    private var rejected: [[SQLValue]] = []
    /// A first import into an empty registry: `source_record` has no index while the records go
    /// in, and gets them at the end (see `RegistrySchema.sourceRecordIndexes`). The feed's ids
    /// are unique (`SeenIDs`), so nothing can conflict meanwhile.
    private(set) var bulk = false

    init(db: RegistryDatabase, source: String, runID: Int64, object: Target) {
        self.db = db
        self.source = source
        self.runID = runID
        self.object = object
    }

    /// Whether the registry holds no record at all: then this is a first import, and the
    /// indexes of `source_record` are dropped until `finish`.
    func startBulkIfEmpty() throws -> Bool {
        guard try db.rows("SELECT 1 FROM source_record LIMIT 1").isEmpty else { return false }
        bulk = true
        for name in RegistrySchema.sourceRecordIndexNames(db.dialect) { try db.execute("DROP INDEX \(name)") }
        return true
    }

    /// A new or changed record, active from this run.
    func add(id: String, type: Target, hash: ContentHash, content: [UInt8], place: Provenance) throws {
        records.append([.text(source), .text(id), .text(type.name), .text(hash.hex), .utf8(content), .text("active"),
                        .text(place.file), SQLValue(place.line), .integer(runID), .integer(runID), .null, SQLValue(place.key)])
        if records.count >= 1000 { try write() }
    }

    /// A record refused, with the findings that say why.
    func reject(_ record: Record, id: String?, findings: [Finding]) throws {
        let described = JSONValue.array(findings.map { finding in
            var members: [(String, JSONValue)] = [("severity", .string(finding.severity.rawValue)), ("rule", .string(finding.rule)),
                                                  ("message", .string(finding.message))]
            if let field = finding.field { members.append(("field", .string(field))) }
            if let path = finding.path { members.append(("path", .string(path))) }
            if let value = finding.value, !object.isCase { members.append(("value", .string(value))) }
            return .object(JSONObject(members))
        })
        rejected.append([.integer(runID), .text(source), .text(record.provenance.file), SQLValue(record.provenance.line),
                         SQLValue(id), .text(JSONText.compact(Self.kept(record.value, object: object))), .text(JSONText.compact(described))])
        if rejected.count >= 1000 { try write() }
    }

    /// What `rejected_record` keeps of a record: all of a directory record; of a case record only
    /// what says which one it was (its id, type, pseudonymous key, desk and time), never its
    /// other values, which may name someone.
    static func kept(_ value: JSONValue, object: Target) -> JSONValue {
        guard object.isCase, case .object(let members) = value else { return value }
        return .object(JSONObject(members.members.filter { keptCaseFields.contains($0.key) }))
    }

    static let keptCaseFields: Set<String> = ["id", "type", "person_key", "desk_id", "datetime", "contact_id"]

    /// Writes the rows waiting.
    func write() throws {
        if !records.isEmpty {
            try db.insert(into: "source_record",
                          columns: ["source", "id", "object_type", "content_hash", "content", "status", "file", "line", "first_run", "changed_run", "removed_run",
                                    "source_key"],
                          rows: records,
                          suffix: bulk ? "" : """
                          ON CONFLICT (source, id) DO UPDATE SET object_type = excluded.object_type, content_hash = excluded.content_hash,
                          content = excluded.content, status = 'active', file = excluded.file, line = excluded.line, source_key = excluded.source_key,
                          changed_run = excluded.changed_run, removed_run = NULL
                          """)
            records.removeAll(keepingCapacity: true)
        }
        if !rejected.isEmpty {
            try db.insert(into: "rejected_record", columns: ["run_id", "source", "file", "line", "record_id", "content", "findings"],
                          rows: rejected, suffix: "")
            rejected.removeAll(keepingCapacity: true)
        }
    }

    /// Writes every row waiting and, after a first import, makes the indexes.
    func finish() throws {
        try write()
        if bulk {
            // PostgreSQL sorts the index in memory with room for it (its default, 64 MB, spills a
            // million records' keys to disk).
            if db.dialect == .postgres { try db.execute("SET LOCAL maintenance_work_mem = '512MB'") }
            for statement in RegistrySchema.sourceRecordIndexes(db.dialect) { try db.execute(statement) }
            bulk = false
        }
    }

    /// Marks these records of the source removed in this run.
    func markRemoved(_ ids: [String]) throws {
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            try db.execute("UPDATE source_record SET status = 'removed', removed_run = ? WHERE source = ? AND id IN (\(marks))",
                           [.integer(runID), .text(source)] + chunk.map { .text($0) })
        }
    }
}
