import ArgumentParser
import CroceviaKit
import Foundation

struct CorrectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correction",
        abstract: "Report a mistake in the directory, or decide on a reported one.",
        discussion: """
            A correction names a published service, a field as /services/{id} shows it (an HSDS \
            path), and the right value. It goes to the partner whose feed carries the field, \
            who gets it in their own columns (crocevia corrections --source NAME); their next \
            import that carries the value applies and closes it.

              crocevia correction add --service 309e0076-… --field phones[0].number \\
                  --offered "011 248 1633" --note "the desk called: the number changed" --by portineria-aurora
              crocevia correction list --open
              crocevia correction show ID            (with the note and contact, for you only)
              crocevia correction accept ID --by anna  (the directory shows it until the feed does)
              crocevia correction reject ID --by anna

            The note and contact are never published, exported, logged or reported; the contact \
            is deleted when the correction closes. Reports also come from POST /corrections and \
            each service's page in crocevia serve.
            """,
        subcommands: [Add.self, List.self, Show.self, Accept.self, Reject.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report a mistake (for help-desk staff); prints its id.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(help: "The published service's id.")
        var service: String

        @Option(help: "The field, as /services/{id} shows it: name, phones[0].number, organization.email…")
        var field: String

        @Option(help: "The value the directory shows, as you saw it.")
        var seen: String?

        @Option(help: "The right value.")
        var offered: String

        @Option(help: "What you know (never published).")
        var note: String?

        @Option(help: "Who to ask about it (never published; deleted when the correction closes).")
        var contact: String?

        @Option(help: "Who reports it: your desk or name.")
        var by = "desk"

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            let snapshot = try DirectorySnapshot(db: db, municipalities: try Municipalities.standard())
            let request = CorrectionRequest(serviceID: service, field: field, seen: seen, offered: .string(offered), note: note, contact: contact)
            let checked: Corrections.Checked
            do {
                checked = try Corrections.check(request, snapshot: snapshot)
            } catch let problem as CorrectionRequest.Problem {
                throw CroceviaError.usage(problem.message.replacingOccurrences(of: "\"offered\"", with: "--offered")
                    .replacingOccurrences(of: "\"field\"", with: "--field").replacingOccurrences(of: "\"id\"", with: "--service"))
            }
            let correction = try db.updating { try Corrections.add(checked, reportedBy: "desk:" + by, in: db) }
            print(correction.id)
            Terminal.line("crocevia: the correction goes to \(correction.route.source) (its record \(correction.route.recordID), \(correction.route.recordField))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The corrections: id, state, source, service, field, seen → offered (no notes).")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(help: "Only those routed to this source.")
        var source: String?

        @Flag(help: "Only the open ones (pending or accepted).")
        var open = false

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            let corrections = try Corrections.list(in: db, source: source, openOnly: open)
            for correction in corrections {
                print([correction.id, correction.state.rawValue, correction.route.source, correction.serviceID, correction.field,
                       (correction.previous?.plainText ?? "") + " → " + correction.offered.plainText,
                       String(correction.createdAt.prefix(10))].joined(separator: "\t"))
            }
            if corrections.isEmpty { Terminal.line("crocevia: no correction") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One correction whole, with its note and contact: for the coordinator who decides it.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Argument(help: "The correction's id.")
        var id: String

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            guard let correction = try Corrections.find(id, in: db) else {
                throw CroceviaError.usage("\(registry) has no correction \(id); crocevia correction list shows them")
            }
            let (note, contact) = try Corrections.privateText(id, in: db)
            let route = correction.route
            for (label, value) in [("id", correction.id), ("state", correction.state.rawValue), ("service", correction.serviceID),
                                   ("field", correction.field), ("shown", correction.previous?.plainText ?? ""),
                                   ("seen", correction.seen ?? ""), ("offered", correction.offered.plainText),
                                   ("source", "\(route.source), record \(route.recordID), \(route.recordField)"),
                                   ("shown in", "\(route.targetType) \(route.targetID), \(route.targetField)"),
                                   ("reported", "\(correction.createdAt) by \(correction.reportedBy)"),
                                   ("decided", correction.decidedAt.map { "\($0) by \(correction.decidedBy ?? "")" } ?? ""),
                                   ("note", note ?? ""), ("contact", contact ?? "")] {
                print("\(label):\(String(repeating: " ", count: max(1, 10 - label.count)))\(value)")
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a correction before its partner does: the next publish shows it (as an overlay, said in its metadata) until their feed carries it.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(help: "Who decides.")
        var by = "coordinator"

        @Argument(help: "The correction's id.")
        var id: String

        func run() throws {
            try CorrectionCommand.decide(id, .accepted, by: by, registry: registry)
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a correction: closed, its contact deleted.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(help: "Who decides.")
        var by = "coordinator"

        @Argument(help: "The correction's id.")
        var id: String

        func run() throws {
            try CorrectionCommand.decide(id, .rejected, by: by, registry: registry)
        }
    }

    static func decide(_ id: String, _ state: Correction.State, by who: String, registry: String) throws {
        let db = try RegistryURL.open(registry, create: false)
        defer { db.close() }
        let correction = try db.updating { try Corrections.decide(id, state, by: who, in: db) }
        Terminal.line("crocevia: the correction \(id) is \(correction.state.rawValue)"
                      + (state == .accepted ? "; the next publish shows it" : ""))
    }
}

struct CorrectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corrections",
        abstract: "A partner's open corrections in their own columns and key, to apply in their spreadsheet.",
        discussion: """
            The partner's profile is run backwards: for each correction the column its field \
            came from (or that a template, a transform or a constant of the profile made it), \
            the record's key in the partner's key columns, and its row in the file last imported.

              crocevia corrections --source portinerie-torino --network Samples/network.yaml --to xlsx -o correzioni.xlsx
              crocevia corrections --source cooperativa-il-ponte --to csv      (their stored profile)

            The profile: --profile, else the feed of that name in --network, else the one stored \
            for the partner (crocevia partner profile).
            """
    )

    @Option(help: ArgumentHelp(RegistryURL.help))
    var registry = RegistryURL.standard

    @Option(help: "The source (partner) whose corrections to write.")
    var source: String

    @Option(help: "The partner's profile.")
    var profile: String?

    @Option(help: "A network file whose feed named as the source gives the profile.")
    var network: String?

    @Option(help: "csv or xlsx.")
    var to = "csv"

    @Option(name: .shortAndLong, help: "Where to write (default: standard output, for csv).")
    var output: String?

    @Option(help: "The sheet's words: it or en.")
    var lang = "it"

    func run() throws {
        guard to == "csv" || to == "xlsx" else { throw CroceviaError.usage("--to is csv or xlsx, not \(to)") }
        guard let language = CorrectionSheet.Language(rawValue: lang) else { throw CroceviaError.usage("--lang is it or en, not \(lang)") }
        if to == "xlsx" && output == nil { throw CroceviaError.usage("--to xlsx needs -o FILE.xlsx") }
        let db = try RegistryURL.open(registry, create: false)
        defer { db.close() }
        let loaded = try partnerProfile(db)
        let open = try Corrections.list(in: db, source: source, openOnly: true)
        let sheet = try CorrectionSheet.make(open, profile: loaded, language: language, in: db)
        let bytes = to == "xlsx" ? sheet.workbook(language: language) : Array(sheet.csv.utf8)
        if let output {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        Terminal.line("crocevia: \(plural(open.count, "open correction")) for \(source)\(output.map { " in \($0)" } ?? "")")
    }

    private func partnerProfile(_ db: RegistryDatabase) throws -> Profile {
        let schemas = try HSDSSchemas.standard()
        if let profile { return try ProfileLoader.load(path: profile, schemas: schemas) }
        if let network {
            let config = try NetworkConfig.load(path: network)
            guard let feed = config.feeds.first(where: { $0.name == source }) else {
                throw CroceviaError.usage("\(network) has no feed named \(source); its feeds: \(config.feeds.map(\.name).joined(separator: ", "))")
            }
            guard let path = feed.profile else { throw CroceviaError.usage("the feed \(source) in \(network) has no profile: its records are HSDS already") }
            return try ProfileLoader.load(path: path, schemas: schemas)
        }
        guard let stored = try db.updating({ try PartnerAccess.list(in: db) }).first(where: { $0.name == source })?.profile else {
            throw CroceviaError.usage("no profile for \(source): give --profile FILE or --network FILE (none is stored for the partner)")
        }
        return try ProfileLoader.load(text: stored, name: "the profile stored for \(source)", schemas: schemas)
    }
}
