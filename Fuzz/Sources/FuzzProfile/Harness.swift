@testable import CroceviaKit
import Foundation
import FuzzShared

/// A YAML profile through libyaml and the profile loader; a profile that loads is then used to
/// map a small record.
nonisolated(unsafe) let schemas = HSDSSchemas(files: SchemaFiles())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        guard let node = try YAMLLoader.load(text: text, name: "fuzz.yaml") else { return 0 }
        let profile = try ProfileLoader.decode(node, file: "fuzz.yaml", schemas: schemas)
        let findings = FindingLog(keepPerRule: 4)
        let mapper = try Mapper(profile: profile, findings: findings, secret: try NetworkSecret(Array(repeating: 7, count: 32), origin: "fuzz"))
        let row = JSONObject([("Nome", .string("Sportello")), ("Telefono", .string("011 4361234 / 333 1234567")), ("Data", .string("03/11/2026"))])
        _ = mapper.map(Record(value: .object(row), provenance: Provenance(source: "fuzz", file: "fuzz.csv", line: 2, record: 1)))
    } catch {}
    return 0
}

@_cdecl("FuzzProfile_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
