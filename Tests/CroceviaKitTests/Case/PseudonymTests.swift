import Foundation
import Testing
@testable import CroceviaKit

@Suite struct PseudonymTests {
    let secret = try! NetworkSecret(Array("una-chiave-di-prova-lunga-abbastanza".utf8), origin: "test")

    @Test("person keys are HMAC-SHA256 with the secret (checked against Python's hmac)")
    func hmac() {
        #expect(secret.key(for: "cf:RCCMNL83S18D969H") == "78073408b99f40e31d76bb8f483f649780c96eacfe97d679cdb1cc705fdb7aa1")
        #expect(secret.key(for: "nb:mario rossi|1983-11-18") == "11c30f13b06d333a3394e2d5dd605f9581736018b4b5d960bd4db1511cb43bb0")
        #expect(secret.key(for: "tel:+390111234567") == "3ba2a0d8c1bd8dba390d67f753bc362c5c676a5ec4eac96f36053b394e4565d5")
    }

    @Test("a secret: from a key file before the variable, none at all is nil, a short one is refused")
    func resolve() throws {
        let file = try temporaryFile("una-chiave-di-prova-lunga-abbastanza\n", name: "rete.key")
        let fromFile = try #require(try NetworkSecret.resolve(environment: ["CROCEVIA_SECRET_FILE": file, "CROCEVIA_SECRET": "un-altro-segreto-qualsiasi"]))
        #expect(fromFile.key(for: "cf:RCCMNL83S18D969H") == secret.key(for: "cf:RCCMNL83S18D969H"))
        #expect(try NetworkSecret.resolve(environment: [:]) == nil)
        #expect(throws: CroceviaError.usage("the network secret from CROCEVIA_SECRET has 5 bytes; it needs at least 16 (make one with: openssl rand -hex 32)")) {
            try NetworkSecret.resolve(environment: ["CROCEVIA_SECRET": "corto"])
        }
    }

    @Test("the identifier keyed: the codice fiscale, else name and birth date, else the phone; nothing is anonymous")
    func identifier() {
        var problems: [String] = []
        func text(_ code: String?, _ name: [String], _ birth: String?, _ phone: String?) -> String? {
            PersonIdentifier.text(codiceFiscale: code, name: name, birthDate: birth, phone: phone, dates: [DatePattern("dd/MM/yyyy")!]) { problems.append($0) }
        }
        #expect(text(" rccmnl83s18d969h ", ["Emanuele", "Ricci"], "18/11/1983", nil) == "cf:RCCMNL83S18D969H")
        #expect(text("RCCMNL83S18D969X", ["ROSSI", "Mario"], "18/11/1983", nil) == "nb:mario rossi|1983-11-18")
        #expect(text(nil, ["Mario", "Rossì"], "1983-11-18", nil) == "nb:mario rossi|1983-11-18")
        #expect(text(nil, ["Mario", "Rossi"], "", "011-123.45.67") == "tel:+390111234567")
        #expect(text("", [], nil, "") == nil)
        #expect(problems == ["the codice fiscale is not a valid one (its check character or its form)"])
    }

    @Test("age bands at a date: the birthday not yet reached counts")
    func ageBands() {
        #expect(AgeBand.age(birth: "1951-11-23", at: "2026-11-22") == 74)
        #expect(AgeBand.age(birth: "1951-11-22", at: "2026-11-22T10:00:00+01:00") == 75)
        #expect([0, 17, 18, 29, 30, 44, 45, 64, 65, 74, 75, 104].map { AgeBand.band(age: $0) ?? "-" }
            == ["0-17", "0-17", "18-29", "18-29", "30-44", "30-44", "45-64", "45-64", "65-74", "65-74", "75+", "75+"])
        #expect(AgeBand.band(age: -1) == nil)
    }

    @Test("a codice fiscale is found inside any text, in any case, only when its check character holds")
    func findsCodiceFiscale() {
        #expect(PersonIdentifier.containsCodiceFiscale("chiamare rccmnl83s18d969h domani"))
        #expect(PersonIdentifier.containsCodiceFiscale("CNTCHR83T41D969D"))
        #expect(!PersonIdentifier.containsCodiceFiscale("RCCMNL83S18D969X"))
        #expect(!PersonIdentifier.containsCodiceFiscale("XRCCMNL83S18D969H"))
    }

    @Test("a case profile maps identifiers to keys and bands, drops free text, and withholds what turns up elsewhere")
    func mapping() throws {
        let findings = FindingLog()
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: csv, identifiers: [CF, Nome, Cognome, Nato] }
            target: case/contact
            fields:
              id: Scheda
              desk_id: Sportello
              datetime: { column: Data, transforms: [{ date: [dd/MM/yyyy] }] }
              channel: { const: in_person }
              notes: Note
              person.person_key: { pseudonym: { codice_fiscale: CF, name: [Nome, Cognome], birth_date: Nato, date: [dd/MM/yyyy] } }
              person.age_band: { age_band: { birth_date: Nato, at: Data, date: [dd/MM/yyyy] } }
            """)
        #expect(loaded.fields.map(\.path.description) == ["id", "desk_id", "datetime", "channel", "person.person_key", "person.age_band"])
        let mapper = try Mapper(profile: loaded, findings: findings, secret: secret)
        let rows = try readRecords("""
            Scheda,Sportello,Data,CF,Nome,Cognome,Nato,Note
            S-1,aurora,22/11/2026,RCCMNL83S18D969H,Emanuele,Ricci,18/11/1983,chiamare Emanuele Ricci
            S-2,Rossi Mario,22/11/2026,,Mario,Rossi,18/11/1983,
            """, format: .csv, findings: findings)
        let mapped = rows.map { JSONText.compact(mapper.map($0).value) }
        #expect(mapped == [
            #"{"id":"S-1","desk_id":"aurora","datetime":"2026-11-22","channel":"in_person","person":{"person_key":"78073408b99f40e31d76bb8f483f649780c96eacfe97d679cdb1cc705fdb7aa1","age_band":"30-44"}}"#,
            #"{"id":"S-2","datetime":"2026-11-22","channel":"in_person","person":{"person_key":"11c30f13b06d333a3394e2d5dd605f9581736018b4b5d960bd4db1511cb43bb0","age_band":"30-44"}}"#,
        ])
        // The notes were never mapped (free text: said once); S-2's desk held the person's full name.
        #expect(findings.findings.map { "\($0.line ?? 0) \($0.rule) \($0.field ?? "")" } == ["0 case.free-text-dropped ", "3 case.identifier-leak desk_id"])
        #expect(findings.findings.first?.message == "notes is free text, which may name people: dropped on the way in (keep_free_text: true in the profile keeps it)")
    }

    /// The mistakes operators make: the person's surname (8 letters) in the outcome, their phone
    /// as bare digits in the needs, their birth date in ISO and d/M/yyyy form in a note. Each is
    /// found by its normalised form and withheld, and no finding quotes it.
    @Test("identifiers typed into the wrong column are found whatever their length or spelling")
    func mistypedIdentifiers() throws {
        let findings = FindingLog()
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: csv, identifiers: [CF, Nome, Cognome, Nato, Telefono] }
            target: case/contact
            fields:
              id: Scheda
              desk_id: Sportello
              datetime: { column: Data, transforms: [{ date: [dd/MM/yyyy] }] }
              channel: { const: in_person }
              x_esito: Esito
              x_bisogno: Bisogno
              x_altro: Altro
              x_durata: { column: Durata, transforms: [integer] }
              person.person_key: { pseudonym: { name: [Nome, Cognome], birth_date: Nato, phone: Telefono, date: [dd/MM/yyyy] } }
            """)
        let mapper = try Mapper(profile: loaded, findings: findings, secret: secret)
        let rows = try readRecords("""
            Scheda,Sportello,Data,CF,Nome,Cognome,Nato,Telefono,Esito,Bisogno,Altro,Durata
            S-1,aurora,22/11/2026,,Carla,Bellocchi,03/05/1950,+39 329 367 3455,ritirato dalla figlia Bellocchi,3293673455,nata il 1950-05-03,venti
            S-2,aurora,22/11/2026,,Carla,Bellocchi,03/05/1950,+39 329 367 3455,BELLÒCCHI,pacco alimentare,nata il 3/5/1950,15
            """, format: .csv, findings: findings)
        let mapped = rows.map { mapper.map($0).value }
        #expect(mapped.map { $0["x_esito"] } == [nil, nil])
        #expect(mapped.map { $0["x_bisogno"] } == [nil, .string("pacco alimentare")])
        #expect(mapped.map { $0["x_altro"] } == [nil, nil])
        #expect(mapped.map { $0["desk_id"] } == [.string("aurora"), .string("aurora")])
        #expect(findings.findings.map { "\($0.line ?? 0) \($0.rule) \($0.field ?? "")" } == [
            "2 map.integer Durata", "2 case.identifier-leak x_esito", "2 case.identifier-leak x_bisogno", "2 case.identifier-leak x_altro",
            "3 case.identifier-leak x_esito", "3 case.identifier-leak x_altro",
        ])
        // Not even the value a transform could not read is quoted: case data.
        #expect(findings.findings[0].message == "x_durata: not a whole number; the value was left out (the value, 5 characters, is not shown: case data)")
        for finding in findings.findings {
            let text = [finding.message, finding.value ?? "", finding.hint ?? ""].joined(separator: " ").lowercased()
            for secret in ["bellocchi", "3293673455", "1950", "venti"] { #expect(!text.contains(secret), "\(finding.formatted)") }
        }
    }

    @Test("a rejected case record is kept minimised: what says which one it was, none of its values")
    func rejectedCaseRecordsAreMinimised() throws {
        let record = try JSONDocument.load(path: try temporaryFile(
            #"{"type": "contact", "id": "C-1", "desk_id": "aurora", "datetime": "2026-11-22", "channel": "fax", "operator_role": "Carla Bellocchi", "needs": [{"category": "Bellocchi"}]}"#,
            name: "c.json"))
        #expect(JSONText.compact(SourceRecordWriter.kept(record, object: .caseContact)) == #"{"type":"contact","id":"C-1","desk_id":"aurora","datetime":"2026-11-22"}"#)
        #expect(SourceRecordWriter.kept(record, object: .service) == record)
    }

    @Test("an anonymous walk-in with only a town is a valid contact")
    func anonymousWalkIn() throws {
        let validator = try SchemaLoader.hsds(.caseContact)
        let contact = try JSONDocument.load(path: try temporaryFile(
            #"{"type": "contact", "id": "C-1", "desk_id": "aurora", "datetime": "2026-11-22T10:00:00+01:00", "channel": "in_person", "person": {"istat_code": "001272"}}"#,
            name: "c.json"))
        #expect(validator.validate(contact).map(\.keyword) == [])
    }

    @Test("without a secret a pseudonym profile is refused at the field that needs it")
    func missingSecret() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: csv }
            target: case/referral
            fields:
              id: Invio
              person_key: { pseudonym: { phone: Telefono } }
            """)
        #expect(throws: CroceviaError.configuration(file: "profile.yaml", line: 6, column: 15, message: "person_key is a pseudonym, made with the network secret, and no secret was given: set CROCEVIA_SECRET, or CROCEVIA_SECRET_FILE to a key file (there is no default secret; every member of the network uses the same one)")) {
            _ = try Mapper(profile: loaded, findings: FindingLog(), secret: nil, environment: [:])
        }
    }

    @Test("identifiers and pseudonyms belong to case data profiles")
    func notForHSDS() {
        #expect(profileError("""
            crocevia_profile: 1
            source: { name: prova, format: csv, identifiers: [CF] }
            target: service
            fields:
              id: Codice
            """) == "profile.yaml:3:9: identifiers and pseudonym fields are for case data (target: case/contact…), not for service")
    }
}
