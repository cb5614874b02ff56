import Foundation
import Testing
@testable import CroceviaKit

@Suite struct CSVRecordWriterTests {
    func write(_ values: [JSONValue], columns: [String]? = nil, delimiter: UInt8 = UInt8(ascii: ","), findings: FindingLog = FindingLog()) throws -> String {
        let path = try temporaryFile("", name: "out.csv")
        let sink = try OutputSink(path: path)
        let writer = CSVRecordWriter(sink: sink, delimiter: delimiter, columns: columns, findings: findings)
        for (n, value) in values.enumerated() {
            try writer.write(Record(value: value, provenance: Provenance(source: "t", file: "in.jsonl", line: n + 1, record: n + 1)))
        }
        try writer.finish()
        try sink.commit()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func quotesOnlyWhatNeedsIt() throws {
        let text = try write([
            .object(JSONObject([("nome", .string("Coop \"Il Ponte\"")), ("nota", .string("a, b")), ("n", .number("1.5e2")),
                                ("ok", .bool(true)), ("vuoto", .null), ("lista", .array([.string("x"), .number("2")]))])),
        ])
        #expect(text == "nome,nota,n,ok,vuoto,lista\n\"Coop \"\"Il Ponte\"\"\",\"a, b\",1.5e2,true,,\"[\"\"x\"\",2]\"\n")
    }

    @Test func keysOutsideTheHeaderAreAnErrorFinding() throws {
        let findings = FindingLog()
        let text = try write([row(["a": "1"]), row(["a": "2", "b": "3"])], findings: findings)
        #expect(text == "a\n1\n2\n")
        #expect(findings.findings.map(\.message) == ["the record has keys that are not columns of the output: b; their values were not written"])
        #expect(findings.findings.first?.line == 2)
    }

    @Test func givenColumnsAndDelimiter() throws {
        let text = try write([row(["b": "2", "a": "1;x"])], columns: ["a", "b", "c"], delimiter: UInt8(ascii: ";"))
        #expect(text == "a;b;c\n\"1;x\";2;\n")
    }
}
