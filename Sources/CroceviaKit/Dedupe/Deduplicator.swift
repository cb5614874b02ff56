import Foundation

/// Finds the organizations, and within each the places, that several records describe.
///
/// Flow: records are read and normalized into `DedupeRecord`s; blocking gives candidate pairs;
/// each pair is scored with per-field evidence; organization clusters are formed without
/// chaining; within each, the locations of all members are clustered the same way; cluster ids
/// are UUIDv5 of the smallest member id, so they stay the same from run to run and a new record
/// changes at most the id of the cluster it joins.
public final class Deduplicator {
    public let settings: DedupeSettings
    let vocabulary = Vocabulary()
    let builder: DedupeRecordBuilder
    var records: [DedupeRecord] = []
    public private(set) var sources: [String] = []
    /// The input file of each source, for messages.
    private var paths: [String] = []
    /// Whether records are kept for `DedupeResult.writeMerged` (set before reading).
    public var keepsRecords = true
    /// One per reading thread.
    private let memos = (0..<Parallel.workers).map { _ in NormalizationMemo() }
    /// Told when each stage of `run` starts (for a long run's progress on standard error).
    public var log: ((String) -> Void)?

    public init(settings: DedupeSettings, municipalities: Municipalities?) {
        self.settings = settings
        builder = DedupeRecordBuilder(municipalities: municipalities)
    }

    /// Reads every record of one input. Records that are no organization (no id, not an object)
    /// are reported and left out; a reader error stops this input after the records before it.
    public func read(path: String, source: String, format: Format, findings: FindingLog) throws -> Int {
        try read(from: try format.makeReader(path: path, source: source, findings: findings), path: path, source: source, findings: findings)
    }

    /// Reads every record a reader gives (the registry hands its stored records this way);
    /// `path` names them in findings.
    public func read(from reader: RecordReader, path: String, source: String, findings: FindingLog) throws -> Int {
        let sourceIndex = sources.firstIndex(of: source) ?? { sources.append(source); paths.append(path); return sources.count - 1 }()
        var count = 0
        var batch: [Record] = []
        func flush() {
            if batch.isEmpty { return }
            // Normalizing is most of the reading: a batch is built on the machine's cores, then
            // its words are interned in input order.
            let builder = self.builder
            let keepJSON = keepsRecords
            let reading = batch, memos = self.memos  // each worker writes only its own memo
            let built = Parallel.map(count: reading.count, workers: memos.count, state: { memos[$0] }) { memo, index in
                builder.build(reading[index].value, source: sourceIndex, line: reading[index].provenance.line, keepJSON: keepJSON, memo: memo)
            }
            for (index, result) in built.enumerated() {
                switch result {
                case .success(let built):
                    let record = built.0
                    built.1.intern(into: record, vocabulary: vocabulary)
                    for problem in built.1.problems {
                        findings.add(Finding(.warning, rule: "dedupe.normalize", message: problem, file: path,
                                             line: batch[index].provenance.line, record: batch[index].provenance.record))
                    }
                    vocabulary.count(record.nameWords + record.alternateNameWords)
                    records.append(record)
                    count += 1
                case .failure(let problem):
                    let line = batch[index].provenance.line
                    findings.add(Finding(.error, rule: "dedupe.record", message: "the record \(problem.text); it was left out of deduplication",
                                         file: path, line: line, record: batch[index].provenance.record))
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        do {
            while let record = try reader.next() {
                batch.append(record)
                if batch.count == 4096 { flush() }
            }
        } catch {
            flush()  // the records read before the error still count
            throw error
        }
        flush()
        if count == 0 && findings.findings.allSatisfy({ $0.file != path }) {
            findings.add(Finding(.error, rule: "dedupe.empty", message: "the file holds no records to deduplicate (check that the export finished and that the right file was sent)", file: path))
        }
        return count
    }

    public var recordCount: Int { records.count }

    /// A place whose town is missing, or written so that no municipality has that name (`Toino`),
    /// is in the municipality its postal code tells, learnt from the records that carry both (no
    /// table of postal codes ships): the one municipality of at least 90% of the code's places.
    func fillTownsFromPostalCodes() {
        func known(_ municipality: String) -> Bool { municipality.count == 6 && municipality.allSatisfy(\.isNumber) }
        var seen: [String: [String: Int]] = [:]
        for record in records {
            for place in record.locations where !place.postalCode.isEmpty && known(place.municipality) {
                seen[place.postalCode, default: [:]][place.municipality, default: 0] += 1
            }
        }
        let towns = seen.compactMapValues { counts -> String? in
            let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
            return Double(best.value) >= 0.9 * Double(counts.values.reduce(0, +)) ? best.key : nil
        }
        for record in records where record.locations.contains(where: { !known($0.municipality) && towns[$0.postalCode] != nil }) {
            for index in record.locations.indices where !known(record.locations[index].municipality) {
                if let town = towns[record.locations[index].postalCode] { record.locations[index].municipality = town }
            }
            record.towns = Array(Set(record.locations.map(\.municipality).filter { !$0.isEmpty })).sorted()
        }
    }

    public func run() -> DedupeResult {
        fillTownsFromPostalCodes()
        var scorer = PairScorer(records: records, vocabulary: vocabulary)
        let blocking = Blocking(maxBlockSize: settings.maxBlockSize)
        log?("blocking \(plural(records.count, "record"))")
        let (pairs, diagnostics) = blocking.candidatePairs(records, vocabulary: vocabulary)
        log?("scoring \(plural(pairs.count, "candidate pair"))")

        // Organization level.
        var links: [Clustering.Link] = []
        var reviewCandidates: [Clustering.Link] = []
        let comparisons = Self.compareAll(pairs, scorer: scorer)
        if settings.learnsWeights, pairs.count >= FieldWeights.minimumPairs {
            log?("learning the fields' weights from \(plural(pairs.count, "candidate pair"))")
            if let learned = FieldWeights.learned(from: comparisons.map(\.0), random: randomLevels(scorer: scorer)) {
                scorer.fieldWeights = learned
            } else {
                log?("the weights learnt were not sound (the strongest agreements did not say one body): keeping the hand-set ones")
            }
        }
        let scores = comparisons.map { scorer.fieldWeights.score($0.0) + $0.1 }
        for (index, pair) in pairs.enumerated() {
            let link = Clustering.Link(a: Int32(pair >> 32), b: Int32(pair & 0xFFFF_FFFF), score: scores[index])
            if link.score >= settings.mergeThreshold { links.append(link) } else if link.score >= settings.reviewThreshold { reviewCandidates.append(link) }
        }
        log?("clustering \(plural(links.count, "pair")) at or above \(Self.format(settings.mergeThreshold))")
        let clustering = Clustering(threshold: settings.mergeThreshold, joinAverage: settings.reviewThreshold)
        let organizations = clustering.run(count: records.count, links: links, score: { a, b in
            var none: [Evidence]? = nil
            return scorer.score(a, b, evidence: &none)
        }, conflict: { a, b in
            if let p = self.records[a].taxCode, let q = self.records[b].taxCode { return p != q }
            return false
        })

        // Members of each organization cluster, and the cluster ids.
        var membersOf: [Int: [Int]] = [:]
        for (index, group) in organizations.group.enumerated() { membersOf[group, default: []].append(index) }
        var organizationID = [String](repeating: "", count: records.count)
        var locationID: [[String]] = records.map { [String](repeating: "", count: $0.locations.count) }
        for members in membersOf.values {
            let id = clusterID("organization", members.map { records[$0].recordID }.min()!)
            for member in members { organizationID[member] = id }
            clusterLocations(members, scorer: scorer, into: &locationID)
        }

        // The review queue: uncertain pairs that ended apart, and strong links refused to stop a
        // chain. Their evidence is gathered only when the queue is written.
        var review: [ReviewLink] = []
        for link in reviewCandidates where organizations.group[Int(link.a)] != organizations.group[Int(link.b)] {
            review.append(ReviewLink(link: link, refusedAverage: nil))
        }
        for (link, average) in organizations.refused where organizations.group[Int(link.a)] != organizations.group[Int(link.b)] {
            review.append(ReviewLink(link: link, refusedAverage: average))
        }
        review.sort { ($0.link.score, $1.link.a, $1.link.b) > ($1.link.score, $0.link.a, $0.link.b) }

        var summary = DedupeResult.Summary(records: records.count, sources: sources.count, blocking: diagnostics)
        summary.organizationClusters = membersOf.count
        summary.locationClusters = Set(locationID.joined()).count
        summary.merged = links.filter { organizations.group[Int($0.a)] == organizations.group[Int($0.b)] }.count
        summary.reviewPairs = review.count
        summary.refusedLinks = organizations.refused.count
        return DedupeResult(deduplicator: self, scorer: scorer, organizationID: organizationID, locationID: locationID,
                            reviewLinks: review, summary: summary)
    }

    /// The comparison levels and rule points of the candidate pairs, on the machine's cores (the
    /// scorer is only read).
    private static func compareAll(_ pairs: [UInt64], scorer: PairScorer) -> [(FieldWeights.Levels, Double)] {
        let scorer = Shared(scorer)
        return Parallel.map(count: pairs.count) { index in
            var none: [Evidence]? = nil
            return scorer.value.compare(Int(pairs[index] >> 32), Int(pairs[index] & 0xFFFF_FFFF), evidence: &none)
        }
    }

    /// The comparison levels of random pairs of records (the same ones each run): how often
    /// fields agree by chance, for `FieldWeights.learned`.
    private func randomLevels(scorer: PairScorer, count: Int = 20_000) -> [FieldWeights.Levels] {
        guard records.count > 1 else { return [] }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(records.count))
        }
        var none: [Evidence]? = nil
        var levels: [FieldWeights.Levels] = []
        levels.reserveCapacity(count)
        while levels.count < count {
            let a = next(), b = next()
            if a != b { levels.append(scorer.compare(a, b, evidence: &none).0) }
        }
        return levels
    }

    /// Clusters the places of one organization cluster's members.
    private func clusterLocations(_ members: [Int], scorer: PairScorer, into locationID: inout [[String]]) {
        var items: [(record: Int, location: Int)] = []
        for member in members { for index in records[member].locations.indices { items.append((member, index)) } }
        if items.isEmpty { return }
        func location(_ item: Int) -> DedupeLocation { records[items[item].record].locations[items[item].location] }
        var links: [Clustering.Link] = []
        var cache: [UInt64: Double] = [:]
        func score(_ a: Int, _ b: Int) -> Double {
            let key = UInt64(min(a, b)) << 32 | UInt64(max(a, b))
            if let known = cache[key] { return known }
            var none: [Evidence]? = nil
            let value = scorer.locationScore(location(a), location(b), evidence: &none)
            cache[key] = value
            return value
        }
        if items.count > 1 {
            for a in 0..<(items.count - 1) {
                for b in (a + 1)..<items.count {
                    let value = score(a, b)
                    if value >= settings.locationThreshold { links.append(Clustering.Link(a: Int32(a), b: Int32(b), score: value)) }
                }
            }
        }
        let clustering = Clustering(threshold: settings.locationThreshold, joinAverage: settings.locationThreshold / 2)
        let result = clustering.run(count: items.count, links: links, score: score, conflict: { a, b in
            // Two places of one record are two places; strong disagreement keeps places apart.
            items[a].record == items[b].record || score(a, b) <= -4
        })
        var keysOf: [Int: [String]] = [:]
        for (item, group) in result.group.enumerated() { keysOf[group, default: []].append(locationKey(items[item])) }
        for (item, group) in result.group.enumerated() {
            locationID[items[item].record][items[item].location] = clusterID("location", keysOf[group]!.min()!)
        }
    }

    /// `record id#location id`, or the location's position when it has no id.
    func locationKey(_ item: (record: Int, location: Int)) -> String {
        let location = records[item.record].locations[item.location]
        return records[item.record].recordID + "#" + (location.id.isEmpty ? String(item.location) : location.id)
    }

    func clusterID(_ level: String, _ smallestMember: String) -> String {
        UUIDv5.make(namespace: settings.namespace, name: "crocevia:\(level)-cluster:\(smallestMember)").text
    }

    struct ReviewLink {
        let link: Clustering.Link
        /// For a strong link refused: the mean score across the clusters (-infinity for a tax
        /// code conflict).
        let refusedAverage: Double?
    }

    func reviewPair(_ review: ReviewLink, scorer: PairScorer) -> ReviewPair {
        var evidence: [Evidence]? = []
        let score = scorer.score(Int(review.link.a), Int(review.link.b), evidence: &evidence)
        func side(_ index: Int32) -> ReviewPair.Side {
            let record = records[Int(index)]
            return ReviewPair.Side(source: sources[record.source], recordID: record.recordID, name: record.name, origin: "\(paths[record.source]):\(record.line)")
        }
        var note: String?
        if let average = review.refusedAverage {
            note = average == -.infinity
                ? "kept apart: their clusters hold different tax codes"
                : "kept apart: the clusters they would join score \(Self.format(average)) on average, below \(Self.format(settings.reviewThreshold))"
        }
        return ReviewPair(left: side(review.link.a), right: side(review.link.b), score: score, evidence: evidence ?? [], note: note)
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A pair the deduplicator was not sure of, with the evidence on each side.
public struct ReviewPair: Sendable {
    public struct Side: Sendable {
        public let source: String
        public let recordID: String
        public let name: String
        public let origin: String
    }

    public let left: Side
    public let right: Side
    public let score: Double
    public let evidence: [Evidence]
    /// Why a strong pair was nonetheless kept apart.
    public let note: String?
}
