import Foundation
import Testing
@testable import CroceviaKit

/// The official JSON Schema Test Suite, draft 2020-12 (vendored in Tests/JSONSchemaTestSuite,
/// MIT): every required test, and the optional format tests for the formats Crocevia asserts.
/// Exclusions: none.
@Suite struct JSONSchemaSuiteTests {
    static let suite = packageRoot.appendingPathComponent("Tests/JSONSchemaTestSuite")
    static let requiredFiles = (try? FileManager.default.contentsOfDirectory(atPath: suite.appendingPathComponent("tests/draft2020-12").path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []
    static let formatNames = ["date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uri-reference", "uuid"]

    @Test func theSuiteIsThere() {
        #expect(Self.requiredFiles.count == 46)
    }

    @Test(arguments: requiredFiles)
    func required(_ file: String) throws {
        let failures = try run(file: "tests/draft2020-12/\(file)", assertFormats: false)
        #expect(failures.isEmpty, "\(failures.count) failing:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: formatNames)
    func format(_ name: String) throws {
        let failures = try run(file: "tests/draft2020-12/optional/format/\(name).json", assertFormats: true)
        #expect(failures.isEmpty, "\(failures.count) failing:\n\(failures.joined(separator: "\n"))")
    }

    /// Runs every test of a suite file; returns the descriptions of those that disagree.
    private func run(file: String, assertFormats: Bool) throws -> [String] {
        guard case .array(let groups) = try JSONDocument.load(path: Self.suite.appendingPathComponent(file).path) else { return ["not an array"] }
        var failures: [String] = []
        for group in groups {
            let description = group["description"]?.stringValue ?? "?"
            let registry = Self.registry()
            let validator: SchemaValidator
            do {
                let root = try registry.add(group["schema"] ?? .bool(true), uri: "urn:crocevia:suite")
                validator = SchemaValidator(root: root, registry: registry, assertFormats: assertFormats)
            } catch {
                failures.append("\(description): the schema did not compile: \(error)")
                continue
            }
            for test in group["tests"]?.arrayValue ?? [] {
                let expected = test["valid"] == .bool(true)
                if validator.isValid(test["data"] ?? .null) != expected {
                    failures.append("\(description) / \(test["description"]?.stringValue ?? "?"): expected \(expected ? "valid" : "invalid")")
                }
            }
        }
        return failures
    }

    static func registry() -> SchemaRegistry {
        let bundled = SchemaRegistry.standard(files: SchemaFiles())
        return SchemaRegistry { uri in
            let remote = "http://localhost:1234/"
            if uri.hasPrefix(remote) {
                let path = suite.appendingPathComponent("remotes/" + uri.dropFirst(remote.count)).path
                return FileManager.default.fileExists(atPath: path) ? try JSONDocument.load(path: path) : nil
            }
            return try bundled.retrieve(uri)
        }
    }
}
