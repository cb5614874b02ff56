/// What records are or become: an HSDS object (`service`), or an entity of the network's case
/// data (`case/contact`), named as profiles and `--hsds` name them. It knows where its schema is,
/// how messages name it, and which objects a feed of it holds; the decisions that differ for case
/// data (no value quoted, pseudonyms, the case tables) ask `isCase`.
public struct Target: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    /// The HSDS objects (the bundled schemas' file names without `.json`).
    public static let hsdsNames = [
        "accessibility", "address", "attribute", "contact", "cost_option", "funding", "language", "location",
        "meta_table_description", "metadata", "organization", "organization_identifier", "phone", "program",
        "required_document", "schedule", "service", "service_area", "service_at_location", "taxonomy", "taxonomy_term",
    ]

    /// The case data entities.
    public static let caseNames = ["case/contact", "case/referral", "case/outcome", "case/volunteer_activity", "case/posting"]

    /// Every name a target may have.
    public static let names = hsdsNames + caseNames

    public static let service = Target(known: "service")
    public static let caseContact = Target(known: "case/contact")

    /// nil for a name that is no HSDS object or case entity.
    public init?(_ name: String) {
        guard Self.names.contains(name) else { return nil }
        self.name = name
    }

    private init(known name: String) { self.name = name }

    /// A target named on the command line: an unknown name is a usage error that suggests the
    /// closest.
    public static func named(_ name: String) throws -> Target {
        guard let target = Target(name) else {
            throw CroceviaError.usage("\(name) is not an HSDS or case object\(Suggestion.hint(for: name, in: names)) (known: \(names.joined(separator: ", ")))")
        }
        return target
    }

    /// Case data: records about people, whose values findings never quote.
    public var isCase: Bool { name.hasPrefix("case/") }

    /// The schema's folder in `Schemas/` and its file name without `.json`: ("hsds", "service"),
    /// ("case", "contact").
    public var folder: String { isCase ? "case" : "hsds" }
    public var entity: String { isCase ? String(name.dropFirst("case/".count)) : name }
    public var schemaFile: String { "\(folder)/\(entity).json" }

    /// The targets whose records a feed of this one holds: case data mixes its entities (each
    /// record says which: see `CaseEntities.objectType`); an HSDS feed holds its object.
    public var feedTargets: [Target] { isCase ? Self.caseNames.map(Target.init(known:)) : [self] }

    public var description: String { name }
}
