import ArgumentParser
import CroceviaKit

/// How to read the input files: one set of options, help texts and checks for every command
/// that reads partner files (`convert`, `validate`, `import`). The files themselves stay each
/// command's last argument, so that its usage line ends with them.
struct InputOptions: ParsableArguments {
    @OptionGroup var encoding: EncodingOption

    @Option(help: "The input format (default: from the profile or the file name).")
    var from: Format?
}

/// The input's text encoding, checked before the run.
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
