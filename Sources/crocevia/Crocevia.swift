import ArgumentParser
import CroceviaKit

#if canImport(Glibc)
import Glibc
#endif

/// The `crocevia` command. Its `main` maps every outcome to the exit codes of the contract:
/// 0 success, 1 data with error findings, 2 bad invocation or profile, 3 I/O or internal failure.
@main
struct Crocevia: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        abstract: "Convert, check and merge the directory and case data of community help-desk networks.",
        discussion: """
            Partners' spreadsheets (CSV), JSON feeds and exports become Open Referral HSDS 3.0 \
            through mapping profiles (YAML), checked against shared schemas, deduplicated, and \
            loaded into the network's registry (SQLite or PostgreSQL). The nightly job is \
            `crocevia pipeline NETWORK.yaml`. Run `crocevia help SUBCOMMAND` for the details and \
            examples of each.

            Exit codes: 0 success; 1 the data has findings of severity error; 2 bad invocation, \
            profile or schema; 3 I/O or internal failure.
            """,
        version: "crocevia \(version) (HSDS \(HSDSSchemas.version), schemas built in; libxml2 \(XMLLibrary.version), libyaml \(YAMLLoader.libraryVersion))",
        subcommands: [ConvertCommand.self, ValidateCommand.self, DedupeCommand.self, ImportCommand.self, PipelineCommand.self, ExportCommand.self, ReportCommand.self, ServeCommand.self, SuggestCommand.self, TemplateCommand.self, PartnerCommand.self, CorrectionCommand.self, CorrectionsCommand.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CroceviaError {
            Terminal.error(error.description)
            Glibc.exit(error.exitCode)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Terminal.error(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue == 64 ? 2 : 3)
        }
    }
}

/// Standard error, for messages.
enum Terminal {
    static func error(_ message: String) {
        var text = "crocevia: " + message + "\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func line(_ message: String) {
        var text = message + "\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
