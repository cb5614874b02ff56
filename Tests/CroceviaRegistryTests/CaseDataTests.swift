import Foundation
import Testing
@testable import CroceviaKit

extension RegistryTests {
@Suite("Case data in the registry")
struct CaseDataTests {
    /// Every value of the sample case feeds' identifier columns, and the forms Crocevia would
    /// make of them (E.164 phones, ISO birth dates), lowercased; less what the directory feeds
    /// hold anyway (a first name that is also a parish's saint: Giuseppe).
    func rawIdentifiers(_ config: NetworkConfig) throws -> Set<String> {
        var values: Set<String> = []
        var directory = ""
        let schemas = HSDSSchemas(directory: "Schemas")
        for feed in config.feeds {
            guard let path = feed.profile, case let profile = try ProfileLoader.load(path: path, schemas: schemas), profile.target.isCase else {
                for file in NetworkConfig.expand(feed.input) where !file.hasSuffix("lanarkshire") {
                    directory += String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self).lowercased()
                }
                continue
            }
            var options = ReaderOptions()
            var from: Format?
            var encoding: TextEncoding?
            try profile.source.apply(to: &options, from: &from, encoding: &encoding)
            let reader = try (from ?? profile.source.format).makeReader(path: feed.input, encoding: encoding ?? .auto, source: feed.name,
                                                                         options: options, findings: FindingLog())
            var lookups = profile.identifierColumns.map { ColumnLookup(name: $0, format: profile.source.format) }
            while let record = try reader.next() {
                let row = record.value.objectValue ?? JSONObject()
                for index in lookups.indices {
                    for value in FieldValues(raw: lookups[index].value(in: row)).array {
                        let text = value.cellText.trimmingWhitespace()
                        guard text.count >= 5 else { continue }
                        values.insert(text.lowercased())
                        values.formUnion(Phone.normalize(text).numbers.map { $0.lowercased() })
                        if let iso = DatePattern("dd/MM/yyyy")!.isoDate(from: text) { values.insert(iso) }
                    }
                }
            }
        }
        return values.filter { !directory.contains($0) }
    }

    @Test("no raw identifier of the sample case feeds reaches the registry, a report, the log or the monitoring report", arguments: Backend.allCases)
    func nothingLeaks(backend: Backend) throws {
        let (db, url) = try backend.fresh()
        db.close()
        let reports = try temporaryFolder()
        let config = try sampleNetworkConfig(reports: reports, registry: url)
        let identifiers = try rawIdentifiers(config)
        // The samples hold codici fiscali, names, birth dates, street addresses, phones, e-mails.
        #expect(identifiers.count > 120)
        #expect(identifiers.isSuperset(of: ["brtgpp48c12l219r", "bertolino", "1948-03-12", "via cigna 12", "+390112345678", "figlia 347 9988776",
                                            "mrtlcu77d42l219h", "+393331002003", "gianni.rolando@esempio.it", "franca bellone"]))
        var log = ""
        let outcome = PipelineRun(config: config, open: { _ in try backend.reopen(url) }) { log += $0.json + "\n" }.run()
        #expect(outcome.exitCode == 0)
        let feedReport = try JSONDocument.load(path: reports + "/punti-comunita-brescia-invii.json")
        #expect(feedReport["summary"]?["schema"] == .string("case") && feedReport["import"]?["added"] == .number("22"))
        let again = try backend.reopen(url)
        defer { again.close() }
        let monitoring = try Monitoring.gather(from: again, options: .init(from: "2026-01-01", to: "2026-12-31"))
        try HTMLReport.write(MonitoringReport.html(monitoring, language: .it), to: reports + "/monitoring.html")
        // Every value escaped: "<5" is text, never markup.
        let page = try String(contentsOfFile: reports + "/monitoring.html", encoding: .utf8)
        #expect(!page.contains("><5<") && page.contains("<td>&lt;5</td>"))
        try HTMLReport.write(MonitoringReport.json(monitoring), to: reports + "/monitoring.json")
        try MonitoringReport.writeCSV(monitoring, folder: reports + "/monitoring")

        var outputs: [(String, String)] = [("the log", log)]
        let files = FileManager.default.enumerator(atPath: reports)!.compactMap { $0 as? String }
        #expect(files.count > 40)
        for file in files {
            if let data = FileManager.default.contents(atPath: reports + "/" + file) { outputs.append((file, String(decoding: data, as: UTF8.self))) }
        }
        switch backend {
        case .sqlite:
            let data = try #require(FileManager.default.contents(atPath: String(url.dropFirst("sqlite:".count))))
            outputs.append(("the registry file", String(decoding: data, as: UTF8.self)))
        case .postgres:
            for table in try RegistrySchema.tables(in: again).sorted() {
                var text = ""
                try again.query("SELECT * FROM \(quoted(table))", []) { row in text += row.map { $0.text ?? "" }.joined(separator: "|") + "\n" }
                outputs.append(("table \(table)", text))
            }
        }
        var leaks: [String] = []
        for (name, text) in outputs {
            let lowered = text.lowercased()
            for value in identifiers where lowered.contains(value) { leaks.append("\(name): \(value)") }
        }
        #expect(leaks == [])
        // And the case data is there, keyed.
        #expect(try again.scalar("SELECT COUNT(*) FROM case_contact WHERE person_key IS NOT NULL").integer == 71)
    }

    @Test("the monitoring report of the sample network: the same figures from SQLite and PostgreSQL", arguments: Backend.allCases)
    func monitoring(backend: Backend) throws {
        let (db, url) = try backend.fresh()
        db.close()
        let outcome = PipelineRun(config: try sampleNetworkConfig(reports: try temporaryFolder(), registry: url), open: { _ in try backend.reopen(url) }) { _ in }.run()
        #expect(outcome.exitCode == 0)
        #expect(outcome.feeds.suffix(6).map { $0.summary?.added ?? -1 } == [34, 26, 14, 22, 18, 30])
        let again = try backend.reopen(url)
        defer { again.close() }
        for (table, count) in [("case_contact", 74), ("case_need", 78), ("case_referral", 59), ("case_outcome", 26), ("case_volunteer_activity", 30), ("case_posting", 18)] {
            #expect(try again.scalar("SELECT COUNT(*) FROM \(table)").integer == Int64(count), "\(table)")
        }
        let report = try Monitoring.gather(from: again, options: .init(from: "2026-09-01", to: "2026-11-30"))
        #expect([report.contacts.text, report.peopleReached.text, report.warmHandoffs.text, report.warmHandoffCompleted.text] == ["74", "32", "25", "7"])
        #expect(report.medianDaysToFeedback == 16.0)
        #expect(report.volunteerHours == Double(82.5))
        let tables = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.name, $0.rows.map { "\($0.key)=\($0.text)" }.joined(separator: " ") + " total=\($0.totalText)") })
        #expect(tables["contacts_by_phase"] == "accoglienza=22 orientamento=14 offerta=38 total=74")
        #expect(tables["contacts_by_desk"] == "portineria-porta-palazzo=12 portineria-aurora=11 portineria-borgo-san-paolo=11 SN-03=9 SN-07=9 SN-11=8 LB-IV-CASA=x LB-IV-ELP=5 LB-CU-ELP=<5 total=74")
        // One desk, one month: small numbers, protected.
        let desk = try Monitoring.gather(from: again, options: .init(from: "2026-10-01", to: "2026-10-31", desk: "LB-IV-CASA"))
        #expect([desk.contacts.text, desk.peopleReached.text] == ["<5", "<5"])
        #expect(desk.completionRate == nil && desk.medianDaysToFeedback == nil)

        // Differencing: no two of the reports the command can give, subtracted, show a small count.
        #expect(try Self.differencing(again) == [])
    }

    /// A generated network of three desks over three months, one desk small (3 contacts), one
    /// with a month of 3: no pair of reports (network or desk, any run of months) and no sum of
    /// desks or months gives a count from 1 to 4. Without the audit the same data gives them.
    @Test("a generated network: no small figure comes out of subtracting reports, by desk or by month", arguments: Backend.allCases)
    func generatedNetworkDifferencing(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let folder = try temporaryFolder()
        var lines = ["id,desk_id,datetime,channel,phase,person_key"]
        for (desk, perMonth) in [("A", [20, 20, 3]), ("B", [10, 12, 9]), ("C", [0, 3, 0])] {
            for (month, count) in perMonth.enumerated() {
                for n in 0..<count {
                    let key = String(repeating: String(format: "%02x", (desk.unicodeScalars.first!.value * 7 + UInt32(month * 40 + n)) % 256), count: 32)
                    lines.append("\(desk)-\(month)-\(n),\(desk),2026-\(String(format: "%02d", 9 + month))-\(String(format: "%02d", n % 28 + 1))T10:00:00+02:00,\(n % 3 == 0 ? "phone" : "in_person"),offerta,\(key)")
                }
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/contact.csv", atomically: true, encoding: .utf8)
        var options = ImportOptions(inputs: [folder])
        options.source = "rete"
        options.hsdsObject = "case/contact"
        let summary = try Importer(options: options, findings: FindingLog()).run(into: db)
        #expect(summary.added == 77)
        let quarter = try Monitoring.gather(from: db, options: .init(from: "2026-09-01", to: "2026-11-30"))
        let byDesk = quarter.tables.first { $0.name == "contacts_by_desk" }!.rows.map { "\($0.key)=\($0.text)" }
        #expect(quarter.contacts.text == "77" && byDesk == ["A=43", "B=x", "C=<5"])
        #expect(try Self.differencing(db) == [])
        // The same reports with only the small counts hidden: subtraction shows them.
        let raw = MonitoringCube(try Monitoring.tally(db))
        let unprotected = Self.reports(raw, registry: db.location)
        #expect(Self.differences(unprotected).count > 10)
    }

    /// Every report the command can give: the network and each desk, every run of whole months.
    static func reports(_ cube: MonitoringCube, registry: String) -> [Monitoring] {
        var reports: [Monitoring] = []
        for desk in [nil] + cube.desks.map(Optional.some) {
            for first in cube.months.indices {
                for last in first..<cube.months.count {
                    let options = Monitoring.Options(from: cube.months[first] + "-01", to: lastDay(cube.months[last]), desk: desk)
                    reports.append(Monitoring(cube: cube, scope: cube.scope(desk: desk, from: cube.months[first], to: cube.months[last]),
                                              options: options, registry: registry))
                }
            }
        }
        return reports
    }

    static func lastDay(_ month: String) -> String {
        (28...31).map { month + "-\($0)" }.last { FormatCheck.isDate(Substring($0)) }!
    }

    /// The registry's reports, each as the command gives it, subtracted in every way checked by
    /// `differences`.
    static func differencing(_ db: RegistryDatabase) throws -> [String] {
        let cube = MonitoringCube(try Monitoring.tally(db))
        let reports = try reports(cube, registry: db.location).map { try Monitoring.gather(from: db, options: $0.options) }
        #expect(reports.count == (cube.desks.count + 1) * cube.months.count * (cube.months.count + 1) / 2)
        return differences(reports)
    }

    /// Every pair of reports where one's desk and months hold the other's, with the figures
    /// shown in both that differ by 1 to 4; and every report's figures minus those of all its
    /// desks or all its months but one hidden one, where that gives 1 to 4.
    static func differences(_ reports: [Monitoring]) -> [String] {
        var found: [String] = []
        func holds(_ outer: Monitoring.Options, _ inner: Monitoring.Options) -> Bool {
            (outer.desk == nil || outer.desk == inner.desk) && outer.from <= inner.from && inner.to <= outer.to
        }
        func label(_ options: Monitoring.Options) -> String { "\(options.desk ?? "network") \(options.from)…\(options.to)" }
        for outer in reports {
            for inner in reports where inner.options != outer.options && holds(outer.options, inner.options) {
                found += smallDifferences(outer, inner).map { "\(label(outer.options)) − \(label(inner.options)): \($0.0) = \($0.1)" }
            }
            let desks = reports.filter { outer.options.desk == nil && $0.options.desk != nil && ($0.options.from, $0.options.to) == (outer.options.from, outer.options.to) }
            let months = reports.filter { $0.options.desk == outer.options.desk && $0.options.from.prefix(7) == $0.options.to.prefix(7)
                && holds(outer.options, $0.options) && $0.options != outer.options }
            for parts in [desks, months] where parts.count > 1 {
                found += recoveredByAllOtherDesks(outer, parts).map { "\(label(outer.options)) by parts: \($0.0) = \($0.1)" }
            }
        }
        return found
    }

    /// A report's figures minus those of every part but one (its desks, or its months), where
    /// that one part's is hidden: those that come out from 1 to 4.
    static func recoveredByAllOtherDesks(_ network: Monitoring, _ parts: [Monitoring]) -> [(String, Int)] {
        var found: [(String, Int)] = []
        func check(_ name: String, _ whole: Int, _ cells: [(count: Int, suppressed: Bool)?]) {
            guard cells.filter({ $0?.suppressed == true }).count == 1 else { return }
            let recovered = whole - cells.compactMap { $0 }.filter { !$0.suppressed }.reduce(0) { $0 + $1.count }
            if (1..<Monitoring.threshold).contains(recovered) { found.append((name, recovered)) }
        }
        for (name, value) in network.headline where !value.suppressed {
            check(name, value.count, parts.map { part in part.headline.first { $0.0 == name }.map { ($0.1.count, $0.1.suppressed) } })
        }
        for table in network.tables {
            for row in table.rows where !row.suppressed {
                check("\(table.name).\(row.key)", row.count, parts.map { part in
                    part.tables.first { $0.name == table.name }?.rows.first { $0.key == row.key }.map { ($0.count, $0.suppressed) }
                })
            }
        }
        return found
    }

    /// The figures shown in both reports whose difference is from 1 to 4.
    static func smallDifferences(_ whole: Monitoring, _ part: Monitoring) -> [(String, Int)] {
        var found: [(String, Int)] = []
        func compare(_ name: String, _ a: SuppressedValue, _ b: SuppressedValue) {
            if !a.suppressed && !b.suppressed && (1..<Monitoring.threshold).contains(a.count - b.count) { found.append((name, a.count - b.count)) }
        }
        compare("people_reached", whole.peopleReached, part.peopleReached)
        compare("contacts", whole.contacts, part.contacts)
        compare("warm_handoffs", whole.warmHandoffs, part.warmHandoffs)
        compare("warm_handoffs_completed", whole.warmHandoffCompleted, part.warmHandoffCompleted)
        compare("referrals_with_feedback", whole.referralsWithFeedback, part.referralsWithFeedback)
        compare("volunteers", whole.volunteers, part.volunteers)
        for table in part.tables {
            guard let all = whole.tables.first(where: { $0.name == table.name }) else { continue }
            for row in table.rows where !row.suppressed {
                if let other = all.rows.first(where: { $0.key == row.key }), !other.suppressed,
                   (1..<Monitoring.threshold).contains(other.count - row.count) { found.append(("\(table.name).\(row.key)", other.count - row.count)) }
            }
            if !table.totalSuppressed && !all.totalSuppressed && (1..<Monitoring.threshold).contains(all.total - table.total) {
                found.append(("\(table.name).total", all.total - table.total))
            }
        }
        return found
    }

    @Test("a referral feed with impossible transitions loads its good rows; the others wait in rejected_record without the phone")
    func rejected() throws {
        let (db, _) = try Backend.sqlite.fresh()
        defer { db.close() }
        var options = ImportOptions(inputs: ["Tests/CroceviaEndToEndTests/Cases/case-bad-referrals/invii.csv"])
        options.profile = "Samples/case-data/punti-comunita-brescia/profile.yaml"
        options.secretFile = "Samples/case-data/sample-network.key"
        let findings = FindingLog()
        let summary = try Importer(options: options, findings: findings).run(into: db)
        #expect(summary.added == 2 && summary.rejected == 5)
        #expect(try db.scalar("SELECT COUNT(*) FROM case_referral").integer == 2)
        let rejected = try db.rows("SELECT line, record_id, content, findings FROM rejected_record ORDER BY line")
        #expect(rejected.map { "\($0[0].integer ?? 0) \($0[1].text ?? "")" } == ["3 PC-BS-1206", "4 PC-BS-1209", "5 PC-BS-1213", "6 PC-BS-1204", "7 PC-BS-1203"])
        #expect(rejected.allSatisfy { !($0[2].text ?? "").contains("333") && !($0[2].text ?? "").contains("340 7654321") })
        #expect(rejected[1][3].text?.contains("a referral cannot go from declined to completed") ?? false)
    }
}
}

extension RegistryTests.CaseDataTests {
    @Test("a version-1 registry gets the case tables and source_record's two indexes when a run first opens it, its records kept", arguments: Backend.allCases)
    func migration(backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let schema = try TabularSchema.bundled(schemas: HSDSSchemas(directory: "Schemas"))
        let indexQuery = switch backend {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('source_record_key', 'source_record_hash') ORDER BY name"
        case .postgres: "SELECT indexname::text FROM pg_indexes WHERE indexname IN ('source_record_key', 'source_record_hash') ORDER BY indexname"
        }
        let caseTables: Set<String> = ["case_contact", "case_need", "case_referral", "case_outcome", "case_volunteer_activity", "case_posting"]
        try db.exclusive(wait: 0) { try RegistrySchema.prepare(db, schema: schema) }
        // Back to what version 1 had: no case tables, source_record keyed by its primary key.
        try db.exclusive(wait: 0) {
            for table in caseTables { try db.execute("DROP TABLE \(table)") }
            try db.execute("DROP TABLE source_record")
            try db.execute("""
                CREATE TABLE source_record (source TEXT NOT NULL, id TEXT NOT NULL, object_type TEXT NOT NULL,
                    content_hash TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, file TEXT, line BIGINT,
                    first_run BIGINT NOT NULL, changed_run BIGINT NOT NULL, removed_run BIGINT, PRIMARY KEY (source, id))
                """)
            try db.execute("INSERT INTO source_record VALUES ('a', '1', 'service', 'h', '{}', 'active', 'f', 2, 1, 1, NULL)")
            try db.execute("UPDATE registry_meta SET value = '1' WHERE key = 'schema_version'")
        }
        #expect(try RegistrySchema.tables(in: db).isDisjoint(with: caseTables))
        #expect(try db.rows(indexQuery).isEmpty)
        try db.exclusive(wait: 0) { try RegistrySchema.prepare(db, schema: schema) }
        #expect(try db.scalar("SELECT value FROM registry_meta WHERE key = 'schema_version'").text == "6")
        #expect(try RegistrySchema.tables(in: db).isSuperset(of: ["partner_access", "partner_upload", "correction"]))
        #expect(try RegistrySchema.tables(in: db).isSuperset(of: caseTables))
        // PostgreSQL has the key and the hash in one index (with included columns), SQLite in two.
        #expect(try db.rows(indexQuery).map { $0[0].text } == (backend == .sqlite ? ["source_record_hash", "source_record_key"] : ["source_record_key"]))
        // The record kept, its hash made again (MurmurHash3; Python: mmh3.hash64(b'{}', signed=False)).
        #expect(try db.rows("SELECT source, id, content, line, content_hash FROM source_record")
                == [[.text("a"), .text("1"), .text("{}"), .integer(2), .text("466e20057851c2d220882a78996617be")]])
        // The key still refuses a second row with the same source and id.
        var refusal = ""
        do {
            try db.exclusive(wait: 0) { try db.execute("INSERT INTO source_record VALUES ('a', '1', 'service', 'h', '{}', 'active', 'f', 3, 2, 2, NULL, NULL)") }
        } catch {
            refusal = "\(error)"
        }
        #expect(refusal.contains(backend == .sqlite ? "UNIQUE constraint failed: source_record.source, source_record.id" : "source_record_key"), "\(refusal)")
    }
}
