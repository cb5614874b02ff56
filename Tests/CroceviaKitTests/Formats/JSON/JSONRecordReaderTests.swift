import Testing
@testable import CroceviaKit

@Suite struct JSONRecordReaderTests {
    static let array = "[\n  {\"id\": 1, \"nome\": \"A\"},\n  {\"id\": 2,\n   \"nome\": \"B\"},\n  3, \"quattro\", null, [5]\n]\n"

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func topLevelArrayIsStreamedWithLines(chunkSize: Int) throws {
        let records = try readRecords(Self.array, format: .json, chunkSize: chunkSize)
        #expect(records.map(\.value) == [
            .object(JSONObject([("id", .number("1")), ("nome", .string("A"))])),
            .object(JSONObject([("id", .number("2")), ("nome", .string("B"))])),
            .number("3"), .string("quattro"), .null, .array([.number("5")]),
        ])
        #expect(records.map(\.provenance.line) == [2, 3, 5, 5, 5, 5])
        #expect(records.map(\.provenance.record) == [1, 2, 3, 4, 5, 6])
    }

    @Test(arguments: [1, 5, 4096])
    func recordsInsideAnEnvelope(chunkSize: Int) throws {
        let text = "{\"meta\": {\"n\": [1, {\"x\": \"]\"}]}, \"data\": {\"items\": [{\"a\": 1}, {\"a\": 2}], \"next\": null}, \"end\": true}"
        let records = try readRecords(text, format: .json, chunkSize: chunkSize, recordsPath: ["data", "items"])
        #expect(records.map(\.value) == [.object(JSONObject([("a", .number("1"))])), .object(JSONObject([("a", .number("2"))]))])
    }

    @Test func missingRecordsPathIsNamed() throws {
        do {
            _ = try readRecords("{\"items\": []}", format: .json, recordsPath: ["servizi"])
            Issue.record("a missing records path was accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            #expect(line == 1)
            #expect(message == "not valid JSON: the document has no member \"servizi\" (the records path servizi)")
        }
    }

    @Test func jsonLinesSkipsABadLineAndGoesOn() throws {
        let findings = FindingLog()
        let records = try readRecords("{\"a\": 1}\n{\"a\": 2,}\n\n{\"a\": 3}\n", format: .jsonl, findings: findings)
        #expect(records.map(\.value) == [.object(JSONObject([("a", .number("1"))])), .object(JSONObject([("a", .number("3"))]))])
        #expect(records.map(\.provenance.line) == [1, 4])
        #expect(findings.findings.map(\.line) == [2])
        #expect(findings.findings.map(\.message) == ["line is not valid JSON: expected a member name in quotes, found '}'; the line was skipped"])
    }

    @Test func numbersKeepTheirLiteralText() throws {
        let records = try readRecords("[12345678901234567890, -0.5e-3, 0]", format: .json)
        #expect(records.map(\.value) == [.number("12345678901234567890"), .number("-0.5e-3"), .number("0")])
    }

    @Test func escapesAndSurrogates() throws {
        let records = try readRecords(#"["a\"b\\c\/d\n\t\u00e8\ud83d\ude00", "\ud800x", "\udc00"]"#, format: .json)
        #expect(records.map(\.value) == [.string("a\"b\\c/d\n\tè😀"), .string("\u{FFFD}x"), .string("\u{FFFD}")])
    }

    @Test func deepNestingIsRefused() throws {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try readRecords(text, format: .json)
            Issue.record("deep nesting was accepted")
        } catch CroceviaError.unreadableInput(_, _, let message, _) {
            #expect(message == "not valid JSON: JSON nested deeper than 512 levels")
        }
    }

    @Test func truncatedDocumentNamesWhereItEnds() throws {
        do {
            _ = try readRecords("[\n{\"a\": 1},\n{\"a\": ", format: .json)
            Issue.record("a truncated document was accepted")
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            #expect(line == 3)
            #expect(message == "not valid JSON: the file ends in the middle of a JSON value that starts on line 3")
        }
    }

    @Test func repeatedMemberNameKeepsTheLast() throws {
        #expect(try readRecords(#"{"a": 1, "b": 2, "a": 3}"#, format: .json).first?.value
                == .object(JSONObject([("b", .number("2")), ("a", .number("3"))])))
    }

    @Test func bareValuesOneAfterAnother() throws {
        #expect(try readRecords("1 2\n\"tre\"", format: .json).map(\.value) == [.number("1"), .number("2"), .string("tre")])
    }
}
