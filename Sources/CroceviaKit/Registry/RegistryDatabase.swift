/// A value bound to or read from an SQL statement: the few types the registry's tables use.
public enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case text(String)
    /// Text as UTF-8 bytes: a record's JSON, made as bytes, bound without making a String of it.
    case utf8([UInt8])

    public var text: String? {
        switch self {
        case .text(let text): return text
        case .utf8(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .null: return nil
        }
    }

    public var integer: Int64? {
        switch self {
        case .integer(let number): return number
        case .text, .utf8: return text.flatMap { Int64($0) }
        case .real(let number): return Int64(exactly: number)
        case .boolean(let flag): return flag ? 1 : 0
        case .null: return nil
        }
    }

    public var real: Double? {
        switch self {
        case .real(let number): return number
        case .integer(let number): return Double(number)
        case .text, .utf8: return text.flatMap { Double($0) }
        case .boolean, .null: return nil
        }
    }

    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
    public init(_ number: Int?) { self = number.map { .integer(Int64($0)) } ?? .null }
}

/// The database under a registry: a SQLite file (`CroceviaSQLite`, on `SQLiteConnection`) or a PostgreSQL
/// server (`CroceviaPostgres`, through postgres-nio). The registry's logic is written once, in
/// SQL both understand; statements use `?` placeholders, which the PostgreSQL side numbers.
///
/// Every write happens inside `exclusive`: one transaction that holds the registry's lock
/// (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so two runs
/// never interleave and a run that fails leaves nothing behind.
public protocol RegistryDatabase: AnyObject {
    /// How messages name the registry: `sqlite:registry.sqlite`, `postgres://host/db`.
    var location: String { get }
    var dialect: SQLDialect { get }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// Runs a query and hands each row's values to `row`, in the order the query selects them.
    func query(_ sql: String, _ arguments: [SQLValue], row: ([SQLValue]) throws -> Void) throws
    /// Runs a query and hands each row to `row` as the text of its columns, without making
    /// values of them: for reading a million rows. The bytes last until `row` returns.
    func queryText(_ sql: String, _ arguments: [SQLValue], row: (SQLTextRow) throws -> Void) throws
    /// Inserts rows of `columns` into `table`; `suffix` follows the VALUES (an `ON CONFLICT`
    /// clause). The SQLite side reuses one prepared statement, the PostgreSQL side sends many
    /// rows per statement.
    func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws
    /// Runs `body` in one transaction holding the registry's write lock, waiting up to `wait`
    /// seconds for another run to release it; commits when `body` returns, rolls back when it
    /// throws.
    @discardableResult
    func exclusive<T>(wait: Double, _ body: () throws -> T) throws -> T
    func close()
}

/// A row's columns as UTF-8 text (empty for NULL), for `queryText`.
public struct SQLTextRow {
    private let column: (Int) -> UnsafeBufferPointer<UInt8>

    public init(column: @escaping (Int) -> UnsafeBufferPointer<UInt8>) { self.column = column }

    public func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> { column(index) }
    public func text(_ index: Int) -> String { String(decoding: column(index), as: UTF8.self) }

    /// Hands `body` a row of these texts, copied into one buffer that lasts the call.
    public static func with(_ texts: [[UInt8]], _ body: (SQLTextRow) throws -> Void) rethrows {
        let total = texts.reduce(0) { $0 + $1.count }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(total, 1))
        defer { buffer.deallocate() }
        var starts: [Int] = []
        var offset = 0
        for text in texts {
            starts.append(offset)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + text.count]).initialize(from: text)
            offset += text.count
        }
        try body(SQLTextRow { index in UnsafeBufferPointer(start: buffer.baseAddress! + starts[index], count: texts[index].count) })
    }
}

public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

extension RegistryDatabase {
    public func execute(_ sql: String) throws { try execute(sql, []) }

    /// Runs `body` in the registry's transaction, the registry made or brought up to date first
    /// (`RegistrySchema.prepare`): the small writes beside imports and publishes (partners'
    /// links and uploads, corrections). Another run holding the registry is waited for `wait` seconds.
    public func updating<T>(wait: Double = 60, _ body: () throws -> T) throws -> T {
        let tabular = try TabularSchema.bundled(schemas: try HSDSSchemas.standard())
        return try exclusive(wait: wait) {
            try RegistrySchema.prepare(self, schema: tabular)
            return try body()
        }
    }

    /// Through `query`, for a database without a faster way.
    public func queryText(_ sql: String, _ arguments: [SQLValue], row: (SQLTextRow) throws -> Void) throws {
        try query(sql, arguments) { values in
            try SQLTextRow.with(values.map { Array(($0.text ?? "").utf8) }, row)
        }
    }

    /// The rows of a query, for small results.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try query(sql, arguments) { rows.append($0) }
        return rows
    }

    /// The error for a registry another run holds longer than `wait` seconds.
    public func inUse(waited wait: Double) -> CroceviaError {
        let seconds = wait == wait.rounded() ? "\(Int(wait)) s" : "\(wait) s"
        return .io("\(location) is in use by another run" + (wait > 0 ? " (waited \(seconds))" : "")
                   + "; try again when it ends, or give --wait SECONDS to wait for it")
    }

    /// The first value of the first row.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue {
        try rows(sql, arguments).first?.first ?? .null
    }
}

/// Double quotes around a table or column name (`"language"` is a keyword in PostgreSQL).
func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
