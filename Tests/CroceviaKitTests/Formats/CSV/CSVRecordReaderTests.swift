import Testing
@testable import CroceviaKit

@Suite struct CSVRecordReaderTests {
    @Test(arguments: [(";", "a;b"), (",", "a,b"), ("\t", "a\tb"), ("|", "a|b")])
    func delimiterIsDetected(delimiter: String, header: String) throws {
        let text = header + "\n" + "1\(delimiter)\"x\(delimiter)y\"\n"
        let records = try readRecords(text, format: .csv)
        #expect(records.map(\.value) == [row(["a": "1", "b": "x\(delimiter)y"])])
    }

    static let tricky = "nome;nota;n\r\n\"Coop \"\"Il Ponte\"\"\";\"riga 1\r\nriga 2; ancora\";1\r\nSan Rocco;;2\r\n\"\";\"\"\"\";3\r\n"
    static let trickyRecords: [JSONValue] = [
        row(["nome": "Coop \"Il Ponte\"", "nota": "riga 1\r\nriga 2; ancora", "n": "1"]),
        row(["nome": "San Rocco", "nota": "", "n": "2"]),
        row(["nome": "", "nota": "\"", "n": "3"]),
    ]

    @Test(arguments: 1...12)
    func quotedFieldsAcrossChunkBoundaries(chunkSize: Int) throws {
        let findings = FindingLog()
        let records = try readRecords(Self.tricky, format: .csv, chunkSize: chunkSize, findings: findings)
        #expect(records.map(\.value) == Self.trickyRecords)
        #expect(records.map(\.provenance.line) == [2, 4, 5])
        #expect(findings.findings.isEmpty)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(ending: String) throws {
        let text = ["a,b", "1,2", "3,\"x\(ending)y\"", "5,6"].joined(separator: ending) + ending
        let records = try readRecords(text, format: .csv)
        #expect(records.map(\.value) == [row(["a": "1", "b": "2"]), row(["a": "3", "b": "x\(ending)y"]), row(["a": "5", "b": "6"])])
        #expect(records.map(\.provenance.line) == (ending == "\r" ? [2, 3, 4] : [2, 3, 5]))
    }

    @Test func raggedRowsAreFindingsAndKeepTheirData() throws {
        let findings = FindingLog()
        let records = try readRecords("a,b,c\n1,2\n1,2,3,4\n\n5,6,7\n", format: .csv, findings: findings)
        #expect(records.map(\.value) == [
            row(["a": "1", "b": "2"]),
            row(["a": "1", "b": "2", "c": "3", "column_4": "4"]),
            row(["a": "5", "b": "6", "c": "7"]),
        ])
        #expect(findings.findings.map(\.message) == [
            "the row has 2 fields, the header has 3; the missing fields are left empty",
            "the row has 4 fields, the header has 3; the extra field is kept as column_4",
        ])
        #expect(findings.findings.map(\.line) == [2, 3])
        #expect(findings.findings.map(\.severity) == [.warning, .warning])
    }

    @Test func unbalancedQuoteNamesTheLineWhereTheFieldOpened() throws {
        let path = try temporaryFile("a;b\n1;ok\n2;\"never closed\n3;x\n4;y\n")
        let findings = FindingLog()
        let reader = CSVRecordReader(input: TextInput(source: try ByteSource(path: path), findings: findings), source: "t", findings: findings)
        #expect(try reader.next()?.value == row(["a": "1", "b": "ok"]))
        do {
            _ = try reader.next()
            Issue.record("an unclosed quote was accepted")
        } catch CroceviaError.unreadableInput(let file, let line, let message, _) {
            #expect(file == path)
            #expect(line == 3)
            #expect(message == "the quoted field that opens on line 3 is never closed (the file ends inside it)")
        }
    }

    @Test func tenMegabyteFieldIsRead() throws {
        let big = String(repeating: "lorem ipsum, ", count: 800_000)
        let records = try readRecords("id,testo\n1,\"\(big)\"\n2,breve\n", format: .csv, chunkSize: 64 * 1024)
        #expect(records.count == 2)
        #expect(records[0].value["testo"]?.stringValue?.utf8.count == big.utf8.count)
        #expect(records[1].value == row(["id": "2", "testo": "breve"]))
    }

    @Test func fieldOverTheLimitIsRefused() throws {
        let big = String(repeating: "x", count: 3 << 20)
        do {
            _ = try readRecords(Array("id,testo\n1,\"\(big)".utf8), format: .csv, options: .init(maxFieldBytes: 1 << 20))
            Issue.record("an oversized field was accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            #expect(line == 2)
            #expect(message == "a field that starts on line 2 is longer than 1 MiB")
        }
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        let empty = FindingLog()
        #expect(try readRecords("", format: .csv, findings: empty).isEmpty)
        #expect(empty.findings.map(\.rule) == ["csv.empty"])
        #expect(empty.errorCount == 1)
        let headerOnly = FindingLog()
        #expect(try readRecords("nome;telefono\r\n", format: .csv, findings: headerOnly).isEmpty)
        #expect(headerOnly.findings.map(\.rule) == ["csv.no-records"])
        #expect(headerOnly.errorCount == 0)
    }

    @Test func headerNamesAreTrimmedAndMadeUnique() throws {
        let findings = FindingLog()
        let records = try readRecords(" nome ;;nome\nA;B;C\n", format: .csv, findings: findings)
        #expect(records.first?.value == row(["nome": "A", "column_2": "B", "nome_2": "C"]))
        #expect(findings.findings.map(\.rule) == ["csv.duplicate-column"])
    }

    @Test func noFinalLineBreak() throws {
        #expect(try readRecords("a,b\n1,\"2\"", format: .csv).map(\.value) == [row(["a": "1", "b": "2"])])
        #expect(try readRecords("a,b\n1,2", format: .csv).map(\.value) == [row(["a": "1", "b": "2"])])
    }
}
