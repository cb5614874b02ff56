import Crypto
import Foundation

/// The partners' links to the onboarding page (`crocevia partner add|revoke|list`): each a secret
/// token, of which the registry keeps only the SHA-256, so a copy of the registry opens no page.
/// Adding a partner again gives a new link and the old one stops working; revoking closes it.
/// A partner may also have a stored profile (`crocevia partner profile`, or the one a coordinator
/// accepted an upload with): the page reads their files through it instead of suggesting one.
public enum PartnerAccess {
    static let ddl = """
        CREATE TABLE partner_access (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
            created_at TEXT NOT NULL, revoked_at TEXT, profile TEXT)
        """

    public struct Partner: Sendable, Equatable {
        public let name: String
        public let role: String
        public let createdAt: String
        public let revokedAt: String?
        /// The profile their files are read through, as YAML; nil to suggest one from each file.
        public var profile: String? = nil
    }

    /// A new token for `name` (replacing any it had), returned once: only its hash is stored.
    public static func add(_ name: String, role: String = "partner", in db: RegistryDatabase) throws -> String {
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: { $0.isNewline }) else {
            throw CroceviaError.usage("a partner's name is one line of 1 to 100 characters, such as portinerie-torino")
        }
        var generator = SystemRandomNumberGenerator()
        let token = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        // One name is one partner or one coordinator.
        if let other = try db.rows("SELECT role FROM partner_access WHERE name = ? AND revoked_at IS NULL", [.text(trimmed)]).first?[0].text, other != role {
            throw CroceviaError.usage("\(trimmed) has an open \(other)'s link; a name is one partner or one coordinator: choose another, or revoke that link first")
        }
        // A new link for a partner already known keeps their stored profile.
        let profile = try db.scalar("SELECT profile FROM partner_access WHERE name = ?", [.text(trimmed)])
        try db.execute("DELETE FROM partner_access WHERE name = ?", [.text(trimmed)])
        try db.execute("INSERT INTO partner_access (name, token_hash, role, created_at, profile) VALUES (?, ?, ?, ?, ?)",
                       [.text(trimmed), .text(hash(token)), .text(role), .text(Importer.timestamp()), profile])
        return token
    }

    /// Closes a partner's link; false when the registry has no such partner.
    public static func revoke(_ name: String, in db: RegistryDatabase) throws -> Bool {
        guard try db.scalar("SELECT COUNT(*) FROM partner_access WHERE name = ? AND revoked_at IS NULL", [.text(name)]).integer ?? 0 > 0 else { return false }
        try db.execute("UPDATE partner_access SET revoked_at = ? WHERE name = ?", [.text(Importer.timestamp()), .text(name)])
        return true
    }

    public static func list(in db: RegistryDatabase) throws -> [Partner] {
        guard try RegistrySchema.tables(in: db).contains("partner_access") else { return [] }
        return try db.rows("SELECT name, role, created_at, revoked_at, profile FROM partner_access ORDER BY name").map {
            Partner(name: $0[0].text ?? "", role: $0[1].text ?? "", createdAt: $0[2].text ?? "", revokedAt: $0[3].text, profile: $0[4].text)
        }
    }

    /// Stores `profile` (YAML, checked by the caller) as the one `name`'s files are read through,
    /// or forgets it (nil); false when the registry has no such partner.
    public static func setProfile(_ profile: String?, for name: String, in db: RegistryDatabase) throws -> Bool {
        guard try db.scalar("SELECT COUNT(*) FROM partner_access WHERE name = ?", [.text(name)]).integer ?? 0 > 0 else { return false }
        try db.execute("UPDATE partner_access SET profile = ? WHERE name = ?", [profile.map { .text($0) } ?? .null, .text(name)])
        return true
    }

    /// The partner a token opens the page for; nil for an unknown or revoked token.
    public static func partner(token: String, in db: RegistryDatabase) throws -> Partner? {
        guard token.count >= 20, token.count <= 100, try RegistrySchema.tables(in: db).contains("partner_access") else { return nil }
        return try db.rows("SELECT name, role, created_at, profile FROM partner_access WHERE token_hash = ? AND revoked_at IS NULL",
                           [.text(hash(token))]).first.map {
            Partner(name: $0[0].text ?? "", role: $0[1].text ?? "", createdAt: $0[2].text ?? "", revokedAt: nil, profile: $0[3].text)
        }
    }

    /// The open links' partners by their token's hash, for a server that checks tokens without
    /// asking the registry on each request (`DirectoryStore`).
    public static func open(in db: RegistryDatabase) throws -> [String: Partner] {
        guard try RegistrySchema.tables(in: db).contains("partner_access") else { return [:] }
        var found: [String: Partner] = [:]
        for row in try db.rows("SELECT token_hash, name, role, created_at, profile FROM partner_access WHERE revoked_at IS NULL") {
            found[row[0].text ?? ""] = Partner(name: row[1].text ?? "", role: row[2].text ?? "", createdAt: row[3].text ?? "", revokedAt: nil,
                                               profile: row[4].text)
        }
        return found
    }

    /// A form's guard against cross-site requests: an HMAC of the partner's token hash under a
    /// key the server drew when it started, so only a page the server gave that partner can post.
    public static func formToken(for token: String, key: FormKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(hash(token).utf8), using: SymmetricKey(data: key.bytes))).map { String(format: "%02x", $0) }.joined()
    }

    /// The server's key for form tokens, drawn at random.
    public struct FormKey: Sendable {
        let bytes: [UInt8]
        public init() {
            var generator = SystemRandomNumberGenerator()
            bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
    }

    /// Whether `given` is the form token for `token` (compared in constant time).
    public static func checkFormToken(_ given: String, for token: String, key: FormKey) -> Bool {
        let expected = Array(formToken(for: token, key: key).utf8), actual = Array(given.utf8)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
