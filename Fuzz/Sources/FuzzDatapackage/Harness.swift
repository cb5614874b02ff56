@testable import CroceviaKit
import Foundation
import FuzzShared

/// A tabular package's `datapackage.json`, as the package reader takes it.
nonisolated(unsafe) let schemas = HSDSSchemas(files: SchemaFiles())
nonisolated(unsafe) let bundled = try! TabularSchema.bundled(schemas: schemas)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let findings = FindingLog()
    let reader = JSONRecordReader(input: TextInput(source: ByteSource(name: "datapackage.json", bytes: Data(bytes: start, count: count)), findings: findings),
                                  mode: .json, source: "fuzz", findings: findings)
    do {
        guard let document = try reader.next()?.value else { return 0 }
        _ = try TabularSchema(datapackage: document, file: "datapackage.json", schemas: schemas, fallback: bundled)
    } catch {}
    return 0
}

@_cdecl("FuzzDatapackage_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
