/// The `run_log` table: one row per run, written in the run's own transaction when it succeeds,
/// and in a transaction of its own (after the rollback) when it fails.
enum RunLog {
    static func nextID(_ db: RegistryDatabase) throws -> Int64 {
        (try db.scalar("SELECT MAX(run_id) FROM run_log").integer ?? 0) + 1
    }

    static func insert(_ db: RegistryDatabase, id: Int64, kind: String, source: String?, mode: String?, inputs: [String],
                       started: String, summary: ImportSummary, status: String, message: String?) throws {
        let counts = [summary.records, summary.added, summary.changed, summary.unchanged, summary.removed, summary.rejected]
        try db.execute("""
            INSERT INTO run_log (run_id, kind, source, mode, inputs, started_at, finished_at, records, added, changed, unchanged,
                                 removed, rejected, status, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.integer(id), .text(kind), SQLValue(source), SQLValue(mode), .text(inputs.joined(separator: " ")), .text(started),
             .text(Importer.timestamp())] + counts.map { .integer(Int64($0)) } + [.text(status), SQLValue(message)])
    }

    /// Best effort: a registry that cannot be written (a full disk, a server gone) keeps no row.
    static func recordFailure(_ db: RegistryDatabase, kind: String, source: String?, mode: String?, inputs: [String],
                              started: String, error: Error, wait: Double) {
        _ = try? db.exclusive(wait: wait) {
            guard try RegistrySchema.tables(in: db).contains("run_log") else { return }
            try insert(db, id: try nextID(db), kind: kind, source: source, mode: mode, inputs: inputs, started: started,
                       summary: ImportSummary(), status: "failed", message: String(describing: error))
        }
    }
}
