import Foundation

/// Files a partner sent from the onboarding page for the network's coordinators to import: kept
/// in the registry (`partner_upload`, the file's bytes as base64 so one column type serves SQLite
/// and PostgreSQL) with the profile it was checked through and what the check found, until a
/// coordinator accepts it (`crocevia partner accept ID`: imported as the partner's feed, then the
/// row deleted) or rejects it (`crocevia partner reject ID`: deleted). Nothing else reads them.
public enum PartnerUploads {
    static let ddl = """
        CREATE TABLE partner_upload (id TEXT PRIMARY KEY, partner TEXT NOT NULL, file_name TEXT NOT NULL,
            extension TEXT NOT NULL, content TEXT NOT NULL, profile TEXT NOT NULL, records BIGINT NOT NULL,
            errors BIGINT NOT NULL, warnings BIGINT NOT NULL, sent_at TEXT NOT NULL)
        """

    /// The largest number of files one partner may have waiting.
    public static let waitingPerPartner = 5

    /// A file sent and waiting. `fileName` is the partner's name for it, for showing only.
    public struct Upload: Sendable, Equatable {
        public let id: String
        public let partner: String
        public let fileName: String
        /// The extension the file is saved under to be read (`xlsx`, `csv`…), chosen by its content.
        public let fileExtension: String
        public let profile: String
        public let records: Int
        public let errors: Int
        public let warnings: Int
        public let sentAt: String

        public init(id: String = UUID().uuidString.lowercased(), partner: String, fileName: String, fileExtension: String, profile: String,
                    records: Int, errors: Int, warnings: Int, sentAt: String? = nil) {
            self.id = id
            self.partner = partner
            self.fileName = fileName
            self.fileExtension = fileExtension
            self.profile = profile
            self.records = records
            self.errors = errors
            self.warnings = warnings
            self.sentAt = sentAt ?? Importer.timestamp()
        }
    }

    /// Keeps `bytes` as `upload`; a partner with `waitingPerPartner` files waiting is refused
    /// (false), so a link cannot fill the registry.
    public static func add(_ upload: Upload, bytes: [UInt8], in db: RegistryDatabase) throws -> Bool {
        let waiting = try db.scalar("SELECT COUNT(*) FROM partner_upload WHERE partner = ?", [.text(upload.partner)]).integer ?? 0
        guard waiting < waitingPerPartner else { return false }
        try db.execute("""
            INSERT INTO partner_upload (id, partner, file_name, extension, content, profile, records, errors, warnings, sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(upload.id), .text(upload.partner), .text(upload.fileName), .text(upload.fileExtension),
                  .text(Data(bytes).base64EncodedString()), .text(upload.profile), .integer(Int64(upload.records)),
                  .integer(Int64(upload.errors)), .integer(Int64(upload.warnings)), .text(upload.sentAt)])
        return true
    }

    /// The files waiting, oldest first (without their bytes).
    public static func list(in db: RegistryDatabase) throws -> [Upload] {
        guard try RegistrySchema.tables(in: db).contains("partner_upload") else { return [] }
        return try db.rows("SELECT \(columns) FROM partner_upload ORDER BY sent_at, id").map(upload)
    }

    /// The file waiting under `id`, with its bytes; nil when there is none.
    public static func find(_ id: String, in db: RegistryDatabase) throws -> (upload: Upload, bytes: [UInt8])? {
        guard try RegistrySchema.tables(in: db).contains("partner_upload"),
              let row = try db.rows("SELECT \(columns), content FROM partner_upload WHERE id = ?", [.text(id)]).first else { return nil }
        guard let bytes = Data(base64Encoded: row[9].text ?? "") else {
            throw CroceviaError.io("\(db.location): the upload \(id) is damaged (its content is not base64); crocevia partner reject \(id) removes it")
        }
        return (upload(row), Array(bytes))
    }

    /// Deletes the file waiting under `id`; false when there is none.
    public static func remove(_ id: String, in db: RegistryDatabase) throws -> Bool {
        guard try db.scalar("SELECT COUNT(*) FROM partner_upload WHERE id = ?", [.text(id)]).integer ?? 0 > 0 else { return false }
        try db.execute("DELETE FROM partner_upload WHERE id = ?", [.text(id)])
        return true
    }

    /// Imports the file waiting under `id` as its partner's feed (the source named as the partner,
    /// `--mode full`: it is all that partner has) through `profile` (YAML; the one it was checked
    /// through when nil), and in the same transaction deletes it and stores that profile as the
    /// partner's, so their next files are read the same way. The import is the registry's usual one: records with errors
    /// are rejected into `rejected_record`, and a run that fails leaves the registry as it was
    /// (the file stays waiting). The file is saved for reading in a folder of its own, under a name
    /// made of the partner's with only ASCII letters, digits, `-` and `_` kept.
    public static func accept(_ id: String, profile: String?, in db: RegistryDatabase, findings: FindingLog, wait: Double,
                              progress: ProgressReporter? = nil) throws -> (upload: Upload, summary: ImportSummary) {
        guard let (upload, bytes) = try db.updating(wait: wait, { try find(id, in: db) }) else {
            throw CroceviaError.usage("\(db.location) has no upload \(id) waiting; crocevia partner uploads lists them")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-upload-\(upload.id)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(safeName(upload.fileName, extension: upload.fileExtension)).path
        let profilePath = folder.appendingPathComponent("profile.yaml").path
        let profileText = profile ?? upload.profile
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try profileText.write(toFile: profilePath, atomically: true, encoding: .utf8)
        var options = ImportOptions(inputs: [file])
        options.profile = profilePath
        options.source = upload.partner
        options.mode = .full
        options.wait = wait
        // In the import's transaction: imported, deleted and the profile stored, or none of it
        // (a second coordinator's accept of the same file then finds nothing to import).
        options.inTransaction = { db in
            guard try remove(id, in: db) else {
                throw CroceviaError.usage("the upload \(id) was accepted or rejected meanwhile; nothing was imported")
            }
            _ = try PartnerAccess.setProfile(profileText, for: upload.partner, in: db)
        }
        let summary = try Importer(options: options, findings: findings, progress: progress).run(into: db)
        return (upload, summary)
    }

    /// `name` with every character but ASCII letters, digits, `-` and `_` made `-`, its own
    /// extension replaced by `extension`.
    static func safeName(_ name: String, extension: String) -> String {
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        let kept = String((stem.isEmpty ? name : stem).unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_") ? Character(scalar) : "-"
        }.prefix(80))
        let trimmed = kept.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return (trimmed.isEmpty ? "upload" : trimmed) + "." + `extension`
    }

    private static let columns = "id, partner, file_name, extension, profile, records, errors, warnings, sent_at"

    private static func upload(_ row: [SQLValue]) -> Upload {
        Upload(id: row[0].text ?? "", partner: row[1].text ?? "", fileName: row[2].text ?? "", fileExtension: row[3].text ?? "csv",
               profile: row[4].text ?? "", records: Int(row[5].integer ?? 0), errors: Int(row[6].integer ?? 0),
               warnings: Int(row[7].integer ?? 0), sentAt: row[8].text ?? "")
    }
}
