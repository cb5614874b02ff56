import ArgumentParser
import CroceviaKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a partner's feed into the network's registry: new records added, changed ones updated, the rest untouched.",
        discussion: """
            A feed is one source: a partner's file read through its profile, or HSDS records. \
            Each record is kept by its id with a hash of its content, so importing the same \
            feed again changes nothing, and only new or changed records are validated and \
            written. The whole run is one transaction: a run that fails or is killed leaves the \
            registry as it was.

              crocevia import --profile Samples/portinerie-torino/profile.yaml \\
                  Samples/portinerie-torino/servizi.csv
              crocevia import --registry postgres://crocevia@localhost/rete --source locator \\
                  --hsds service --mode delta servizi-nuovi.jsonl

            --mode full (the default) says the feed is all the source has: its records missing \
            from the feed are marked removed (kept, with the run that removed them). --mode \
            delta applies only what the feed carries. Records with errors are not imported; \
            they are kept in the registry's rejected_record table with their findings, and \
            the run exits with 1. Every run adds a row to run_log. Another run holding the \
            registry makes this one wait up to --wait seconds, then give up with exit 3.
            """
    )

    @Option(help: ArgumentHelp(RegistryURL.help))
    var registry = RegistryURL.standard

    @Option(help: "A mapping profile for the partner's file; it also names the source.")
    var profile: String?

    @Option(help: "The source's name in the registry (default: the profile's, else the first file's name).")
    var source: String?

    @Option(help: "Without a profile: the HSDS object each record is (service, organization, location...).")
    var hsds = "service"

    @OptionGroup var input: InputOptions

    @Option(help: "full: the feed is the source's whole content (missing records are marked removed); delta: changes only.")
    var mode: ImportOptions.Mode = .full

    @Flag(name: .customLong("allow-invalid"), help: "Import records with error findings too (they are still reported).")
    var allowInvalid = false

    @Option(help: "Seconds to wait for another run that holds the registry.")
    var wait = 0.0

    @Option(help: "Write the JSON report here: the run's counts and the findings.")
    var report: String?

    @Flag(name: .shortAndLong, help: "Print no findings, only the summary and failures.")
    var quiet = false

    @Argument(help: "Input files; - reads standard input.")
    var inputs: [String] = []

    func run() throws {
        var options = ImportOptions(inputs: inputs)
        options.encoding = input.encoding.value
        options.profile = profile
        options.source = source
        options.hsdsObject = hsds
        options.from = input.from
        input.apply(to: &options.reader)
        options.mode = mode
        options.allowInvalid = allowInvalid
        options.wait = wait

        let printer = FindingPrinter { Terminal.line($0) }
        let findings = FindingLog(observer: quiet ? nil : printer.print)
        let importer = try Importer(options: options, findings: findings, progress: ProgressReporter.forTerminal())
        let db = try RegistryURL.open(registry, create: true)
        defer { db.close() }
        let summary = try importer.run(into: db)
        printer.close()
        if let report {
            try ValidationReport.write(ImportReport.json(summary, findings: findings, inputs: inputs, registry: db.location), to: report)
        }
        Terminal.line("crocevia: \(ImportReport.line(summary)); \(plural(findings.errorCount, "error")), \(plural(findings.warningCount, "warning"))")
        if findings.errorCount > 0 { throw ExitCode(1) }
    }
}

extension ImportOptions.Mode: ExpressibleByArgument {}
