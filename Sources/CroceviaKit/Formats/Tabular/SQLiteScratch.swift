import Foundation

/// A scratch SQLite database in a temporary file, removed when closed: the on-disk index that
/// lets a tabular package be joined with memory bounded by SQLite's page cache. Its statements'
/// failures (`SQLiteError`) name the file.
final class SQLiteScratch {
    typealias Statement = SQLiteStatement

    private let connection: SQLiteConnection
    let path: String

    init(cacheMiB: Int = 16) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-index-\(getpid())-\(UUID().uuidString).sqlite").path
        do {
            connection = try SQLiteConnection(path: path, label: "temporary index \(path)")
        } catch let error as SQLiteError {
            throw CroceviaError.io("cannot create the temporary index \(path): \(error.message)")
        }
        try execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-\(cacheMiB * 1024)")
    }

    deinit { close() }

    func close() {
        connection.close()
        unlink(path)
    }

    func execute(_ sql: String) throws {
        do { try connection.execute(sql) } catch let error as SQLiteError { throw CroceviaError.io(error.description) }
    }

    func prepare(_ sql: String) throws -> Statement {
        do { return try connection.prepare(sql) } catch let error as SQLiteError { throw CroceviaError.io("\(error) in \(sql)") }
    }
}
