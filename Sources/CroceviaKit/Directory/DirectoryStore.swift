import Foundation

/// The snapshot the server answers from, and the registry it comes from. `refresh` asks the
/// registry which run last published and reads the directory again when a newer one has
/// committed; requests in flight keep the snapshot they started with. It also holds the
/// partners' open onboarding links, read again at each refresh. The registry is read by `refresh`
/// and written by `write` (a file a partner sends), one call at a time.
public final class DirectoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private let refreshing = NSLock()
    private var current: DirectorySnapshot
    /// The partners with an open onboarding link, by their token's hash; read at each refresh.
    private var partnerLinks: [String: PartnerAccess.Partner]
    // Guarded by `refreshing`.
    private let db: RegistryDatabase
    private let municipalities: Municipalities

    /// Reads the registry's directory. A registry that has never published gives an empty
    /// directory (the server says so on `/`), not an error.
    public init(db: RegistryDatabase) throws {
        self.db = db
        // An older registry brought up to date first, as any run does (the server writes uploads and corrections).
        try db.updating {}
        municipalities = try Municipalities.standard()
        current = try DirectorySnapshot(db: db, municipalities: municipalities)
        partnerLinks = try PartnerAccess.open(in: db)
    }

    /// The partner whose open link has this token (a link revoked closes at the next refresh).
    public func partner(token: String) -> PartnerAccess.Partner? {
        let hash = PartnerAccess.hash(token)
        lock.lock()
        defer { lock.unlock() }
        return partnerLinks[hash]
    }

    public var snapshot: DirectorySnapshot {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Reads the directory again when a newer publish has committed; returns the new snapshot,
    /// or nil when the one held is still the latest.
    @discardableResult
    public func refresh() throws -> DirectorySnapshot? {
        refreshing.lock()
        defer { refreshing.unlock() }
        let links = try PartnerAccess.open(in: db)
        lock.lock()
        partnerLinks = links
        lock.unlock()
        let held = snapshot.publishRun
        guard try DirectorySnapshot.lastPublish(in: db) != held else { return nil }
        let next = try DirectorySnapshot(db: db, municipalities: municipalities)
        lock.lock()
        current = next
        lock.unlock()
        return next
    }

    /// Runs `body` on the registry, reading only (the coordinators' page). Not on an event loop.
    public func read<T>(_ body: (RegistryDatabase) throws -> T) throws -> T {
        refreshing.lock()
        defer { refreshing.unlock() }
        return try body(db)
    }

    /// Runs `body` in a transaction of the registry (waiting `wait` seconds for another run that
    /// holds it): the server's only writes, a partner's file sent for the coordinators. Not on
    /// an event loop: it waits for the database.
    public func write<T>(wait: Double, _ body: (RegistryDatabase) throws -> T) throws -> T {
        refreshing.lock()
        defer { refreshing.unlock() }
        return try db.updating(wait: wait) { try body(db) }
    }

    public func close() {
        refreshing.lock()
        defer { refreshing.unlock() }
        db.close()
    }
}
