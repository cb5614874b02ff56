/// How the deduplicator decides and merges: thresholds, the sources' trust order, and the
/// survivorship rule of each field. Read from a YAML file (`--settings`):
///
///     thresholds: { merge: 5, review: 2, location: 3 }
///     max_block_size: 1000
///     weights: learned                                # or standard: the hand-set ones
///     sources: [comune-collegno, portinerie-torino]   # most trusted first
///     survivorship:
///       default: trusted
///       fields: { description: complete, website: recent }
public struct DedupeSettings: Sendable {
    /// Organization pairs scoring at least this are the same organization.
    public var mergeThreshold = 5.0
    /// Pairs between this and `mergeThreshold` go to the review queue.
    public var reviewThreshold = 2.0
    /// Location pairs (within one organization) scoring at least this are the same place.
    public var locationThreshold = 3.0
    public var maxBlockSize = 1000
    /// Whether a run learns its fields' weights from its own records (`weights: learned`, with
    /// at least `FieldWeights.minimumPairs` candidate pairs) or keeps the hand-set ones
    /// (`weights: standard`).
    public var learnsWeights = true
    /// Source names, most trusted first; sources not listed come after, in input order.
    public var sourceTrust: [String] = []
    public var defaultRule = SurvivorshipRule.trusted
    public var fieldRules: [String: SurvivorshipRule] = ["description": .complete]
    /// The namespace of cluster ids.
    public var namespace = UUIDv5.defaultNamespace

    public init() {}

    public enum SurvivorshipRule: String, Sendable, CaseIterable {
        /// The value of the most trusted source that has one.
        case trusted
        /// The value of the most recently modified record that has one (`last_modified`).
        case recent
        /// The fullest value: the longest text, the longest list.
        case complete
    }

    public func rule(for field: String) -> SurvivorshipRule { fieldRules[field] ?? defaultRule }

    public static func load(path: String) throws -> DedupeSettings {
        func failure(_ node: YAMLNode, _ message: String) -> CroceviaError {
            .configuration(file: path, line: node.mark.line, column: node.mark.column, message: message)
        }
        var settings = DedupeSettings()
        guard let root = try YAMLLoader.load(path: path) else { return settings }
        var top = try YAMLMapping(root, file: path, what: "the dedupe settings")
        func number(_ node: YAMLNode, _ what: String) throws -> Double {
            guard let text = node.scalar, let value = Double(text) else { throw failure(node, "\(what) must be a number") }
            return value
        }
        if let node = top.take("thresholds") {
            var thresholds = try YAMLMapping(node, file: path, what: "thresholds")
            if let value = thresholds.take("merge") { settings.mergeThreshold = try number(value, "thresholds.merge") }
            if let value = thresholds.take("review") { settings.reviewThreshold = try number(value, "thresholds.review") }
            if let value = thresholds.take("location") { settings.locationThreshold = try number(value, "thresholds.location") }
            try thresholds.rejectUnknownKeys(known: ["merge", "review", "location"], what: "thresholds")
            if settings.reviewThreshold > settings.mergeThreshold {
                throw failure(node, "thresholds.review (\(settings.reviewThreshold)) must not be above thresholds.merge (\(settings.mergeThreshold))")
            }
        }
        if let node = top.take("max_block_size") {
            guard let text = node.scalar, let value = Int(text), value >= 2 else { throw failure(node, "max_block_size must be a whole number, 2 or more") }
            settings.maxBlockSize = value
        }
        if let node = top.take("weights") {
            guard let text = node.scalar, ["learned", "standard"].contains(text) else { throw failure(node, "weights is learned or standard") }
            settings.learnsWeights = text == "learned"
        }
        if let node = top.take("sources") { settings.sourceTrust = try node.textList(file: path, what: "sources").map(\.text) }
        if let node = top.take("survivorship") {
            var survivorship = try YAMLMapping(node, file: path, what: "survivorship")
            func rule(_ node: YAMLNode) throws -> SurvivorshipRule {
                guard let text = node.scalar, let rule = SurvivorshipRule(rawValue: text) else {
                    throw failure(node, "a survivorship rule is one of \(SurvivorshipRule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return rule
            }
            if let value = survivorship.take("default") { settings.defaultRule = try rule(value) }
            if let value = survivorship.take("fields") {
                let fields = try YAMLMapping(value, file: path, what: "survivorship.fields")
                for entry in fields.entries { settings.fieldRules[entry.key] = try rule(entry.value) }
            }
            try survivorship.rejectUnknownKeys(known: ["default", "fields"], what: "survivorship")
        }
        try top.rejectUnknownKeys(known: ["thresholds", "max_block_size", "weights", "sources", "survivorship"], what: "the dedupe settings")
        return settings
    }
}
