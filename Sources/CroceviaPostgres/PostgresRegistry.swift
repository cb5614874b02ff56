import CroceviaKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A registry on a PostgreSQL server, through postgres-nio, for a network that shares one.
/// The commands are synchronous, so each statement waits for its answer on postgres-nio's own
/// event loop (never on a Swift concurrency thread). A run's transaction holds a transaction-scoped
/// advisory lock, taken by polling `pg_try_advisory_xact_lock` until `--wait` runs out.
///
/// URL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (also `postgresql://`); without a host,
/// the local server's socket. TLS is not offered yet: use a loopback or private network.
public final class PostgresRegistry: RegistryDatabase {
    public let location: String
    public var dialect: SQLDialect { .postgres }
    private let connection: PostgresConnection
    private let logger: Logger
    /// Any 64-bit number, the same for every crocevia: the lock two runs contend for.
    private static let lockKey: Int64 = 0x4372_6f63_6576_6961  // "Crocevia"

    public init(url: String) throws {
        guard let parts = URLComponents(string: url), parts.scheme == "postgres" || parts.scheme == "postgresql" else {
            throw CroceviaError.usage("\(url) is not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let user = parts.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = parts.password.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let database = path.isEmpty ? user : path
        let host = parts.host.flatMap { $0.isEmpty ? nil : $0 }
        let port = parts.port ?? 5432
        var shown = parts
        shown.password = shown.password == nil ? nil : "***"
        location = shown.string ?? url
        var logger = Logger(label: "crocevia.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let configuration: PostgresConnection.Configuration
        if let host {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        } else {
            configuration = .init(unixSocketPath: "/var/run/postgresql/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            let text = Self.describe(error)
            let reason = text.contains("Connection refused") ? "connection refused" : text.contains("No such file") ? "no server socket" : text
            throw CroceviaError.io("\(location): cannot connect to the PostgreSQL server (\(reason)); check that it runs "
                                   + "(pg_ctlcluster 15 main start, or systemctl start postgresql) and that the URL names its host, port, user and database")
        }
    }

    deinit { close() }

    public func close() {
        try? finishCopy()
        if !connection.isClosed { try? connection.close().wait() }
    }

    public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try run(Self.numbered(sql), arguments)
    }

    public func query(_ sql: String, _ arguments: [SQLValue], row: ([SQLValue]) throws -> Void) throws {
        for result in try run(Self.numbered(sql), arguments) {
            try row(result.makeRandomAccess().map(Self.value))
        }
    }

    /// Each row's texts taken as the server sends it, then all handed over one by one when the
    /// query ends: letting postgres-nio gather the whole result (`query`) made it copy its
    /// growing row array over and over, half of a 1,000,000-record re-import's time (perf).
    public func queryText(_ sql: String, _ arguments: [SQLValue], row: (SQLTextRow) throws -> Void) throws {
        final class Rows: Sendable {
            let texts = Mutex<[[[UInt8]]]>([])
        }
        let rows = Rows()
        _ = try send(Self.numbered(sql), arguments) { query in
            connection.query(query, logger: logger) { received in
                let texts = received.map { cell in cell.bytes.map { Array($0.readableBytesView) } ?? [] }
                rows.texts.withLock { $0.append(texts) }
            }
        }
        for texts in rows.texts.withLock({ $0 }) { try SQLTextRow.with(texts, row) }
    }

    /// Rows without a suffix go in through `COPY … FROM STDIN` (a first import, rejected records,
    /// the published directory): the server parses text rows several times faster than a
    /// statement's parameters. Rows with an `ON CONFLICT` suffix go in as multi-row INSERTs.
    public func insert(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        if suffix.isEmpty { return try copy(into: table, columns: columns, rows: rows) }
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        // At most 30,000 values a statement (the protocol allows 65,535).
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            var number = 0
            let tuples = chunk.map { _ in
                "(" + columns.map { _ in number += 1; return "$\(number)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ")
            _ = try run("INSERT INTO \"\(table)\" (\(names)) VALUES \(tuples) \(suffix)", chunk.flatMap { $0 })
        }
    }

    /// `COPY table (columns) FROM STDIN` in PostgreSQL's text format, in the run's transaction.
    /// postgres-nio offers it as an async call only: it runs in a task, and this thread goes on
    /// (preparing the next rows) until its next statement, which waits for the copy first
    /// (`finishCopy`): one connection runs one thing at a time, so the order is kept, and a copy
    /// that failed fails that statement. This thread is never one of the task pool's.
    private func copy(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        try finishCopy()
        guard !connection.isClosed else { throw CroceviaError.io("\(location): the connection to the server is closed") }
        let copy = RunningCopy()
        Task { [connection, logger] in
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in try await writer.write(CopyText.rows(rows)) }
            } catch {
                copy.failure.withLock { $0 = error }
            }
            copy.done.signal()
        }
        running = copy
    }

    /// A copy under way, and how it ended.
    private final class RunningCopy: Sendable {
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<Error?>(nil)
    }

    private var running: RunningCopy?

    /// Waits for the copy under way, if any; throws its failure.
    private func finishCopy() throws {
        guard let copy = running else { return }
        running = nil
        copy.done.wait()
        if let error = copy.failure.withLock({ $0 }) {
            throw CroceviaError.io("\(location): \(Self.describe(error))" + (connection.isClosed ? " (the connection to the server was lost; the run was rolled back)" : ""))
        }
    }

    @discardableResult

    public func exclusive<T>(wait: Double, _ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let deadline = Date().addingTimeInterval(max(wait, 0))
            while try scalar("SELECT CASE WHEN pg_try_advisory_xact_lock(?) THEN 1 ELSE 0 END", [.integer(Self.lockKey)]).integer != 1 {
                guard Date() < deadline else {
                    throw inUse(waited: wait)
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if !connection.isClosed { _ = try? run("ROLLBACK", []) }
            throw error
        }
    }

    /// Sends one statement and waits for all its rows.
    private func run(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        try send(sql, arguments) { connection.query($0, logger: logger) }
    }

    /// Sends one statement through `start` and waits for its answer.
    private func send<T: Sendable>(_ sql: String, _ arguments: [SQLValue], _ start: (PostgresQuery) -> EventLoopFuture<T>) throws -> T {
        try finishCopy()
        // A closed connection would never answer.
        guard !connection.isClosed else { throw CroceviaError.io("\(location): the connection to the server is closed") }
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .boolean(let flag): binds.append(flag)
            case .text(let text): binds.append(text)
            case .utf8(let bytes): binds.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        do {
            return try start(PostgresQuery(unsafeSQL: sql, binds: binds)).wait()
        } catch {
            throw CroceviaError.io("\(location): \(Self.describe(error))" + (connection.isClosed ? " (the connection to the server was lost; the run was rolled back)" : ""))
        }
    }

    /// `?` placeholders as PostgreSQL's `$1`, `$2`... (the registry's SQL has no `?` in its text).
    static func numbered(_ sql: String) -> String {
        var result = ""
        var number = 0
        var inText = false
        for character in sql {
            if character == "'" { inText.toggle() }
            if character == "?" && !inText {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map(SQLValue.boolean) ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }

    /// The server's own message where there is one (`relation "x" does not exist`).
    private static func describe(_ error: Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return String(describing: underlying) }
            return String(describing: error.code)
        }
        return String(describing: error)
    }
}

/// Rows in the text format of PostgreSQL's `COPY`: columns separated by a tab, rows ended by a
/// line break, `\N` for NULL, and a backslash before the backslashes, tabs, line breaks and
/// carriage returns of a value (written `\\`, `\t`, `\n`, `\r`).
enum CopyText {
    static func rows(_ rows: [[SQLValue]]) -> NIOCore.ByteBuffer {
        var buffer = NIOCore.ByteBuffer()
        buffer.reserveCapacity(rows.count * 256)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                write(value, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return buffer
    }

    static func write(_ value: SQLValue, to buffer: inout NIOCore.ByteBuffer) {
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .integer(let number): buffer.writeString(String(number))
        case .real(let number): buffer.writeString(number.description)
        case .boolean(let flag): buffer.writeStaticString(flag ? "t" : "f")
        case .text(var text): text.withUTF8 { escaped($0, to: &buffer) }
        case .utf8(let bytes): bytes.withUnsafeBufferPointer { escaped($0, to: &buffer) }
        }
    }

    private static func escaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout NIOCore.ByteBuffer) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        var index = 0
        while index < bytes.count {
            // Eight bytes at a time while none is a backslash or below 0x20 (a record's JSON has
            // its control characters escaped already, so this is nearly every word).
            if index + 8 <= bytes.count, !SWAR.hasControlOrBackslash(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let escape: UInt8
            switch bytes[index] {
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default:
                index += 1
                continue
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            buffer.writeInteger(UInt8(ascii: "\\"))
            buffer.writeInteger(escape)
            index += 1
            start = index
        }
        buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[start...]))
    }
}
