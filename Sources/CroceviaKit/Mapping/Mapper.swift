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
    /// For each field, the lookups of the columns it reads, in order.
    private var fieldLookups: [[Int]] = []
    private var keyLookups: [Int] = []
    private let copyFields: [Int]

    public init(profile: Profile, findings: FindingLog) throws {
        self.profile = profile
        self.findings = findings
        plan = try MappingPlan(fields: profile.fields, file: profile.file)
        copyFields = profile.fields.indices.filter {
            if case .copy = profile.fields[$0].origin { return true }
            return false
        }
        var byName: [String: Int] = [:]
        func lookup(_ name: String) -> Int {
            if let index = byName[name] { return index }
            lookups.append(ColumnLookup(name: name, nested: profile.source.format != .csv))
            byName[name] = lookups.count - 1
            return lookups.count - 1
        }
        fieldLookups = profile.fields.map { $0.columns.map { lookup($0.name) } }
        keyLookups = profile.source.key.map { lookup($0.name) }
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
        var context = RowContext(record: record, row: row, values: Array(repeating: [], count: profile.fields.count))
        for (index, field) in profile.fields.enumerated() where !field.isDecoration {
            var values = sourceValues(of: field, index: index, row: row)
            for transform in field.transforms {
                values = transform.apply(values) { severity, rule, message, value in
                    findings.add(Finding(severity, rule: rule, message: "\(field.path): \(message)", file: record.provenance.file,
                                         line: record.provenance.line, record: record.provenance.record,
                                         field: field.columns.first?.name, value: value))
                }
            }
            values.removeAll { $0 == .null || $0 == .string("") }
            if values.isEmpty && field.required {
                findings.add(Finding(.error, rule: "map.required", message: "\(field.path) is required but has no value",
                                     hint: field.columns.isEmpty ? nil : "fill in \(field.columns.map(\.name).joined(separator: ", "))",
                                     file: record.provenance.file, line: record.provenance.line, record: record.provenance.record,
                                     field: field.columns.first?.name))
            }
            context.values[index] = values
        }
        var object = build(plan.root, objectPath: profile.target, context: &context) ?? JSONObject()
        for index in copyFields { resolveCopy(index, in: &object) }
        var provenance = record.provenance
        provenance.source = profile.source.name
        if !keyLookups.isEmpty {
            let key = keyLookups.map { lookups[$0].values(in: row).first?.cellText.trimmingWhitespace() ?? "" }.joined(separator: "/")
            provenance.key = key
        }
        return Record(value: .object(object), provenance: provenance)
    }

    // MARK: Source values

    private func sourceValues(of field: Profile.Field, index: Int, row: JSONObject) -> [JSONValue] {
        let columns = fieldLookups[index]
        switch field.origin {
        case .column:
            return lookups[columns[0]].values(in: row).map(Self.trimmed)
        case .columns(_, let separator):
            let parts = columns.flatMap { lookups[$0].values(in: row) }.map { $0.cellText.trimmingWhitespace() }.filter { !$0.isEmpty }
            return parts.isEmpty ? [] : [.string(parts.joined(separator: separator))]
        case .template(let template):
            var text = ""
            var filled = false
            var next = 0
            for part in template.parts {
                switch part {
                case .literal(let literal): text += literal
                case .column:
                    let value = lookups[columns[next]].values(in: row).first?.cellText.trimmingWhitespace() ?? ""
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

    private static func trimmed(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value { return .string(text.trimmingWhitespace()) }
        return value
    }

    // MARK: Building the object

    private struct RowContext {
        let record: Record
        let row: JSONObject
        var values: [[JSONValue]]
    }

    /// Builds an object node; nil when no data field under it has a value.
    private func build(_ node: MappingPlan.ObjectNode, objectPath: String, spread: Int? = nil, context: inout RowContext) -> JSONObject? {
        var members: [(key: String, value: JSONValue)] = []
        var hasData = false
        for member in node.members {
            let childPath = objectPath == profile.target ? member.key : objectPath + "." + member.key
            if let (value, data) = build(member.node, key: member.key, objectPath: objectPath, childPath: childPath, spread: spread, context: &context) {
                members.append((member.key, value))
                if data { hasData = true }
            }
        }
        return hasData ? JSONObject(members) : nil
    }

    private func build(_ box: MappingPlan.Box, key: String, objectPath: String, childPath: String, spread: Int?,
                       context: inout RowContext) -> (JSONValue, Bool)? {
        switch box.node {
        case .leaf(let index)?:
            return leaf(index, objectPath: objectPath, spread: spread, context: &context)
        case .object(let object)?:
            return build(object, objectPath: childPath, spread: spread, context: &context).map { (.object($0), true) }
        case .spread(let element, let dataFields)?:
            let count = dataFields.map { context.values[$0].count }.max() ?? 0
            var items: [JSONValue] = []
            for i in 0..<count {
                if let (value, data) = build(element, key: key, objectPath: objectPath, childPath: "\(childPath)[\(items.count)]", spread: i, context: &context), data {
                    items.append(value)
                }
            }
            return items.isEmpty ? nil : (.array(items), true)
        case .fixed(let elements)?:
            var items: [JSONValue] = []
            for element in elements {
                if let (value, data) = build(element.node, key: key, objectPath: objectPath, childPath: "\(childPath)[\(items.count)]", spread: spread, context: &context), data {
                    items.append(value)
                }
            }
            return items.isEmpty ? nil : (.array(items), true)
        case nil:
            return nil
        }
    }

    private func leaf(_ index: Int, objectPath: String, spread: Int?, context: inout RowContext) -> (JSONValue, Bool)? {
        let field = profile.fields[index]
        switch field.origin {
        case .constant(let value):
            return (value, false)
        case .copy:
            return (.null, false)  // filled in once the whole object is built
        case .uuid:
            let keys = fieldLookups[index].map { lookups[$0].values(in: context.row).first?.cellText.trimmingWhitespace() ?? "" }
            guard keys.contains(where: { !$0.isEmpty }) else {
                let record = context.record.provenance
                findings.add(Finding(.error, rule: "map.id", message: "\(field.path): the id is made from \(field.columns.map(\.name).joined(separator: ", ")), empty in this record",
                                     hint: "fill in the key columns", file: record.file, line: record.line, record: record.record, field: field.columns.first?.name))
                return nil
            }
            let name = profile.source.name + "/" + objectPath + "/" + keys.joined(separator: "\u{1F}")
            return (.string(UUIDv5.make(namespace: profile.namespace, name: name).text), false)
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

    // MARK: Copies

    private func resolveCopy(_ index: Int, in object: inout JSONObject) {
        guard case .copy(let from) = profile.fields[index].origin else { return }
        let value = Self.value(at: from.segments[...], in: .object(object))
        var root = JSONValue.object(object)
        Self.fill(profile.fields[index].path.segments[...], in: &root, with: value)
        object = root.objectValue ?? object
    }

    static func value(at path: ArraySlice<TargetPath.Segment>, in value: JSONValue) -> JSONValue? {
        guard let segment = path.first else { return value == .null ? nil : value }
        guard var child = value[segment.name] else { return nil }
        if case .fixed(let k)? = segment.index {
            guard case .array(let items) = child, k < items.count else { return nil }
            child = items[k]
        }
        return Self.value(at: path.dropFirst(), in: child)
    }

    /// Replaces the copy placeholder at `path` (in every element where the path spreads); removes
    /// it when there is nothing to copy.
    static func fill(_ path: ArraySlice<TargetPath.Segment>, in value: inout JSONValue, with newValue: JSONValue?) {
        guard let segment = path.first, case .object(var object) = value, var child = object[segment.name] else { return }
        let rest = path.dropFirst()
        if rest.isEmpty && segment.index == nil {
            object[segment.name] = newValue
            value = .object(object)
            return
        }
        if case .array(var items) = child, let index = segment.index {
            let range: Range<Int>
            if case .fixed(let k) = index { range = k < items.count ? k..<(k + 1) : 0..<0 } else { range = items.indices }
            for i in range {
                if rest.isEmpty { if let newValue { items[i] = newValue } } else { fill(rest, in: &items[i], with: newValue) }
            }
            child = .array(items)
        } else {
            fill(rest, in: &child, with: newValue)
        }
        object[segment.name] = child
        value = .object(object)
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
