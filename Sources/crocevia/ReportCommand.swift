import ArgumentParser
import CroceviaKit
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write reports from the registry.",
        subcommands: [MonitoringCommand.self]
    )
}

struct MonitoringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitoring",
        abstract: "The network's impact for a period, from the registry's case data, with small counts protected.",
        discussion: """
            People reached (distinct person keys), contacts by phase, channel, desk and month, \
            needs by category, referrals by kind and status, how many warm hand-offs were \
            completed, the median days to the provider's feedback, volunteer hours by activity \
            and the people they helped, the benefits handed over. Counts from 1 to 4 are shown as \
            "<5", and the cells or totals that would reveal them as "x"; rates and medians over \
            fewer than 5 are left out. Periods are whole months. What is hidden is decided for \
            every report the registry can give at once (the network and each desk, every run of \
            months), so that no report subtracted from another shows a count under 5. Without \
            --html, --json or --csv the JSON goes to standard output.

              crocevia report monitoring --from 2026-09-01 --to 2026-11-30 --html monitoraggio.html
              crocevia report monitoring --from 2026-10-01 --to 2026-10-31 --desk portineria-aurora --json aurora.json
              crocevia report monitoring --registry postgres://crocevia@localhost/rete --from 2026-01-01 --to 2026-12-31 --csv monitoraggio/
            """
    )

    @Option(help: ArgumentHelp(RegistryURL.help))
    var registry = RegistryURL.standard

    @Option(help: "The period's first day, yyyy-MM-dd: the first of a month.")
    var from: String

    @Option(help: "The period's last day, yyyy-MM-dd (included): the last of a month.")
    var to: String

    @Option(help: "One desk only (its desk_id).")
    var desk: String?

    @Option(help: "Write the HTML report (charts inline) to this file.")
    var html: String?

    @Option(help: "Write the JSON report to this file (- for standard output).")
    var json: String?

    @Option(help: "Write one CSV per table into this folder.")
    var csv: String?

    @Option(help: "The HTML report's language: it or en.")
    var language: HTMLReport.Language = .it

    func validate() throws {
        do { try Monitoring.Options(from: from, to: to, desk: desk).check() } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        let db = try RegistryURL.open(registry, create: false)
        defer { db.close() }
        let report = try Monitoring.gather(from: db, options: Monitoring.Options(from: from, to: to, desk: desk))
        if let html { try HTMLReport.write(MonitoringReport.html(report, language: language), to: html) }
        if let csv { try MonitoringReport.writeCSV(report, folder: csv) }
        if json != nil || (html == nil && csv == nil) { try HTMLReport.write(MonitoringReport.json(report), to: json ?? "-") }
        Terminal.line("crocevia: \(report.contacts.text) contacts, \(report.peopleReached.text) people reached from \(from) to \(to)\(desk.map { " at \($0)" } ?? "")")
    }
}
