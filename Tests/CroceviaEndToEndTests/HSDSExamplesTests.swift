import Foundation
import Testing

/// The HSDS 3.0 standard's own examples (`Tests/HSDSExamples`, from Open Referral's
/// `examples/`, CC BY-SA 4.0) pass `validate --hsds` and convert to a tabular package, exit 0.
/// Their references to objects outside the file (a parent organization) are one warning, not errors.
@Suite struct HSDSExamplesTests {
    static let folder = ConvertEndToEndTests.root.appendingPathComponent("Tests/HSDSExamples")

    /// Each JSON example, the HSDS object it holds, and the warnings validation gives.
    static let examples: [(file: String, object: String, warnings: Int)] = [
        ("service_full.json", "service", 1), ("service_list.json", "service", 1),
        ("organization_full.json", "organization", 1), ("organization_list.json", "organization", 1),
        ("service_at_location_full.json", "service_at_location", 0), ("service_at_location_list.json", "service_at_location", 0),
        ("taxonomy.json", "taxonomy", 0), ("taxonomy_list.json", "taxonomy", 0),
        ("taxonomy_term.json", "taxonomy_term", 0), ("taxonomy_term_list.json", "taxonomy_term", 0),
    ]

    @Test(arguments: examples.map(\.file))
    func validatesAndConverts(_ file: String) throws {
        let example = Self.examples.first { $0.file == file }!
        let validation = try CommandRunner.run(["validate", "--hsds", example.object, file], in: Self.folder)
        let stderr = String(decoding: validation.stderr, as: UTF8.self)
        #expect(validation.status == 0, "\(stderr)")
        #expect(stderr.hasSuffix("crocevia: 1 record checked, 0 invalid; 0 errors, \(example.warnings) warning\(example.warnings == 1 ? "" : "s")\n"), "\(stderr)")
        if example.warnings > 0 { #expect(stderr.contains("not in this input"), "\(stderr)") }

        let package = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-example-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: package) }
        let conversion = try CommandRunner.run(["convert", file, "--to", "hsds-csv", "--hsds-object", example.object, "-o", package], in: Self.folder)
        #expect(conversion.status == 0, "\(String(decoding: conversion.stderr, as: UTF8.self))")
        #expect(FileManager.default.fileExists(atPath: package + "/datapackage.json"))
        let back = try CommandRunner.run(["convert", package, "--hsds-object", example.object, "--to", "hsds-jsonl"], in: Self.folder)
        #expect(back.status == 0)
        #expect(String(decoding: back.stdout, as: UTF8.self).split(separator: "\n").count == 1)
    }
}
