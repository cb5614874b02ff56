import Foundation
import Testing
@testable import CroceviaKit

/// Plain CSV → JSON Lines writes rows straight from the reader's buffer (`JSONLinesRowWriter`);
/// these hold it to what the record path (`CSVRecordReader.next()`, then `JSONRecordWriter`)
/// writes for the same file, with the same findings.
@Suite struct CSVRowsTests {
    /// Converts `path` to JSON Lines through `Converter` (the row path).
    private func rows(_ path: String) throws -> (text: String, findings: [Finding], summary: ConvertSummary) {
        var options = ConvertOptions(inputs: [path])
        options.to = .jsonl
        options.output = try temporaryFile("", name: "out.jsonl")
        let findings = FindingLog()
        let summary = try Converter(options: options, findings: findings).run()
        return (try String(contentsOfFile: options.output, encoding: .utf8), findings.findings, summary)
    }

    /// The same file through records, as every other conversion reads it.
    private func records(_ path: String) throws -> (text: String, findings: [Finding]) {
        let findings = FindingLog()
        let sink = try OutputSink(path: try temporaryFile("", name: "records.jsonl"))
        let writer = JSONRecordWriter(sink: sink, mode: .jsonl)
        let reader = try Format.csv.makeReader(path: path, source: "input", findings: findings)
        while let record = try reader.next() { try writer.write(record) }
        try writer.finish()
        try writer.commit()
        return (try String(contentsOfFile: sink.name, encoding: .utf8), findings.findings)
    }

    @Test func rowsAreWrittenAsTheirRecordsWould() throws {
        let cases: [[UInt8]] = [
            Array("Nome;Indirizzo;Note\n\"Caffè \"\"Aurora\"\"\";\"Via Roma, 1\";\"due\nrighe\"\n\nB;;\n".utf8),
            Array("a,b\r\n1,2,3,4\r\n5\r\n\r\n\"\",x\r\n".utf8),
            Array("solo\n\nuno\n\n".utf8),  // one column: a blank line is an empty value
            Array("a,b\n\"tab\there\",\"\u{1}ctl\\back\"\n\"chiuso\"dopo,z\n".utf8),
            [0xEF, 0xBB, 0xBF] + Array("città,n\nTorino,1\n".utf8),
            Array("Nome,Comune\n".utf8) + [0x43, 0x61, 0x66, 0x66, 0xE8] + Array(",Ivrea\n".utf8),  // Windows-1252
            Array("a,a,,b\n1,2,3,4\n".utf8),  // duplicate and empty header names
            Array("a,b\n".utf8),
            [],
        ]
        for bytes in cases {
            let path = try temporaryFile(bytes)
            let converted = try rows(path)
            let expected = try records(path)
            #expect(converted.text == expected.text, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(converted.findings == expected.findings)
        }
    }

    @Test func exactLinesForQuotesBreaksAndRaggedRows() throws {
        let path = try temporaryFile("Nome;Note\n\"Caffè \"\"Aurora\"\"\";\"due\nrighe\"\n\nB\nC;x;y\n")
        let converted = try rows(path)
        #expect(converted.text == """
            {"Nome":"Caffè \\"Aurora\\"","Note":"due\\nrighe"}
            {"Nome":"B"}
            {"Nome":"C","Note":"x","column_3":"y"}

            """)
        #expect(converted.summary == ConvertSummary(records: 3, inputs: 1, unreadableInputs: 0))
        #expect(converted.findings.map(\.message) == [
            "the row has 1 fields, the header has 2; the missing fields are left empty",
            "the row has 3 fields, the header has 2; the extra field is kept as column_3",
        ])
        #expect(converted.findings.map(\.line) == [5, 6])
    }

    /// Fields that cross the reader's 256 KiB chunks (long quoted values with doubled quotes and
    /// line breaks), over several chunks.
    @Test func rowsAcrossChunksMatchTheirRecords() throws {
        let lines = (0..<4000).map { n in
            let long = String(repeating: "parola \"\"citata\"\" e\r\nriga ", count: n % 13 + 1)
            return "S\(n),\"\(long)\",\(n)\n" + (n % 500 == 0 ? "\n" : "")
        }
        let path = try temporaryFile("codice,testo,n\n" + lines.joined())
        let converted = try rows(path)
        let expected = try records(path)
        #expect(converted.text.utf8.count > 3 * 256 * 1024)
        #expect(converted.text == expected.text)
        #expect(converted.summary.records == 4000)
        #expect(converted.findings.isEmpty)
    }

    /// A quoted field that never closes: the rows before it are written, not the one it breaks.
    @Test func aBrokenRowIsNotHalfWritten() throws {
        let path = try temporaryFile("a,b\n1,2\n3,\"open\n4,5\n")
        let converted = try rows(path)
        #expect(converted.text == "{\"a\":\"1\",\"b\":\"2\"}\n")
        #expect(converted.summary == ConvertSummary(records: 1, inputs: 1, unreadableInputs: 1))
        #expect(converted.findings.map(\.message) == [
            "the quoted field that opens on line 3 is never closed (the file ends inside it); 1 record of the file was converted, the rest was not",
        ])
    }
}
