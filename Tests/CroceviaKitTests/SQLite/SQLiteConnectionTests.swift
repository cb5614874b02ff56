import Foundation
import Testing
@testable import CroceviaKit

@Suite("SQLite connection")
struct SQLiteConnectionTests {
    private func scratchPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-sqlite-test-\(UUID().uuidString).sqlite").path
    }

    @Test func valuesGoInAndComeBackAsTheyWere() throws {
        let path = scratchPath()
        defer { unlink(path) }
        let db = try SQLiteConnection(path: path, label: "prova")
        try db.execute("CREATE TABLE t (a, b, c, d, e); CREATE INDEX t_a ON t (a)")
        let values: [SQLValue] = [.integer(-7), .real(2.5), .text(""), .utf8(Array("è\u{1}\\".utf8)), .null]
        try db.statement("INSERT INTO t VALUES (?, ?, ?, ?, ?)") { $0.bind(values); try $0.run() }
        try db.statement("INSERT INTO t VALUES (?, ?, ?, ?, ?)") { $0.bind([.boolean(true), .null, .text("x"), .null, .null]); try $0.run() }
        var rows: [[SQLValue]] = []
        try db.statement("SELECT * FROM t ORDER BY rowid") { statement in
            while try statement.step() { rows.append((0..<statement.columnCount).map(statement.value(at:))) }
        }
        #expect(rows == [
            [.integer(-7), .real(2.5), .text(""), .text("è\u{1}\\"), .null],
            [.integer(1), .null, .text("x"), .null, .null],
        ])
    }

    @Test func oneStatementIsPreparedWhereOneIsRun() throws {
        let path = scratchPath()
        defer { unlink(path) }
        let db = try SQLiteConnection(path: path, label: "prova")
        #expect {
            _ = try db.prepare("CREATE TABLE a (x); CREATE TABLE b (x)")
        } throws: { error in
            (error as? SQLiteError)?.description == "prova: more than one statement given where one is run"
        }
        #expect((try? db.prepare("SELECT 1;  ")) != nil)
        try db.execute("CREATE TABLE a (x); CREATE TABLE b (x)")
        var tables: [String] = []
        try db.statement("SELECT name FROM sqlite_master ORDER BY name") { while try $0.step() { tables.append($0.text(at: 0) ?? "") } }
        #expect(tables == ["a", "b"])
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWhenOpened() throws {
        let path = scratchPath()
        defer { unlink(path) }
        try "nome;indirizzo\n".padding(toLength: 4096, withPad: "x", startingAt: 0).write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try SQLiteConnection(path: path, label: "prova")
        } throws: { error in
            (error as? SQLiteError).map { $0.kind == .notADatabase && $0.description == "prova: file is not a database" } ?? false
        }
    }
}
