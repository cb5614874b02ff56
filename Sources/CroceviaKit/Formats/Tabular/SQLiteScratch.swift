internal import CSQLite
import Foundation

/// A scratch SQLite database in a temporary file, removed when closed: the on-disk index that
/// lets a tabular package be joined with memory bounded by SQLite's page cache. Only what the
/// tabular reader needs: execute, prepare, bind text, step, read text. One thread uses it, so the
/// connection runs without SQLite's mutexes.
final class SQLiteScratch {
    private var handle: OpaquePointer?
    let path: String

    init(cacheMiB: Int = 16) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-index-\(getpid())-\(UUID().uuidString).sqlite").path
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            handle = nil
            throw CroceviaError.io("cannot create the temporary index \(path): \(message)")
        }
        try execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-\(cacheMiB * 1024)")
    }

    deinit { close() }

    func close() {
        guard let handle else { return }
        sqlite3_close_v2(handle)
        self.handle = nil
        unlink(path)
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw CroceviaError.io("temporary index \(path): \(message)")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CroceviaError.io("temporary index \(path): \(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
        return Statement(statement, database: self)
    }

    fileprivate func failure() -> CroceviaError {
        .io("temporary index \(path): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// A prepared statement; parameters and columns are 0-based here.
    final class Statement {
        private let statement: OpaquePointer
        private unowned let database: SQLiteScratch

        fileprivate init(_ statement: OpaquePointer, database: SQLiteScratch) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        /// Binds text (nil binds NULL).
        func bind(_ text: String?, at index: Int) {
            guard let text else { sqlite3_bind_null(statement, Int32(index + 1)); return }
            var copy = text
            copy.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    guard let base = chars.baseAddress else {
                        _ = sqlite3_bind_text(statement, Int32(index + 1), "", 0, nil)
                        return
                    }
                    // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
                    _ = sqlite3_bind_text(statement, Int32(index + 1), base, Int32(chars.count),
                                          unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
            }
        }

        func bind(_ value: Int, at index: Int) {
            sqlite3_bind_int64(statement, Int32(index + 1), Int64(value))
        }

        /// Steps once: true when a row is ready.
        func step() throws -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw database.failure()
            }
        }

        func reset() {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }

        var columnCount: Int { Int(sqlite3_column_count(statement)) }

        /// The column's text, or nil for NULL.
        func text(at index: Int) -> String? {
            guard let pointer = sqlite3_column_text(statement, Int32(index)) else { return nil }
            let count = Int(sqlite3_column_bytes(statement, Int32(index)))
            return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }

        func integer(at index: Int) -> Int {
            Int(sqlite3_column_int64(statement, Int32(index)))
        }
    }
}
