import CroceviaKit
import FuzzShared

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let findings = FindingLog(keepPerRule: 4)
    let reader = CSVRecordReader(input: input(start, count, name: "fuzz.csv", findings: findings),
                                 options: .init(maxFieldBytes: 1 << 16), source: "fuzz", findings: findings)
    drain(reader)
    return 0
}

@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
