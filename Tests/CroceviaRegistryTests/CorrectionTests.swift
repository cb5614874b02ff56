import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CroceviaKit
@testable import CroceviaServe

extension RegistryTests {
/// Corrections end to end on the sample network, over a real port: reported through the API and a
/// service page's form, routed to the sources whose values the merged directory shows, given back
/// in a partner's own columns, applied by the partner's next import, accepted or rejected by a
/// coordinator, shown by the publisher; bad input refused; the note and contact nowhere else.
@Suite("Corrections")
struct CorrectionTests {
    static let root = OnboardingTests.root
    /// Buoni spesa, from torino-solidale; its organization (Porta Aperta) is merged from six records
    /// of five sources: its name came from case-del-quartiere-torino, its e-mail from portale-dei-saperi.
    static let service = "309e0076-4453-5688-8efb-62adcead994c"
    static let note = "Nota riservata: la signora Bianchi ha telefonato"
    static let contact = "bianchi.riservato@example.org"

    @Test("reported, routed, given back in the partner's columns, applied by their next import, decided, published; bad input refused",
          arguments: Backend.allCases)
    func loop(_ backend: Backend) async throws {
        let url = try ServeTests.sampleRegistry(backend)
        let s = Self.service
        let serverLog = LogCapture()
        let answers = try await ServeTests.serving(url, backend: backend, log: serverLog) { base in
            var answers: [String: (status: Int, body: String)] = [:]
            answers["phone"] = try await Self.post(base, ["id": s, "field": "phones[0].number", "seen": "011.2481632", "offered": "011 248 1633",
                                                          "note": Self.note, "contact": Self.contact])
            answers["email"] = try await Self.post(base, ["id": s, "field": "organization.email", "offered": "segreteria@portaaperta.org"])
            answers["name"] = try await Self.post(base, ["id": s, "field": "organization.name", "offered": "Associazione Porta Aperta ODV",
                                                         "contact": Self.contact])
            answers["street"] = try await Self.post(base, ["id": s, "field": "service_at_locations[0].location.addresses[0].address_1", "offered": "Via Cigna 4"])
            // Refused, each with its reason.
            answers["unknown id"] = try await Self.post(base, ["id": "00000000-0000-4000-8000-000000000000", "field": "name", "offered": "x"])
            answers["unknown field"] = try await Self.post(base, ["id": s, "field": "phonez[0].number", "offered": "x"])
            answers["bad value"] = try await Self.post(base, ["id": s, "field": "organization.email", "offered": "non è un indirizzo"])
            answers["long note"] = try await Self.post(base, ["id": s, "field": "name", "offered": "Buoni pasto", "note": String(repeating: "n", count: 2001)])
            answers["no such phone"] = try await Self.post(base, ["id": s, "field": "phones[5].number", "offered": "011 1"])
            // The service page's form (the tenth from this address).
            answers["form"] = try await OnboardingTests.postForm(base + "/directory/services/\(s)/correction", ["field": "name", "offered": "Buoni spesa comunali"])
            answers["flood"] = try await Self.post(base, ["id": s, "field": "name", "offered": "Buoni"])
            answers["page"] = (200, try await ServeTests.get(base + "/directory/services/\(s)").body)
            answers["not json"] = try await Self.send(base + "/corrections", body: Data("{".utf8), type: "application/json")
            answers["get"] = (try await ServeTests.get(base + "/corrections").status, "")
            return answers
        }
        #expect(answers["phone"]!.status == 201 && answers["email"]!.status == 201 && answers["name"]!.status == 201 && answers["street"]!.status == 201)
        #expect(answers["phone"]!.body.hasPrefix(#"{"id":""#) && answers["phone"]!.body.hasSuffix(#"","state":"pending","service_id":"\#(s)","field":"phones[0].number","offered":"011 248 1633"}"#))
        #expect(try Self.message(answers["unknown id"]!) == "400 \"id\": the directory has no service 00000000-0000-4000-8000-000000000000")
        #expect(try Self.message(answers["unknown field"]!) == "400 \"field\": \"phonez\" is not a field of the HSDS service; did you mean \"phones\"?")
        #expect(try Self.message(answers["bad value"]!) == "400 \"offered\": non è un indirizzo is not a value organization.email takes: is not a valid email")
        #expect(try Self.message(answers["long note"]!) == "400 \"note\" is 2001 characters long; at most 2000 are taken")
        #expect(try Self.message(answers["no such phone"]!).hasPrefix("400 \"field\": the service has no phones[5].number"))
        #expect(answers["form"]!.status == 200 && answers["form"]!.body.contains("La segnalazione è stata registrata"))
        #expect(try Self.message(answers["flood"]!) == "429 this address sent 10 corrections in the last hour; try again later")
        #expect(answers["page"]!.body.contains(#"<option value="organization.email">organization.email: info@portaaperta.org</option>"#))
        #expect(answers["page"]!.body.contains(#"<form method="post" action="/directory/services/\#(s)/correction?lang=it">"#))
        #expect(answers["get"]!.status == 405)
        #expect(answers["not json"]!.status == 429)  // the same address, still over its limit

        var db = try backend.reopen(url)
        let made = try Corrections.list(in: db)
        #expect(made.map { [$0.field, $0.state.rawValue, $0.route.source, $0.route.recordID, $0.route.recordField, $0.route.targetType, $0.route.targetField, $0.reportedBy] } == [
            ["phones[0].number", "pending", "torino-solidale", s, "phones[0].number", "service", "phones[0].number", "api"],
            ["organization.email", "pending", "portale-dei-saperi", "7db45e02-bb33-5a07-b878-c1de32807b27", "email", "organization", "email", "api"],
            ["organization.name", "pending", "case-del-quartiere-torino", "f31d4f19-b6b9-5785-af5d-49e4ccffaa08", "organization.name", "organization", "name", "api"],
            ["service_at_locations[0].location.addresses[0].address_1", "pending", "torino-solidale", s,
             "service_at_locations[0].location.addresses[0].address_1", "location", "addresses[0].address_1", "api"],
            ["name", "pending", "torino-solidale", s, "name", "service", "name", "page"],
        ])
        let (phone, name, street, renamed) = (made[0], made[2], made[3], made[4])
        #expect(try Corrections.privateText(phone.id, in: db) == (Self.note, Self.contact))

        // The partner's own terms: their key, the row of their file, their column.
        let config = try sampleNetworkConfig(reports: try temporaryFolder(), registry: url)
        let profile = try ProfileLoader.load(path: config.feeds.first { $0.name == "torino-solidale" }!.profile!, schemas: try HSDSSchemas.standard())
        let sheet = try CorrectionSheet.make(try Corrections.list(in: db, source: "torino-solidale", openOnly: true), profile: profile, language: .en, in: db)
        let day = String(phone.createdAt.prefix(10))
        #expect(sheet.rows.map { Array($0.dropFirst()) } == [
            ["key columns", "key", "row", "column", "value shown", "right value", "how to fix it", "HSDS field", "reported on", "state"],
            ["@id", "TS-0702", "20", "telefono", "011.2481632", "011 248 1633", "write the right value in this column", "phones[0].number", day, "to check"],
            ["@id", "TS-0702", "20", "snodo/sede/@via + snodo/sede/@civico", "Via Cigna 2", "Via Cigna 4",
             "made by the profile from these columns: fix the column the wrong text comes from; the right HSDS value is given here",
             "service_at_locations[0].location.addresses[0].address_1", day, "to check"],
            ["@id", "TS-0702", "20", "titolo", "Buoni spesa", "Buoni spesa comunali", "write the right value in this column", "name", day, "to check"],
        ])
        #expect(sheet.rows[1][0] == phone.id && !sheet.csv.contains(Self.note) && !sheet.csv.contains(Self.contact))

        // The partner's next feed carries the phone (written their way): the import applies it.
        let feed = try temporaryFolder() + "/servizi.xml"
        let xml = try String(contentsOf: Self.root.appendingPathComponent("Samples/torino-solidale/servizi.xml"), encoding: .utf8)
        try xml.replacingOccurrences(of: "<telefono>011.2481632</telefono>", with: "<telefono>011-248-1633</telefono>").write(toFile: feed, atomically: true, encoding: .utf8)
        var options = ImportOptions(inputs: [feed])
        options.profile = Self.root.appendingPathComponent("Samples/torino-solidale/profile.yaml").path
        let summary = try Importer(options: options, findings: FindingLog()).run(into: db)
        #expect(summary.correctionsApplied == 1 && summary.changed == 1)
        // A coordinator accepts the street before the partner does and rejects the name.
        _ = try db.updating { try Corrections.decide(street.id, .accepted, by: "anna", in: db) }
        _ = try db.updating { try Corrections.decide(name.id, .rejected, by: "anna", in: db) }
        #expect(throws: CroceviaError.self) { try db.updating { try Corrections.decide(name.id, .accepted, by: "anna", in: db) } }
        #expect(try Corrections.find(phone.id, in: db)?.state == .applied && Corrections.find(phone.id, in: db)?.decidedBy == "torino-solidale")
        // Closed: the contact is gone, the note kept for the record.
        #expect(try Corrections.privateText(phone.id, in: db) == (Self.note, nil))
        #expect(try Corrections.privateText(name.id, in: db) == (nil, nil))
        #expect(try Corrections.counts(in: db) == [
            "torino-solidale": Corrections.Counts(open: 2, applied: 1, rejected: 0, stale: 0),
            "portale-dei-saperi": Corrections.Counts(open: 1, applied: 0, rejected: 0, stale: 0),
            "case-del-quartiere-torino": Corrections.Counts(open: 0, applied: 0, rejected: 1, stale: 0),
        ])
        #expect(try Corrections.counts(in: db, now: Date().addingTimeInterval(31 * 86_400))["torino-solidale"]?.stale == 2)

        let publish = try Publisher(settings: config.dedupe, findings: FindingLog()).run(on: db, wait: 0)
        #expect(publish.corrections == 2)
        #expect(try db.rows("SELECT resource_type, field_name, previous_value, replacement_value, updated_by, last_action_type FROM metadata ORDER BY resource_type")
                == [[.text("location"), .text("addresses[0].address_1"), .text("Via Cigna 2"), .text("Via Cigna 4"), .text("anna"),
                     .text("correction accepted by the network (shown until the source's feed carries it)")],
                    [.text("service"), .text("phones[0].number"), .text("011.2481632"), .text("011 248 1633"), .text("torino-solidale"),
                     .text("correction applied by the source")]])
        db.close()

        let served = try await ServeTests.serving(url, backend: backend) { base in
            (try await ServeTests.get(base + "/services/" + s).body, try await ServeTests.get(base + "/services?search=spesa").body,
             try await ServeTests.get(base + "/directory/services/" + s).body)
        }
        let object = try ServeTests.json(served.0)
        #expect(object["phones"]?.arrayValue?.first?["number"] == .string("011-248-1633"))
        #expect(object["assured_date"] == .string(day))
        #expect(object["metadata"]?.arrayValue?.count == 1)
        let place = object["service_at_locations"]?.arrayValue?.first?["location"]
        #expect(place?["addresses"]?.arrayValue?.first?["address_1"] == .string("Via Cigna 4"))
        #expect(place?["metadata"]?.arrayValue?.first?["updated_by"] == .string("anna"))
        #expect(try SchemaLoader.hsds(.service).validate(object).isEmpty)

        // Nothing of a note or a contact anywhere but the correction's own row.
        db = try backend.reopen(url)
        defer { db.close() }
        let export = try temporaryFolder() + "/export.jsonl"
        _ = try Exporter().run(from: db, to: export, findings: FindingLog())
        let reports = try temporaryFolder()
        var log = ""
        _ = PipelineRun(config: try sampleNetworkConfig(reports: reports, registry: url), open: { _ in try backend.reopen(url) }) { log += $0.json + "\n" }.run()
        var outputs: [(String, String)] = [("the API", served.0 + served.1 + served.2), ("the export", try String(contentsOfFile: export, encoding: .utf8)),
                                           ("the pipeline's log", log), ("the sheet", sheet.csv), ("the server's log", serverLog.text)]
        for file in try FileManager.default.contentsOfDirectory(atPath: reports) {
            outputs.append((file, try String(contentsOfFile: reports + "/" + file, encoding: .utf8)))
        }
        for table in try RegistrySchema.tables(in: db).sorted() where table != "correction" {
            var text = ""
            try db.query("SELECT * FROM \(quoted(table))", []) { row in text += row.map { $0.text ?? "" }.joined(separator: "|") + "\n" }
            outputs.append(("table \(table)", text))
        }
        let leaks = outputs.filter { $0.1.contains("Bianchi") || $0.1.contains("bianchi.riservato") }.map(\.0)
        #expect(leaks == [])
        #expect(outputs.count > 20)
        #expect(serverLog.text.contains("path=/corrections") && serverLog.text.contains("status=201") && serverLog.text.contains("status=429"))
        // The run's summary lists the corrections per source.
        let summaryJSON = try JSONDocument.load(path: reports + "/summary.json")
        #expect(summaryJSON["corrections"]?.arrayValue?.map { JSONText.compact($0) } == [
            #"{"source":"case-del-quartiere-torino","open":0,"older_than_30_days":0,"applied":0,"rejected":1}"#,
            #"{"source":"portale-dei-saperi","open":1,"older_than_30_days":0,"applied":0,"rejected":0}"#,
            #"{"source":"torino-solidale","open":2,"older_than_30_days":0,"applied":1,"rejected":0}"#,
        ])
        _ = renamed
    }

    @Test("a coordinator's link shows the open corrections with their notes, escaped, and takes decisions; a partner's link gives their sheet",
          arguments: Backend.allCases)
    func pages(_ backend: Backend) async throws {
        let url = try ServeTests.sampleRegistry(backend)
        var db = try backend.reopen(url)
        let coordinator = try db.updating { try PartnerAccess.add("anna", role: "coordinator", in: db) }
        let partner = try db.updating { try PartnerAccess.add("torino-solidale", in: db) }
        let profile = try String(contentsOf: Self.root.appendingPathComponent("Samples/torino-solidale/profile.yaml"), encoding: .utf8)
        #expect(try db.updating { try PartnerAccess.setProfile(profile, for: "torino-solidale", in: db) })
        let snapshot = try DirectorySnapshot(db: db, municipalities: try Municipalities.standard())
        let checked = try Corrections.check(CorrectionRequest(serviceID: Self.service, field: "phones[0].number", offered: .string("011 248 1633"),
                                                              note: "<b>Bianchi</b> ha chiamato", contact: Self.contact), snapshot: snapshot)
        let phone = try db.updating { try Corrections.add(checked, reportedBy: "api", in: db) }
        db.close()
        let result = try await ServeTests.serving(url, backend: backend) { base in
            let page = try await ServeTests.get(base + "/coordination/" + coordinator)
            let formToken = try #require(OnboardingTests.formToken(in: page.body))
            let wrongRole = try await ServeTests.get(base + "/coordination/" + partner).status
            let stale = try await OnboardingTests.postForm(base + "/coordination/\(coordinator)/decide", ["form_token": String(repeating: "0", count: 64), "id": phone.id, "decision": "accept"]).status
            let decided = try await OnboardingTests.postForm(base + "/coordination/\(coordinator)/decide", ["form_token": formToken, "id": phone.id, "decision": "accept"])
            let (sheet, response) = try await URLSession.shared.data(for: URLRequest(url: URL(string: base + "/onboarding/\(partner)/corrections.xlsx")!))
            let (_, headers) = try await URLSession.shared.data(for: URLRequest(url: URL(string: base + "/coordination/" + coordinator)!))
            return (page, wrongRole, stale, decided, sheet, (response as! HTTPURLResponse).statusCode, (headers as! HTTPURLResponse).value(forHTTPHeaderField: "Cache-Control"))
        }
        #expect(result.0.status == 200)
        #expect(result.0.body.contains("<p>Nota: &lt;b&gt;Bianchi&lt;/b&gt; ha chiamato</p>") && result.0.body.contains("<p>Contatto: \(Self.contact)</p>"))
        #expect(result.0.body.contains("<h2>phones[0].number <small>(da verificare)</small></h2>"))
        #expect(result.1 == 404 && result.2 == 403)
        #expect(result.3.status == 200 && result.3.body.contains("accolta: phones[0].number → 011 248 1633"))
        #expect(result.3.body.contains("<h2>phones[0].number <small>(accolta)</small></h2>") && !result.3.body.contains("value=\"accept\""))
        #expect(result.5 == 200 && result.6 == "no-store")
        let path = try temporaryFolder() + "/correzioni.xlsx"
        try result.4.write(to: URL(fileURLWithPath: path))
        let reader = try Format.xlsx.makeReader(path: path, source: "t", findings: FindingLog())
        let row = try #require(try reader.next()).value.objectValue
        #expect(row?["chiave"]?.stringValue == "TS-0702" && row?["colonna"]?.stringValue == "telefono" && row?["stato"]?.stringValue == "accolta dal coordinamento")
        #expect(try reader.next() == nil)
        db = try backend.reopen(url)
        defer { db.close() }
        #expect(try Corrections.find(phone.id, in: db)?.state == .accepted && Corrections.find(phone.id, in: db)?.decidedBy == "anna")
    }

    @Test("an organization's phone, a union of its records' phones, goes to the record that has it, at its own position")
    func unionRouting() throws {
        let url = try ServeTests.sampleRegistry(.sqlite)
        let db = try Backend.sqlite.reopen(url)
        defer { db.close() }
        let snapshot = try DirectorySnapshot(db: db, municipalities: try Municipalities.standard())
        let checked = try Corrections.check(CorrectionRequest(serviceID: Self.service, field: "organization.phones[0].number",
                                                              offered: .string("+39 011 248 1633")), snapshot: snapshot)
        let made = try db.updating { try Corrections.add(checked, reportedBy: "api", in: db) }
        #expect(made.previous == .string("+39 011 248 16 32"))
        // Fields a correction cannot name, with why.
        for (field, message) in [
            ("organization", "\"field\": \"organization\" is an object in the HSDS; name one of its fields (organization.…)"),
            ("x_custom", "\"field\": the service has no x_custom; an extension field (x_…) is corrected only where the service has one"),
            ("organization_id", "\"field\": organization_id is an id, which the sources' own keys make; say what is wrong in the note of another field"),
            ("phones[].number", "\"field\": phones[].number names no one element; write the element's number, such as phones[0].number"),
        ] {
            var said = ""
            do {
                _ = try Corrections.check(CorrectionRequest(serviceID: Self.service, field: field, offered: .string("z")), snapshot: snapshot)
            } catch let problem as CorrectionRequest.Problem {
                said = problem.message
            }
            #expect(said == message)
        }
        #expect(made.route == CorrectionRoute(source: "portale-dei-saperi", recordID: "7db45e02-bb33-5a07-b878-c1de32807b27", recordField: "phones[0].number",
                                              targetType: "organization", targetID: "a6b6d756-e516-5639-b8c8-9d84eb5650d3", targetField: "phones[0].number"))
    }

    @Test("values compared as a person would; a form's number read as one; cells made inert for Excel; an IPv6 address counted by its /64")
    func comparisons() {
        #expect(JSONValue.string("011-248-1633").says(.string("011 248 1633")) && JSONValue.string("+39 011 2481633").says(.string("+39 (011) 248.1633")))
        #expect(!JSONValue.string("Via roma").says(.string("Via Roma")) && !JSONValue.string("mario.rossi@x.it").says(.string("mariorossi@x.it")))
        #expect(JSONValue.string(" Buoni  spesa ").says(.string("Buoni spesa")) && !JSONValue.string("10152").says(.string("10 152")))
        #expect(Corrections.coerced(.string("12"), like: .number("10")) == .number("12"))
        #expect(Corrections.coerced(.string("2,5"), like: .number("10")) == .number("2.5"))
        #expect(Corrections.coerced(.string("nan"), like: .number("10")) == .string("nan"))
        #expect(Corrections.coerced(.string("1,000.5"), like: .number("10")) == .string("1,000.5"))
        #expect(CorrectionSheet.inert("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")" && CorrectionSheet.inert("@SUM(A1)") == "'@SUM(A1)")
        #expect(CorrectionSheet.inert("+39 011 248 1633") == "+39 011 248 1633" && CorrectionSheet.inert("-2+cmd|' /C calc'!A0") == "'-2+cmd|' /C calc'!A0")
        #expect(CorrectionIntake.subscriber("2001:db8:1:2::5") == CorrectionIntake.subscriber("2001:db8:1:2:ffff::6"))
        #expect(CorrectionIntake.subscriber("2001:db8:1:2::5") == "20010db800010002/64" && CorrectionIntake.subscriber("192.0.2.7") == "192.0.2.7")
        let intake = CorrectionIntake()
        #expect((0..<11).map { _ in intake.admit("2001:db8:1:2::\(Int.random(in: 1...9999))") } == Array(repeating: true, count: 10) + [false])
    }

    @Test("a body that is not a correction: not JSON, another type, too large, an unknown member; other methods")
    func badBodies() async throws {
        let url = try ServeTests.sampleRegistry(.sqlite)
        let answers = try await ServeTests.serving(url, backend: .sqlite) { base in
            [try await Self.send(base + "/corrections", body: Data("{".utf8), type: "application/json"),
             try await Self.send(base + "/corrections", body: Data("id=1".utf8), type: "application/x-www-form-urlencoded"),
             try await Self.send(base + "/corrections", body: Data(repeating: 0x20, count: 17 * 1024), type: "application/json"),
             try await Self.send(base + "/corrections", body: Data(#"{"id":"x","field":"name","offered":"y","phone":"1"}"#.utf8), type: "application/json"),
             try await Self.send(base + "/corrections", body: Data(#"{"id":"x","field":"name","offered":["y"]}"#.utf8), type: "application/json")]
        }
        #expect(try answers.map(Self.message) == [
            "400 the body is not JSON; send {\"id\": …, \"field\": …, \"offered\": …}",
            "415 send the correction as JSON (Content-Type: application/json)",
            "413 the body is over 16 KiB; a correction is a few fields",
            "400 \"phone\" is not a member of a correction; its members are id, field, seen, offered, note and contact",
            "400 \"offered\" is a list or an object; give one value (a string, a number or true/false)",
        ])
        let db = try Backend.sqlite.reopen(url)
        defer { db.close() }
        #expect(try Corrections.list(in: db).isEmpty)
    }

    static func post(_ base: String, _ members: [String: String]) async throws -> (status: Int, body: String) {
        let object = JSONValue.object(JSONObject(members.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
        return try await send(base + "/corrections", body: Data(JSONText.compact(object).utf8), type: "application/json")
    }

    static func send(_ address: String, body: Data, type: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: address)!)
        request.httpMethod = "POST"
        request.timeoutInterval = 30
        request.setValue(type, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// "STATUS message" of an error answer.
    static func message(_ answer: (status: Int, body: String)) throws -> String {
        "\(answer.status) " + (try ServeTests.json(answer.body)["message"]?.stringValue ?? "")
    }
}
}
