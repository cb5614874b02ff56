import CroceviaKit
import Foundation

/// Every record of a reader, until it ends or refuses the input (a refusal is a correct answer
/// to a broken file; a crash, a hang or a runaway allocation is what the fuzzer looks for).
public func drain(_ reader: RecordReader) {
    do {
        while try reader.next() != nil {}
    } catch {}
}

/// The fuzzer's bytes as an input named `name` (the extension tells nothing here: the harness
/// picks the reader).
public func input(_ start: UnsafeRawPointer, _ count: Int, name: String, findings: FindingLog) -> TextInput {
    TextInput(source: ByteSource(name: name, bytes: Data(bytes: start, count: count)), findings: findings, chunkSize: 4096)
}

/// libFuzzer's driver. SwiftPM links a debug executable's entry point as `<Target>_main`, so each
/// harness names its own and hands libFuzzer its test function here.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ test: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt

public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ test: @convention(c) (UnsafeRawPointer?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}
