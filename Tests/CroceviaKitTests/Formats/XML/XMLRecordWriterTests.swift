import Foundation
import Testing
@testable import CroceviaKit

@Suite struct XMLRecordWriterTests {
    @Test func recordsBecomeElementsAndReadBackTheSame() throws {
        let records: [JSONValue] = [
            .object(JSONObject([
                ("@id", .string("S1")),
                ("nome", .object(JSONObject([("@lang", .string("it")), ("#text", .string("Spesa & \"consegna\" <casa>"))]))),
                ("telefono", .array([.string("011 1234567"), .string("333 1234567")])),
                ("sede", .object(JSONObject([("via", .string("Via Priocchi 2")), ("cap", .string("10152"))]))),
                ("riga\r\nsecondo", .string("a\r\nb")),
            ])),
        ]
        let findings = FindingLog()
        let text = try write(records, findings: findings)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <records>
            <servizio id="S1"><nome lang="it">Spesa &amp; "consegna" &lt;casa&gt;</nome><telefono>011 1234567</telefono>\
            <telefono>333 1234567</telefono><sede><via>Via Priocchi 2</via><cap>10152</cap></sede><riga__secondo>a&#13;
            b</riga__secondo></servizio>
            </records>

            """)
        #expect(findings.findings.map(\.message) == ["\"riga\r\nsecondo\" is not an XML element name; written as <riga__secondo>"])
        let back = try readRecords(text, format: .xml)
        var expected = records[0].objectValue!
        expected.members[4].key = "riga__secondo"
        #expect(back.map(\.value) == [.object(expected)])
    }

    @Test func controlCharactersAreLeftOutWithAWarning() throws {
        let findings = FindingLog()
        let text = try write([.object(JSONObject([("n", .string("a\u{1}b")), ("2024", .null)]))], findings: findings)
        #expect(text.contains("<servizio><n>ab</n><_2024/></servizio>"))
        #expect(findings.findings.map(\.rule) == ["xml.control-character", "xml.element-name"])
    }

    private func write(_ values: [JSONValue], findings: FindingLog) throws -> String {
        let path = try temporaryFile("", name: "out.xml")
        let sink = try OutputSink(path: path)
        let writer = XMLRecordWriter(sink: sink, recordElement: "servizio", findings: findings)
        for (n, value) in values.enumerated() {
            try writer.write(Record(value: value, provenance: Provenance(source: "t", file: "in.json", line: n + 1, record: n + 1)))
        }
        try writer.finish()
        try sink.commit()
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
