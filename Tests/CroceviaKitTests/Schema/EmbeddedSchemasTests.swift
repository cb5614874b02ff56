import Foundation
import Testing
@testable import CroceviaKit

/// The executable carries `Schemas/` (see `Sources/CEmbeddedSchemas`): the same files, byte for
/// byte; scripts/embed-schemas.sh rewrites the list when a file is added or removed.
@Suite struct EmbeddedSchemasTests {
    static let folder = packageRoot.appendingPathComponent("Schemas")

    @Test func everyFileOfSchemasIsEmbeddedAsItIs() throws {
        let enumerator = FileManager.default.enumerator(at: Self.folder, includingPropertiesForKeys: [.isRegularFileKey])!
        var names: [String] = []
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true
            && !url.lastPathComponent.hasPrefix(".") {
            names.append(String(url.standardizedFileURL.path.dropFirst(Self.folder.standardizedFileURL.path.count + 1)))
        }
        #expect(SchemaFiles.embeddedNames == names.sorted(), "run scripts/embed-schemas.sh")
        let embedded = SchemaFiles()
        for name in names {
            #expect(try embedded.data(name) == (try Data(contentsOf: Self.folder.appendingPathComponent(name))), "\(name)")
        }
        #expect(names.count == 48)
    }

    @Test func embeddedSchemasResolveTheirReferences() throws {
        let validator = try SchemaLoader.hsds(.service)
        #expect(validator.isValid(.object(JSONObject([("id", .string("6b85ea6e-fe14-50c8-ba59-176d99398178")), ("name", .string("S")),
                                                       ("status", .string("active"))]))))
        #expect(!validator.isValid(.object(JSONObject([("id", .string("6b85ea6e-fe14-50c8-ba59-176d99398178")), ("name", .string("S")),
                                                        ("status", .string("active")), ("phones", .array([.object(JSONObject([("number", .number("5"))]))]))]))))
        #expect(SchemaFiles().describe("hsds/service.json") == "Schemas/hsds/service.json (built in)")
        #expect(throws: CroceviaError.self) { try SchemaFiles().data("hsds/nothing.json") }
    }

    @Test func hsdsVersionIsThePackagesVersion() throws {
        #expect(try JSONDocument.load("hsds-tabular/datapackage.json", from: SchemaFiles())["version"] == .string(HSDSSchemas.version))
    }
}
