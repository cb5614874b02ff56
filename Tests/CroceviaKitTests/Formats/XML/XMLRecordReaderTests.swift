import Testing
@testable import CroceviaKit

@Suite struct XMLRecordReaderTests {
    static let export = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE export [ <!ENTITY coop "Cooperativa Sociale"> ]>
        <export xmlns:t="urn:tolink">
          <intestazione><data>2026-11-01</data></intestazione>
          <servizi>
            <t:servizio id="S1">
              <nome lang="it">Orientamento &amp; casa</nome>
              <ente>&coop; Il Riparo</ente>
              <telefono><numero>011 1234567</numero></telefono>
              <telefono><numero>333-1234567</numero></telefono>
              <note><![CDATA[<b>chiuso</b> ad agosto]]></note>
              <cap>00100</cap>
              <vuoto/>
            </t:servizio>
            <t:servizio id="S2"><nome>Ascolto</nome></t:servizio>
          </servizi>
        </export>

        """

    @Test(arguments: [1, 7, 4096])
    func recordElementsBecomeObjects(chunkSize: Int) throws {
        let records = try readRecords(Self.export, format: .xml, chunkSize: chunkSize, options: .init(recordElement: "servizio"))
        #expect(records.map(\.value) == [
            .object(JSONObject([
                ("@id", .string("S1")),
                ("nome", .object(JSONObject([("@lang", .string("it")), ("#text", .string("Orientamento & casa"))]))),
                ("ente", .string("Cooperativa Sociale Il Riparo")),
                ("telefono", .array([.object(JSONObject([("numero", .string("011 1234567"))])),
                                     .object(JSONObject([("numero", .string("333-1234567"))]))])),
                ("note", .string("<b>chiuso</b> ad agosto")),
                ("cap", .string("00100")),
                ("vuoto", .string("")),
            ])),
            .object(JSONObject([("@id", .string("S2")), ("nome", .string("Ascolto"))])),
        ])
        #expect(records.map(\.provenance.line) == [6, 15])
        #expect(records.map(\.provenance.record) == [1, 2])
    }

    @Test func withoutARecordElementTheRootsChildrenAreRecords() throws {
        let records = try readRecords("<r>\n<a x=\"1\"/>\n<b>testo</b>\n</r>", format: .xml)
        #expect(records.map(\.value) == [.object(JSONObject([("@x", .string("1"))])), .string("testo")])
        #expect(records.map(\.provenance.line) == [2, 3])
    }

    @Test func windows1252DeclaredOrNotIsDecoded() throws {
        let declared = Array("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<r><s>Citt".utf8) + [0xE0] + Array("</s></r>".utf8)
        let undeclared = Array("<r><s>Citt".utf8) + [0xE0] + Array("</s></r>".utf8)
        for bytes in [declared, undeclared] {
            #expect(try readRecords(bytes, format: .xml).map(\.value) == [.string("Città")])
        }
    }

    @Test func malformedXMLStopsWithItsLineAfterTheGoodRecords() throws {
        // libxml2 parses ahead of the records it hands out (its reader works in chunks), so the
        // records of the last chunk before the error are lost with it: 1,983 of 2,000 come out.
        let good = String(repeating: "<s><n>1</n></s>\n", count: 2000)
        let reader = try xmlReader("<r>\n" + good + "<s><n>2</n>\n</r>\n")
        var count = 0
        do {
            while try reader.next() != nil { count += 1 }
            Issue.record("malformed XML was accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            #expect(line == 2003)
            #expect(message == "Opening and ending tag mismatch: s line 2002 and r (no record after the one on line 1984 was read)")
        }
        #expect(count == 1983)
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let secret = try temporaryFile("segreto-di-prova-8841\n", name: "secret.txt")
        let findings = FindingLog()
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [ <!ENTITY xxe SYSTEM \"file://\(secret)\"> ]>\n<r>\n<s><n>&xxe;</n></s>\n<s><n>ok</n></s>\n</r>\n"
        let records = try readRecords(text, format: .xml, findings: findings)
        #expect(records.map(\.value) == [.object(JSONObject([("n", .string(""))])), .object(JSONObject([("n", .string("ok"))]))])
        #expect(findings.findings.map(\.rule) == ["xml.external-entity"])
        #expect(findings.findings.first?.message == "the document refers to an external entity (file://\(secret)), which crocevia never loads; the value stays empty")
        #expect(findings.findings.first?.line == 4)
    }

    @Test func anEntityBombFailsAtOnce() throws {
        var declarations = "<!ENTITY l0 \"lol\">\n"
        for level in 1...9 {
            declarations += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">\n"
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n\(declarations)]>\n<r><a>&l9;</a></r>\n"
        do {
            _ = try readRecords(text, format: .xml)
            Issue.record("an entity bomb was expanded")
        } catch CroceviaError.unreadableInput(_, _, let message, let hint) {
            #expect(message.hasPrefix("entity expansion is out of all proportion (an \"entity bomb\")"))
            #expect(hint == "the file defines entities that expand into each other; ask the sender for a plain export")
        }
    }

    @Test func aRecordElementThatNeverOccursIsNamed() throws {
        let findings = FindingLog()
        let records = try readRecords("<elenco><Servizio/></elenco>", format: .xml, options: .init(recordElement: "servizio"), findings: findings)
        #expect(records.isEmpty)
        #expect(findings.findings.map(\.message) == ["no <servizio> element in \(findings.findings[0].file) (its elements: elenco, Servizio)"])
        #expect(findings.findings.map(\.hint) == ["the record element is case-sensitive; did you mean \"Servizio\"?"])
        #expect(findings.findings.map(\.line) == [1])
    }

    @Test func aTextLongerThanTheLimitIsRefused() throws {
        let text = "<r><s><n>" + String(repeating: "x", count: 3 << 20) + "</n></s></r>"
        do {
            _ = try readRecords(text, format: .xml, options: .init(maxFieldBytes: 1 << 20))
            Issue.record("an over-long text was accepted")
        } catch CroceviaError.unreadableInput(_, _, let message, _) {
            #expect(message == "a text in <n> is longer than 1 MiB")
        }
    }

    @Test func deepNestingIsRefusedInPlainWords() throws {
        let text = "<r>" + String(repeating: "<a>", count: 10_000) + "x" + String(repeating: "</a>", count: 10_000) + "</r>"
        do {
            _ = try readRecords(text, format: .xml)
            Issue.record("10,000 nested elements were accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, let hint) {
            #expect(line == 1)
            #expect(message.hasPrefix("elements are nested deeper than 256 levels (libxml2: Excessive depth in document: 256"))
            #expect(hint == "real exports are never this deep: the file is damaged, or built to harm")
        }
    }

    @Test func aTextNodeOverTenMegabytesStopsAfterTheRecordsBeforeIt() throws {
        let reader = try xmlReader("<r><s><n>ok</n></s>" + String(repeating: "<s><n>pad</n></s>", count: 5000) + "<s><n>" + String(repeating: "x", count: 12_000_000) + "</n></s></r>")
        var count = 0
        do {
            while try reader.next() != nil { count += 1 }
            Issue.record("a 12 MB text node was accepted")
        } catch CroceviaError.unreadableInput(_, _, let message, _) {
            #expect(message == "a text value is too long for the XML parser (over 10 MB): xmlSAX2Characters: huge text node (no record after the one on line 1 was read)")
        }
        #expect(count == 5001)
    }

    @Test func anEmptyFileIsAnError() throws {
        do {
            _ = try readRecords("", format: .xml)
            Issue.record("an empty file was accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, let hint) {
            #expect(line == 1)
            #expect(message == "the file is empty")
            #expect(hint == "check that the export wrote its data")
        }
    }

    private func xmlReader(_ text: String) throws -> RecordReader {
        try Format.xml.makeReader(path: try temporaryFile(text, name: "input.xml"), source: "test", findings: FindingLog())
    }
}
