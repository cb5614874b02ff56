/// What a deduplication run found, and the files it can write: `clusters.csv`, the merged
/// records, the review queue (CSV and HTML) and a summary.
public struct DedupeResult {
    public struct Summary: Sendable {
        public var records: Int
        public var sources: Int
        public var blocking: Blocking.Diagnostics
        public var organizationClusters = 0
        public var locationClusters = 0
        /// Pairs at or above the merge threshold whose records ended in one cluster.
        public var merged = 0
        public var reviewPairs = 0
        /// Strong links refused because they would have chained disagreeing records.
        public var refusedLinks = 0
    }

    let deduplicator: Deduplicator
    let scorer: PairScorer
    /// The organization cluster of each record, in input order.
    public let organizationID: [String]
    /// The location cluster of each record's locations.
    public let locationID: [[String]]
    let reviewLinks: [Deduplicator.ReviewLink]
    public let summary: Summary

    /// The review queue, strongest pairs first, with the evidence of each.
    public func reviewPairs(limit: Int = .max) -> [ReviewPair] {
        reviewLinks.prefix(limit).map { deduplicator.reviewPair($0, scorer: scorer) }
    }

    /// `record_id,location_id,organization_cluster,location_cluster`: one row per record and
    /// location; a record without locations has one row with empty location columns.
    public func writeClusters(to path: String) throws {
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        buffer.append("record_id,location_id,organization_cluster,location_cluster\n")
        for (index, record) in deduplicator.records.enumerated() {
            if record.locations.isEmpty {
                CSVRecordWriter.appendRow([record.recordID, "", organizationID[index], ""], delimiter: 0x2C, to: &buffer)
            }
            for (position, location) in record.locations.enumerated() {
                CSVRecordWriter.appendRow([record.recordID, location.id, organizationID[index], locationID[index][position]], delimiter: 0x2C, to: &buffer)
            }
            if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
        }
        try sink.write(&buffer)
        try sink.commit()
    }

    /// The review queue as CSV: one row per pair, the evidence for and against in two columns.
    public func writeReviewCSV(to path: String) throws {
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        buffer.append("score,left_source,left_record_id,left_name,right_source,right_record_id,right_name,evidence_for,evidence_against,note\n")
        for link in reviewLinks {
            let pair = deduplicator.reviewPair(link, scorer: scorer)
            let against = pair.evidence.filter { $0.points < 0 }.map { "\($0.field) \(Deduplicator.format($0.points)): \($0.detail)" }
            let support = pair.evidence.filter { $0.points > 0 }.map { "\($0.field) +\(Deduplicator.format($0.points)): \($0.detail)" }
            CSVRecordWriter.appendRow([Deduplicator.format(pair.score), pair.left.source, pair.left.recordID, pair.left.name,
                                       pair.right.source, pair.right.recordID, pair.right.name,
                                       support.joined(separator: "; "), against.joined(separator: "; "), pair.note ?? ""], delimiter: 0x2C, to: &buffer)
            if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
        }
        try sink.write(&buffer)
        try sink.commit()
    }

    /// One merged organization per cluster, in the order of each cluster's first record.
    public func writeMerged(to path: String) throws {
        precondition(deduplicator.keepsRecords, "merging needs the records: set keepsRecords before reading")
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        try mergedOrganizations { organization in
            JSONText.write(.object(organization), to: &buffer, pretty: false)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= OutputSink.flushThreshold { try sink.write(&buffer) }
        }
        try sink.write(&buffer)
        try sink.commit()
    }

    /// Hands on one merged organization per cluster, in the order of each cluster's first record.
    public func mergedOrganizations(_ body: (JSONObject) throws -> Void) rethrows {
        precondition(deduplicator.keepsRecords, "merging needs the records: set keepsRecords before reading")
        let merger = Merger(result: self)
        var done = Set<String>()
        var members: [String: [Int]] = [:]
        for (index, id) in organizationID.enumerated() { members[id, default: []].append(index) }
        for id in organizationID where done.insert(id).inserted {
            try body(merger.merge(cluster: id, members: members[id]!))
        }
    }

    /// The source and id of each record, in input order (the order of `organizationID`).
    public var recordKeys: [(source: String, id: String)] {
        deduplicator.records.map { (deduplicator.sources[$0.source], $0.recordID) }
    }

    /// The ids of each record's locations, in the order of `locationID`.
    public var locationKeys: [[String]] {
        deduplicator.records.map { $0.locations.map(\.id) }
    }

    /// The run's figures as JSON (blocking diagnostics included).
    public var summaryJSON: JSONValue {
        func block(_ b: Blocking.Block) -> JSONValue { .object(JSONObject([("key", .string(b.key)), ("size", .number(String(b.size)))])) }
        let blocking = summary.blocking
        return .object(JSONObject([
            ("records", .number(String(summary.records))),
            ("sources", .number(String(summary.sources))),
            ("organization_clusters", .number(String(summary.organizationClusters))),
            ("location_clusters", .number(String(summary.locationClusters))),
            ("pairs_merged", .number(String(summary.merged))),
            ("pairs_for_review", .number(String(summary.reviewPairs))),
            ("links_refused", .number(String(summary.refusedLinks))),
            ("thresholds", .object(JSONObject([
                ("merge", .number(Deduplicator.format(deduplicator.settings.mergeThreshold))),
                ("review", .number(Deduplicator.format(deduplicator.settings.reviewThreshold))),
                ("location", .number(Deduplicator.format(deduplicator.settings.locationThreshold))),
            ]))),
            ("weights", Self.json(scorer.fieldWeights)),
            ("blocking", .object(JSONObject([
                ("keys", .number(String(blocking.keys))),
                ("candidate_pairs", .number(String(blocking.candidatePairs))),
                ("pairs_by_key", .object(JSONObject(blocking.pairsByKind.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) }))),
                ("largest_blocks", .array(blocking.largest.map(block))),
                ("blocks_skipped", .array(blocking.skipped.map(block))),
            ]))),
        ]))
    }

    /// Each field's points by level, with the learnt m and u.
    static func json(_ weights: FieldWeights) -> JSONValue {
        func number(_ x: Double) -> JSONValue { .number(String(format: "%.4g", x)) }
        var fields: [(String, JSONValue)] = []
        for field in FieldWeights.Field.allCases {
            let levels = field.levels.enumerated().map { offset, name -> (String, JSONValue) in
                var level = JSONObject([("points", number(weights.points[field.rawValue][offset + 1]))])
                if weights.isLearned {
                    level["m"] = number(weights.m[field.rawValue][offset + 1])
                    level["u"] = number(weights.u[field.rawValue][offset + 1])
                }
                return (name, .object(level))
            }
            fields.append((field.name, .object(JSONObject(levels))))
        }
        return .object(JSONObject([("learned", .bool(weights.isLearned)), ("prior", number(weights.prior)), ("fields", .object(JSONObject(fields)))]))
    }
}
