import ArgumentParser
import CroceviaKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry's published directory as HSDS: JSON, JSON Lines or a tabular package.",
        discussion: """
            The directory is what the last pipeline run published: organizations merged across \
            partners, their places, and every partner's services pointing at them.

              crocevia export -o rete.jsonl
              crocevia export --object organization --to hsds-json --pretty -o organizzazioni.json
              crocevia export --to hsds-csv -o pacchetto/
              crocevia export --registry postgres://crocevia@localhost/rete -o rete.jsonl
            """
    )

    @Option(help: ArgumentHelp(RegistryURL.help))
    var registry = RegistryURL.standard

    @Option(help: "What each record is: service (with its organization and places nested) or organization (with its places).")
    var object: Exporter.Object = .service

    @Option(help: "hsds-json, hsds-jsonl or hsds-csv (default: from the output's name, else hsds-jsonl).")
    var to: Format?

    @Option(name: .shortAndLong, help: "The output file (a folder for hsds-csv); - is standard output.")
    var output = "-"

    @Flag(help: "Indent JSON output.")
    var pretty = false

    @Flag(help: "Keep Crocevia's _provenance and _merged_from members (which source each merged value came from).")
    var provenance = false

    func run() throws {
        var exporter = Exporter()
        exporter.object = object
        exporter.format = to ?? (output == "-" ? nil : Format(fileExtensionOf: output)).map { $0 == .json ? .hsdsJSON : $0 == .jsonl ? .hsdsJSONL : $0 } ?? .hsdsJSONL
        exporter.pretty = pretty
        exporter.provenance = provenance
        let findings = FindingLog(observer: FindingPrinter { Terminal.line($0) }.print)
        let db = try RegistryURL.open(registry, create: false)
        defer { db.close() }
        let count = try exporter.run(from: db, to: output, findings: findings)
        Terminal.line("crocevia: \(plural(count, object.rawValue)) exported from \(db.location)")
    }
}

extension Exporter.Object: ExpressibleByArgument {}
