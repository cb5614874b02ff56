import CSQLite
import CroceviaKit
import Foundation
import GRDB

/// A registry in a SQLite file, through GRDB. The file keeps SQLite's rollback journal rather than
/// WAL: a first import writes each page once instead of twice (measured 8.9 s → 5.3 s for 100,000
/// records), at the price of readers waiting while a run commits. `BEGIN IMMEDIATE` takes the
/// write lock, and SQLite's busy timeout is the time a second run waits for it. A run killed
/// halfway leaves a hot journal that SQLite rolls back when the file is next opened.
public final class SQLiteRegistry: RegistryDatabase {
    public let location: String
    public var dialect: SQLDialect { .sqlite }
    private let path: String
    private let queue: DatabaseQueue
    /// The connection while a call runs inside `exclusive` (GRDB's queue is not reentrant).
    private var current: Database?

    /// Opens (or, with `create`, makes) the file. A file that is not a SQLite database is refused.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        location = "sqlite:\(path)"
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CroceviaError.io("\(location): there is no registry there yet; an import or a pipeline run makes one")
        }
        var configuration = Configuration()
        configuration.label = "crocevia"
        configuration.prepareDatabase { db in
            // For a new file: records are about 1 KB, four to a default 4 KiB page.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Sorting with helper threads: a first import builds its indexes in 2.5 s instead of
            // 3.6 s for 1,000,000 records.
            try db.execute(sql: "PRAGMA threads = \(min(4, ProcessInfo.processInfo.activeProcessorCount))")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.failure(error, location: "sqlite:\(path)")
        }
    }

    public func close() { try? queue.close() }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try connection { db in try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments)) }
    }

    /// Rows are read straight through SQLite's C interface on GRDB's connection: a re-import
    /// reads a million ids and hashes, and GRDB's rows were a fifth of its time (perf).
    public func query(_ sql: String, _ arguments: [SQLValue], row: ([SQLValue]) throws -> Void) throws {
        try statement(sql) { handle, statement in
            Self.bind(arguments, to: statement)
            let count = sqlite3_column_count(statement)
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW:
                    try row((0..<count).map { Self.column($0, of: statement) })
                case SQLITE_DONE:
                    return
                default:
                    throw Self.lastError(handle, sql: sql)
                }
            }
        }
    }

    public func queryText(_ sql: String, _ arguments: [SQLValue], row: (SQLTextRow) throws -> Void) throws {
        try statement(sql) { handle, statement in
            Self.bind(arguments, to: statement)
            let columns = SQLTextRow { index in
                let count = Int(sqlite3_column_bytes(statement, Int32(index)))
                guard count > 0, let text = sqlite3_column_text(statement, Int32(index)) else { return UnsafeBufferPointer(start: nil, count: 0) }
                return UnsafeBufferPointer(start: text, count: count)
            }
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: try row(columns)
                case SQLITE_DONE: return
                default: throw Self.lastError(handle, sql: sql)
                }
            }
        }
    }

    /// Rows are bound straight through SQLite's C interface too: GRDB's argument values cost
    /// 7% of a first import (perf), for rows that are only ever written.
    public func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let sql = "INSERT INTO \"\(table)\" (\(names)) VALUES (\(marks)) \(suffix)"
        try statement(sql) { handle, statement in
            for row in rows {
                sqlite3_reset(statement)
                Self.bind(row, to: statement)
                guard sqlite3_step(statement) == SQLITE_DONE else { throw Self.lastError(handle, sql: sql) }
            }
        }
    }

    /// Prepares `sql` on GRDB's connection for `body`, and finalizes it after.
    private func statement(_ sql: String, _ body: (OpaquePointer, OpaquePointer) throws -> Void) throws {
        try connection { db in
            guard let handle = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed", sql: sql) }
            var prepared: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
                sqlite3_finalize(prepared)
                throw Self.lastError(handle, sql: sql)
            }
            defer { sqlite3_finalize(statement) }
            try body(handle, statement)
        }
    }

    private static func bind(_ values: [SQLValue], to statement: OpaquePointer) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .real(let number): sqlite3_bind_double(statement, index, number)
            case .boolean(let flag): sqlite3_bind_int64(statement, index, flag ? 1 : 0)
            case .text(var text): text.withUTF8 { bindText($0, at: index, of: statement) }
            case .utf8(let bytes): bytes.withUnsafeBufferPointer { bindText($0, at: index, of: statement) }
            }
        }
    }

    private static func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32, of statement: OpaquePointer) {
        // An empty text is bound from a real pointer: a null one would bind NULL.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { _ = sqlite3_bind_text(statement, index, "", 0, Self.transient); return }
        _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }

    private static func column(_ index: Int32, of statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        default:  // text, and blobs read as text
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    /// SQLite copies what it is given (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func lastError(_ handle: OpaquePointer, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(handle)), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    @discardableResult

    public func exclusive<T>(wait: Double, _ body: () throws -> T) throws -> T {
        do {
            return try queue.inDatabase { db in
                current = db
                defer { current = nil }
                try db.execute(sql: "PRAGMA busy_timeout = \(Int((max(wait, 0) * 1000).rounded()))")
                do {
                    try db.execute(sql: "BEGIN IMMEDIATE")
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    throw inUse(waited: wait)
                }
                do {
                    let value = try body()
                    try db.execute(sql: "COMMIT")
                    return value
                } catch {
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                    throw error
                }
            }
        } catch let error as CroceviaError {
            throw error
        } catch {
            throw Self.failure(error, location: location)
        }
    }

    /// Outside `exclusive`, each call has the connection to itself.
    private func connection<T>(_ body: (Database) throws -> T) throws -> T {
        if let current { return try body(current) }
        do {
            return try queue.inDatabase(body)
        } catch let error as CroceviaError {
            throw error
        } catch {
            throw Self.failure(error, location: location)
        }
    }

    /// SQLite's failures as messages that say what happened to the registry and what to do.
    static func failure(_ error: Error, location: String) -> CroceviaError {
        guard let error = error as? DatabaseError else { return .io("\(location): \(error)") }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .io("\(location) is not a SQLite database, so not a registry (\(detail)); name a new file or a registry")
        case .SQLITE_FULL:
            return .io("\(location): the disk is full (\(detail)); the run was rolled back and the registry is as it was before it. Free some space and run again")
        case .SQLITE_CANTOPEN:
            return .io("\(location): cannot open the file (\(detail)); check that its folder exists and can be written")
        case .SQLITE_READONLY, .SQLITE_PERM:
            return .io("\(location): the file cannot be written (\(detail)); check its permissions")
        case .SQLITE_CORRUPT:
            return .io("\(location): the database is damaged (\(detail)); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .io("\(location) is in use by another run (\(detail)); try again when it ends, or give --wait SECONDS")
        default:
            return .io("\(location): \(detail)" + (error.sql.map { " (in: \($0.prefix(120)))" } ?? ""))
        }
    }

    private static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value {
            case .null: return .null
            case .integer(let number): return number.databaseValue
            case .real(let number): return number.databaseValue
            case .boolean(let flag): return flag.databaseValue
            case .text(let text): return text.databaseValue
            case .utf8(let bytes): return String(decoding: bytes, as: UTF8.self).databaseValue
            }
        })
    }
}
