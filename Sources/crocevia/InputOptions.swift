import ArgumentParser
import CroceviaKit

/// How to read the input files: one set of options, help texts and checks for every command
/// that reads partner files (`convert`, `validate`, `import`). The files themselves stay each
/// command's last argument, so that its usage line ends with them.
struct InputOptions: ParsableArguments {
    @OptionGroup var encoding: EncodingOption

    @Option(help: "The input format (default: from the profile or the file name; csv, xlsx and ods are told apart by the file's content).")
    var from: Format?

    @Option(help: "xlsx and ods: the sheet to read, by name or number (1 is the first), or all (each sheet under its own header). Default: the first sheet with data.")
    var sheet: String?

    @Option(name: .customLong("header-row"), help: "xlsx and ods: the header's row number. Default: found, below any title rows.")
    var headerRow: Int?

    func validate() throws {
        if let headerRow, headerRow < 1 { throw ValidationError("--header-row is a row number, from 1; it was \(headerRow)") }
        if let sheet, sheet.isEmpty { throw ValidationError("--sheet needs a sheet's name or number, or all") }
    }

    /// The sheet and header row given, into the reader's options.
    func apply(to reader: inout ReaderOptions) {
        reader.sheet = sheet
        reader.headerRow = headerRow
    }
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
