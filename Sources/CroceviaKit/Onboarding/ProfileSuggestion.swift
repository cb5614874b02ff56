/// A mapping profile suggested from a sample of a partner's file (`crocevia suggest`): each
/// column guessed by its header and its values (`ColumnGuess`), each field of a service given to
/// the column most likely to fill it, the ids and links a service needs made from them, and the
/// columns it could not place listed. Written as commented YAML that loads as a profile; a
/// coordinator reads it, corrects it, and keeps it.
public struct ProfileSuggestion: Sendable {
    /// One column of the sample: its name as a profile writes it, some values, the guess.
    public struct Column: Sendable {
        public let name: String
        let values: [String]
        var guess: ColumnGuess
        /// The target path given to it (a role's path, `phones[1].number` for a second phone).
        var path: String?
        /// Why it was not placed, when its role went to another column.
        var note: String?
    }

    public let source: String
    public let format: Format
    public private(set) var columns: [Column]
    /// Records read.
    public let sampled: Int

    /// The sample's columns in the order first seen: nested members of JSON and XML records as
    /// the profile's paths (`sede.indirizzo`, `Sede/Indirizzo`, `telefoni[*].numero`).
    public init(records: [Record], format: Format, source: String) {
        self.source = source
        self.format = format
        sampled = records.count
        var order: [String] = []
        var values: [String: [String]] = [:]
        /// Each path's last member name (what its header says) and the one holding it.
        var headers: [String: (header: String, context: String?)] = [:]
        let separator = format == .xml ? "/" : "."
        func walk(_ value: JSONValue, _ path: String, _ header: String, _ context: String?) {
            switch value {
            case .object(let object):
                for (key, member) in object.members where !key.hasPrefix("_") {
                    // An XML element's text beside its attributes is the element's own value.
                    if key == "#text" { walk(member, path, header, context); continue }
                    walk(member, path.isEmpty ? key : path + separator + key, key, header.isEmpty ? nil : header)
                }
            case .array(let items):
                // XML cannot tell a list of one from one: a repeated element is marked `[*]` wherever it is seen.
                let marked = format == .xml ? path + "[*]" : path
                for item in items {
                    if case .object = item { walk(item, format == .xml ? marked : path + "[*]", header, context) } else { walk(item, marked, header, context) }
                }
            default:
                guard !path.isEmpty else { return }
                if values[path] == nil {
                    order.append(path)
                    headers[path] = (header, context)
                }
                if values[path, default: []].count < 200 { values[path, default: []].append(value.cellText) }
            }
        }
        for record in records { walk(record.value, "", "", nil) }
        if format == .xml {
            // A path seen once as a list takes the others' values: `Telefono` and `Telefono[*]` are one column.
            for path in order where path.contains("[*]") {
                var unmarked = path.replacingOccurrences(of: "[*]", with: "")
                if unmarked == path { continue }
                for candidate in order where candidate != path && candidate.replacingOccurrences(of: "[*]", with: "") == unmarked {
                    values[path, default: []] += values.removeValue(forKey: candidate) ?? []
                    unmarked = candidate
                }
            }
            order = order.filter { values[$0] != nil }
        }
        columns = order.map { name in
            let place = headers[name] ?? (name, nil)
            return Column(name: name, values: values[name] ?? [], guess: ColumnGuess.guess(header: place.header, context: place.context, values: values[name] ?? []))
        }
        assignRoles()
    }

    /// Each role to the column most sure of it (phones to up to three columns); the others keep
    /// a note of what they lost to whom.
    private mutating func assignRoles() {
        var taken: [ColumnGuess.Role: String] = [:]
        var phones = 0
        // One phone column: a list, so a cell holding two numbers gives two phones.
        let onePhone = columns.filter { $0.guess.role == .phone && $0.guess.confidence >= 0.35 }.count == 1
        for index in columns.indices.sorted(by: { columns[$0].guess.confidence > columns[$1].guess.confidence }) {
            guard let role = columns[index].guess.role, columns[index].guess.confidence >= 0.35 else { continue }
            if role == .phone {
                guard phones < 3 else { continue }
                columns[index].path = onePhone ? "phones[].number" : "phones[\(phones)].number"
                phones += 1
                continue
            }
            if let owner = taken[role] {
                columns[index].note = "looks like \(role.path) too, which \(owner) fills"
                continue
            }
            taken[role] = columns[index].name
            columns[index].path = role.path
        }
        // An organization's tax code alone makes no organization (HSDS wants its name).
        if taken[.organizationName] == nil, let index = columns.firstIndex(where: { $0.path == ColumnGuess.Role.taxID.path }) {
            columns[index].path = nil
            columns[index].note = "looks like organization.tax_id, but no column names the organization: map organization.name first"
        }
    }

    private func column(for role: ColumnGuess.Role) -> Column? {
        columns.first { $0.path == role.path && $0.guess.role == role }
    }

    /// The profile, as YAML with a comment on each field (its confidence and why).
    public var yaml: String {
        var lines: [String] = [
            "# A profile suggested by `crocevia suggest` from \(sampled) record\(sampled == 1 ? "" : "s") of \(source).",
            "# Read every field: a guess names its confidence (0 to 1) and why. Correct what is wrong,",
            "# then: crocevia validate --profile THIS_FILE FILE, and crocevia convert --profile THIS_FILE FILE.",
            "crocevia_profile: 1",
            "source:",
            "  name: \(Self.quoted(source))",
            "  format: \(format.rawValue)",
        ]
        let key = column(for: .key)
        if let key { lines.append("  key: \(Self.quoted(key.name))") }
        lines += ["target: service", "fields:"]
        // The service's id: the partner's key, else its name (and organization's).
        let name = column(for: .name), organization = column(for: .organizationName)
        if let key {
            lines.append("  id: { uuid: \(Self.quoted(key.name)) }  # \(Self.confidence(key.guess))")
        } else if let name {
            let parts = [name, organization].compactMap { $0 }.map { Self.quoted($0.name) }
            lines.append("  id: { uuid: [\(parts.joined(separator: ", "))] }  # no key column found: the name makes the id")
        } else if let anchor = organization ?? columns.first(where: { $0.path != nil }) {
            lines.append("  id: { uuid: \(Self.quoted(anchor.name)) }  # neither a key nor a name column found: \(Self.quoted(anchor.name)) makes the id; give the service a key")
        }
        if name == nil, let organization {
            lines.append("  name: { column: \(Self.quoted(organization.name)), transforms: [squash], required: true }  # no column names the service: the organization's name stands in")
        }
        for column in columns where column.path != nil && column.guess.role != .key {
            guard let role = column.guess.role, let path = column.path else { continue }
            var spec = "column: \(Self.quoted(column.name))"
            if let transforms = role.transforms { spec += ", transforms: \(transforms)" }
            if role == .status {
                guard let map = statusMap(column.values) else {
                    let seen = Set(column.values.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }).sorted().prefix(4).map(Self.quoted)
                    lines.append("  status: { const: active }  # \(Self.quoted(column.name)) looks like the status, but its values (\(seen.joined(separator: ", "))) are not words for one: map them to active, inactive, defunct or temporarily closed")
                    continue
                }
                spec += ", transforms: [{ map: { values: { \(map) }, default: active } }]"
            }
            if role == .name { spec += ", required: true" }
            lines.append("  \(path): { \(spec) }  # \(Self.confidence(column.guess))")
        }
        if column(for: .status) == nil {
            lines.append("  status: { const: active }  # HSDS requires a status: no column gives one, so every service is active")
        }
        if let organization {
            lines.append("  organization_id: { copy: organization.id }")
            lines.append("  organization.id: { uuid: \(Self.quoted(organization.name)) }")
            lines.append("  organization.description: { template: \(Self.quoted("{" + organization.name + "}")) }  # HSDS requires one: the name stands in; say what the organization does")
        }
        if column(for: .opensAt) != nil || column(for: .closesAt) != nil || column(for: .byDay) != nil || column(for: .hours) != nil {
            if let owner = key ?? name { lines.append("  schedules[0].id: { uuid: \(Self.quoted(owner.name)) }") }
            lines.append("  schedules[0].freq: { const: WEEKLY }")
        }
        if column(for: .language) != nil, let owner = key ?? name {
            lines.append("  languages[].id: { uuid: \(Self.quoted(owner.name)) }")
        }
        let phones = columns.compactMap { $0.path?.hasPrefix("phones[") == true ? $0.path : nil }
        for path in phones {
            let element = path.replacingOccurrences(of: ".number", with: "")
            // Each phone's place in the record goes into its id, so two phones of one row differ.
            if let owner = key ?? name { lines.append("  \(element).id: { uuid: \(Self.quoted(owner.name)) }") }
        }
        // The place: its name and its address make its id, so a row with either has one.
        let placeColumns = [ColumnGuess.Role.locationName, .address, .city].compactMap { column(for: $0) }
        if let place = placeColumns.first {
            let placeKey = "[" + placeColumns.prefix(2).map { Self.quoted($0.name) }.joined(separator: ", ") + "]"
            let serviceKey = (key ?? name).map { Self.quoted($0.name) } ?? Self.quoted(place.name)
            lines += [
                "  service_at_locations[0].id: { uuid: [\(serviceKey), \(placeColumns.prefix(2).map { Self.quoted($0.name) }.joined(separator: ", "))] }",
                "  service_at_locations[0].service_id: { copy: id }",
                "  service_at_locations[0].location_id: { copy: \"service_at_locations[0].location.id\" }",
                "  service_at_locations[0].location.id: { uuid: \(placeKey) }",
                "  service_at_locations[0].location.location_type: { const: physical }",
            ]
            if column(for: .address) != nil || column(for: .city) != nil || column(for: .postalCode) != nil {
                lines += [
                    "  service_at_locations[0].location.addresses[0].id: { uuid: \(placeKey) }",
                    "  service_at_locations[0].location.addresses[0].country: { const: IT }",
                ]
                if column(for: .city) == nil {
                    lines.append("  # HSDS requires addresses[0].city and state_province, which no column gives: add them, such as")
                    lines.append("  # service_at_locations[0].location.addresses[0].city: { const: Torino }, and state_province: { const: TO }")
                } else if column(for: .province) == nil, let (province, city) = province() {
                    lines.append("  service_at_locations[0].location.addresses[0].state_province: { const: \(province) }  # HSDS requires it: the province of most values of \(Self.quoted(city))")
                }
                lines += [
                    "  service_at_locations[0].location.addresses[0].address_type: { const: physical }",
                ]
            }
        }
        let unplaced = columns.filter { $0.path == nil && $0.guess.role != .key || ($0.guess.role == .key && $0.name != key?.name) }
        if !unplaced.isEmpty {
            lines.append("")
            lines.append("# Columns not placed (map them by hand, or leave them out):")
            for column in unplaced {
                let example = column.values.first { !$0.isEmpty }.map { ", such as \(Self.quoted(Finding.shorten($0, limit: 40)))" } ?? ""
                lines.append("#   \(Self.quoted(column.name)): \(column.note ?? column.guess.reason)\(example)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The province most of the city column's values are in (for a profile with no province
    /// column), and that column's name.
    private func province() -> (String, String)? {
        guard let city = column(for: .city), let municipalities = try? Municipalities.standard() else { return nil }
        var counts: [String: Int] = [:]
        for value in city.values {
            if case .found(let found) = municipalities.find(value) { counts[found.province, default: 0] += 1 }
        }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }.map { ($0.key, city.name) }
    }

    /// A crosswalk of the status values seen to HSDS's four, by their words.
    private func statusMap(_ values: [String]) -> String? {
        var seen: [String] = []
        for value in values.map({ $0.trimmingWhitespace().lowercased() }) where !value.isEmpty && !seen.contains(value) { seen.append(value) }
        guard !seen.isEmpty else { return nil }
        let pairs = seen.compactMap { value -> String? in
            let folded = ColumnGuess.fold(value)
            let status: String? = folded.contains("tempor") ? "temporarily closed"
                : folded.contains("chius") || folded.contains("cessat") || folded.contains("closed") || folded.contains("defunct") ? "defunct"
                : folded.contains("sospes") || folded.contains("inattiv") || folded.contains("non attiv") || folded.contains("inactive") ? "inactive"
                : folded.contains("attiv") || folded.contains("active") || folded.contains("apert") || ["si", "s", "yes", "y", "true", "1"].contains(folded) ? "active"
                : ["no", "n", "false", "0"].contains(folded) ? "inactive" : nil
            return status.map { "\(Self.quoted(value)): \($0 == "temporarily closed" ? "\"temporarily closed\"" : $0)" }
        }
        return pairs.isEmpty ? nil : pairs.joined(separator: ", ")
    }

    static func quoted(_ text: String) -> String {
        JSONText.compact(.string(text))
    }

    private static func confidence(_ guess: ColumnGuess) -> String {
        "confidence \(String(format: "%.2f", guess.confidence)): \(guess.reason)"
    }

    /// Reads up to `sample` records of `file` as they are (no profile) and suggests from them.
    public static func suggest(file: String, from: Format?, encoding: TextEncoding?, options: ReaderOptions, sample: Int,
                               source: String?) throws -> ProfileSuggestion {
        let format = try Format.of(file, given: from)
        guard format.model == .partner else {
            throw CroceviaError.usage("\(file) is read as \(format.rawValue), which needs no profile; suggest reads a partner's own file (csv, xlsx, ods, json, jsonl, xml)")
        }
        let findings = FindingLog()
        let reader = try format.makeReader(path: file, encoding: encoding ?? .auto, source: source ?? "partner", options: options, findings: findings)
        var records: [Record] = []
        while records.count < sample, let record = try reader.next() { records.append(record) }
        guard !records.isEmpty else {
            throw CroceviaError.unreadableInput(file: file, line: nil, message: "no record to suggest a profile from", hint: findings.findings.first?.message)
        }
        return ProfileSuggestion(records: records, format: format, source: source ?? SourceName.of(file, given: nil, profile: nil))
    }

    // MARK: Measured against a hand-written profile

    /// How many of a hand-written profile's fields read from one column the suggestion maps from
    /// the same column to the same kind of field (a phone to a phone, a city to a city, whatever
    /// their nesting), and which it missed.
    public func agreement(with profile: Profile) -> (right: Int, fields: Int, missed: [String]) {
        var right = 0, fields = 0
        var missed: [String] = []
        for field in profile.fields {
            guard case .column(let reference) = field.origin, let role = Self.role(ofPath: field.path.description) else { continue }
            fields += 1
            // XML cannot tell a list of one from one: `Telefono[*]` and `Telefono` are one column.
            let name = reference.name.replacingOccurrences(of: "[*]", with: "")
            if let column = columns.first(where: { $0.name.replacingOccurrences(of: "[*]", with: "") == name }), let path = column.path, Self.role(ofPath: path) == role {
                right += 1
            } else {
                missed.append("\(field.path.description) ← \(reference.name)")
            }
        }
        return (right, fields, missed)
    }

    /// The role a target path fills, by its last steps (`…addresses[0].city` is a city).
    static func role(ofPath path: String) -> ColumnGuess.Role? {
        let plain = path.replacingOccurrences(of: #"\[[0-9]*\]"#, with: "[]", options: .regularExpression)
        if plain.hasSuffix("phones[].number") { return .phone }
        if plain.hasSuffix("addresses[].address_1") { return .address }
        if plain.hasSuffix("addresses[].postal_code") { return .postalCode }
        if plain.hasSuffix("addresses[].city") { return .city }
        if plain.hasSuffix("addresses[].state_province") { return .province }
        if plain.hasSuffix("location.name") || plain == "locations[].name" { return .locationName }
        if plain.hasSuffix("languages[].name") || plain.hasSuffix("languages[].code") { return .language }
        if plain.hasSuffix("schedules[].opens_at") { return .opensAt }
        if plain.hasSuffix("schedules[].closes_at") { return .closesAt }
        if plain.hasSuffix("schedules[].byday") { return .byDay }
        if plain.hasSuffix("schedules[].description") { return .hours }
        if plain == "organization.name" { return .organizationName }
        if plain == "organization.tax_id" || plain.hasSuffix("organization_identifiers[].identifier") { return .taxID }
        return ColumnGuess.Role.allCases.first { $0.path == plain && !$0.path.contains(".") }
    }
}
