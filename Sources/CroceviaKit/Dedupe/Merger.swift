/// Builds one organization from a cluster's records. Each field comes from one member, chosen by
/// the field's survivorship rule (most trusted source, most recent, most complete); phones and
/// identifiers are the union of the members'; each location cluster becomes one location, merged
/// the same way. `_provenance` names, for every field, the source and record it came from and the
/// rule that chose it; `_merged_from` lists the members.
struct Merger {
    let result: DedupeResult
    var deduplicator: Deduplicator { result.deduplicator }

    /// Fields merged as lists of distinct items rather than chosen from one member.
    static let unionFields: Set<String> = ["phones", "organization_identifiers"]
    /// Fields the merge writes itself.
    static let ownFields: Set<String> = ["id", "locations", "organization_id", "_provenance", "_merged_from"]

    struct Member {
        let index: Int
        let object: JSONObject
        let locations: [JSONObject]
        let rank: Int
        let lastModified: String?
    }

    func merge(cluster id: String, members indexes: [Int]) -> JSONObject {
        let members = indexes.map(member).sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }
        var merged = JSONObject([("id", .string(id))])
        var provenance = JSONObject()
        var fields: [String] = []
        for member in members { for key in member.object.keys where !fields.contains(key) && !Self.ownFields.contains(key) { fields.append(key) } }
        for field in fields {
            if Self.unionFields.contains(field) {
                // A service's own phones stay with the service: only the organizations' are merged.
                let items = members.flatMap { $0.object[field]?.arrayValue ?? [] }
                merged.members.append((field, .array(Self.distinct(items, field: field))))
                continue
            }
            guard let (value, from, rule) = choose(field, members.map { ($0, $0.object[field]) }) else { continue }
            merged.members.append((field, value))
            provenance.members.append((field, origin(from, rule)))
        }
        // Locations, one per location cluster, in order of first appearance.
        var order: [String] = []
        var places: [String: [(Member, JSONObject)]] = [:]
        for member in members.sorted(by: { $0.index < $1.index }) {
            for (position, location) in member.locations.enumerated() {
                let locationID = result.locationID[member.index][position]
                if places[locationID] == nil { order.append(locationID) }
                places[locationID, default: []].append((member, location))
            }
        }
        if !order.isEmpty {
            merged.members.append(("locations", .array(order.map { .object(mergeLocation($0, id, places[$0]!)) })))
        }
        merged.members.append(("_provenance", .object(provenance)))
        merged.members.append(("_merged_from", .array(members.sorted { $0.index < $1.index }.map { member in
            let record = deduplicator.records[member.index]
            return .object(JSONObject([("source", .string(deduplicator.sources[record.source])), ("record_id", .string(record.recordID))]))
        })))
        return merged
    }

    private func mergeLocation(_ id: String, _ organizationID: String, _ copies: [(Member, JSONObject)]) -> JSONObject {
        let sorted = copies.sorted { ($0.0.rank, $0.0.index) < ($1.0.rank, $1.0.index) }
        var merged = JSONObject([("id", .string(id)), ("organization_id", .string(organizationID))])
        var provenance = JSONObject()
        var fields: [String] = []
        for (_, location) in sorted { for key in location.keys where !fields.contains(key) && !Self.ownFields.contains(key) { fields.append(key) } }
        for field in fields {
            if field == "phones" {
                merged.members.append((field, .array(Self.distinct(sorted.flatMap { $0.1[field]?.arrayValue ?? [] }, field: field))))
                continue
            }
            guard let (value, from, rule) = choose(field, sorted.map { ($0.0, $0.1[field]) }) else { continue }
            merged.members.append((field, field == "addresses" ? Self.relinked(value, to: id) : value))
            provenance.members.append((field, origin(from, rule)))
        }
        merged.members.append(("_provenance", .object(provenance)))
        return merged
    }

    /// The value a field's rule picks among the members' values, with its member and the rule.
    private func choose(_ field: String, _ candidates: [(Member, JSONValue?)]) -> (JSONValue, Member, DedupeSettings.SurvivorshipRule)? {
        let present = candidates.compactMap { member, value -> (Member, JSONValue)? in
            guard let value, !Self.isEmpty(value) else { return nil }
            return (member, value)
        }
        guard let first = present.first else { return nil }
        let rule = deduplicator.settings.rule(for: field)
        switch rule {
        case .trusted:
            return (first.1, first.0, rule)
        case .recent:
            let best = present.enumerated().max { a, b in
                ((a.element.0.lastModified ?? ""), -a.offset) < ((b.element.0.lastModified ?? ""), -b.offset)
            }!.element
            return (best.1, best.0, rule)
        case .complete:
            let best = present.enumerated().max { a, b in (Self.size(a.element.1), -a.offset) < (Self.size(b.element.1), -b.offset) }!.element
            return (best.1, best.0, rule)
        }
    }

    private func origin(_ member: Member, _ rule: DedupeSettings.SurvivorshipRule) -> JSONValue {
        let record = deduplicator.records[member.index]
        return .object(JSONObject([("source", .string(deduplicator.sources[record.source])), ("record_id", .string(record.recordID)),
                                   ("rule", .string(rule.rawValue))]))
    }

    private func member(_ index: Int) -> Member {
        let record = deduplicator.records[index]
        let value = record.json.withUnsafeBufferPointer { buffer -> JSONValue in
            var parser = JSONParser(base: buffer.baseAddress!, end: buffer.count, position: 0, line: 1, maxDepth: 10_000)
            return (try? parser.parseValue()) ?? .object(JSONObject())
        }
        let parts = OrganizationParts(value.objectValue ?? JSONObject())
        let trust = deduplicator.settings.sourceTrust
        let name = deduplicator.sources[record.source]
        let rank = trust.firstIndex(of: name) ?? (trust.count + record.source)
        return Member(index: index, object: parts.organization, locations: parts.locations,
                      rank: rank, lastModified: record.lastModified)
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let text): return text.trimmingWhitespace().isEmpty
        case .array(let items): return items.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }

    static func size(_ value: JSONValue) -> Int {
        switch value {
        case .string(let text): return text.count
        case .array(let items): return items.count
        case .object(let object): return object.count
        default: return 1
        }
    }

    /// Phones by their E.164 number, identifiers by type and value: the first of each kept.
    static func distinct(_ items: [JSONValue], field: String) -> [JSONValue] {
        var seen = Set<String>()
        return items.filter { item in
            let key: String
            if field == "phones", let number = item["number"]?.stringValue {
                key = Phone.normalize(number).numbers.first ?? number
            } else if field == "organization_identifiers" {
                key = (item["identifier_type"]?.stringValue ?? "") + "|" + (item["identifier"]?.stringValue ?? "")
            } else {
                key = JSONText.compact(item)
            }
            return seen.insert(key).inserted
        }
    }

    /// Addresses taken from a member point at the merged location.
    static func relinked(_ value: JSONValue, to locationID: String) -> JSONValue {
        guard case .array(let items) = value else { return value }
        return .array(items.map { item in
            guard case .object(var address) = item else { return item }
            if let index = address.members.firstIndex(where: { $0.key == "location_id" }) {
                address.members[index].value = .string(locationID)
            }
            return .object(address)
        })
    }
}
