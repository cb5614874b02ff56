import ArgumentParser
import CroceviaKit

struct PartnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "Give partners their link to the onboarding page, and import the files they send from it.",
        discussion: """
            Each partner gets a link with a secret token (the registry keeps only its SHA-256):

              crocevia partner add cooperativa-il-ponte --base-url https://rete.example.it
              crocevia partner list
              crocevia partner revoke cooperativa-il-ponte

            Adding a partner again gives a new link; the old one stops working. A coordinator's \
            link (--role coordinator) opens /coordination, the corrections to accept or reject.

            On the page the partner checks a file and may send it to you. Nothing is imported \
            until you accept it:

              crocevia partner uploads
              crocevia partner accept 5f0c…          (imported as the partner's feed)
              crocevia partner accept 5f0c… --profile corrected.yaml
              crocevia partner reject 5f0c…

            Accepting stores the profile it used as the partner's: their next files are read \
            through it instead of a suggested one (crocevia partner profile shows or sets it). \
            The import is the usual one (records with errors rejected, one transaction); the \
            next crocevia pipeline run publishes it.
            """,
        subcommands: [Add.self, Revoke.self, List.self, Uploads.self, Accept.self, Reject.self, StoredProfile.self]
    )

    /// A profile's text, once it has loaded and checked.
    static func checkedProfile(_ path: String) throws -> String {
        _ = try ProfileLoader.load(path: path, schemas: try HSDSSchemas.standard())
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a partner's link (printed once).")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(name: .customLong("base-url"), help: "Where crocevia serve is reached, for the link.")
        var baseURL = "http://127.0.0.1:8080"

        @Option(help: "partner: a link to the onboarding page; coordinator: a link to the corrections to decide (/coordination).")
        var role = "partner"

        @Argument(help: "The partner's name, as their feed is named (portinerie-torino), or the coordinator's.")
        var name: String

        func run() throws {
            guard role == "partner" || role == "coordinator" else { throw CroceviaError.usage("--role is partner or coordinator, not \(role)") }
            let db = try RegistryURL.open(registry, create: true)
            defer { db.close() }
            let token = try db.updating { try PartnerAccess.add(name, role: role, in: db) }
            let page = role == "coordinator" ? "coordination" : "onboarding"
            print("\(baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)/\(page)/\(token)")
            Terminal.line("crocevia: the link for \(name), shown only now: send it to them; crocevia partner revoke \(name) closes it")
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
            guard try db.updating({ try PartnerAccess.revoke(name, in: db) }) else {
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
            for partner in try db.updating({ try PartnerAccess.list(in: db) }) {
                print("\(partner.name)\t\(partner.role)\tcreated \(partner.createdAt)\t\(partner.revokedAt.map { "revoked \($0)" } ?? "open")"
                      + (partner.profile == nil ? "" : "\tstored profile"))
            }
        }
    }

    struct Uploads: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The files partners sent from the onboarding page, waiting to be accepted or rejected.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            let waiting = try PartnerUploads.list(in: db)
            for upload in waiting {
                print("\(upload.id)\t\(upload.partner)\t\(upload.fileName)\tsent \(upload.sentAt)\t\(plural(upload.records, "record")), "
                      + "\(plural(upload.errors, "error")), \(plural(upload.warnings, "warning"))")
            }
            if waiting.isEmpty { Terminal.line("crocevia: no file is waiting") }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a file a partner sent, as their feed, and store the profile it was read through as theirs.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Option(help: "Read the file through this profile instead of the one it was checked with.")
        var profile: String?

        @Option(help: "Seconds to wait for another run that holds the registry.")
        var wait = 0.0

        @Flag(name: .shortAndLong, help: "Print no findings, only the summary and failures.")
        var quiet = false

        @Argument(help: "The upload's id (crocevia partner uploads lists them).")
        var id: String

        func run() throws {
            let text = try profile.map(PartnerCommand.checkedProfile)
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            let printer = FindingPrinter { Terminal.line($0) }
            let findings = FindingLog(observer: quiet ? nil : printer.print)
            let (upload, summary) = try PartnerUploads.accept(id, profile: text, in: db, findings: findings, wait: wait,
                                                              progress: ProgressReporter.forTerminal())
            printer.close()
            Terminal.line("crocevia: \(upload.fileName) from \(upload.partner): \(ImportReport.line(summary)); "
                          + "\(plural(findings.errorCount, "error")), \(plural(findings.warningCount, "warning")); the next pipeline run publishes it")
            if findings.errorCount > 0 { throw ExitCode(1) }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a file a partner sent, without importing it.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Argument(help: "The upload's id (crocevia partner uploads lists them).")
        var id: String

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            guard try db.updating({ try PartnerUploads.remove(id, in: db) }) else {
                throw CroceviaError.usage("\(registry) has no upload \(id) waiting; crocevia partner uploads lists them")
            }
            Terminal.line("crocevia: the upload \(id) is deleted")
        }
    }

    struct StoredProfile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile",
            abstract: "Show the profile a partner's files are read through on the page, or store one.",
            discussion: "Without a file, prints the stored profile. With one, checks and stores it; --forget goes back to suggesting one from each file.")

        @Option(help: ArgumentHelp(RegistryURL.help))
        var registry = RegistryURL.standard

        @Flag(help: "Forget the stored profile.")
        var forget = false

        @Argument(help: "The partner's name.")
        var name: String

        @Argument(help: "A profile (YAML) to store.")
        var file: String?

        func run() throws {
            let db = try RegistryURL.open(registry, create: false)
            defer { db.close() }
            if file == nil && !forget {
                guard let partner = try db.updating({ try PartnerAccess.list(in: db) }).first(where: { $0.name == name }) else {
                    throw CroceviaError.usage("\(registry) has no partner \(name); crocevia partner list shows the partners")
                }
                guard let profile = partner.profile else {
                    Terminal.line("crocevia: \(name) has no stored profile: the page suggests one from each file")
                    return
                }
                print(profile, terminator: profile.hasSuffix("\n") ? "" : "\n")
                return
            }
            let text = try file.map(PartnerCommand.checkedProfile)
            guard try db.updating({ try PartnerAccess.setProfile(forget ? nil : text, for: name, in: db) }) else {
                throw CroceviaError.usage("\(registry) has no partner \(name); crocevia partner add \(name) makes one")
            }
            Terminal.line(forget ? "crocevia: \(name)'s profile is forgotten" : "crocevia: \(name)'s files are read through \(file!) from now on")
        }
    }
}
