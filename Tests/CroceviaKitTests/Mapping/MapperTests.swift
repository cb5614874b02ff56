import Testing
@testable import CroceviaKit

@Suite struct MapperTests {
    @Test func splitCellMakesOnePhoneEachWithItsOwnId() throws {
        let objects = try mapRows("""
              id: { uuid: Codice }
              name: Nome
              phones[].id: { uuid: Codice }
              phones[].number: { column: Telefono, transforms: [{ split: ";" }] }
              phones[].type: { const: voice }
            """, csv: "Codice;Nome;Telefono\nS1;Sportello;\" 011 123 ; 333 456 \"\nS2;Altro;\n")
        let phones = objects[0]["phones"]
        guard case .array(let items)? = phones else { Issue.record("no phones"); return }
        #expect(items.map { $0["number"] } == [.string("011 123"), .string("333 456")])
        #expect(items.map { $0["type"] } == [.string("voice"), .string("voice")])
        #expect(items[0]["id"] != items[1]["id"])
        #expect(items[0]["id"] == .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "prova/phones[011 123]/S1").text))
        #expect(objects[1]["phones"] == nil)
    }

    @Test func idsAndCopiesAgree() throws {
        let objects = try mapRows("""
              id: { uuid: Codice }
              organization_id: { copy: organization.id }
              name: Nome
              organization.id: { uuid: Ente }
              organization.name: Ente
            """, csv: "Codice,Nome,Ente\nS1,A,Coop Uno\nS2,B,Coop Uno\nS3,C,\n")
        #expect(objects[0]["organization_id"] == objects[0]["organization"]?["id"])
        #expect(objects[0]["organization_id"] == objects[1]["organization_id"])
        #expect(objects[0]["id"] == .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "prova/service/S1").text))
        #expect(objects[0]["organization_id"] == .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "prova/organization/Coop Uno").text))
        // No organization in the row: neither the object nor the copy of its id.
        #expect(objects[2] == .object(JSONObject([("id", objects[2]["id"]!), ("name", .string("C"))])))
    }

    @Test func constantsDoNotCreateObjectsOnTheirOwn() throws {
        let objects = try mapRows("""
              name: Nome
              service_at_locations[0].location.location_type: { const: physical }
              service_at_locations[0].location.addresses[0].country: { const: IT }
              service_at_locations[0].location.addresses[0].city: { column: Comune, transforms: [title] }
            """, csv: "Codice;Nome;Comune\n1;A;SETTIMO T.SE\n2;B;\n")
        #expect(JSONText.compact(objects[0]) == #"{"name":"A","service_at_locations":[{"location":{"location_type":"physical","addresses":[{"country":"IT","city":"Settimo T.Se"}]}}]}"#)
        #expect(JSONText.compact(objects[1]) == #"{"name":"B"}"#)
    }

    @Test func valueMapsDatesNumbersAndTemplates() throws {
        let findings = FindingLog()
        let objects = try mapRows("""
              name: { template: "{Via} {Civico}" }
              status:
                column: Stato
                transforms: [{ map: { values: { attivo: active, sospeso: inactive } } }]
              assured_date: { column: Data, transforms: [{ date: [dd/MM/yyyy, d/M/yy] }] }
              minimum_age: { column: Eta, transforms: [integer] }
              maximum_age: { column: Max, transforms: [decimal_comma] }
            """, csv: "Codice;Via;Civico;Stato;Data;Eta;Max\n1;Via Roma;12;ATTIVO ;03/11/2026;18;1.234,5\n2;Corso Francia;;chiuso;3/1/26;n.d.;\n3;;;Sospeso;31/02/2026;;\n",
            findings: findings)
        #expect(JSONText.compact(objects[0]) == #"{"name":"Via Roma 12","status":"active","assured_date":"2026-11-03","minimum_age":18,"maximum_age":1234.5}"#)
        #expect(JSONText.compact(objects[1]) == #"{"name":"Corso Francia","status":"chiuso","assured_date":"2026-01-03"}"#)
        #expect(JSONText.compact(objects[2]) == #"{"status":"inactive"}"#)
        #expect(findings.findings.map { "\($0.line ?? 0) \($0.severity) \($0.rule) \($0.value ?? "")" } == [
            "3 warning map.unmapped chiuso",
            "3 error map.integer n.d.",
            "4 error map.date 31/02/2026",
        ])
    }

    @Test func requiredFieldWithoutValueIsAnError() throws {
        let findings = FindingLog()
        _ = try mapRows("  name: { column: Nome, required: true }\n", csv: "Codice,Nome\n1,\n", findings: findings)
        #expect(findings.findings.map(\.message) == ["name is required but has no value"])
        #expect(findings.findings.first?.hint == "fill in Nome")
    }

    @Test func provenanceKeepsThePartnersKey() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: csv, key: [Ente, Codice] }
            target: service
            fields: { name: Nome }
            """)
        let mapper = try Mapper(profile: loaded, findings: FindingLog())
        let record = try readRecords("Ente,Codice,Nome\nE1,S9,A\n", format: .csv)[0]
        let mapped = mapper.map(record)
        #expect(mapped.provenance.key == "E1/S9")
        #expect(mapped.provenance.source == "prova")
        #expect(mapped.provenance.line == 2)
        #expect(mapped.provenance.record == 1)
    }

    @Test func jsonPathsAndListsFromNestedRecords() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: json }
            target: service
            fields:
              name: servizio.titolo
              phones[].number: contatti.telefoni
              email: contatti.email
            """)
        let findings = FindingLog()
        let mapper = try Mapper(profile: loaded, findings: findings)
        let records = try readRecords(#"[{"servizio": {"titolo": "A"}, "contatti": {"telefoni": ["1", null, "2"], "email": null}}]"#, format: .json)
        #expect(JSONText.compact(mapper.map(records[0]).value) == #"{"name":"A","phones":[{"number":"1"},{"number":"2"}]}"#)
        mapper.reportUnseenColumns(inputName: "x.json")
        #expect(findings.findings.isEmpty)
    }

    @Test func columnMissingFromTheHeaderIsAProfileError() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: csv }
            target: service
            fields:
              name: Nome
              email: Emial
            """)
        let mapper = try Mapper(profile: loaded, findings: FindingLog())
        #expect(throws: CroceviaError.configuration(file: "profile.yaml", line: 6, column: 10,
                                                    message: "column \"Emial\" is not in the header of x.csv; did you mean \"Email\"? (its columns: Nome, Email)")) {
            try mapper.check(header: ["Nome", "Email"], inputName: "x.csv")
        }
    }

    @Test func xmlPathsReachAttributesNestedElementsAndRepeatedChildren() throws {
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: tolink, format: xml, record_element: Servizio, key: "@codice" }
            target: service
            fields:
              name: Nome
              description: { template: "{Nome} ({Ente/@tipo})" }
              organization.name: Ente
              phones[].number: Recapiti/Telefono[*]/Numero
              service_at_locations[0].location.addresses[0].address_1: Sede/Indirizzo
            """)
        let xml = """
            <Export><Servizi>
            <Servizio codice="TL-7">
              <Nome lang="it">Orientamento casa</Nome>
              <Ente tipo="cooperativa">Il Riparo</Ente>
              <Recapiti><Telefono><Numero>011 1234567</Numero></Telefono><Telefono><Numero>333 7654321</Numero></Telefono></Recapiti>
              <Sede><Indirizzo>Via Roma 1</Indirizzo></Sede>
            </Servizio>
            </Servizi></Export>
            """
        let records = try readRecords(xml, format: .xml, options: .init(recordElement: "Servizio"))
        let mapped = try Mapper(profile: loaded, findings: FindingLog()).map(records[0])
        #expect(mapped.provenance.key == "TL-7")
        #expect(mapped.value == .object(JSONObject([
            ("name", .string("Orientamento casa")),
            ("description", .string("Orientamento casa (cooperativa)")),
            ("organization", .object(JSONObject([("name", .string("Il Riparo"))]))),
            ("phones", .array([.object(JSONObject([("number", .string("011 1234567"))])), .object(JSONObject([("number", .string("333 7654321"))]))])),
            ("service_at_locations", .array([.object(JSONObject([("location", .object(JSONObject([
                ("addresses", .array([.object(JSONObject([("address_1", .string("Via Roma 1"))]))])),
            ])))]))])),
        ])))
    }

    @Test func anIdWithoutKeyIsAnErrorOnlyWhenItsObjectExists() throws {
        let findings = FindingLog()
        let objects = try mapRows("""
              id: { uuid: Codice }
              name: Nome
              service_at_locations[0].location.id: { uuid: Sede }
              service_at_locations[0].location.name: Luogo
            """, csv: "Codice,Nome,Sede,Luogo\nS1,A,,\nS2,B,,Via Roma\n,C,X,\n", findings: findings)
        #expect(objects.count == 3)
        #expect(objects[0]["service_at_locations"] == nil)
        #expect(objects[1]["service_at_locations"] == .array([.object(JSONObject([("location", .object(JSONObject([("name", .string("Via Roma"))])))]))]))
        #expect(findings.findings.map(\.message) == [
            "service_at_locations[0].location.id: the id is made from Sede, empty in this record",
            "id: the id is made from Codice, empty in this record",
        ])
        #expect(findings.findings.map(\.line) == [3, 4])
    }

    @Test func rememberedResultsStillReportEveryBadValue() throws {
        let findings = FindingLog()
        let objects = try mapRows("""
              name: Nome
              assured_date: { column: Data, transforms: [{ date: dd/MM/yyyy }] }
              url: { column: Sito, transforms: [{ replace: { regex: "^(?!https?://)", with: "https://" } }] }
            """, csv: "Nome,Data,Sito\nA,31/02/2026,a.it\nB,31/02/2026,a.it\nC,01/02/2026,https://b.it\nD,01/02/2026,a.it\n", findings: findings)
        #expect(objects.map { $0["assured_date"] } == [nil, nil, .string("2026-02-01"), .string("2026-02-01")])
        #expect(objects.map { $0["url"] } == [.string("https://a.it"), .string("https://a.it"), .string("https://b.it"), .string("https://a.it")])
        #expect(findings.findings.map(\.line) == [2, 3])
    }

    // MARK: Repeated elements

    static let sites = """
        <Export>
          <SiteService>
            <Key>7</Key>
            <Name>Food bank</Name>
            <Phone><PhoneNumber></PhoneNumber><Description>Fax line, no number yet</Description></Phone>
            <Phone><PhoneNumber>905-555-0142</PhoneNumber><Description>Main line</Description></Phone>
            <Phone><PhoneNumber>905-555-0199</PhoneNumber></Phone>
            <GeographicAreaServed><City>Hamilton</City><City>Dundas</City></GeographicAreaServed>
            <GeographicAreaServed><City>Grimsby</City></GeographicAreaServed>
            <Site><Name>King Street</Name><Phone><PhoneNumber>905-555-0100</PhoneNumber></Phone><Phone><PhoneNumber>905-555-0101</PhoneNumber></Phone></Site>
            <Site><Name>East Branch</Name><Phone><PhoneNumber>905-555-0200</PhoneNumber></Phone></Site>
            <Age>18</Age><Age>18</Age>
            <Fee>5</Fee><Fee>10</Fee>
          </SiteService>
        </Export>
        """

    /// An element without a value leaves a hole: the descriptions stay with their numbers.
    @Test func valuesOfOneRepeatedElementStayTogether() throws {
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              phones[].number: Phone/PhoneNumber
              phones[].description: Phone/Description
            """, xml: Self.sites)
        #expect(objects[0]["phones"] == .array([
            .object(JSONObject([("description", .string("Fax line, no number yet"))])),
            .object(JSONObject([("number", .string("905-555-0142")), ("description", .string("Main line"))])),
            .object(JSONObject([("number", .string("905-555-0199"))])),
        ]))
    }

    /// Each repeated block is one element; its own repetitions are the element's values.
    @Test func repeatedBlocksKeepTheirGrouping() throws {
        let findings = FindingLog()
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              service_areas[].name: { column: GeographicAreaServed/City, transforms: [{ join: ", " }] }
              service_at_locations[].location.name: Site/Name
              service_at_locations[].location.phones[].number: Site/Phone/PhoneNumber
            """, xml: Self.sites, findings: findings)
        #expect(objects[0]["service_areas"] == .array([
            .object(JSONObject([("name", .string("Hamilton, Dundas"))])), .object(JSONObject([("name", .string("Grimsby"))])),
        ]))
        let locations = objects[0]["service_at_locations"]?.arrayValue?.map { $0["location"] }
        #expect(locations?.map { $0?["name"] } == [.string("King Street"), .string("East Branch")])
        #expect(locations?.map { $0?["phones"]?.arrayValue?.compactMap { $0["number"]?.stringValue } }
                == [["905-555-0100", "905-555-0101"], ["905-555-0200"]])
        #expect(findings.findings.isEmpty)
    }

    /// Several different values for a field that holds one: a finding, never a silent join.
    @Test func aListInASingleValuedFieldIsAFinding() throws {
        let findings = FindingLog()
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              x_age: Age
              x_fee: Fee
              x_fees: { column: Fee, transforms: [{ join: " / " }] }
            """, xml: Self.sites, findings: findings)
        #expect(objects[0]["x_age"] == .string("18"))
        #expect(objects[0]["x_fee"] == nil)
        #expect(objects[0]["x_fees"] == .string("5 / 10"))
        #expect(findings.findings.map(\.formatted) == [
            "\(findings.findings.first?.file ?? ""):2: error: x_fee holds one value, and this record gives 2; the field was left out (join them (transforms: [join]) or map them to a list (x_fee[] …))",
        ])
        #expect(findings.findings.first?.value == "5 | 10")
    }

    /// A crosswalk's default fills an absent value, and makes no object of its own.
    @Test func mapDefaultAppliesToAnAbsentValue() throws {
        let objects = try mapRows("""
              id: { uuid: Codice }
              name: Nome
              status: { column: Stato, transforms: [{ map: { values: { sospeso: inactive }, default: active } }] }
              phones[].number: Telefono
              phones[].type: { column: Tipo, transforms: [{ map: { values: { fax: fax }, default: voice } }] }
            """, csv: "Codice;Nome;Telefono;Tipo\nS1;Sportello;011 123;\nS2;Altro;;\n")
        #expect(objects[0]["status"] == .string("active"))
        #expect(objects[0]["phones"] == .array([.object(JSONObject([("number", .string("011 123")), ("type", .string("voice"))]))]))
        #expect(objects[1]["status"] == .string("active"))
        #expect(objects[1]["phones"] == nil)
    }

    /// An element's id comes from what it holds: the same code gets the same id in every record
    /// and at every position.
    @Test func idsOfListElementsFollowTheirContent() throws {
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              attributes[].id: { uuid: Taxonomy/Code }
              attributes[].value: Taxonomy/Code
              attributes[].taxonomy_term.id: { uuid: Taxonomy/Code }
              attributes[].taxonomy_term.code: Taxonomy/Code
            """, xml: """
            <Export>
              <S><Key>1</Key><Name>A</Name><Taxonomy><Code>BD-1800.2000</Code></Taxonomy><Taxonomy><Code>BD-5000</Code></Taxonomy></S>
              <S><Key>2</Key><Name>B</Name><Taxonomy><Code>BD-5000</Code></Taxonomy><Taxonomy><Code>BD-1800.2000</Code></Taxonomy></S>
            </Export>
            """)
        let terms = objects.map { $0["attributes"]?.arrayValue?.map { $0["taxonomy_term"]?["id"] } ?? [] }
        #expect(terms[0].count == 2)
        #expect(terms[0][0] == terms[1][1])
        #expect(terms[0][1] == terms[1][0])
        #expect(terms[0][0] != terms[0][1])
    }

    /// `../` reaches the elements that enclose the record element: a service's site and agency.
    @Test func enclosingElementsAreReachable() throws {
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              organization.id: { uuid: ../../Key }
              organization.name: ../../Name
              service_at_locations[0].location.name: ../Name
              service_at_locations[0].location.addresses[0].address_1: ../PhysicalAddress/Line1
              service_at_locations[0].location.addresses[0].city: ../PhysicalAddress/City
            """, xml: """
            <Source>
              <Agency>
                <Key>1</Key>
                <Name>Northside Food Bank</Name>
                <Site>
                  <Key>10</Key>
                  <Name>King Street</Name>
                  <PhysicalAddress><Line1>12 King St</Line1><City>Hamilton</City></PhysicalAddress>
                  <SiteService><Name>Food hampers</Name><Key>100</Key></SiteService>
                  <SiteService><Name>Hot meals</Name><Key>101</Key></SiteService>
                </Site>
                <Site>
                  <Key>11</Key>
                  <Name>East Branch</Name>
                  <SiteService><Name>Food hampers</Name><Key>102</Key></SiteService>
                </Site>
              </Agency>
              <Agency><Key>2</Key><Name>St. Joseph's Drop-In</Name>
                <Site><Key>20</Key><Name>Main</Name><SiteService><Name>Breakfast</Name><Key>200</Key></SiteService></Site>
              </Agency>
            </Source>
            """, recordElement: "SiteService")
        #expect(objects.count == 4)
        #expect(objects.map { $0["name"]?.stringValue } == ["Food hampers", "Hot meals", "Food hampers", "Breakfast"])
        #expect(objects.map { $0["organization"]?["name"]?.stringValue } == ["Northside Food Bank", "Northside Food Bank", "Northside Food Bank", "St. Joseph's Drop-In"])
        let locations = objects.map { $0["service_at_locations"]?.arrayValue?.first?["location"] }
        #expect(locations.map { $0?["name"]?.stringValue } == ["King Street", "King Street", "East Branch", "Main"])
        #expect(locations[0]?["addresses"] == .array([.object(JSONObject([("address_1", .string("12 King St")), ("city", .string("Hamilton"))]))]))
        #expect(locations[2]?["addresses"] == nil)
        #expect(objects[0]["organization"]?["id"] == objects[2]["organization"]?["id"])
    }

    /// `[*]` says which element repeats: one site with two phones, one taxonomy with two codes,
    /// map as they would among many.
    @Test func markedStepsAreListsWhateverTheCount() throws {
        let findings = FindingLog()
        let objects = try mapXML("""
              id: { uuid: Key }
              name: Name
              attributes[].value: { column: "Taxonomy[*]/Code", transforms: [{ join: " * " }] }
              service_at_locations[].location.name: Site[*]/Name
              service_at_locations[].location.phones[].number: Site[*]/Phone[*]/PhoneNumber
              phones[].number: Site/Phone[*]/PhoneNumber
            """, xml: """
            <Export>
              <S><Key>1</Key><Name>A</Name><Taxonomy><Code>BD-1800.2000</Code><Code>YF-3000</Code></Taxonomy>
                <Site><Name>King Street</Name><Phone><PhoneNumber>1</PhoneNumber></Phone><Phone><PhoneNumber>2</PhoneNumber></Phone></Site></S>
              <S><Key>2</Key><Name>B</Name><Taxonomy><Code>BD-5000</Code></Taxonomy><Taxonomy><Code>BD-1800</Code></Taxonomy>
                <Site><Name>East</Name><Phone><PhoneNumber>3</PhoneNumber></Phone></Site><Site><Name>West</Name><Phone><PhoneNumber>4</PhoneNumber></Phone></Site></S>
            </Export>
            """, findings: findings)
        #expect(findings.findings.isEmpty)
        #expect(objects[0]["attributes"]?.arrayValue?.map { $0["value"] } == [.string("BD-1800.2000 * YF-3000")])
        #expect(objects[1]["attributes"]?.arrayValue?.map { $0["value"] } == [.string("BD-5000"), .string("BD-1800")])
        let locations = objects.map { $0["service_at_locations"]?.arrayValue?.map { $0["location"] } ?? [] }
        #expect(locations[0].map { $0?["phones"]?.arrayValue?.count } == [2])
        #expect(locations[1].map { $0?["name"]?.stringValue } == ["East", "West"])
        #expect(locations[1].map { $0?["phones"]?.arrayValue?.count } == [1, 1])
        // Unmarked repeated sites: their phones are one list.
        #expect(objects[1]["phones"]?.arrayValue?.map { $0["number"] } == [.string("3"), .string("4")])
    }

    /// A column no record has is said once, at the profile's line, with the closest name the
    /// records have; an optional field's column stays quiet.
    @Test func aColumnNoRecordHasIsSaidOnceWithTheProfileLine() throws {
        let findings = FindingLog()
        let loaded = try profile("""
            crocevia_profile: 1
            source: { name: prova, format: xml }
            target: service
            fields:
              id: { uuid: Key }
              name: Name
              description: Descripion
              phones[].number: { column: "Phone[*]/Number", optional: true }
            """)
        let mapper = try Mapper(profile: loaded, findings: findings)
        let path = try temporaryFile("<E><S><Key>1</Key><Name>A</Name><Description>d</Description></S><S><Key>2</Key><Name>B</Name></S></E>", name: "e.xml")
        let reader = try Format.xml.makeReader(path: path, source: "prova", findings: findings)
        while let record = try reader.next() { _ = mapper.map(record) }
        mapper.reportUnseenColumns(inputName: path)
        #expect(findings.findings.map(\.formatted) == [
            "\(path): warning: \"Descripion\" was not found in any record, so the fields that read it stayed empty; did you mean \"Description\"? (check the name at profile.yaml:7:16, or mark the field optional: true if the records may lack it)",
        ])
    }
}
