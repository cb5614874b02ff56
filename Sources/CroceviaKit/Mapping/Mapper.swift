/// Applies a profile to raw records: each input record becomes one HSDS object (with the nested
/// objects the profile maps), keeping the input's provenance and the partner's key.
///
/// Values are trimmed of surrounding white space before the field's transforms run; a field
/// with no value is left out rather than written empty. Problems with a value (a date that is not
/// a date, a value outside a map) are findings on the record's line, and the record is still
/// produced with the rest of its fields.
public final class Mapper {
    public let profile: Profile
    private let findings: FindingLog
    private let plan: MappingPlan
    private var lookups: [ColumnLookup] = []
    private var steps: [FieldStep] = []
    private var keyLookups: [Int] = []

    /// One profile field, compiled: where its value comes from, with everything the hot path
    /// needs at hand (a class, so the per-record loop passes references, not copies).
    final class FieldStep {
        enum Source {
            case column(Int)
            case columns([Int], separator: String)
            case template(Template, [Int])
            case constant(JSONValue)
            /// Key columns, and the object's place split around its `[]`.
            case uuid([Int], prefix: String, suffix: String?)
            /// The field copied, and the data fields whose values make the copied field's object
            /// exist (nil: the record itself).
            case copy(Int, guards: [Int]?)
        }

        let source: Source
        let transforms: [Transform]
        let required: Bool
        /// The target path, for messages.
        let label: String
        let columns: [String]

        init(source: Source, transforms: [Transform], required: Bool, label: String, columns: [String]) {
            self.source = source
            self.transforms = transforms
            self.required = required
            self.label = label
            self.columns = columns
        }

        var isData: Bool {
            switch source {
            case .column, .columns, .template: return true
            case .constant, .uuid, .copy: return false
            }
        }
    }

    public init(profile: Profile, findings: FindingLog) throws {
        self.profile = profile
        self.findings = findings
        plan = try MappingPlan(fields: profile.fields, file: profile.file)
        var byName: [String: Int] = [:]
        var lookups: [ColumnLookup] = []
        func lookup(_ reference: Profile.ColumnReference) -> Int {
            if let index = byName[reference.name] { return index }
            lookups.append(ColumnLookup(name: reference.name, nested: profile.source.format != .csv))
            byName[reference.name] = lookups.count - 1
            return lookups.count - 1
        }
        let fields = profile.fields
        steps = fields.map { field in
            let source: FieldStep.Source
            switch field.origin {
            case .column(let c): source = .column(lookup(c))
            case .columns(let cs, let separator): source = .columns(cs.map(lookup), separator: separator)
            case .template(let t): source = .template(t, t.columns.map(lookup))
            case .constant(let value): source = .constant(value)
            case .uuid(let cs):
                let place = Mapper.objectPlace(of: field.path, root: profile.target)
                source = .uuid(cs.map(lookup), prefix: place.prefix, suffix: place.suffix)
            case .copy(let from):
                let copied = fields.firstIndex { $0.path.description == from.description }!
                let object = from.segments.dropLast()
                let guards = object.isEmpty ? nil : fields.indices.filter { f in
                    !fields[f].isDecoration && fields[f].path.segments.count > object.count
                        && Array(fields[f].path.segments.prefix(object.count)) == Array(object)
                }
                source = .copy(copied, guards: guards)
            }
            return FieldStep(source: source, transforms: field.transforms, required: field.required,
                             label: field.path.description, columns: field.columns.map(\.name))
        }
        keyLookups = profile.source.key.map(lookup)
        self.lookups = lookups
        for (index, step) in steps.enumerated() {
            if case .copy(let copied, _) = step.source, case .copy = steps[copied].source {
                let field = fields[index]
                throw CroceviaError.configuration(file: profile.file, line: field.mark.line, column: field.mark.column,
                                                  message: "\(field.path) copies \(steps[copied].label), which is itself a copy; copy the original")
            }
        }
    }

    /// Every column the profile names, with where it names it.
    public var columnReferences: [Profile.ColumnReference] {
        profile.source.key + profile.fields.flatMap(\.columns)
    }

    /// Checks the profile's columns against a CSV header: a column that is not there is a
    /// profile error (exit 2) at the line that names it.
    public func check(header: [String], inputName: String) throws {
        let known = Set(header)
        for reference in columnReferences where !known.contains(reference.name) {
            throw CroceviaError.configuration(
                file: profile.file, line: reference.mark.line, column: reference.mark.column,
                message: "column \"\(reference.name)\" is not in the header of \(inputName)\(Suggestion.hint(for: reference.name, in: header)) (its columns: \(header.joined(separator: ", ")))")
        }
    }

    /// Columns (JSON member paths) that no record had: likely misspelt in the profile.
    public func reportUnseenColumns(inputName: String) {
        for lookup in lookups where !lookup.seen {
            findings.add(Finding(.warning, rule: "map.unknown-column",
                                 message: "\"\(lookup.name)\" was not found in any record, so the fields that read it stayed empty",
                                 hint: "check the spelling in \(profile.file)", file: inputName, field: lookup.name))
        }
    }

    /// Maps one raw record.
    public func map(_ record: Record) -> Record {
        let row = record.value.objectValue ?? JSONObject()
        var context = RowContext(row: row, provenance: record.provenance, values: Array(repeating: [], count: steps.count))
        for index in steps.indices where steps[index].isData {
            context.values[index] = dataValues(steps[index], row: row, provenance: record.provenance)
        }
        let object = build(plan.root, context: &context) ?? JSONObject()
        var provenance = record.provenance
        provenance.source = profile.source.name
        if !keyLookups.isEmpty {
            provenance.key = keyLookups.map { firstText(lookups[$0].values(in: row)) }.joined(separator: "/")
        }
        return Record(value: .object(object), provenance: provenance)
    }

    // MARK: Source values

    private func dataValues(_ step: FieldStep, row: JSONObject, provenance: Provenance) -> [JSONValue] {
        var values = sourceValues(step, row: row)
        for transform in step.transforms {
            values = transform.apply(values) { severity, rule, message, value in
                findings.add(Finding(severity, rule: rule, message: "\(step.label): \(message)", file: provenance.file,
                                     line: provenance.line, record: provenance.record, field: step.columns.first, value: value))
            }
        }
        values.removeAll { value in
            switch value {
            case .null: return true
            case .string(let text): return text.isEmpty
            default: return false
            }
        }
        if values.isEmpty && step.required {
            findings.add(Finding(.error, rule: "map.required", message: "\(step.label) is required but has no value",
                                 hint: step.columns.isEmpty ? nil : "fill in \(step.columns.joined(separator: ", "))",
                                 file: provenance.file, line: provenance.line, record: provenance.record, field: step.columns.first))
        }
        return values
    }

    private func sourceValues(_ step: FieldStep, row: JSONObject) -> [JSONValue] {
        switch step.source {
        case .column(let column):
            var values = lookups[column].values(in: row)
            for k in values.indices {
                if case .string(let text) = values[k] { values[k] = .string(text.trimmingWhitespace()) }
            }
            return values
        case .columns(let columns, let separator):
            let parts = columns.flatMap { lookups[$0].values(in: row) }.map { $0.cellText.trimmingWhitespace() }.filter { !$0.isEmpty }
            return parts.isEmpty ? [] : [.string(parts.joined(separator: separator))]
        case .template(let template, let columns):
            var text = ""
            var filled = false
            var next = 0
            for part in template.parts {
                switch part {
                case .literal(let literal): text += literal
                case .column:
                    let value = firstText(lookups[columns[next]].values(in: row))
                    next += 1
                    if !value.isEmpty { filled = true }
                    text += value
                }
            }
            guard filled else { return [] }
            return [.string(text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))]
        case .constant, .uuid, .copy:
            return []
        }
    }

    private func firstText(_ values: [JSONValue]) -> String {
        values.first?.cellText.trimmingWhitespace() ?? ""
    }

    // MARK: Building the object

    private struct RowContext {
        let row: JSONObject
        let provenance: Provenance
        var values: [[JSONValue]]
        /// Ids already made for this record (an id may be copied elsewhere too).
        var ids: [Int: String] = [:]
    }

    /// Builds an object node; nil when no data field under it has a value.
    private func build(_ node: MappingPlan.ObjectNode, spread: Int? = nil, context: inout RowContext) -> JSONObject? {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(node.members.count)
        var hasData = false
        for member in node.members {
            if let (value, data) = build(member.node, spread: spread, context: &context) {
                members.append((member.key, value))
                if data { hasData = true }
            }
        }
        return hasData ? JSONObject(members) : nil
    }

    /// Every element a spread makes holds a value at its index (values are compacted), so the
    /// element's index in the list is the spread index that ids are made from.
    private func build(_ box: MappingPlan.Box, spread: Int?, context: inout RowContext) -> (JSONValue, Bool)? {
        switch box.node {
        case .leaf(let index)?:
            return leaf(index, spread: spread, context: &context)
        case .object(let object)?:
            return build(object, spread: spread, context: &context).map { (.object($0), true) }
        case .spread(let element, let dataFields)?:
            var count = 0
            for field in dataFields { count = max(count, context.values[field].count) }
            var items: [JSONValue] = []
            for i in 0..<count {
                if let (value, data) = build(element, spread: i, context: &context), data {
                    items.append(value)
                }
            }
            return items.isEmpty ? nil : (.array(items), true)
        case .fixed(let elements)?:
            var items: [JSONValue] = []
            for element in elements {
                if let (value, data) = build(element.node, spread: spread, context: &context), data {
                    items.append(value)
                }
            }
            return items.isEmpty ? nil : (.array(items), true)
        case nil:
            return nil
        }
    }

    private func leaf(_ index: Int, spread: Int?, context: inout RowContext) -> (JSONValue, Bool)? {
        let step = steps[index]
        switch step.source {
        case .constant(let value):
            return (value, false)
        case .copy(let copied, let guards):
            if let guards, !guards.contains(where: { !context.values[$0].isEmpty }) { return nil }
            guard let (value, _) = leaf(copied, spread: nil, context: &context) else { return nil }
            return (value, false)
        case .uuid(let columns, let prefix, let suffix):
            if spread == nil, let id = context.ids[index] { return (.string(id), false) }
            var keys: [String] = []
            keys.reserveCapacity(columns.count)
            var anyKey = false
            for column in columns {
                let key = firstText(lookups[column].values(in: context.row))
                if !key.isEmpty { anyKey = true }
                keys.append(key)
            }
            guard anyKey else {
                findings.add(Finding(.error, rule: "map.id", message: "\(step.label): the id is made from \(step.columns.joined(separator: ", ")), empty in this record",
                                     hint: "fill in the key columns", file: context.provenance.file, line: context.provenance.line,
                                     record: context.provenance.record, field: step.columns.first))
                return nil
            }
            var name = profile.source.name + "/" + prefix
            if let suffix { name += String(spread ?? 0) + suffix }
            name += "/" + keys.joined(separator: "\u{1F}")
            let id = UUIDv5.make(namespace: profile.namespace, name: name).text
            if spread == nil { context.ids[index] = id }
            return (.string(id), false)
        case .column, .columns, .template:
            let values = context.values[index]
            if let spread {
                return spread < values.count ? (values[spread], true) : nil
            }
            switch values.count {
            case 0: return nil
            case 1: return (values[0], true)
            default: return (.string(values.map(\.cellText).joined(separator: "; ")), true)
            }
        }
    }

    /// The path of the object holding `path`'s last member, split around its `[]`.
    static func objectPlace(of path: TargetPath, root: String) -> (prefix: String, suffix: String?) {
        let objectSegments = path.segments.dropLast()
        guard !objectSegments.isEmpty else { return (root, nil) }
        var prefix = ""
        var suffix: String?
        for (n, segment) in objectSegments.enumerated() {
            var text = (n > 0 ? "." : "") + segment.name
            switch segment.index {
            case .fixed(let k)?: text += "[\(k)]"
            case .spread?:
                prefix += text + "["
                suffix = "]"
                continue
            case nil: break
            }
            if suffix != nil { suffix! += text } else { prefix += text }
        }
        return (prefix, suffix)
    }
}

/// Finds a column's values in a raw record. CSV columns are exact names; for JSON sources a
/// name may also be a path of members (`ente.nome`), and an array gives one value per element.
struct ColumnLookup {
    let name: String
    let path: [String]?
    private var cachedIndex = 0
    private(set) var seen = false

    init(name: String, nested: Bool) {
        self.name = name
        path = nested && name.contains(".") ? name.split(separator: ".").map(String.init) : nil
    }

    mutating func values(in row: JSONObject) -> [JSONValue] {
        if cachedIndex < row.members.count && row.members[cachedIndex].key == name {
            seen = true
            return Self.flatten(row.members[cachedIndex].value)
        }
        if let index = row.members.firstIndex(where: { $0.key == name }) {
            cachedIndex = index
            seen = true
            return Self.flatten(row.members[index].value)
        }
        guard let path else { return [] }
        var current: [JSONValue] = [.object(row)]
        for step in path {
            current = current.flatMap { value -> [JSONValue] in
                guard let child = value[step] else { return [] }
                if case .array(let items) = child { return items }
                return [child]
            }
        }
        if !current.isEmpty { seen = true }
        return current.flatMap(Self.flatten)
    }

    private static func flatten(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .null: return []
        case .array(let items): return items.filter { $0 != .null }
        default: return [value]
        }
    }
}
