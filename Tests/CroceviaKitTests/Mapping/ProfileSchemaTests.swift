import Testing
@testable import CroceviaKit

/// `Schemas/profile.schema.json` (for editors) and the loader (for the command line) must agree
/// on the keys a profile may use.
@Suite struct ProfileSchemaTests {
    let schema: JSONValue

    init() throws {
        schema = try JSONDocument.load(path: packageRoot.appendingPathComponent("Schemas/profile.schema.json").path)
    }

    func keys(_ value: JSONValue?) -> [String] {
        (value?["properties"]?.objectValue?.keys ?? []).sorted()
    }

    @Test func topLevelKeys() {
        #expect(keys(schema) == ProfileLoader.topKeys.sorted())
    }

    @Test func sourceKeys() {
        #expect(keys(schema["properties"]?["source"]) == ProfileLoader.sourceKeys.sorted())
    }

    @Test func fieldKeys() {
        guard case .array(let forms)? = schema["$defs"]?["field"]?["oneOf"] else { Issue.record("no field forms"); return }
        #expect(keys(forms[1]) == ProfileLoader.fieldKeys.sorted())
    }

    @Test func transformNames() {
        guard case .array(let forms)? = schema["$defs"]?["transform"]?["oneOf"], case .array(let bare)? = forms[0]["enum"] else {
            Issue.record("no transform forms")
            return
        }
        // `phone` is written bare or with its country.
        let names = Set(bare.compactMap(\.stringValue) + keys(forms[1]))
        #expect(names.sorted() == ProfileLoader.transformNames.sorted())
    }

    @Test func targets() {
        guard case .array(let targets)? = schema["properties"]?["target"]?["enum"] else { Issue.record("no targets"); return }
        #expect(targets.compactMap(\.stringValue) == Target.names)
    }
}
