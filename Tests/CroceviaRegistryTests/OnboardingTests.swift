import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CroceviaKit
@testable import CroceviaServe

extension RegistryTests {
/// The onboarding page of `crocevia serve`, on a real port over the sample registry: a partner's
/// link, the form, a file posted to it, and what is refused.
@Suite("The onboarding page")
struct OnboardingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("a partner's link opens the form; a CSV and a workbook posted to it give the report and the suggested profile; nothing of the upload is left")
    func upload() async throws {
        let url = try ServeTests.sampleRegistry(.sqlite)
        let db = try Backend.sqlite.reopen(url)
        let token = try db.updating { try PartnerAccess.add("cooperativa-il-ponte", in: db) }
        let closed = try db.updating { try PartnerAccess.add("vecchio-partner", in: db) }
        #expect(try db.updating { try PartnerAccess.revoke("vecchio-partner", in: db) })
        // Only the hash is kept.
        #expect(try db.rows("SELECT token_hash FROM partner_access WHERE name = 'cooperativa-il-ponte'") == [[.text(PartnerAccess.hash(token))]])
        db.close()
        let csv = try Array(Data(contentsOf: Self.root.appendingPathComponent("Samples/portinerie-torino/servizi.csv")))
        let xlsx = try Array(Data(contentsOf: Self.root.appendingPathComponent("Tests/Workbooks/libreoffice/portinerie.xlsx")))
        let before = try Self.uploadsLeft()
        try await ServeTests.serving(url, backend: .sqlite) { base in
            let page = try await ServeTests.get(base + "/onboarding/" + token)
            #expect(page.status == 200 && page.body.contains("<strong>cooperativa-il-ponte</strong>"))
            #expect(page.body.contains(#"<form method="post" enctype="multipart/form-data" action="/onboarding/\#(token)?lang=it">"#))
            let formToken = try #require(Self.formToken(in: page.body))

            let report = try await Self.post(base + "/onboarding/" + token, formToken: formToken, file: csv, filename: "../../etc/<script>servizi.csv")
            #expect(report.status == 200)
            #expect(report.body.contains("<h1>Caricamento dei dati: &lt;script&gt;servizi.csv</h1>"))
            #expect(!report.body.contains("<script>"))
            #expect(report.body.contains("Righe lette: 9"))
            #expect(report.body.contains("phones[].number: { column: &quot;Telefono&quot;, transforms: [phone] }"))
            #expect(report.body.contains("href=\"data:text/csv;charset=utf-8,cell%2Cline%2Ccolumn%2Cseverity%2Crule%2Cmessage%2Cvalue"))
            #expect(!report.body.contains("crocevia-upload-"))

            let workbook = try await Self.post(base + "/onboarding/" + token + "?lang=en", formToken: formToken, file: xlsx, filename: "portinerie.xlsx")
            #expect(workbook.status == 200 && workbook.body.contains("Rows read: 9"))
            // A workbook with faults given back: the values in their cells, a note on each cell a finding names.
            let handmade = try Array(Data(contentsOf: Self.root.appendingPathComponent("Tests/Workbooks/handmade.xlsx")))
            let faulty = try await Self.post(base + "/onboarding/" + token + "?lang=en", formToken: formToken, file: handmade, filename: "handmade.xlsx")
            #expect(faulty.status == 200)
            let link = try #require(faulty.body.range(of: #"/onboarding/[A-Za-z0-9_-]+/annotated/[0-9a-f-]+\.xlsx"#, options: .regularExpression).map { String(faulty.body[$0]) })
            let (sheet, sheetResponse) = try await URLSession.shared.data(for: URLRequest(url: URL(string: base + link)!))
            #expect((sheetResponse as! HTTPURLResponse).statusCode == 200)
            let path = try temporaryFolder() + "/noted.xlsx"
            try sheet.write(to: URL(fileURLWithPath: path))
            let archive = try ZipArchive(path: path)
            let notes = String(decoding: try archive.bytes(try #require(archive.member("xl/comments1.xml")), limit: 1 << 20), as: UTF8.self)
            #expect(notes.contains(#"<comment ref="F4" authorId="0"><text><t xml:space="preserve">Warning: the cell's formula gives #DIV/0!; the value is left empty"#))
            #expect(notes.contains(#"<comment ref="H6" authorId="0">"#))
            let values = try Format.xlsx.makeReader(path: path, source: "t", findings: FindingLog())
            let first = try #require(try values.next())
            #expect(first.provenance.line == 2 && first.value.objectValue?["Nome"]?.stringValue == "Doposcuola \"Il Ponte\"")
            #expect(try await ServeTests.get(base + "/onboarding/" + token + "/annotated/00000000-0000-0000-0000-000000000000.xlsx").status == 404)

            // Refused: another site's post, a closed or unknown link, a body over the limit.
            #expect(try await Self.post(base + "/onboarding/" + token, formToken: String(repeating: "0", count: 64), file: csv, filename: "a.csv").status == 403)
            #expect(try await ServeTests.get(base + "/onboarding/" + closed).status == 404)
            #expect(try await ServeTests.get(base + "/onboarding/not-a-token").status == 404)
            let big = [UInt8](repeating: UInt8(ascii: "a"), count: OnboardingPages.maximumUpload + 100_000)
            #expect(try await Self.post(base + "/onboarding/" + token, formToken: formToken, file: big, filename: "big.csv").status == 413)
            // The page is the partner's: no CORS, no cache, no token in the logs (see the responder).
            let (_, response) = try await URLSession.shared.data(for: URLRequest(url: URL(string: base + "/onboarding/" + token)!))
            #expect((response as! HTTPURLResponse).value(forHTTPHeaderField: "Access-Control-Allow-Origin") == nil)
            #expect((response as! HTTPURLResponse).value(forHTTPHeaderField: "Cache-Control") == "no-store")
        }
        #expect(try Self.uploadsLeft() == before)
    }

    @Test("a partner sends a checked file; a coordinator accepts it (imported as their feed, its profile stored and used for their next file) or rejects it",
          arguments: Backend.allCases)
    func sendAndAccept(_ backend: Backend) async throws {
        let url = try ServeTests.sampleRegistry(backend)
        var db = try backend.reopen(url)
        let token = try db.updating { try PartnerAccess.add("cooperativa-il-ponte", in: db) }
        db.close()
        let csv = try Array(Data(contentsOf: Self.root.appendingPathComponent("Samples/portinerie-torino/servizi.csv")))
        let sentPage = try await ServeTests.serving(url, backend: backend) { base in
            let formToken = try #require(Self.formToken(in: try await ServeTests.get(base + "/onboarding/" + token).body))
            let report = try await Self.post(base + "/onboarding/" + token, formToken: formToken, file: csv, filename: "servizi giugno.csv")
            #expect(report.body.contains("<summary>Come Crocevia legge il file (profilo proposto)</summary>"))
            let send = try #require(Self.sendAction(in: report.body))
            #expect(try await Self.postForm(base + send, ["form_token": String(repeating: "0", count: 64)]).status == 403)
            let sent = try await Self.postForm(base + send, ["form_token": formToken])
            // Sent once: the same form again finds nothing kept.
            #expect(try await Self.postForm(base + send, ["form_token": formToken]).status == 404)
            return sent
        }
        #expect(sentPage.status == 200)
        #expect(sentPage.body.hasPrefix("<!doctype html>") && sentPage.body.contains("Il file è stato inviato al coordinamento della rete"))
        db = try backend.reopen(url)
        defer { db.close() }
        let waiting = try PartnerUploads.list(in: db)
        #expect(waiting.map { [$0.partner, $0.fileName, $0.fileExtension, "\($0.records)"] } == [["cooperativa-il-ponte", "servizi giugno.csv", "csv", "9"]])
        let upload = try #require(waiting.first)
        #expect(try PartnerUploads.find(upload.id, in: db)?.bytes == csv)
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = 'cooperativa-il-ponte'").integer == 0)

        let findings = FindingLog()
        let (accepted, summary) = try PartnerUploads.accept(upload.id, profile: nil, in: db, findings: findings, wait: 0)
        #expect(accepted == upload)
        #expect(summary.source == "cooperativa-il-ponte" && summary.added == 9 && summary.rejected == 0, "\(summary)")
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = 'cooperativa-il-ponte' AND status = 'active'").integer == 9)
        #expect(try db.scalar("SELECT file FROM source_record WHERE source = 'cooperativa-il-ponte' LIMIT 1").text?
                    .hasSuffix("/crocevia-upload-\(upload.id)/servizi-giugno.csv") == true)
        #expect(try PartnerUploads.list(in: db).isEmpty)
        #expect(try PartnerAccess.list(in: db).first { $0.name == "cooperativa-il-ponte" }?.profile == upload.profile)
        #expect(throws: CroceviaError.self) { try PartnerUploads.accept(upload.id, profile: nil, in: db, findings: FindingLog(), wait: 0) }
        // A new link keeps the stored profile.
        let token2 = try db.updating { try PartnerAccess.add("cooperativa-il-ponte", in: db) }
        #expect(try PartnerAccess.list(in: db).first { $0.name == "cooperativa-il-ponte" }?.profile == upload.profile)
        db.close()

        // The next file is read through the stored profile; this one is sent and rejected.
        try await ServeTests.serving(url, backend: backend) { base in
            let formToken = try #require(Self.formToken(in: try await ServeTests.get(base + "/onboarding/" + token2).body))
            let report = try await Self.post(base + "/onboarding/" + token2, formToken: formToken, file: csv, filename: "servizi.csv")
            #expect(report.body.contains("<summary>Come Crocevia legge il file (il profilo concordato con il coordinamento)</summary>"))
            #expect(try await Self.postForm(base + (try #require(Self.sendAction(in: report.body))), ["form_token": formToken]).status == 200)
        }
        db = try backend.reopen(url)
        let second = try #require(try PartnerUploads.list(in: db).first)
        #expect(try db.updating { try PartnerUploads.remove(second.id, in: db) })
        #expect(try PartnerUploads.list(in: db).isEmpty)
        #expect(try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = 'cooperativa-il-ponte' AND status = 'active'").integer == 9)
        // At most five files wait per partner.
        let made = try db.updating {
            try (0..<6).map { index in
                try PartnerUploads.add(PartnerUploads.Upload(partner: "p", fileName: "f\(index).csv", fileExtension: "csv", profile: "", records: 0, errors: 0, warnings: 0),
                                       bytes: [1, 2, 3], in: db)
            }
        }
        #expect(made == [true, true, true, true, true, false])
    }

    @Test("a registry of version 4 is brought to 6: its partners' links kept, a profile column, the uploads' and corrections' tables added", arguments: Backend.allCases)
    func migrationFromVersion4(_ backend: Backend) throws {
        let (db, _) = try backend.fresh()
        defer { db.close() }
        let token = try db.updating { try PartnerAccess.add("portinerie-torino", in: db) }
        try db.exclusive(wait: 0) {
            try db.execute("DROP TABLE partner_upload")
            try db.execute("DROP TABLE correction")
            try db.execute("ALTER TABLE source_record DROP COLUMN source_key")
            try db.execute("DROP TABLE partner_access")
            try db.execute("""
                CREATE TABLE partner_access (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                    created_at TEXT NOT NULL, revoked_at TEXT)
                """)
            try db.execute("INSERT INTO partner_access VALUES ('portinerie-torino', ?, 'partner', '2026-11-30T10:00:00Z', NULL)", [.text(PartnerAccess.hash(token))])
            try db.execute("UPDATE registry_meta SET value = '4' WHERE key = 'schema_version'")
        }
        #expect(try db.updating { try PartnerAccess.partner(token: token, in: db) }
                == PartnerAccess.Partner(name: "portinerie-torino", role: "partner", createdAt: "2026-11-30T10:00:00Z", revokedAt: nil, profile: nil))
        #expect(try db.scalar("SELECT value FROM registry_meta WHERE key = 'schema_version'").text == "6")
        #expect(try Corrections.list(in: db).isEmpty)
        if backend == .postgres {
            // Version 6 made PostgreSQL's two indexes of source_record one, with included columns.
            #expect(try db.rows("SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'source_record' ORDER BY indexname").map { $0.map(\.text) }
                    == [["source_record_key", "CREATE UNIQUE INDEX source_record_key ON public.source_record USING btree (source, id) INCLUDE (content_hash, status)"]])
        }
        #expect(try db.updating { try PartnerAccess.setProfile("source: {}", for: "portinerie-torino", in: db) })
        #expect(try PartnerAccess.partner(token: token, in: db)?.profile == "source: {}")
        #expect(try PartnerUploads.list(in: db).isEmpty)
    }

    @Test("a report stops reading at its time limit and says how much it read")
    func timeLimit() throws {
        let folder = try temporaryFolder()
        let file = folder + "/servizi.csv"
        try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent("Samples/portinerie-torino/servizi.csv").path, toPath: file)
        let report = try UploadReport.make(file: file, shownAs: "servizi.csv", partner: "p", language: .en, timeLimit: 0)
        #expect(report.records == 1)
        #expect(report.findingsCSV.contains(",2,,error,input.unreadable,\"reading stopped here, at the limit of 0 s for the input; 1 record of the file was checked, the rest was not\","),
                "\(report.findingsCSV)")
        #expect(try UploadReport.make(file: file, shownAs: "servizi.csv", partner: "p", language: .en, timeLimit: 60).records == 9)
    }

    @Test("multipart bodies: parts, a quoted boundary, a body cut short")
    func multipart() {
        #expect(Multipart.boundary(of: "multipart/form-data; boundary=\"abc def\"") == "abc def")
        #expect(Multipart.boundary(of: "application/json") == nil)
        let body = Array("--XY\r\nContent-Disposition: form-data; name=\"form_token\"\r\n\r\nt0k\r\n--XY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.csv\"\r\nContent-Type: text/csv\r\n\r\nA;B\r\n1;2\r\n--XY--\r\n".utf8)
        let parts = Multipart.parts(body, boundary: "XY")
        #expect(parts?.map(\.name) == ["form_token", "file"])
        #expect(parts?.last?.filename == "a b.csv" && parts.map { String(decoding: $0[1].bytes, as: UTF8.self) } == "A;B\r\n1;2")
        #expect(Multipart.parts(Array(body.prefix(60)), boundary: "XY") == nil)
        #expect(OnboardingPages.shownName("C:\\Users\\anna\\servizi 2026.xlsx") == "servizi 2026.xlsx" && OnboardingPages.shownName(nil) == "upload")
    }

    static func formToken(in page: String) -> String? {
        guard let range = page.range(of: #"name="form_token" value="[0-9a-f]+""#, options: .regularExpression) else { return nil }
        return String(page[range].dropFirst(#"name="form_token" value=""#.count).dropLast())
    }

    static func post(_ address: String, formToken: String, file: [UInt8], filename: String) async throws -> (status: Int, body: String) {
        let boundary = "crocevia-test-\(UUID().uuidString)"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"form_token\"\r\n\r\n\(formToken)\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += Data(file) + Data("\r\n--\(boundary)--\r\n".utf8)
        var request = URLRequest(url: URL(string: address)!)
        request.httpMethod = "POST"
        request.timeoutInterval = 60
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Where the report's send form posts to.
    static func sendAction(in page: String) -> String? {
        guard let range = page.range(of: #"action="/onboarding/[A-Za-z0-9_-]+/send/[0-9a-f-]+\?lang=(it|en)""#, options: .regularExpression) else { return nil }
        return String(page[range].dropFirst(#"action=""#.count).dropLast())
    }

    static func postForm(_ address: String, _ fields: [String: String]) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: address)!)
        request.httpMethod = "POST"
        request.timeoutInterval = 60
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(fields.map { "\($0.key)=\($0.value)" }.joined(separator: "&").utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    static func uploadsLeft() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path).filter { $0.hasPrefix("crocevia-upload-") }.count
    }
}
}
