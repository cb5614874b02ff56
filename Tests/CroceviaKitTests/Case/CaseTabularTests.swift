import Foundation
import Testing
@testable import CroceviaKit

@Suite struct CaseTabularTests {
    let schemas = HSDSSchemas(directory: packageRoot.appendingPathComponent("Schemas").path)

    func record(_ json: String, line: Int) -> Record {
        Record(value: JSONText.parse(json)!, provenance: Provenance(source: "prova", file: "feed.jsonl", line: line, record: line))
    }

    @Test("case records become one CSV per entity, and come back nested, typed, with their linking keys")
    func roundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("case-\(UUID().uuidString)").path
        let findings = FindingLog()
        let writer = try CaseTabularWriter(folder: folder, fallback: "case/contact", schemas: schemas, findings: findings)
        try writer.write(record(#"{"id":"C-1","desk_id":"aurora","datetime":"2026-11-03","channel":"phone","duration_min":20,"first_contact":true,"person":{"person_key":"aa","age_band":"75+"},"needs":[{"id":"N-1","category":"food"}],"referrals":[{"id":"R-1","kind":"warm_handoff","status":"sent","sent_at":"2026-11-03"}]}"#, line: 1))
        try writer.write(record(#"{"id":"C-2","desk_id":"aurora","datetime":"2026-11-04","channel":"in_person","person":{"person_key":"aa","age_band":"75+","sex":"F"}}"#, line: 2))
        try writer.write(record(#"{"type":"referral","id":"R-2","kind":"information","status":"proposed","proposed_at":"2026-11-05","extra":"x"}"#, line: 3))
        try writer.write(record(#"{"type":"volunteer_activity","id":"V-1","date":"2026-11-05","hours":2.5,"activity_type":"presence","beneficiaries":3}"#, line: 4))
        try writer.finish()
        try writer.commit()
        func file(_ name: String) throws -> String { try String(contentsOfFile: "\(folder)/\(name).csv", encoding: .utf8) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            == ["contact.csv", "need.csv", "outcome.csv", "person.csv", "posting.csv", "referral.csv", "volunteer_activity.csv"])
        #expect(try file("contact") == """
            id,person_key,desk_id,datetime,channel,phase,duration_min,operator_role,first_contact,notes
            C-1,aa,aurora,2026-11-03,phone,,20,,true,
            C-2,aa,aurora,2026-11-04,in_person,,,,,

            """)
        #expect(try file("person") == "person_key,age_band,sex,citizenship_group,residence_istat,household_size_band,consent_basis\naa,75+,F,,,,\n")
        #expect(try file("need") == "id,contact_id,category,urgency\nN-1,C-1,food,\n")
        #expect(try file("referral") == """
            id,contact_id,person_key,from_org_id,to_org_id,to_service_id,need_id,kind,status,proposed_at,sent_at,accepted_at,declined_at,completed_at,no_show_at,cancelled_at,feedback_at,feedback_code,feedback_note
            R-1,C-1,aa,,,,,warm_handoff,sent,,2026-11-03,,,,,,,,
            R-2,,,,,,,information,proposed,2026-11-05,,,,,,,,,

            """)
        #expect(try file("volunteer_activity") == "id,org_id,volunteer_key,desk_id,date,hours,activity_type,project_id,beneficiaries,notes\nV-1,,,,2026-11-05,2.5,presence,,3,\n")
        #expect(findings.findings.map(\.message) == [#"referral field "extra" is not a column of referral.csv; it is left out (reported once)"#])

        let reading = FindingLog()
        try "id,contact_id,category\nN-9,C-9,housing\nN-1,C-1,food\n".write(toFile: folder + "/need.csv", atomically: true, encoding: .utf8)
        try "a,b\n1,2\n".write(toFile: folder + "/appunti.csv", atomically: true, encoding: .utf8)
        let reader = try CaseTabularReader(folder: folder, source: "prova", findings: reading, schemas: schemas, maxFieldBytes: 1 << 20)
        var back: [String] = []
        while let next = try reader.next() { back.append(JSONText.compact(next.value)) }
        #expect(back == [
            #"{"type":"contact","id":"C-1","person_key":"aa","desk_id":"aurora","datetime":"2026-11-03","channel":"phone","duration_min":20,"first_contact":true,"person":{"person_key":"aa","age_band":"75+","sex":"F"},"needs":[{"id":"N-1","contact_id":"C-1","category":"food"}],"referrals":[{"id":"R-1","contact_id":"C-1","person_key":"aa","kind":"warm_handoff","status":"sent","sent_at":"2026-11-03"}]}"#,
            #"{"type":"contact","id":"C-2","person_key":"aa","desk_id":"aurora","datetime":"2026-11-04","channel":"in_person","person":{"person_key":"aa","age_band":"75+","sex":"F"}}"#,
            #"{"type":"referral","id":"R-2","kind":"information","status":"proposed","proposed_at":"2026-11-05"}"#,
            #"{"type":"volunteer_activity","id":"V-1","date":"2026-11-05","hours":2.5,"activity_type":"presence","beneficiaries":3}"#,
        ])
        #expect(reading.findings.map { "\($0.file.split(separator: "/").last ?? ""):\($0.line ?? 0) \($0.rule)" } == ["appunti.csv:0 case-csv.unknown-file", "need.csv:2 case-csv.no-contact"])
        #expect(Format(guessingFrom: folder) == .caseCSV)
    }

    @Test("a folder with no entity CSV is not case data")
    func notCaseData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("case-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "a\n1\n".write(toFile: folder + "/appunti.csv", atomically: true, encoding: .utf8)
        #expect(throws: CroceviaError.unreadableInput(file: folder, line: nil, message: "the folder holds no case entity CSV",
                                                       hint: "name the files after the entities: contact.csv, person.csv, need.csv, referral.csv, outcome.csv, volunteer_activity.csv, posting.csv")) {
            _ = try CaseTabularReader(folder: folder, source: "prova", findings: FindingLog(), schemas: schemas, maxFieldBytes: 1 << 20)
        }
    }
}
