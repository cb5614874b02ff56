import Foundation

/// One line of the pipeline's log: text for a person, or one JSON object per line
/// (`--log-format json`) for a log collector.
public struct PipelineEvent: Sendable {
    public enum Level: String, Sendable { case info, warning, error }
    public var level: Level
    public var event: String
    public var feed: String?
    public var message: String
    public var fields: [(key: String, value: JSONValue)] = []

    public var json: String {
        var members: [(key: String, value: JSONValue)] = [("time", .string(Importer.timestamp())), ("level", .string(level.rawValue)),
                                                          ("event", .string(event))]
        if let feed { members.append(("feed", .string(feed))) }
        members.append(("message", .string(message)))
        return JSONText.compact(.object(JSONObject(members + fields)))
    }
}

/// What happened to one feed in a pipeline run.
public struct FeedOutcome: Sendable {
    public enum Status: String, Sendable {
        /// Imported, no error findings.
        case succeeded
        /// Imported, but some records were rejected or the input could not be read to its end.
        case dataProblems = "data-problems"
        /// Not imported: its profile or its files cannot be used (nothing of it changed).
        case failed
    }

    public var name: String
    public var inputs: [String]
    public var status: Status
    public var summary: ImportSummary?
    public var errors = 0
    public var warnings = 0
    public var message: String?
    /// The exit code this feed alone calls for.
    public var exitCode: Int32
}

/// Runs a network's job: every feed imported into the registry (each its own transaction, so one
/// partner's broken file never holds back the others), a validation report per feed, then the
/// directory published (deduplicated across all sources) and a run summary written as JSON and
/// HTML. Exit code: 0 every feed clean; 1 some feed has data problems; 2 some feed's profile or
/// the network file cannot be used; 3 the registry failed (unreachable, locked, disk full): then
/// the run stops at once.
public final class PipelineRun {
    let config: NetworkConfig
    let open: (String) throws -> RegistryDatabase
    let log: (PipelineEvent) -> Void

    public init(config: NetworkConfig, open: @escaping (String) throws -> RegistryDatabase, log: @escaping (PipelineEvent) -> Void) {
        self.config = config
        self.open = open
        self.log = log
    }

    public struct Outcome: Sendable {
        public var exitCode: Int32
        public var feeds: [FeedOutcome]
        public var publish: PublishSummary?
        /// The corrections routed to each source, after the run.
        public var corrections: [String: Corrections.Counts] = [:]
        public var failure: String?
    }

    public func run() -> Outcome {
        let started = Importer.timestamp()
        var outcome = Outcome(exitCode: 0, feeds: [], publish: nil, failure: nil)
        do {
            try FileManager.default.createDirectory(atPath: config.reports, withIntermediateDirectories: true)
        } catch {
            outcome.failure = "\(config.reports): cannot create the reports folder: \(error.localizedDescription)"
            outcome.exitCode = 3
            log(PipelineEvent(level: .error, event: "failed", message: outcome.failure!))
            return outcome
        }
        log(PipelineEvent(level: .info, event: "started", message: "\(config.network.isEmpty ? "the network" : config.network): \(plural(config.feeds.count, "feed")) into \(config.registry)"))
        do {
            let db = try open(config.registry)
            defer { db.close() }
            for feed in config.feeds {
                let result = try importFeed(feed, into: db)
                outcome.feeds.append(result)
                outcome.exitCode = max(outcome.exitCode, result.exitCode)
            }
            let findings = FindingLog()
            let publish = try Publisher(settings: config.dedupe, findings: findings).run(on: db, wait: config.wait)
            outcome.publish = publish
            log(PipelineEvent(level: .info, event: "published",
                              message: "directory published: \(plural(publish.organizations, "organization")), \(plural(publish.locations, "location")), \(plural(publish.services, "service")) from \(plural(publish.records, "record"))",
                              fields: [("run_id", .number(String(publish.runID))), ("organizations", .number(String(publish.organizations))),
                                       ("locations", .number(String(publish.locations))), ("services", .number(String(publish.services))),
                                       ("review_pairs", .number(String(publish.reviewPairs))), ("dangling_keys", .number(String(publish.danglingKeys))),
                                       ("withheld_locations", .number(String(publish.withheldLocations)))]))
            outcome.corrections = try Corrections.counts(in: db)
            if !outcome.corrections.isEmpty {
                let all = outcome.corrections.values.reduce(into: Corrections.Counts()) {
                    $0.open += $1.open; $0.applied += $1.applied; $0.rejected += $1.rejected; $0.stale += $1.stale
                }
                log(PipelineEvent(level: all.stale > 0 ? .warning : .info, event: "corrections",
                                  message: "corrections: \(all.open) open (\(all.stale) older than 30 days), \(all.applied) applied, \(all.rejected) rejected",
                                  fields: [("open", .number(String(all.open))), ("older_than_30_days", .number(String(all.stale))),
                                           ("applied", .number(String(all.applied))), ("rejected", .number(String(all.rejected)))]))
            }
        } catch {
            outcome.failure = String(describing: error)
            outcome.exitCode = 3
            log(PipelineEvent(level: .error, event: "failed", message: outcome.failure! + "; the feeds after it were not imported"))
        }
        let summary = RunSummaryReport(config: config, outcome: outcome, started: started, finished: Importer.timestamp())
        do {
            try ValidationReport.write(summary.json, to: config.reports + "/summary.json")
            try HTMLReport.write(summary.html, to: config.reports + "/summary.html")
        } catch {
            log(PipelineEvent(level: .error, event: "failed", message: "the run summary cannot be written: \(error)"))
            outcome.exitCode = 3
        }
        let words = ["succeeded", "finished with data problems", "finished: a feed could not be used", "failed"]
        log(PipelineEvent(level: outcome.exitCode == 0 ? .info : outcome.exitCode == 1 ? .warning : .error, event: "finished",
                          message: "run \(words[Int(outcome.exitCode)]); summary in \(config.reports)/summary.html",
                          fields: [("exit_code", .number(String(outcome.exitCode)))]))
        return outcome
    }

    private static func members(_ value: JSONValue) -> [(key: String, value: JSONValue)] {
        guard case .object(let object) = value else { return [] }
        return object.members
    }

    /// Imports one feed and writes its reports; only a registry failure throws.
    private func importFeed(_ feed: NetworkConfig.Feed, into db: RegistryDatabase) throws -> FeedOutcome {
        let inputs = NetworkConfig.expand(feed.input)
        guard !inputs.isEmpty, inputs.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            let message = "no file matches \(feed.input); the source's records in the registry were left as they are"
            log(PipelineEvent(level: .error, event: "feed-failed", feed: feed.name, message: message))
            return FeedOutcome(name: feed.name, inputs: inputs, status: .dataProblems, errors: 1, message: message, exitCode: 1)
        }
        var options = ImportOptions(inputs: inputs)
        options.source = feed.name
        options.profile = feed.profile
        options.hsdsObject = feed.hsdsObject
        options.from = feed.from
        options.mode = feed.mode
        options.allowInvalid = feed.allowInvalid
        options.wait = config.wait
        options.secretFile = config.secretFile
        let findings = FindingLog()
        let summary: ImportSummary
        do {
            summary = try Importer(options: options, findings: findings).run(into: db)
        } catch let error as CroceviaError {
            if case .io = error { throw error }
            let message = error.description + "; the source's records in the registry were left as they are"
            log(PipelineEvent(level: .error, event: "feed-failed", feed: feed.name, message: message))
            return FeedOutcome(name: feed.name, inputs: inputs, status: .failed, errors: 1, message: message, exitCode: error.exitCode)
        }
        let base = config.reports + "/" + feed.name
        // The feed is in the registry whether or not its report can be written: a report that
        // cannot is said in the log, not left out silently.
        func writeReport(_ write: () throws -> Void) {
            do { try write() } catch {
                log(PipelineEvent(level: .warning, event: "report-failed", feed: feed.name, message: "the feed's report could not be written (\(error)); the feed was imported"))
            }
        }
        writeReport { try ValidationReport.write(ImportReport.json(summary, findings: findings, inputs: inputs, registry: db.location), to: base + ".json") }
        writeReport {
            try HTMLReport.write(HTMLReport.html(summary: ImportReport.validationSummary(summary, inputs: inputs), findings: findings, inputs: inputs,
                                                 schema: feed.profile ?? "HSDS \(feed.hsdsObject)", language: config.language), to: base + ".html")
        }
        let clean = findings.errorCount == 0
        log(PipelineEvent(level: clean ? .info : .warning, event: "feed-imported", feed: feed.name, message: ImportReport.line(summary),
                          fields: Self.members(ImportReport.counts(summary, registry: db.location))
                              + [("errors", .number(String(findings.errorCount))), ("warnings", .number(String(findings.warningCount)))]))
        return FeedOutcome(name: feed.name, inputs: inputs, status: clean ? .succeeded : .dataProblems, summary: summary,
                           errors: findings.errorCount, warnings: findings.warningCount, exitCode: clean ? 0 : 1)
    }
}
