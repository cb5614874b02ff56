import CroceviaPostgres
import CroceviaSQLite
import Foundation
import Logging
import Synchronization
import Testing
@testable import CroceviaKit

/// The registry suites, one at a time: the PostgreSQL ones share one test database.
@Suite("Registry", .serialized)
enum RegistryTests {}

/// The two databases a registry lives in; every registry test runs on both.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The test server: `CROCEVIA_TEST_POSTGRES`, else the one `scripts/start-test-postgres.sh` makes.
    static var postgresURL: String {
        ProcessInfo.processInfo.environment["CROCEVIA_TEST_POSTGRES"] ?? "postgres://crocevia:crocevia@127.0.0.1:5432/crocevia_test"
    }

    /// An empty registry: a new SQLite file, or the test database emptied. A PostgreSQL server
    /// that cannot be reached fails the test with how to start one.
    func fresh() throws -> (db: RegistryDatabase, url: String) {
        switch self {
        case .sqlite:
            let path = try temporaryFolder() + "/registry.sqlite"
            return (try SQLiteRegistry(path: path), "sqlite:" + path)
        case .postgres:
            let db = try Self.connect()
            // A test that left a transaction open fails the next one instead of hanging it.
            try db.execute("SET lock_timeout = '20s'")
            try db.execute("DROP SCHEMA public CASCADE")
            try db.execute("CREATE SCHEMA public")
            return (db, Self.postgresURL)
        }
    }

    /// A second connection to the same registry.
    func reopen(_ url: String) throws -> RegistryDatabase {
        switch self {
        case .sqlite: return try SQLiteRegistry(path: String(url.dropFirst("sqlite:".count)), create: false)
        case .postgres: return try Self.connect()
        }
    }

    static func connect() throws -> RegistryDatabase {
        do {
            return try PostgresRegistry(url: postgresURL)
        } catch {
            throw RegistryTestError("""
                the registry tests need a PostgreSQL server at \(postgresURL), and none answered (\(error)). \
                Start one with `bash scripts/start-test-postgres.sh` (Debian's postgresql package), or point \
                CROCEVIA_TEST_POSTGRES at another
                """)
        }
    }
}

struct RegistryTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func temporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-registry-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// A JSON Lines feed of HSDS services: id suffix, name and status for each.
func serviceFeed(_ services: [(Int, String, String)], in folder: String, name: String = "feed.jsonl") throws -> String {
    let lines = services.map { serviceLine($0, $1, status: $2) }
    let path = folder + "/" + name
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func serviceID(_ number: Int) -> String { "00000000-0000-4000-8000-" + String(format: "%012d", number) }

/// One service as compact JSON, as Crocevia writes it (and stores it).
func serviceLine(_ number: Int, _ name: String, status: String = "active") -> String {
    #"{"id":"\#(serviceID(number))","name":"\#(name)","status":"\#(status)"}"#
}

/// Imports HSDS service JSON Lines as the source `partner`.
@discardableResult
func importFeed(_ path: String, into db: RegistryDatabase, mode: ImportOptions.Mode = .full, allowInvalid: Bool = false,
                findings: FindingLog = FindingLog()) throws -> ImportSummary {
    var options = ImportOptions(inputs: [path])
    options.source = "partner"
    options.mode = mode
    options.allowInvalid = allowInvalid
    return try Importer(options: options, findings: findings).run(into: db)
}

/// The counts of an import, in the order added, changed, unchanged, removed, rejected.
func counts(_ summary: ImportSummary) -> [Int] {
    [summary.added, summary.changed, summary.unchanged, summary.removed, summary.rejected]
}

/// A registry whose database fails the `failAt`-th insert, as a full disk or a lost server would.
final class FailingDatabase: RegistryDatabase {
    let inner: RegistryDatabase
    var inserts = 0
    let failAt: Int

    init(_ inner: RegistryDatabase, failAt: Int) {
        self.inner = inner
        self.failAt = failAt
    }

    var location: String { inner.location }
    var dialect: SQLDialect { inner.dialect }
    func execute(_ sql: String, _ arguments: [SQLValue]) throws { try inner.execute(sql, arguments) }
    func query(_ sql: String, _ arguments: [SQLValue], row: ([SQLValue]) throws -> Void) throws { try inner.query(sql, arguments, row: row) }
    func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        inserts += 1
        if inserts == failAt { throw CroceviaError.io("\(location): the disk is full (simulated)") }
        try inner.insert(into: table, columns: columns, rows: rows, suffix: suffix)
    }
    @discardableResult
    func exclusive<T>(wait: Double, _ body: () throws -> T) throws -> T { try inner.exclusive(wait: wait, body) }
    func close() { inner.close() }
}

/// Samples/network.yaml with its registry and reports redirected.
func sampleNetworkConfig(reports: String, registry: String) throws -> NetworkConfig {
    var config = try NetworkConfig.load(path: "Samples/network.yaml")
    config.reports = reports
    config.registry = registry
    return config
}

/// What a server logged in a test, every message with its metadata, as text.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))") }
        }
    }
}
