import ArgumentParser
import CroceviaKit

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Turn partner files into HSDS (with a profile), read and write HSDS in its JSON and tabular forms, or convert between CSV, JSON, JSON Lines and XML.",
        discussion: """
            With --profile, each record of the partner's file becomes one HSDS object as the \
            profile maps it (see Samples/ for a profile per network member):

              crocevia convert --profile Samples/portinerie-torino/profile.yaml \\
                  Samples/portinerie-torino/servizi.csv -o servizi.jsonl

            Without a profile, a plain conversion: each CSV row becomes a flat object keyed by the \
            header, each XML record element an object (children as members, attributes as @name), \
            and back:

              crocevia convert --to jsonl elenco.csv > elenco.jsonl
              crocevia convert --from jsonl --to csv - < elenco.jsonl
              crocevia convert --record-element Servizio --to jsonl export.xml

            HSDS as it is: hsds-json and hsds-jsonl read arrays, single objects and the API's \
            paginated pages; hsds-csv is a tabular package folder (datapackage.json and one CSV \
            per table), read by following its foreign keys and written with them filled in:

              crocevia convert Samples/locator-south-lanarkshire -o servizi.jsonl
              crocevia convert --from hsds-jsonl servizi.jsonl --to hsds-csv -o pacchetto/

            Case data: a profile with target case/contact (referral, outcome, \
            volunteer_activity, posting) pseudonymizes on the way in and needs the network \
            secret (CROCEVIA_SECRET or CROCEVIA_SECRET_FILE); case-csv is the canonical \
            tabular form, a folder with one CSV per entity (contact.csv, referral.csv…):

              crocevia convert --profile Samples/case-data/punti-comunita-brescia/profile.yaml \\
                  Samples/case-data/punti-comunita-brescia/invii.csv --to case-csv -o invii/

            CSV input: the delimiter (, ; tab |) and the encoding (UTF-8 with or without BOM, \
            Windows-1252, UTF-16 with BOM) are detected; --delimiter and --encoding force them. \
            XML input: the declared encoding is used; external entities are never loaded. \
            Problems are printed as file:line: messages; the exit code is 1 when any is an error.
            """
    )

    @Option(help: "A mapping profile (YAML) that turns the partner's records into HSDS objects.")
    var profile: String?

    @Option(help: "The output format (default: from -o's name; hsds-jsonl with a profile or HSDS input).")
    var to: Format?

    @Option(name: [.customShort("o"), .long], help: "The output file, or - for standard output. A file appears only when the run finishes.")
    var output = "-"

    @OptionGroup var input: InputOptions

    @Option(help: "The CSV input delimiter: one character, or 'tab' (default: detected).")
    var delimiter: String?

    @Option(name: .customLong("out-delimiter"), help: "The CSV output delimiter (default: ,).")
    var outDelimiter: String?

    @Option(help: "CSV output: the columns, comma-separated, in order (default: the first record's keys).")
    var columns: String?

    @Flag(help: "JSON output: indent records for people to read.")
    var pretty = false

    @Flag(help: "JSON output: add each record's _provenance (source, file, line, record, key).")
    var provenance = false

    @Option(help: "JSON input: the member path to the array of records inside the document, such as servizi or data.items.")
    var records: String?

    @Option(name: .customLong("record-element"), help: "XML input: the element each record is (default: every child of the root element); XML output: the element each record becomes (default: record).")
    var recordElement: String?

    @Option(name: .customLong("hsds-object"), help: "hsds-csv: the HSDS object each record is: read from that table, written with it as the root (default: service, or the profile's target).")
    var hsdsObject: String?

    @Option(help: "The source's name in provenance (default: the profile's, else the file's name).")
    var source: String?

    @Option(name: .customLong("max-field-size"), help: "CSV and XML: the longest field accepted, in MiB.")
    var maxFieldSize = 64

    @Flag(name: .shortAndLong, help: "Print no findings, only failures.")
    var quiet = false

    @Argument(help: "Input files; - reads standard input.")
    var inputs: [String] = []

    func run() throws {
        var options = ConvertOptions(inputs: inputs)
        options.output = output
        options.from = input.from
        options.to = to
        options.profile = profile
        options.source = source
        options.reader.recordsPath = records.map { $0.split(separator: ".").map(String.init) } ?? []
        options.reader.maxFieldBytes = maxFieldSize << 20
        options.reader.recordElement = recordElement
        input.apply(to: &options.reader)
        options.reader.hsdsObject = hsdsObject
        options.writer.hsdsObject = hsdsObject
        options.writer.recordElement = recordElement
        options.encoding = input.encoding.value
        options.reader.delimiter = try delimiter.map(Self.delimiterByte)
        if let outDelimiter { options.writer.delimiter = try Self.delimiterByte(outDelimiter) }
        options.writer.columns = columns.map { $0.split(separator: ",").map { String($0) } }
        options.writer.pretty = pretty
        options.writer.provenance = provenance

        let printer = FindingPrinter { Terminal.line($0) }
        let findings = FindingLog(observer: quiet ? nil : printer.print)
        let summary = try Converter(options: options, findings: findings, progress: ProgressReporter.forTerminal()).run()
        printer.close()
        if findings.errorCount + findings.warningCount > 0 && !quiet {
            Terminal.line("crocevia: \(plural(summary.records, "record")) converted; \(plural(findings.errorCount, "error")), \(plural(findings.warningCount, "warning"))")
        }
        if findings.errorCount > 0 { throw ExitCode(1) }
    }

    static func delimiterByte(_ text: String) throws -> UInt8 {
        guard let byte = Delimiter.byte(text) else { throw CroceviaError.usage("a delimiter is one character, or 'tab'; got \(text)") }
        return byte
    }
}

extension Format: ExpressibleByArgument {}
