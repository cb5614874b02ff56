import ArgumentParser
import CroceviaKit
import Foundation

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run a network's job: import every partner's feed into the registry, publish the deduplicated directory, write the reports.",
        discussion: """
            NETWORK.yaml lists the feeds (name, profile or hsds object, input path or glob, \
            mode full or delta), the registry, the reports folder, the dedupe settings and, for \
            case data feeds, secret_file (the network secret; else CROCEVIA_SECRET or \
            CROCEVIA_SECRET_FILE); see Samples/network.yaml. Each feed is imported in its own transaction: a partner's \
            broken file is reported and the others still load. Then the directory is published \
            (every source deduplicated together) and the reports folder gets one validation \
            report per feed (HTML and JSON) and summary.html / summary.json.

              crocevia pipeline Samples/network.yaml
              crocevia pipeline --log-format json /etc/crocevia/rete.yaml >> /var/log/crocevia.log

            Made for cron: no terminal needed, one log line per step on standard error. Exit \
            codes: 0 every feed clean; 1 data problems (rejected records, unreadable files, a \
            missing feed); 2 the network file or a feed's profile cannot be used; 3 the registry \
            failed (unreachable, in use past --wait, disk full): the run stops there.
            """
    )

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: ArgumentHelp("Instead of the network file's registry.", valueName: "URL"))
    var registry: String?

    @Option(help: "Instead of the network file's reports folder.")
    var reports: String?

    @Option(help: "Instead of the network file's wait: seconds to wait for another run holding the registry.")
    var wait: Double?

    @Option(name: .customLong("log-format"), help: "text (for a person) or json (one object per line, for a log collector).")
    var logFormat = LogFormat.text

    @Argument(help: "The network file (YAML).")
    var network: String

    func run() throws {
        var config = try NetworkConfig.load(path: network)
        if let registry { config.registry = registry }
        if let reports { config.reports = reports }
        if let wait { config.wait = wait }
        let format = logFormat
        let outcome = PipelineRun(config: config, open: { try RegistryURL.open($0, create: true) }) { event in
            switch format {
            case .json: Terminal.line(event.json)
            case .text: Terminal.line("crocevia: " + (event.feed.map { "\($0): " } ?? "") + event.message)
            }
        }.run()
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
