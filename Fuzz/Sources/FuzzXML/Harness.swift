import CroceviaKit
import FuzzShared

/// The XML reader with the root's children as records, and with a named record element read
/// with its enclosing elements (`../`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    for (element, enclosing) in [(nil, false), ("Site", true)] as [(String?, Bool)] {
        let findings = FindingLog(keepPerRule: 4)
        drain(XMLRecordReader(input: input(start, count, name: "fuzz.xml", findings: findings), source: "fuzz", recordElement: element,
                              findings: findings, maxTextBytes: 1 << 16, enclosing: enclosing))
    }
    return 0
}

@_cdecl("FuzzXML_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
