internal import CSQLite
import Foundation

/// A failure SQLite reported: its primary result code (`SQLITE_BUSY`…), its message, the
/// statement, and how the connection is named in messages.
public struct SQLiteError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        case busy, notADatabase, full, cannotOpen, readOnly, corrupt, other
    }

    public let code: Int32
    public let message: String
    public let sql: String?
    public let label: String

    public var kind: Kind {
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_NOTADB: return .notADatabase
        case SQLITE_FULL: return .full
        case SQLITE_CANTOPEN: return .cannotOpen
        case SQLITE_READONLY, SQLITE_PERM: return .readOnly
        case SQLITE_CORRUPT: return .corrupt
        default: return .other
        }
    }

    public var description: String { "\(label): \(message)" }
}

/// One connection to a SQLite file: the C interface wrapped once, for the registry's file
/// (`CroceviaSQLite`) and the tabular reader's temporary index alike. One thread uses it at a
/// time (the type is not `Sendable`), so it runs without SQLite's mutexes. Statements are
/// prepared once per text and reused (`statement(_:_:)`).
public final class SQLiteConnection {
    private var handle: OpaquePointer?
    /// How failures name the connection: `sqlite:registry.sqlite`, `temporary index …`.
    public let label: String
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens the file (made when missing, with `create`) and checks that it is a database.
    public init(path: String, create: Bool = true, label: String) throws {
        self.label = label
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let opened = sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            self.handle = nil
            throw SQLiteError(code: opened & 0xFF, message: message, sql: nil, label: label)
        }
        sqlite3_extended_result_codes(handle, 1)
        do {
            // Opening does not read the file: this does, and refuses one that is not a database.
            try execute("SELECT * FROM sqlite_master LIMIT 1")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    public func close() {
        cache.removeAll()  // finalized before the connection closes
        guard let handle else { return }
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    /// Whether a transaction is open (`BEGIN` without its `COMMIT` or `ROLLBACK` yet).
    public var isInsideTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: code & 0xFF, message: message, sql: sql, label: label)
        }
    }

    /// A new statement, the caller's alone. `sql` is one statement: a second one after it is
    /// refused rather than left unrun (`execute` runs several).
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var prepared: OpaquePointer?
        var rest = ""
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v2(handle, text, -1, &prepared, &tail)
            if let tail { rest = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw failure(sql: sql)
        }
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(prepared)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement given where one is run", sql: sql, label: label)
        }
        return SQLiteStatement(prepared, sql: sql, connection: self)
    }

    /// Hands `body` the statement for `sql`, prepared the first time and reset after. A
    /// statement in use (a query run again from inside its own rows) is not shared: the inner
    /// call prepares its own.
    public func statement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try cache.removeValue(forKey: sql) ?? prepare(sql)
        defer {
            statement.reset()
            if cache.count >= 64 { cache.removeAll() }
            cache[sql] = statement
        }
        return try body(statement)
    }

    fileprivate var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "the connection is closed" }

    fileprivate func failure(sql: String?) -> SQLiteError {
        SQLiteError(code: handle.map { sqlite3_extended_errcode($0) & 0xFF } ?? SQLITE_MISUSE, message: lastMessage, sql: sql, label: label)
    }
}

/// A prepared statement. Parameters and columns count from 0.
public final class SQLiteStatement {
    private let statement: OpaquePointer
    public let sql: String
    private unowned let connection: SQLiteConnection

    fileprivate init(_ statement: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.statement = statement
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds `values` to the first parameters.
    public func bind(_ values: [SQLValue]) {
        for (index, value) in values.enumerated() { bind(value, at: index) }
    }

    public func bind(_ value: SQLValue, at index: Int) {
        let index = Int32(index + 1)
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .boolean(let flag): sqlite3_bind_int64(statement, index, flag ? 1 : 0)
        case .text(var text): text.withUTF8 { bindText($0, at: index) }
        case .utf8(let bytes): bytes.withUnsafeBufferPointer { bindText($0, at: index) }
        }
    }

    /// Binds text (nil binds NULL).
    public func bind(_ text: String?, at index: Int) { bind(SQLValue(text), at: index) }

    public func bind(_ number: Int, at index: Int) { bind(.integer(Int64(number)), at: index) }

    private func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        // An empty text is bound from a real pointer: a null one would bind NULL. SQLite copies
        // the bytes before this returns (SQLITE_TRANSIENT).
        guard let base = bytes.baseAddress, !bytes.isEmpty else { _ = sqlite3_bind_text(statement, index, "", 0, Self.transient); return }
        _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Steps once: true when a row is ready, false when the statement is done.
    public func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(sql: sql)
        }
    }

    /// Steps a statement that returns no rows.
    public func run() throws {
        while try step() {}
    }

    /// Makes the statement ready to run again, its parameters unbound.
    public func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    /// The column as a value: NULL, an integer, a real, or text (a blob is read as text).
    public func value(at index: Int) -> SQLValue {
        let column = Int32(index)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        default: return .text(String(decoding: bytes(at: index), as: UTF8.self))
        }
    }

    /// The column's bytes as text (empty for NULL), valid until the next step or reset.
    public func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        // The pointer first, then its length (SQLite's rule: the length is of the converted value).
        let bytes = sqlite3_column_blob(statement, Int32(index))
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        guard count > 0, let bytes else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes.assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// The column's text, or nil for NULL.
    public func text(at index: Int) -> String? {
        guard sqlite3_column_type(statement, Int32(index)) != SQLITE_NULL else { return nil }
        return String(decoding: bytes(at: index), as: UTF8.self)
    }

    public func integer(at index: Int) -> Int { Int(sqlite3_column_int64(statement, Int32(index))) }
}
