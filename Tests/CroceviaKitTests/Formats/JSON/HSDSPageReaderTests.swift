import Testing
@testable import CroceviaKit

@Suite struct HSDSPageReaderTests {
    static func service(_ id: String) -> String { "{\"id\": \"\(id)\", \"name\": \"Servizio \(id)\"}" }
    static func object(_ id: String) -> JSONValue { .object(JSONObject([("id", .string(id)), ("name", .string("Servizio \(id)"))])) }

    @Test func pagesGiveTheirContentsInOrder() throws {
        let page1 = "{\"total_items\": 3, \"total_pages\": 2, \"page_number\": 1, \"size\": 2, \"first_page\": true, \"last_page\": false, \"empty\": false, \"contents\": [\(Self.service("a")), \(Self.service("b"))]}"
        let page2 = "{\"total_items\": 3, \"total_pages\": 2, \"page_number\": 2, \"size\": 2, \"contents\": [\(Self.service("c"))]}"
        for (text, format) in [(page1 + "\n" + page2, Format.hsdsJSON), (page1 + "\n" + page2 + "\n", Format.hsdsJSONL)] {
            let records = try readRecords(text, format: format)
            #expect(records.map(\.value) == [Self.object("a"), Self.object("b"), Self.object("c")])
            #expect(records.map(\.provenance.record) == [1, 2, 3])
            #expect(records.map(\.provenance.line) == [1, 1, 2])
        }
    }

    @Test func aSingleObjectIsOneRecordAndAnArrayItsElements() throws {
        #expect(try readRecords(Self.service("a"), format: .hsdsJSON).map(\.value) == [Self.object("a")])
        #expect(try readRecords("[\(Self.service("a")), \(Self.service("b"))]", format: .hsdsJSON).map(\.value) == [Self.object("a"), Self.object("b")])
    }

    @Test func anObjectWithContentsButNoPageMembersIsARecord() throws {
        let text = "{\"id\": \"x\", \"contents\": [1]}"
        #expect(try readRecords(text, format: .hsdsJSON).map(\.value) == [.object(JSONObject([("id", .string("x")), ("contents", .array([.number("1")]))]))])
    }
}
