import Foundation
@testable import CroceviaKit

/// A file in a fresh temporary folder (left there: the tests do not clean the system's
/// temporary folder).
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func temporaryFile(_ text: String, name: String = "input.csv") throws -> String {
    try temporaryFile(Array(text.utf8), name: name)
}

/// Decodes a whole file through `TextInput` with the given chunk size.
func decode(_ bytes: [UInt8], encoding: TextEncoding = .auto, chunkSize: Int = 256 * 1024, findings: FindingLog = FindingLog()) throws -> String {
    let input = TextInput(source: try ByteSource(path: try temporaryFile(bytes)), encoding: encoding, findings: findings, chunkSize: chunkSize)
    var out: [UInt8] = []
    while let chunk = try input.nextChunk() { out.append(contentsOf: chunk) }
    return String(decoding: out, as: UTF8.self)
}

/// Every record of a file read as `format`.
func readRecords(_ bytes: [UInt8], format: Format, chunkSize: Int = 256 * 1024, recordsPath: [String] = [],
                 options: ReaderOptions = .init(), findings: FindingLog = FindingLog()) throws -> [Record] {
    let path = try temporaryFile(bytes, name: "input.\(format.rawValue)")
    var options = options
    if !recordsPath.isEmpty { options.recordsPath = recordsPath }
    let reader = try format.makeReader(path: path, source: "test", options: options, findings: findings, chunkSize: chunkSize)
    var records: [Record] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

func readRecords(_ text: String, format: Format, chunkSize: Int = 256 * 1024, recordsPath: [String] = [],
                 options: ReaderOptions = .init(), findings: FindingLog = FindingLog()) throws -> [Record] {
    try readRecords(Array(text.utf8), format: format, chunkSize: chunkSize, recordsPath: recordsPath, options: options, findings: findings)
}

/// A flat object of strings, as CSV rows become.
func row(_ pairs: KeyValuePairs<String, String>) -> JSONValue {
    .object(JSONObject(pairs.map { ($0.key, JSONValue.string($0.value)) }))
}

/// The place of this test file's package: Schemas/ and Samples/ are read from there.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
