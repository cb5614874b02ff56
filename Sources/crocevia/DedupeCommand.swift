import ArgumentParser
import CroceviaKit

struct DedupeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Find the organizations, and their places, that several partners' records describe; write clusters, merged records and a review queue.",
        discussion: """
            Inputs are HSDS organizations (with their locations, phones and identifiers) or HSDS \
            services (their organization and service_at_locations are used), as JSON Lines, JSON \
            or tabular packages. Each input is one source, named after the file or given as \
            NAME=PATH:
              crocevia dedupe --entity organization portinerie=out/portinerie.jsonl \\
                  brescia=out/brescia.jsonl --clusters clusters.csv --merged merged.jsonl \\
                  --review review.html
            Every text is normalized first (tax codes, phones, e-mails, websites, streets, \
            municipalities to ISTAT codes). Records sharing a key (tax code, phone, e-mail, \
            website, address, rare name words) are scored field by field; pairs at or above the \
            merge threshold are one organization unless that would chain disagreeing records; \
            pairs between the review and merge thresholds go to the review queue. Within each \
            organization the places are clustered the same way: a branch at another address is \
            another location. Cluster ids are UUIDs derived from the smallest member id, so they \
            stay the same from run to run.
            clusters.csv has one row per record and location: \
            record_id,location_id,organization_cluster,location_cluster.
            """
    )

    enum Entity: String, ExpressibleByArgument {
        case organization
    }

    @Option(help: "What the records are deduplicated as: organization.")
    var entity: Entity = .organization
    @Option(help: "Write one row per record and location with its clusters here (CSV).")
    var clusters: String?
    @Option(help: "Write one merged organization per cluster here (JSON Lines), with field provenance.")
    var merged: String?
    @Option(help: "Write the review queue here as HTML: the uncertain pairs with the evidence.")
    var review: String?
    @Option(name: .customLong("review-csv"), help: "Write the review queue here as CSV.")
    var reviewCSV: String?
    @Option(help: "Write the run's figures here as JSON (with the blocking diagnostics).")
    var summary: String?
    @Option(help: "Dedupe settings (YAML): thresholds, trusted sources, survivorship rules.")
    var settings: String?
    @Option(name: .customLong("merge-threshold"), help: "Score at or above which two records are one organization (default 5).")
    var mergeThreshold: Double?
    @Option(name: .customLong("review-threshold"), help: "Score from which a pair goes to review (default 2).")
    var reviewThreshold: Double?
    @Option(help: "The input format (default: from each file's name).")
    var from: Format?
    @Option(help: "The review page's language: it or en.")
    var lang: HTMLReport.Language = .it
    @Flag(name: .shortAndLong, help: "Print only failures.")
    var quiet = false
    @Argument(help: "Input files, each PATH or NAME=PATH (NAME names the source).")
    var inputs: [String] = []

    func run() throws {
        guard !inputs.isEmpty else { throw CroceviaError.usage("name at least one input file") }
        guard clusters != nil || merged != nil || review != nil || reviewCSV != nil || summary != nil else {
            throw CroceviaError.usage("say what to write: --clusters, --merged, --review, --review-csv or --summary")
        }
        var options = try settings.map(DedupeSettings.load) ?? DedupeSettings()
        if let mergeThreshold { options.mergeThreshold = mergeThreshold }
        if let reviewThreshold { options.reviewThreshold = reviewThreshold }
        guard options.reviewThreshold <= options.mergeThreshold else {
            throw CroceviaError.usage("the review threshold (\(options.reviewThreshold)) must not be above the merge threshold (\(options.mergeThreshold))")
        }
        let deduplicator = Deduplicator(settings: options, municipalities: try Municipalities.standard())
        if !quiet { deduplicator.log = { Terminal.line("crocevia: " + $0) } }
        deduplicator.keepsRecords = merged != nil
        let printer = FindingPrinter { Terminal.line($0) }
        let findings = FindingLog(observer: quiet ? nil : printer.print)
        var paths: [String] = []
        for input in inputs {
            let (source, path) = Self.split(input)
            paths.append(path)
            let format = try Format.of(path, given: from)
            let count = try deduplicator.read(path: path, source: source, format: format, findings: findings)
            if !quiet { Terminal.line("crocevia: \(path): \(plural(count, "record")) read as source \(source)") }
        }
        printer.close()
        let result = deduplicator.run()
        if let clusters { try result.writeClusters(to: clusters) }
        if let merged { try result.writeMerged(to: merged) }
        if let reviewCSV { try result.writeReviewCSV(to: reviewCSV) }
        if let review { try HTMLReport.write(ReviewReport.html(result, inputs: paths, language: lang), to: review) }
        if let summary { try ValidationReport.write(result.summaryJSON, to: summary) }
        let s = result.summary
        if !quiet {
            Terminal.line("crocevia: \(plural(s.records, "record")) from \(plural(s.sources, "source")): \(plural(s.organizationClusters, "organization")), \(plural(s.locationClusters, "location")); \(plural(s.blocking.candidatePairs, "pair")) compared, \(s.merged) merged, \(s.reviewPairs) to review")
            if let largest = s.blocking.largest.first {
                Terminal.line("crocevia: largest block \(largest.key) (\(plural(largest.size, "record")))\(s.blocking.skipped.isEmpty ? "" : "; \(plural(s.blocking.skipped.count, "block")) over \(options.maxBlockSize) records not compared pair by pair")")
            }
        }
        if findings.errorCount > 0 { throw ExitCode(1) }
    }

    /// `NAME=PATH` or `PATH` (the source is then the file's name without its extension).
    static func split(_ input: String) -> (source: String, path: String) {
        if let equals = input.firstIndex(of: "="), !input[..<equals].contains("/") {
            return (String(input[..<equals]), String(input[input.index(after: equals)...]))
        }
        var name = Substring(input.split(separator: "/").last ?? Substring(input))
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return (String(name), input)
    }
}
