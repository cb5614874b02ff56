import ArgumentParser
import CroceviaKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check partner files against a JSON Schema, an HSDS object schema or a profile's HSDS target, and report what breaks them.",
        discussion: """
            Every record is checked on its own (JSON Schema draft 2020-12); each problem is a \
            finding with the file, the line, the field and the offending value:

              crocevia validate --schema scheda.schema.json schede.jsonl
              crocevia validate --hsds service servizi.jsonl --report verifica.json
              crocevia validate --profile Samples/portinerie-torino/profile.yaml \\
                  Samples/portinerie-torino/servizi.csv

            With --schema and JSON Lines, every line is one instance (any JSON value). \
            --hsds checks against the bundled HSDS 3.0 schema of that object, with formats \
            (uuid, uri, email, date-time) asserted; a case data folder (case-csv: contact.csv, \
            referral.csv…) is checked record by record against the case schema of each \
            record's entity, with the case checks (status lifecycle, future dates), and needs \
            no --hsds. --profile maps the partner's file first and \
            names the partner's columns in the findings. The exit code is 1 when any finding is \
            an error, 2 when the schema or profile is not usable.
            """
    )

    @Option(help: "A JSON Schema (draft 2020-12) file; $refs with bare file names resolve against its folder. A .xsd file is checked as with --xsd.")
    var schema: String?

    @Option(help: "An HSDS object to check against: service, organization, location, ...")
    var hsds: String?

    @Option(help: "A mapping profile: the records are mapped, then checked against its HSDS target.")
    var profile: String?

    @Option(help: "An XML Schema (XSD) for XML inputs, checked as they stream; one self-contained file.")
    var xsd: String?

    @Flag(name: .customLong("assert-format"), help: "With --schema: treat format (date-time, email, uri, uuid, ...) as an assertion.")
    var assertFormat = false

    @Flag(help: "HSDS: a field the object's schema does not define is an error.")
    var strict = false

    @Option(help: "HSDS: a tabular package (folder) whose objects the records' foreign keys may name; with it, a key naming an object in neither is an error.")
    var package: String?

    @Flag(help: "HSDS: the inputs are the whole set, so a key naming an object not in them is an error (without it, such keys are counted in one warning per kind and not checked; a tabular package is always complete).")
    var complete = false

    @Option(name: .customLong("withheld-from"), help: ArgumentHelp("A registry (sqlite:PATH or postgres://...): check that no street of a place its partners withheld is in the inputs, on any line; with no schema named, only this.", valueName: "REGISTRY"))
    var withheldFrom: String?

    @OptionGroup var input: InputOptions

    @Option(help: "JSON input: the member path to the array of records inside the document.")
    var records: String?

    @Option(name: .customLong("record-element"), help: "XML input: the element each record is.")
    var recordElement: String?

    @Option(help: "Write the JSON report here: a summary and the findings.")
    var report: String?

    @Option(help: "Write the report for the partner here: one HTML file, the verdict first, problems grouped by field.")
    var html: String?

    @Option(help: "The HTML report's language: it or en.")
    var lang: HTMLReport.Language = .it

    @Flag(name: .shortAndLong, help: "Print no findings, only the summary and failures.")
    var quiet = false

    @Argument(help: "Input files; - reads standard input.")
    var inputs: [String] = []

    func run() throws {
        let from = input.from
        // Case data's tabular form says what each record is: it needs no target.
        let caseData = !inputs.isEmpty && inputs.allSatisfy { (from ?? Format(guessingFrom: $0)) == .caseCSV }
        let hsds = self.hsds ?? (caseData && [schema, profile, xsd].allSatisfy { $0 == nil } ? Target.caseContact.name : nil)
        let targets = [schema, hsds, profile, xsd].compactMap { $0 }
        if let withheldFrom {
            let hits = try checkWithheld(withheldFrom)
            if targets.isEmpty {
                if hits > 0 { throw ExitCode(1) }
                return
            }
        }
        guard targets.count == 1 else { throw CroceviaError.usage("say what to check against: one of --schema FILE, --hsds OBJECT, --profile FILE or --xsd FILE") }
        let target: ValidateOptions.Schema
        if let schema, schema.lowercased().hasSuffix(".xsd") {
            // An XML Schema named with --schema: checked as --xsd would.
            target = .xsd(path: schema)
        } else if let schema {
            target = .schema(path: schema)
        } else if let hsds {
            target = .hsds(object: hsds)
        } else if let profile {
            target = .profile(path: profile)
        } else {
            target = .xsd(path: xsd!)
        }
        var options = ValidateOptions(inputs: inputs, target: target)
        options.encoding = input.encoding.value
        options.from = from
        options.assertFormats = assertFormat
        options.strict = strict
        options.package = package
        options.complete = complete
        options.reader.recordsPath = records.map { $0.split(separator: ".").map(String.init) } ?? []
        options.reader.recordElement = recordElement
        input.apply(to: &options.reader)

        let printer = FindingPrinter { Terminal.line($0) }
        let findings = FindingLog(observer: quiet ? nil : printer.print)
        let summary = try Validation(options: options, findings: findings, progress: ProgressReporter.forTerminal()).run()
        printer.close()
        if let report {
            let json = ValidationReport.json(summary: summary, findings: findings, inputs: inputs, schema: targets[0])
            try ValidationReport.write(json, to: report)
        }
        if let html {
            try HTMLReport.write(HTMLReport.html(summary: summary, findings: findings, inputs: inputs, schema: targets[0], language: lang), to: html)
        }
        Terminal.line("crocevia: \(plural(summary.records, "record")) checked, \(summary.invalidRecords) invalid; \(plural(findings.errorCount, "error")), \(plural(findings.warningCount, "warning"))")
        if findings.errorCount > 0 { throw ExitCode(1) }
    }

    /// The inputs' lines that hold a withheld street, said as errors; their count.
    private func checkWithheld(_ registry: String) throws -> Int {
        let db = try RegistryURL.open(registry, create: false)
        defer { db.close() }
        let check = try WithheldCheck(registry: db)
        let printer = FindingPrinter { Terminal.line($0) }
        let findings = FindingLog(observer: quiet ? nil : printer.print)
        var hits = 0
        for path in inputs { hits += try check.check(path, findings: findings) }
        printer.close()
        Terminal.line("crocevia: \(plural(inputs.count, "file")) searched for the \(plural(check.count, "withheld street")) of \(db.location): \(hits == 0 ? "none found" : plural(hits, "line") + " hold one")")
        return hits
    }
}

extension HTMLReport.Language: ExpressibleByArgument {}
