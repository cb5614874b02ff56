/// The registry's tables, one DDL for SQLite and PostgreSQL:
///
/// - `registry_meta`: what this database is (`format` = `crocevia-registry`, `schema_version`);
///   a database without it, holding other tables, is refused rather than written into.
/// - `run_log`: one row per run (import or publish) with its counts and status.
/// - `source_record`: every record a partner sent, as it was imported (compact JSON), with its
///   content hash, its status (`active` or `removed`: a tombstone) and the runs that added,
///   last changed and removed it. Keyed by source and id.
/// - `rejected_record`: records a run refused, with their findings as JSON.
/// - `cluster_member`, `directory_record`: the published directory (the deduplicated
///   organizations and the services pointing at them) and which records each cluster merged.
/// - the HSDS 3.0 tables of the tabular data package (`service`, `organization`, `location`,
///   `phone`...), with their primary and foreign keys: the published directory, row by row.
///   Foreign keys are checked at commit (`DEFERRABLE INITIALLY DEFERRED`).
/// - the case data tables (`case_contact`, `case_referral`…: see `CaseTables`).
enum RegistrySchema {
    static let format = "crocevia-registry"
    /// 2 added the case tables and `source_record_hash`; 3 keys `source_record` by a unique index
    /// instead of a primary key (so that a first import can build it at the end). An older
    /// registry is brought up to date when a run first opens it. 4 added `partner_access`; 5 its
    /// `profile` and `partner_upload` (files sent from the onboarding page); 6 `correction` and
    /// `source_record.source_key` (the partner's own key for the record, for corrections).
    static let version = "6"

    static let sourceRecordTable = """
        CREATE TABLE source_record (source TEXT NOT NULL, id TEXT NOT NULL, object_type TEXT NOT NULL,
            content_hash TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, file TEXT, line BIGINT,
            first_run BIGINT NOT NULL, changed_run BIGINT NOT NULL, removed_run BIGINT, source_key TEXT)
        """

    /// The indexes of `source_record`: its key, and the ids, hashes and statuses a re-import
    /// reads (so the read skips the records' content: without it, the 1,000,000-record re-import
    /// read the whole 1.3 GB table). PostgreSQL has both in one index (the key, with the hash and
    /// status as included columns: one index to build, not two); SQLite, which has no included
    /// columns, in two. A first import into an empty registry drops them and builds them once
    /// its records are in: keeping them up to date row by row made a first import of 1,000,000
    /// records more than twice as slow.
    static func sourceRecordIndexes(_ dialect: SQLDialect) -> [String] {
        switch dialect {
        case .sqlite: [
            "CREATE UNIQUE INDEX source_record_key ON source_record (source, id)",
            "CREATE INDEX source_record_hash ON source_record (source, id, content_hash, status)",
        ]
        case .postgres: ["CREATE UNIQUE INDEX source_record_key ON source_record (source, id) INCLUDE (content_hash, status)"]
        }
    }

    static func sourceRecordIndexNames(_ dialect: SQLDialect) -> [String] {
        dialect == .sqlite ? ["source_record_key", "source_record_hash"] : ["source_record_key"]
    }

    static let ownDDL = [
        "CREATE TABLE registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE run_log (run_id BIGINT PRIMARY KEY, kind TEXT NOT NULL, source TEXT, mode TEXT, inputs TEXT,
            started_at TEXT NOT NULL, finished_at TEXT, records BIGINT NOT NULL DEFAULT 0, added BIGINT NOT NULL DEFAULT 0,
            changed BIGINT NOT NULL DEFAULT 0, unchanged BIGINT NOT NULL DEFAULT 0, removed BIGINT NOT NULL DEFAULT 0,
            rejected BIGINT NOT NULL DEFAULT 0, status TEXT NOT NULL, message TEXT)
        """,
        sourceRecordTable,
        """
        CREATE TABLE rejected_record (run_id BIGINT NOT NULL, source TEXT NOT NULL, file TEXT, line BIGINT,
            record_id TEXT, content TEXT NOT NULL, findings TEXT NOT NULL)
        """,
        "CREATE INDEX rejected_record_run ON rejected_record (run_id)",
        """
        CREATE TABLE cluster_member (source TEXT NOT NULL, record_id TEXT NOT NULL, location_id TEXT,
            organization_cluster TEXT NOT NULL, location_cluster TEXT)
        """,
        """
        CREATE TABLE directory_record (object_type TEXT NOT NULL, id TEXT NOT NULL, position BIGINT NOT NULL,
            content TEXT NOT NULL, PRIMARY KEY (object_type, id))
        """,
    ]

    /// The HSDS tables, parents before the tables that refer to them.
    static func hsdsDDL(_ schema: TabularSchema) -> [String] {
        ordered(schema).map { resource in
            var lines = resource.fields.map { field in
                "\(quoted(field.name)) \(sqlType(field.type))" + (field.name == "id" ? " PRIMARY KEY" : "")
            }
            for key in resource.foreignKeys {
                lines.append("FOREIGN KEY (\(quoted(key.field))) REFERENCES \(quoted(key.resource)) (\"id\") DEFERRABLE INITIALLY DEFERRED")
            }
            return "CREATE TABLE \(quoted(resource.name)) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
        }
    }

    /// Table Schema types as column types both databases read the same way.
    static func sqlType(_ type: String) -> String {
        switch type {
        case "integer": return "BIGINT"
        case "number": return "DOUBLE PRECISION"
        case "boolean": return "BOOLEAN"
        default: return "TEXT"
        }
    }

    /// Resources sorted so that each comes after the resources its foreign keys name.
    static func ordered(_ schema: TabularSchema) -> [TabularSchema.Resource] {
        var done: Set<String> = []
        var result: [TabularSchema.Resource] = []
        var pending = schema.resources
        while !pending.isEmpty {
            let ready = pending.filter { resource in
                resource.foreignKeys.allSatisfy { $0.resource == resource.name || done.contains($0.resource) || schema.resource($0.resource) == nil }
            }
            // A cycle (none in HSDS 3.0) would take the rest as they come.
            let next = ready.isEmpty ? pending : ready
            for resource in next { done.insert(resource.name) }
            result += next
            pending.removeAll { resource in next.contains { $0.name == resource.name } }
        }
        return result
    }

    /// Version 3's `source_record` for an older registry's (whose primary key SQLite cannot
    /// drop): a copy under the new definition, with the rows, the indexes, and the content
    /// hashes made again (version 3 hashes with MurmurHash3, see `ContentHash`).
    static func rebuildSourceRecord(_ db: RegistryDatabase) throws {
        let columns = "source, id, object_type, content_hash, content, status, file, line, first_run, changed_run, removed_run"
        try db.execute(sourceRecordTable.replacingOccurrences(of: "CREATE TABLE source_record ", with: "CREATE TABLE source_record_new "))
        try db.execute("INSERT INTO source_record_new (\(columns)) SELECT \(columns) FROM source_record")
        try db.execute("DROP TABLE source_record")
        try db.execute("ALTER TABLE source_record_new RENAME TO source_record")
        for statement in sourceRecordIndexes(db.dialect) { try db.execute(statement) }
        var hashes: [[SQLValue]] = []
        try db.queryText("SELECT source, id, content FROM source_record", []) { row in
            hashes.append([.text(ContentHash(row.bytes(2)).hex), .text(row.text(0)), .text(row.text(1))])
        }
        for arguments in hashes { try db.execute("UPDATE source_record SET content_hash = ? WHERE source = ? AND id = ?", arguments) }
    }

    /// The names of the tables the database holds.
    static func tables(in db: RegistryDatabase) throws -> Set<String> {
        let sql = switch db.dialect {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table'"
        case .postgres: "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
        }
        return Set(try db.rows(sql).compactMap { $0.first?.text })
    }

    /// Makes an empty database a registry, and checks that an existing one is a registry this
    /// version can use. Runs inside the caller's transaction.
    static func prepare(_ db: RegistryDatabase, schema: TabularSchema) throws {
        let existing = try tables(in: db)
        if existing.contains("registry_meta") {
            let format = try db.scalar("SELECT value FROM registry_meta WHERE key = 'format'").text
            let version = try db.scalar("SELECT value FROM registry_meta WHERE key = 'schema_version'").text
            guard format == Self.format else {
                throw CroceviaError.io("\(db.location) is not a Crocevia registry (its registry_meta says format \(format ?? "nothing")); name another database")
            }
            if let old = version, ["1", "2", "3", "4", "5"].contains(old) {
                if version == "1" { for statement in CaseTables.ddl { try db.execute(statement) } }
                if version == "1" || version == "2" { try rebuildSourceRecord(db) }
                // Version 4: the partners' links to the onboarding page; 5: their stored profiles and the files they sent.
                if !existing.contains("partner_access") {
                    try db.execute(PartnerAccess.ddl)
                } else if version == "4" {
                    try db.execute("ALTER TABLE partner_access ADD COLUMN profile TEXT")
                }
                if !existing.contains("partner_upload") { try db.execute(PartnerUploads.ddl) }
                // Version 6: corrections, and the partners' keys (a rebuilt source_record has the column already).
                try db.execute("INSERT INTO registry_meta (key, value) SELECT DISTINCT CAST(? AS TEXT) || source, '1' FROM source_record",
                               [.text(ImportLoad.keysMissingMark)])
                if version != "1" && version != "2" {
                    try db.execute("ALTER TABLE source_record ADD COLUMN source_key TEXT")
                    // PostgreSQL's two indexes made one (a rebuilt source_record has it already).
                    if db.dialect == .postgres {
                        try db.execute("DROP INDEX IF EXISTS source_record_hash")
                        try db.execute("DROP INDEX source_record_key")
                        for statement in sourceRecordIndexes(.postgres) { try db.execute(statement) }
                    }
                }
                if !existing.contains("correction") { try db.execute(Corrections.ddl) }
                try db.execute("UPDATE registry_meta SET value = ? WHERE key = 'schema_version'", [.text(Self.version)])
                return
            }
            guard version == Self.version else {
                throw CroceviaError.io("\(db.location) is a registry of schema version \(version ?? "?"); this crocevia reads version \(Self.version)")
            }
            return
        }
        guard existing.isEmpty else {
            let some = existing.sorted().prefix(5).joined(separator: ", ")
            throw CroceviaError.io("\(db.location) is a database but not a Crocevia registry (it holds other tables: \(some)); name a new file or an empty database")
        }
        for statement in ownDDL + sourceRecordIndexes(db.dialect) + hsdsDDL(schema) + CaseTables.ddl + [PartnerAccess.ddl, PartnerUploads.ddl, Corrections.ddl] { try db.execute(statement) }
        try db.execute("INSERT INTO registry_meta (key, value) VALUES ('format', ?), ('schema_version', ?)", [.text(format), .text(version)])
    }
}
