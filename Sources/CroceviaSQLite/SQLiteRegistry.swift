import CroceviaKit
import Foundation

/// A registry in a SQLite file, on `SQLiteConnection` (SQLite's C interface, wrapped once in
/// CroceviaKit). The file keeps SQLite's rollback journal rather than
/// WAL: a first import writes each page once instead of twice (measured 8.9 s → 5.3 s for 100,000
/// records), at the price of readers waiting while a run commits. `BEGIN IMMEDIATE` takes the
/// write lock, and SQLite's busy timeout is the time a second run waits for it. A run killed
/// halfway leaves a hot journal that SQLite rolls back when the file is next opened.
///
/// Until 2026-12 this went through GRDB; every statement that matters had already moved to the C
/// interface (GRDB's rows were a fifth of a re-import, its argument values 7% of a first import),
/// so GRDB only opened the file and ran `BEGIN`: it went, and with it a dependency.
public final class SQLiteRegistry: RegistryDatabase {
    public let location: String
    public var dialect: SQLDialect { .sqlite }
    private let connection: SQLiteConnection

    /// Opens (or, with `create`, makes) the file. A file that is not a SQLite database is refused.
    public init(path: String, create: Bool = true) throws {
        location = "sqlite:\(path)"
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CroceviaError.io("\(location): there is no registry there yet; an import or a pipeline run makes one")
        }
        do {
            connection = try SQLiteConnection(path: path, create: create, label: location)
            // For a new file: records are about 1 KB, four to a default 4 KiB page.
            try connection.execute("PRAGMA page_size = 16384")
            try connection.execute("PRAGMA journal_mode = DELETE")
            try connection.execute("PRAGMA synchronous = NORMAL")
            // Sorting with helper threads: a first import builds its indexes in 2.5 s instead of
            // 3.6 s for 1,000,000 records.
            try connection.execute("PRAGMA threads = \(min(4, ProcessInfo.processInfo.activeProcessorCount))")
            // A read waits while a run commits (the rollback journal locks the file for it).
            try connection.execute("PRAGMA busy_timeout = \(Self.readerWait)")
        } catch {
            throw Self.failure(error, location: location)
        }
    }

    /// Milliseconds a read waits for a commit, and a commit for reads.
    static let readerWait = 60_000

    public func close() { connection.close() }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try statement(sql) { statement in
            statement.bind(arguments)
            try statement.run()
        }
    }

    public func query(_ sql: String, _ arguments: [SQLValue], row: ([SQLValue]) throws -> Void) throws {
        try statement(sql) { statement in
            statement.bind(arguments)
            let count = statement.columnCount
            while try statement.step() { try row((0..<count).map(statement.value(at:))) }
        }
    }

    /// A re-import reads a million ids and hashes this way, as bytes SQLite holds.
    public func queryText(_ sql: String, _ arguments: [SQLValue], row: (SQLTextRow) throws -> Void) throws {
        try statement(sql) { statement in
            statement.bind(arguments)
            let columns = SQLTextRow(column: statement.bytes(at:))
            while try statement.step() { try row(columns) }
        }
    }

    /// One prepared statement, reset and bound again for each row.
    public func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        try statement("INSERT INTO \"\(table)\" (\(names)) VALUES (\(marks)) \(suffix)") { statement in
            for row in rows {
                statement.reset()
                statement.bind(row)
                try statement.run()
            }
        }
    }

    /// The connection's statement for `sql`, with SQLite's failures said as the registry's.
    private func statement(_ sql: String, _ body: (SQLiteStatement) throws -> Void) throws {
        do {
            try connection.statement(sql, body)
        } catch {
            throw Self.failure(error, location: location)
        }
    }

    @discardableResult
    public func exclusive<T>(wait: Double, _ body: () throws -> T) throws -> T {
        do {
            try connection.execute("PRAGMA busy_timeout = \(Int((max(wait, 0) * 1000).rounded()))")
            do {
                try connection.execute("BEGIN IMMEDIATE")
            } catch let error as SQLiteError where error.kind == .busy {
                throw inUse(waited: wait)
            }
            // The commit waits for readers (`crocevia serve` taking a snapshot) to finish their
            // read, rather than failing the run: they hold the file only while they read.
            try connection.execute("PRAGMA busy_timeout = \(Self.readerWait)")
            do {
                let value = try body()
                try connection.execute("COMMIT")
                return value
            } catch {
                if connection.isInsideTransaction { try? connection.execute("ROLLBACK") }
                throw error
            }
        } catch {
            throw Self.failure(error, location: location)
        }
    }

    /// SQLite's failures as messages that say what happened to the registry and what to do.
    static func failure(_ error: Error, location: String) -> CroceviaError {
        if let error = error as? CroceviaError { return error }
        guard let error = error as? SQLiteError else { return .io("\(location): \(error)") }
        let detail = error.message
        switch error.kind {
        case .notADatabase:
            return .io("\(location) is not a SQLite database, so not a registry (\(detail)); name a new file or a registry")
        case .full:
            return .io("\(location): the disk is full (\(detail)); the run was rolled back and the registry is as it was before it. Free some space and run again")
        case .cannotOpen:
            return .io("\(location): cannot open the file (\(detail)); check that its folder exists and can be written")
        case .readOnly:
            return .io("\(location): the file cannot be written (\(detail)); check its permissions")
        case .corrupt:
            return .io("\(location): the database is damaged (\(detail)); restore it from a backup")
        case .busy:
            return .io("\(location) is in use by another run (\(detail)); try again when it ends, or give --wait SECONDS")
        case .other:
            return .io("\(location): \(detail)" + (error.sql.map { " (in: \($0.prefix(120)))" } ?? ""))
        }
    }
}
