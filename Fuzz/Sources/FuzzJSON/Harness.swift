import CroceviaKit
import FuzzShared

/// The JSON reader as a document, as JSON Lines, and as HSDS pages.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    for mode in [JSONRecordReader.Mode.json, .jsonl] {
        let findings = FindingLog(keepPerRule: 4)
        drain(HSDSPageReader(JSONRecordReader(input: input(start, count, name: "fuzz.json", findings: findings), mode: mode,
                                              source: "fuzz", findings: findings)))
    }
    return 0
}

@_cdecl("FuzzJSON_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
