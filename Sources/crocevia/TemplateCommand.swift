import ArgumentParser
import CroceviaKit

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write the empty hsds-flat sheet a partner fills in.",
        discussion: """
            One row per service at a place, the columns named as in HSDS (organization.name, \
            service.name, location.address_1, phones[0].number…). As a workbook (the default) it \
            has a second sheet, Guida, saying in Italian and English what goes in each column, \
            with an example. What the partner sends back is read with --from hsds-flat:

              crocevia template -o servizi.xlsx
              crocevia convert --from hsds-flat --to hsds-jsonl servizi.xlsx -o servizi.jsonl
              crocevia template --to csv -o servizi.csv
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case xlsx, csv
    }

    @Option(help: "xlsx (with the guide) or csv (the header only).")
    var to: Kind = .xlsx

    @Option(name: .shortAndLong, help: "Where to write it (default: modello-servizi.xlsx or .csv here; - for standard output).")
    var output: String?

    func run() throws {
        let path = output ?? "modello-servizi.\(to.rawValue)"
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        switch to {
        case .xlsx: FlatTemplate.xlsx().withUnsafeBufferPointer { buffer.append($0) }
        case .csv: buffer.append(FlatTemplate.csv())
        }
        try sink.write(&buffer)
        try sink.commit()
        if path != "-" { Terminal.line("crocevia: the hsds-flat template is in \(path)") }
    }
}
