import ArgumentParser
import CroceviaKit

/// The input's text encoding: one option, one help text and one check for every command that
/// reads partner files (`convert`, `validate`, `import`).
struct EncodingOption: ParsableArguments {
    @Option(help: "The input encoding: auto, utf-8, windows-1252, iso-8859-1, utf-16le, utf-16be (default: detected, or the profile's).")
    var encoding: String?

    func validate() throws {
        if let encoding, TextEncoding(name: encoding) == nil {
            throw ValidationError("unknown encoding \(encoding); known: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The encoding given, nil for none.
    var value: TextEncoding? { encoding.flatMap { TextEncoding(name: $0) } }
}
