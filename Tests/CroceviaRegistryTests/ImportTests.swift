import Foundation
import Testing
@testable import CroceviaKit

extension RegistryTests {
@Suite("Import")
struct ImportTests {
    /// A finding's severity matches what happens: a record whose mapping gave an error (a value
    /// that is not a date, left out) is refused, as `validate` counts it invalid, and kept in
    /// rejected_record with its finding; --allow-invalid takes it without the field.
    @Test("a record with mapping errors is rejected, not imported with an error printed", arguments: Backend.allCases)
    func mappingErrorsReject(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        let profile = folder + "/profilo.yaml"
        try """
            crocevia_profile: 1
            source: { name: prova, format: csv, key: Codice }
            target: service
            fields:
              id: { uuid: Codice }
              name: Nome
              status: { const: active }
              assured_date: { column: Verificato, transforms: [{ date: [dd/MM/yyyy] }] }
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let feed = folder + "/servizi.csv"
        try "Codice;Nome;Verificato\nS1;Sportello;03/11/2026\nS2;Mensa;ieri\n".write(toFile: feed, atomically: true, encoding: .utf8)
        var options = ImportOptions(inputs: [feed])
        options.profile = profile
        let findings = FindingLog()
        let summary = try Importer(options: options, findings: findings).run(into: db)
        #expect(counts(summary) == [1, 0, 0, 0, 1])
        #expect(findings.findings.filter { $0.severity == .error }.map(\.rule) == ["map.date", "registry.mapping-errors"])
        let rejected = try db.rows("SELECT line FROM rejected_record")
        #expect(rejected == [[.integer(3)]])
        options.allowInvalid = true
        #expect(counts(try Importer(options: options, findings: FindingLog()).run(into: db)) == [1, 0, 1, 0, 0])
    }

    /// PostgreSQL takes a first import's rows through COPY's text format, where a backslash, a tab,
    /// a line break and a carriage return are escaped: the registry keeps each value as it came.
    @Test("values with backslashes, tabs and line breaks are stored as they came, and load again unchanged", arguments: Backend.allCases)
    func escapedCharacters(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let line = #"{"id":"\#(serviceID(1))","name":"Sportello \\ C:\\dati\ttab\nriga\r","description":"\\N è \"virgolette\" \u0001","status":"active"}"#
        // A file name may hold them raw: a tab, a line break, a carriage return, a backslash.
        let feed = try temporaryFolder() + "/feed\tdi prova\n\r\\N.jsonl"
        try (line + "\n").write(toFile: feed, atomically: true, encoding: .utf8)
        #expect(counts(try importFeed(feed, into: db)) == [1, 0, 0, 0, 0])
        #expect(try db.rows("SELECT content, file FROM source_record") == [[.text(line), .text(feed)]])
        #expect(counts(try importFeed(feed, into: db)) == [0, 0, 1, 0, 0])
    }

    /// PostgreSQL's COPY runs while the import goes on, and its failure fails the next statement
    /// (here the COMMIT): the transaction is rolled back all the same, and the server's words given.
    @Test("rows the database refuses fail the run and leave nothing behind", arguments: Backend.allCases)
    func refusedRowsRollBack(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        try db.execute("CREATE TABLE prova (nome TEXT NOT NULL)")
        let expected = backend == .sqlite
            ? CroceviaError.io("\(db.location): NOT NULL constraint failed: prova.nome (in: INSERT INTO \"prova\" (\"nome\") VALUES (?) )")
            : CroceviaError.io("\(db.location): null value in column \"nome\" of relation \"prova\" violates not-null constraint")
        #expect(throws: expected) {
            try db.exclusive(wait: 0) {
                try db.insert(into: "prova", columns: ["nome"], rows: [[.text("Sportello")], [.null]], suffix: "")
            }
        }
        #expect(try db.rows("SELECT COUNT(*) FROM prova") == [[.integer(0)]])
        try db.exclusive(wait: 0) { try db.insert(into: "prova", columns: ["nome"], rows: [[.text("Sportello")]], suffix: "") }
        #expect(try db.rows("SELECT nome FROM prova") == [[.text("Sportello")]])
    }

    @Test("importing the same feed twice changes nothing", arguments: Backend.allCases)
    func sameFeedTwice(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let feed = try serviceFeed([(1, "Sportello lavoro", "active"), (2, "Doposcuola", "active"), (3, "Emporio solidale", "inactive")], in: try temporaryFolder())
        #expect(counts(try importFeed(feed, into: db)) == [3, 0, 0, 0, 0])
        let second = try importFeed(feed, into: db)
        #expect(counts(second) == [0, 0, 3, 0, 0])
        #expect(second.runID == 2)
        let log = try db.rows("SELECT run_id, kind, source, mode, records, added, changed, unchanged, removed, rejected, status FROM run_log ORDER BY run_id")
        #expect(log == [
            [.integer(1), .text("import"), .text("partner"), .text("full"), .integer(3), .integer(3), .integer(0), .integer(0), .integer(0), .integer(0), .text("succeeded")],
            [.integer(2), .text("import"), .text("partner"), .text("full"), .integer(3), .integer(0), .integer(0), .integer(3), .integer(0), .integer(0), .text("succeeded")],
        ])
        // Unchanged records are not rewritten: they still carry the run that added them.
        #expect(try db.rows("SELECT DISTINCT changed_run FROM source_record") == [[.integer(1)]])
    }

    @Test("a JSON Lines feed: unchanged lines recognised by their bytes, a changed one parsed, a broken one left to the reader", arguments: Backend.allCases)
    func unchangedLines(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        let feed = try serviceFeed([(1, "A", "active"), (2, "B", "active"), (3, "C", "active")], in: folder)
        try importFeed(feed, into: db)
        // Windows line ends, a blank line, the second record renamed.
        let changed = folder + "/changed.jsonl"
        try (serviceLine(1, "A") + "\r\n" + serviceLine(2, "B nuovo") + "\r\n\r\n" + serviceLine(3, "C") + "\r\n").write(toFile: changed, atomically: true, encoding: .utf8)
        let findings = FindingLog()
        #expect(counts(try importFeed(changed, into: db, findings: findings)) == [0, 1, 2, 0, 0])
        #expect(try db.rows("SELECT line FROM source_record WHERE id = ?", [.text(serviceID(2))]) == [[.integer(2)]])
        // A broken line: the whole file goes through the reader, which reports the line and, the
        // file being read to its end, still removes nothing that is there.
        let broken = folder + "/broken.jsonl"
        try (serviceLine(1, "A") + "\n{\"id\": \n" + serviceLine(2, "B nuovo") + "\n" + serviceLine(3, "C") + "\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let brokenFindings = FindingLog()
        #expect(counts(try importFeed(broken, into: db, findings: brokenFindings)) == [0, 0, 3, 0, 0])
        #expect(brokenFindings.findings.map { "\($0.line ?? 0) \($0.severity.rawValue)" } == ["2 error"])
    }

    @Test("a JSON Lines feed the fast way: what the reader would give for bad bytes, pages, a huge line and a record twice", arguments: Backend.allCases)
    func fastLines(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        func write(_ name: String, _ parts: [[UInt8]]) throws -> String {
            let path = folder + "/" + name
            try Data(parts.joined()).write(to: URL(fileURLWithPath: path))
            return path
        }
        func utf8(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }
        func names() throws -> [String] {
            try db.rows("SELECT content FROM source_record ORDER BY id").compactMap { row in
                row[0].text.flatMap(JSONText.parse)?.objectValue?["name"]?.stringValue.map { String($0.prefix(12)) }
            }
        }

        // A byte that is not UTF-8 after UTF-8 text: replaced and reported, the lines after it read.
        let mixed = try write("mixed.jsonl", [utf8(serviceLine(1, "Caffè")), utf8(serviceLine(2, "B")),
                                              Array(#"{"id":"\#(serviceID(3))","name":"Caff"#.utf8) + [0xE8] + utf8(#"","status":"active"}"#),
                                              utf8(serviceLine(4, "D"))])
        let mixedFindings = FindingLog()
        #expect(counts(try importFeed(mixed, into: db, findings: mixedFindings)) == [4, 0, 0, 0, 0])
        #expect(mixedFindings.findings.map { "\($0.line ?? 0) \($0.rule)" } == ["3 encoding.invalid-utf8"])
        #expect(try names() == ["Caffè", "B", "Caff\u{FFFD}", "D"])

        // Windows-1252 in a file that was ASCII before it: read as Windows-1252 from there on.
        let windows = try write("windows.jsonl", [utf8(serviceLine(1, "A")), Array(#"{"id":"\#(serviceID(2))","name":"Caff"#.utf8) + [0xE8] + utf8(#"","status":"active"}"#),
                                                  utf8(serviceLine(3, "C")), utf8(serviceLine(4, "D"))])
        let windowsFindings = FindingLog()
        #expect(counts(try importFeed(windows, into: db, findings: windowsFindings)) == [0, 3, 1, 0, 0])
        #expect(windowsFindings.findings.map { "\($0.line ?? 0) \($0.rule)" } == ["2 encoding.detected"])
        #expect(try names() == ["A", "Caffè", "C", "D"])

        // An HSDS page on a line gives its records; a line longer than the 4 MiB chunk is read whole.
        let long = String(repeating: "x", count: 5 << 20)
        let page = #"{"total_items":2,"page_number":1,"contents":[\#(serviceLine(2, "B2")),\#(serviceLine(3, "C2"))]}"#
        let paged = try write("paged.jsonl", [utf8(serviceLine(1, "A")), utf8(page), utf8(serviceLine(4, long))])
        #expect(counts(try importFeed(paged, into: db)) == [0, 3, 1, 0, 0])
        #expect(try names() == ["A", "B2", "C2", String(long.prefix(12))])
        #expect(try db.rows("SELECT id, line FROM source_record ORDER BY id").map { $0[1] } == [.integer(1), .integer(2), .integer(2), .integer(3)])

        // A NUL byte near the start: the whole file is refused as binary, as the reader refuses it, and nothing is imported.
        let binary = try write("binary.jsonl", [utf8(serviceLine(6, "F")), Array(#"{"id":"\#(serviceID(7))","name":"G"#.utf8) + [0] + utf8(#"","status":"active"}"#)])
        let binaryFindings = FindingLog()
        let refused = try importFeed(binary, into: db, mode: .delta, findings: binaryFindings)
        #expect(refused.records == 0 && refused.unreadableInputs == 1)
        #expect(binaryFindings.findings.map { "\($0.line ?? 0) \($0.rule)" } == ["2 input.unreadable"])
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record WHERE id = ?", [.text(serviceID(6))]).integer == 0)

        // The same record twice, as a new record and as an unchanged one: the second is rejected, with its content.
        let twice = try write("twice.jsonl", [utf8(serviceLine(1, "A")), utf8(serviceLine(5, "E")), utf8(serviceLine(1, "A")), utf8(serviceLine(5, "E")), utf8(serviceLine(2, "B"))])
        let twiceFindings = FindingLog()
        #expect(counts(try importFeed(twice, into: db, mode: .delta, findings: twiceFindings)) == [1, 1, 1, 0, 2])
        #expect(twiceFindings.findings.map { "\($0.line ?? 0) \($0.rule)" } == ["3 registry.duplicate-id", "4 registry.duplicate-id"])
        #expect(try db.rows("SELECT line, record_id, content FROM rejected_record ORDER BY line") == [
            [.integer(3), .text(serviceID(1)), .text(serviceLine(1, "A"))], [.integer(4), .text(serviceID(5)), .text(serviceLine(5, "E"))],
        ])
    }

    @Test("two JSON Lines files, the first taken over by the reader halfway: records applied in feed order across both", arguments: Backend.allCases)
    func fastLinesAcrossFiles(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        // The first file's third record comes through the reader (after the broken line); the
        // second file, read the fast way, repeats it: the second file's copy is the one refused.
        let first = folder + "/first.jsonl", second = folder + "/second.jsonl"
        try [serviceLine(1, "A"), "{\"id\": ", serviceLine(2, "B"), ""].joined(separator: "\n").write(toFile: first, atomically: true, encoding: .utf8)
        try [serviceLine(3, "C"), serviceLine(2, "B bis"), ""].joined(separator: "\n").write(toFile: second, atomically: true, encoding: .utf8)
        var options = ImportOptions(inputs: [first, second])
        options.source = "partner"
        let findings = FindingLog()
        let summary = try Importer(options: options, findings: findings).run(into: db)
        #expect(counts(summary) == [3, 0, 0, 0, 1])
        #expect(findings.findings.map { "\($0.file) \($0.line ?? 0) \($0.rule)" } == [
            "\(first) 2 json.syntax", "\(second) 2 registry.duplicate-id",
        ])
        #expect(try db.rows("SELECT file, line FROM source_record WHERE id = ?", [.text(serviceID(2))]) == [[.text(first), .integer(3)]])
    }

    @Test("a full feed tombstones what it no longer carries; a delta feed removes nothing", arguments: Backend.allCases)
    func fullAndDelta(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        try importFeed(try serviceFeed([(1, "A", "active"), (2, "B", "active"), (3, "C", "active")], in: folder), into: db)
        let delta = try serviceFeed([(2, "B rinominato", "active")], in: folder, name: "delta.jsonl")
        #expect(counts(try importFeed(delta, into: db, mode: .delta)) == [0, 1, 0, 0, 0])
        let full = try serviceFeed([(1, "A", "active"), (2, "B rinominato", "active")], in: folder, name: "full.jsonl")
        #expect(counts(try importFeed(full, into: db)) == [0, 0, 2, 1, 0])
        #expect(try db.rows("SELECT id, status, removed_run FROM source_record WHERE status = 'removed'") == [[.text(serviceID(3)), .text("removed"), .integer(3)]])
        // A removed record that comes back is active again (counted as changed).
        let back = try serviceFeed([(1, "A", "active"), (2, "B rinominato", "active"), (3, "C", "active")], in: folder, name: "back.jsonl")
        #expect(counts(try importFeed(back, into: db)) == [0, 1, 2, 0, 0])
        #expect(try db.rows("SELECT status, removed_run FROM source_record WHERE id = ?", [.text(serviceID(3))]) == [[.text("active"), .null]])
    }

    @Test("invalid records are kept apart with their findings; the valid ones load", arguments: Backend.allCases)
    func invalidRecords(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        let path = folder + "/feed.jsonl"
        try """
            {"id":"\(serviceID(1))","name":"Sportello","status":"active"}
            {"id":"\(serviceID(2))","name":"Doposcuola","status":"forse"}
            {"name":"Senza id","status":"active"}
            {"id":"\(serviceID(1))","name":"Sportello bis","status":"active"}
            {"id":"\(serviceID(4))","name":"Emporio","status":"active"}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let findings = FindingLog()
        let summary = try importFeed(path, into: db, findings: findings)
        #expect(counts(summary) == [2, 0, 0, 0, 3])
        #expect(findings.findings.map { "\($0.line ?? 0) \($0.rule)" } == ["2 schema.enum", "3 registry.no-id", "4 registry.duplicate-id"])
        #expect(findings.findings[2].message == "the id \(serviceID(1)) was already used by the record on line 1; this one was not imported")
        let rejected = try db.rows("SELECT line, record_id, findings FROM rejected_record ORDER BY line")
        #expect(rejected.map { $0[0] } == [.integer(2), .integer(3), .integer(4)])
        #expect(rejected[1][1] == .null)
        #expect(rejected[0][2].text?.contains(#""rule":"schema.enum""#) == true)
        #expect(rejected[0][2].text?.contains(#""value":"forse""#) == true)

        // --allow-invalid imports the record with errors; one without id still cannot be kept.
        let second = try importFeed(path, into: db, allowInvalid: true)
        #expect(counts(second) == [1, 0, 2, 0, 2])
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record").integer == 3)
    }

    @Test("a run that fails halfway leaves the registry as it was, and a failed run-log row", arguments: Backend.allCases)
    func failedRunRollsBack(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        try importFeed(try serviceFeed([(1, "A", "active"), (2, "B", "active")], in: folder), into: db)
        let before = try db.rows("SELECT source, id, content_hash, status, changed_run FROM source_record ORDER BY id")
        // 2,500 new records: the second batch of 1,000 fails to be written.
        let big = try serviceFeed((3...2502).map { ($0, "Servizio \($0)", "active") }, in: folder, name: "big.jsonl")
        #expect(throws: CroceviaError.io("\(db.location): the disk is full (simulated)")) {
            try importFeed(big, into: FailingDatabase(db, failAt: 2))
        }
        #expect(try db.rows("SELECT source, id, content_hash, status, changed_run FROM source_record ORDER BY id") == before)
        #expect(try db.rows("SELECT run_id, status, message FROM run_log ORDER BY run_id") == [
            [.integer(1), .text("succeeded"), .null],
            [.integer(2), .text("failed"), .text("\(db.location): the disk is full (simulated)")],
        ])
    }

    @Test("a second run waits for the first, then gives up with a clear message", arguments: Backend.allCases)
    func concurrentRuns(backend: Backend) throws {
        let (db, url) = try backend.fresh()
        defer { db.close() }
        try importFeed(try serviceFeed([(1, "A", "active")], in: try temporaryFolder()), into: db)
        let other = try backend.reopen(url)
        defer { other.close() }
        let started = Date()
        try db.exclusive(wait: 0) {
            #expect(throws: CroceviaError.io("\(other.location) is in use by another run (waited 1 s); try again when it ends, or give --wait SECONDS to wait for it")) {
                try other.exclusive(wait: 1) { try other.execute("DELETE FROM source_record") }
            }
        }
        #expect(Date().timeIntervalSince(started) >= 0.9)
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record").integer == 1)
        // Once the first run is over, the second gets the registry.
        try other.exclusive(wait: 0) { try other.execute("UPDATE source_record SET line = 7") }
        #expect(try db.scalar("SELECT line FROM source_record").integer == 7)
    }

    @Test("a database that is not a registry is refused and left untouched", arguments: Backend.allCases)
    func notARegistry(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        try db.execute("CREATE TABLE clienti (id TEXT)")
        let feed = try serviceFeed([(1, "A", "active")], in: try temporaryFolder())
        #expect(throws: CroceviaError.io("\(db.location) is a database but not a Crocevia registry (it holds other tables: clienti); name a new file or an empty database")) {
            try importFeed(feed, into: db)
        }
        #expect(try RegistrySchema.tables(in: db) == ["clienti"])
    }
}
}
