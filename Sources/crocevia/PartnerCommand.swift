import ArgumentParser
import CroceviaKit

struct PartnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "Give partners their link to the onboarding page, or take it back.",
        discussion: """
            Each partner gets a link with a secret token (the registry keeps only its SHA-256):

              crocevia partner add cooperativa-il-ponte --base-url https://rete.example.it
              crocevia partner list
              crocevia partner revoke cooperativa-il-ponte

            Adding a partner again gives a new link; the old one stops working.
            """,
        subcommands: [Add.self, Revoke.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a partner's link (printed once).")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(name: .customLong("base-url"), help: "Where crocevia serve is reached, for the link.")
        var baseURL = "http://127.0.0.1:8080"

        @Argument(help: "The partner's name, as their feed is named (portinerie-torino).")
        var name: String

        func run() throws {
            let db = try RegistryURL.open(registry, create: true)
            defer { db.close() }
            let token = try PartnerAccess.withRegistry(db) { try PartnerAccess.add(name, in: db) }
            print("\(baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)/onboarding/\(token)")
            Terminal.line("crocevia: the link for \(name), shown only now: send it to the partner; crocevia partner revoke \(name) closes it")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a partner's link.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Argument(help: "The partner's name.")
        var name: String

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            guard try PartnerAccess.withRegistry(db, { try PartnerAccess.revoke(name, in: db) }) else {
                throw CroceviaError.usage("\(registry) has no open link for \(name); crocevia partner list shows the partners")
            }
            Terminal.line("crocevia: the link for \(name) is closed")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The partners with a link, and whether it is open.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            for partner in try PartnerAccess.list(in: db) {
                print("\(partner.name)\t\(partner.role)\tcreated \(partner.createdAt)\t\(partner.revokedAt.map { "revoked \($0)" } ?? "open")")
            }
        }
    }
}
