import Foundation
@testable import CroceviaKit

/// HSDS records written as a tabular package in a new temporary folder; returns the folder.
func writePackage(_ records: [JSONValue], root: String? = nil, findings: FindingLog = FindingLog()) throws -> String {
    let folder = URL(fileURLWithPath: try temporaryFile("", name: "unused")).deletingLastPathComponent().appendingPathComponent("package").path
    var options = WriterOptions()
    options.hsdsObject = root
    let writer = try Format.hsdsCSV.makeWriter(path: folder, options: options, findings: findings)
    for (n, value) in records.enumerated() {
        try writer.write(Record(value: value, provenance: Provenance(source: "t", file: "in.jsonl", line: n + 1, record: n + 1)))
    }
    try writer.finish()
    try writer.commit()
    return folder
}

/// The records of a tabular package (rows of `root`, default `service`).
func readPackage(_ folder: String, root: String? = nil, findings: FindingLog = FindingLog()) throws -> [JSONValue] {
    var options = ReaderOptions()
    options.hsdsObject = root
    let reader = try Format.hsdsCSV.makeReader(path: folder, source: "t", options: options, findings: findings)
    var values: [JSONValue] = []
    while let record = try reader.next() { values.append(record.value) }
    return values
}
