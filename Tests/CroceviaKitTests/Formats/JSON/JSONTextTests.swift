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

    /// The parser says a text is compact only when the writer gives it back byte for byte (the
    /// JSON Lines import then stores the line without writing it again); it may be cautious the
    /// other way round (the writer gives "\u0001" back, but the import writes such a line anew).
    @Test func theParserKnowsCompactText() {
        // The text, whether the parser calls it compact, whether the writer gives it back.
        let lines: [(String, Bool, Bool)] = [
            (#"{"id":"1","name":"Caffè \"sociale\"","n":[1,-2.5e3,true,null],"o":{}}"#, true, true),
            (#"{"a":"riga\nnuova\ttab\\ \r \b \f","b":[]}"#, true, true),
            ("{\"a\":\"x/y\",\"DEL\":\"\u{7F}\"}", true, true),
            (#"{"a":"\u0001"}"#, false, true),
            (#"{"id": "1"}"#, false, false),
            (#" {"id":"1"}"#, false, false),
            (#"{"id":"1"} "#, false, false),
            (#"{"a":"x\/y"}"#, false, false),
            (#"{"a":"\u00e8"}"#, false, false),
            (#"{"a":1,"a":2}"#, false, false),
            (#"[1, 2]"#, false, false),
        ]
        for (line, expected, same) in lines {
            var text = line
            let result = text.withUTF8 { bytes -> (JSONValue, Bool)? in
                var parser = JSONParser(base: bytes.baseAddress!, end: bytes.count, position: 0, line: 1, maxDepth: 10)
                guard let value = try? parser.parseValue(), parser.skipWhitespace() == nil else { return nil }
                return (value, parser.compact)
            }
            guard let (value, compact) = result else {
                Issue.record("\(line) does not parse")
                continue
            }
            #expect(compact == expected, "\(line)")
            #expect((JSONText.compact(value) == line) == same, "\(line) written back: \(JSONText.compact(value))")
        }
    }
}
