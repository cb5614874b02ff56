import Testing
@testable import CroceviaKit

@Suite struct YAMLLoaderTests {
    @Test func nodesCarryTheirPlace() throws {
        let node = try #require(try YAMLLoader.load(text: "a: 1\nb:\n  - x\n  - \"10\"\n", name: "t.yaml"))
        let mapping = try YAMLMapping(node, file: "t.yaml", what: "test")
        let entries = mapping.entries
        #expect(entries.map(\.key) == ["a", "b"])
        #expect(entries[1].keyNode.mark == YAMLMark(line: 2, column: 1))
        guard case .sequence(let items) = entries[1].value.kind else { Issue.record("not a list"); return }
        #expect(items.map(\.mark) == [YAMLMark(line: 3, column: 5), YAMLMark(line: 4, column: 5)])
        #expect(items.map(\.jsonValue) == [.string("x"), .string("10")])
        #expect(entries[0].value.jsonValue == .number("1"))
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        #expect(throws: CroceviaError.configuration(
            file: "t.yaml", line: 3, column: 2,
            message: "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 4)")) {
            _ = try YAMLLoader.load(text: "a: 1\nb: { c: 2\nd: 3\n", name: "t.yaml")
        }
    }

    @Test func aliasBombFailsFast() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for n in 1...9 { text += "a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ") + "]\n" }
        do {
            _ = try YAMLLoader.load(text: text, name: "bomb.yaml")
            Issue.record("an alias bomb was expanded")
        } catch CroceviaError.configuration(_, _, _, let message) {
            #expect(message == "the document expands to more than 1000000 nodes (aliases repeating aliases?)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func emptyDocumentIsNil() throws {
        #expect(try YAMLLoader.load(text: "", name: "t.yaml") == nil)
    }

    @Test func unknownKeyGetsASuggestion() throws {
        let node = try #require(try YAMLLoader.load(text: "colum: x\n", name: "t.yaml"))
        let mapping = try YAMLMapping(node, file: "t.yaml", what: "field \"name\"")
        #expect(throws: CroceviaError.configuration(
            file: "t.yaml", line: 1, column: 1,
            message: "unknown key \"colum\" in field \"name\"; did you mean \"column\"? (known keys: column, template)")) {
            try mapping.rejectKeys(notIn: ["column", "template"], what: "field \"name\"")
        }
    }
}
