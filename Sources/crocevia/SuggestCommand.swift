import ArgumentParser
import CroceviaKit

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Suggest a mapping profile from a sample of a partner's file.",
        discussion: """
            Reads the first records of FILE (CSV, xlsx, ods, JSON, JSON Lines or XML), guesses \
            what each column holds from its header (Italian and English words: Denominazione, \
            Ragione sociale, Indirizzo, CAP, Comune, Telefono, Cellulare, Orari, Sito…) and its \
            values (codice fiscale or partita IVA, phones, postal codes, e-mails, web addresses, \
            dates), and writes a profile for HSDS services: each field with the normalizer it \
            needs and a comment giving its confidence and why, the ids and links a service needs, \
            and the columns it could not place. Read it, correct it, then use it:

              crocevia suggest servizi.xlsx -o profile.yaml
              crocevia validate --profile profile.yaml servizi.xlsx
              crocevia convert --profile profile.yaml servizi.xlsx -o servizi.jsonl

            --compare PROFILE says how many of a hand-written profile's column fields the \
            suggestion gets right (the measure in docs/onboarding.md).
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: "The HSDS object each record becomes (only service, for now).")
    var target = "service"

    @Option(help: "How many records to read.")
    var sample = 200

    @Option(help: "The source's name in the profile (default: the file's name).")
    var source: String?

    @Option(help: "JSON input: the member path to the array of records, such as servizi or data.items.")
    var records: String?

    @Option(name: .customLong("record-element"), help: "XML input: the element each record is.")
    var recordElement: String?

    @Option(name: .shortAndLong, help: "Where to write the profile (default: standard output).")
    var output = "-"

    @Option(help: "A hand-written profile for FILE: print how many of its fields the suggestion gets right, instead of the profile.")
    var compare: String?

    @Argument(help: "A sample of the partner's file.")
    var file: String

    func validate() throws {
        guard target == "service" else { throw ValidationError("--target: only service profiles are suggested, for now") }
        guard sample >= 1 else { throw ValidationError("--sample must be at least 1") }
    }

    func run() throws {
        var options = ReaderOptions()
        options.recordsPath = records.map { $0.split(separator: ".").map(String.init) } ?? []
        options.recordElement = recordElement
        input.apply(to: &options)
        var from = input.from, encoding = input.encoding.value
        // Measured against a profile: the file is read as that profile reads it (its records'
        // path, record element, sheet), so only the columns' guesses are measured.
        let answer = try compare.map { try ProfileLoader.load(path: $0, schemas: try HSDSSchemas.standard()) }
        try answer?.source.apply(to: &options, from: &from, encoding: &encoding)
        let suggestion = try ProfileSuggestion.suggest(file: file, from: from, encoding: encoding, options: options, sample: sample, source: source)
        if let profile = answer {
            let found = suggestion.agreement(with: profile)
            Terminal.line("\(file): \(found.right) of \(found.fields) fields right (\(found.fields == 0 ? 0 : found.right * 100 / found.fields)%)")
            for miss in found.missed { Terminal.line("  missed: \(miss)") }
            return
        }
        // Written whole when done (nothing appears at --output before).
        let sink = try OutputSink(path: output)
        var buffer = ByteBuffer()
        buffer.append(suggestion.yaml)
        try sink.write(&buffer)
        try sink.commit()
        if output != "-" { Terminal.line("crocevia: profile suggested from \(suggestion.sampled) records of \(file), in \(output)") }
    }
}
