import Testing
@testable import CroceviaKit

@Suite struct JSONTextTests {
    @Test func escapesWhatJSONRequires() {
        let value = JSONValue.string("virgolette \" barra \\ a capo \n tab \t campanello \u{7} città 😀")
        #expect(JSONText.compact(value) == #""virgolette \" barra \\ a capo \n tab \t campanello \u0007 città 😀""#)
    }

    @Test func longStringsTakeTheFastPathAndStillEscape() {
        let text = String(repeating: "abcdefgh", count: 10) + "\"" + String(repeating: "ijklmnop", count: 10)
        #expect(JSONText.compact(.string(text)) == "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"")
    }

    @Test func prettyIndentsTwoSpaces() {
        let value = JSONValue.object(JSONObject([("a", .array([.number("1"), .object(JSONObject())])), ("b", .array([]))]))
        var buffer = ByteBuffer()
        JSONText.write(value, to: &buffer, pretty: true)
        #expect(buffer.string == "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}")
    }

    @Test func numberSyntax() {
        #expect(["0", "12", "-0.5", "1e3", "2.5E-2"].allSatisfy(JSONText.isNumber))
        #expect(!["012", "+1", "1.", ".5", "1,5", "", "12a", "1 2", "-"].contains(where: JSONText.isNumber))
    }

    @Test func objectEqualityIgnoresOrder() {
        #expect(JSONObject([("a", .null), ("b", .bool(true))]) == JSONObject([("b", .bool(true)), ("a", .null)]))
        #expect(JSONObject([("a", .null)]) != JSONObject([("a", .bool(false))]))
    }
}
