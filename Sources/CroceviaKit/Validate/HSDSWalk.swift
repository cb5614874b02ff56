/// An HSDS record read for the checks across records (`HSDSChecks`): its ids and foreign keys in
/// the order they are met, with the findings that need no other record in their places (a field
/// the tabular form requires, a date written otherwise than the tabular form writes it, with
/// `strict` a field the schema does not define). It reads only the record and the object
/// types' shapes, worked out once, so records are walked on the threads that check a batch; what
/// needs the records before (ids met, references resolved) is `HSDSChecks`'s, in order.
struct HSDSWalk: Sendable {
    /// What the checks across records need of an object type.
    struct Shape: Sendable {
        /// What the checks do with a field the schema defines: the object type a foreign key
        /// names, the object type nested in it. One look-up a member.
        struct Field: Sendable {
            var reference: String?
            var nested: (type: String, isList: Bool)?
        }

        var fields: [String: Field] = [:]
        var unique: [String] = []
        /// Fields required in the tabular form only (`tabular_required`).
        var tabularRequired: [String] = []
        /// Fields whose text must read as a Table Schema date, time or datetime
        /// (`datapackage_type`), in the schema's order.
        var datapackageTypes: [(name: String, kind: String)] = []
    }

    /// Foreign-key fields and the object type they name.
    static let foreignKeys: [String: String] = [
        "organization_id": "organization", "parent_organization_id": "organization", "service_id": "service",
        "location_id": "location", "program_id": "program", "contact_id": "contact", "service_at_location_id": "service_at_location",
        "phone_id": "phone", "taxonomy_term_id": "taxonomy_term", "taxonomy_id": "taxonomy",
    ]

    let root: String
    private let strict: Bool
    /// The input is an HSDS tabular package: `tabular_required` applies.
    private let tabular: Bool
    /// The root type and every type nested in it.
    private let shapes: [String: Shape]

    init(schemas: HSDSSchemas, root: String, strict: Bool, tabular: Bool) {
        self.root = root
        self.strict = strict
        self.tabular = tabular
        var shapes: [String: Shape] = [:]
        var types = [root]
        while let type = types.popLast() {
            guard shapes[type] == nil else { continue }
            let shape = Self.shape(type, schemas: schemas)
            shapes[type] = shape
            types += shape.fields.values.compactMap(\.nested?.type)
        }
        self.shapes = shapes
    }

    private static func shape(_ type: String, schemas: HSDSSchemas) -> Shape {
        var shape = Shape()
        let schema = try? schemas.schema(type)
        if case .array(let names)? = schema?["tabular_required"] { shape.tabularRequired = names.compactMap(\.stringValue) }
        if case .object(let properties)? = schema?["properties"] {
            for (name, property) in properties.members {
                var field = Shape.Field(reference: foreignKeys[name])
                defer { shape.fields[name] = field }
                if let kind = property["datapackage_type"]?.stringValue { shape.datapackageTypes.append((name, kind)) }
                if case .object(let constraints)? = property["constraints"], constraints["unique"] == .bool(true) { shape.unique.append(name) }
                let isList = property["type"]?.stringValue == "array"
                if let reference = (isList ? property["items"]?["$ref"] : property["$ref"])?.stringValue {
                    field.nested = (String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0)), isList)
                }
            }
        }
        return shape
    }

    /// The record's ids, references and findings of its own; `fields` gives the partner's column
    /// for a JSON Pointer into the record (nil without a profile: no pointer is spelt out then).
    func facts(of record: Record, fields: ((String) -> String?)?) -> HSDSFacts {
        var facts = HSDSFacts()
        walk(record.value, type: root, path: "", record: record, fields: fields, into: &facts)
        return facts
    }

    private func walk(_ value: JSONValue, type: String, path: String, record: Record, fields: ((String) -> String?)?, into facts: inout HSDSFacts) {
        guard case .object(let object) = value else { return }
        let shape = shapes[type] ?? Shape()
        func place(_ member: String) -> Place {
            Place(objectPath: path, objectField: HSDSFacts.fieldPath(of: path), member: member, provenance: record.provenance, subject: record.subject,
                  fields: fields ?? { _ in nil })
        }
        for name in shape.unique {
            guard case .string(let id)? = object[name] else { continue }
            // Only nested objects may repeat, so only they need their content's digest.
            facts.events.append(.id(HSDSFacts.UniqueID(type: type, name: name, key: IDKey(id), text: id, digest: path.isEmpty ? 0 : Self.digest(value),
                                                       objectPath: path)))
        }
        if tabular {
            for name in shape.tabularRequired where object[name] == nil {
                facts.events.append(.finding(place(name).finding("hsds.tabular-required", "is required in the tabular form of the HSDS \(type)",
                                                                 hint: "fill in the \(name) column", value: nil)))
            }
        }
        for (name, kind) in shape.datapackageTypes {
            guard case .string(let text)? = object[name], !Self.reads(text, as: kind) else { continue }
            facts.events.append(.finding(place(name).finding("hsds.datapackage-type", "is not a \(kind) as the HSDS tabular form writes it (\(Self.example(kind)))",
                                                             hint: "write it as \(Self.example(kind))", value: text)))
        }
        for (key, member) in object.members {
            let field = shape.fields[key]
            // A key the schema does not define may still name an object.
            if let target = field == nil ? Self.foreignKeys[key] : field!.reference, case .string(let id) = member {
                let column = fields?(path + "/" + JSONPointer.escape(key))
                facts.references.append(Reference(target: target, value: id, id: IDKey(id), key: key, objectPath: path, provenance: record.provenance,
                                                  field: column))
            }
            if let nested = field?.nested {
                let childPath = path + "/" + JSONPointer.escape(key)
                if nested.isList, case .array(let items) = member {
                    for (index, item) in items.enumerated() {
                        walk(item, type: nested.type, path: childPath + "/\(index)", record: record, fields: fields, into: &facts)
                    }
                } else {
                    walk(member, type: nested.type, path: childPath, record: record, fields: fields, into: &facts)
                }
            } else if strict && field == nil {
                facts.events.append(.finding(place(key).finding("hsds.unknown-field", "is not a field of the HSDS \(type)",
                                                                hint: "remove it, or map it to an HSDS field", value: member.stringValue)))
            }
        }
    }

    /// A digest of a value's content, members in order (copies of one object come from one
    /// mapping, so their members are in the same order).
    static func digest(_ value: JSONValue) -> Int {
        var hasher = Hasher()
        combine(value, into: &hasher)
        return hasher.finalize()
    }

    private static func combine(_ value: JSONValue, into hasher: inout Hasher) {
        switch value {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let text): hasher.combine(1); hasher.combine(text)
        case .string(let text): hasher.combine(2); hasher.combine(text)
        case .array(let items):
            hasher.combine(3)
            hasher.combine(items.count)
            for item in items { combine(item, into: &hasher) }
        case .object(let object):
            hasher.combine(4)
            hasher.combine(object.count)
            for member in object.members {
                hasher.combine(member.key)
                combine(member.value, into: &hasher)
            }
        }
    }

    /// Table Schema's default forms: date `2026-11-03`, time `09:30` or `09:30:00`, datetime as
    /// RFC 3339.
    static func reads(_ text: String, as kind: String) -> Bool {
        switch kind {
        case "date": return FormatCheck.isDate(Substring(text))
        case "datetime": return FormatCheck.dateTime.accepts(text)
        case "time":
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3,
                  parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]) else { return false }
            return hour <= 23 && minute <= 59 && (parts.count == 2 || Int(parts[2])! <= 59)
        default: return true
        }
    }

    static func example(_ kind: String) -> String {
        switch kind {
        case "date": return "2026-11-03"
        case "time": return "09:30"
        case "datetime": return "2026-11-03T09:30:00Z"
        default: return kind
        }
    }
}

/// What `HSDSWalk` found in one record, in the order it was met.
struct HSDSFacts: Sendable {
    enum Event: Sendable {
        /// An object's unique field (its `id`): to be checked against the ids met before.
        case id(UniqueID)
        /// A finding about the record alone.
        case finding(Finding)
    }

    struct UniqueID: Sendable {
        var type: String
        /// The field (`id`).
        var name: String
        var key: IDKey
        var text: String
        /// The content's digest, for a nested object (which may repeat as a copy); 0 for the record.
        var digest: Int
        /// The pointer to the object.
        var objectPath: String
        var nested: Bool { !objectPath.isEmpty }
    }

    var events: [Event] = []
    var references: [Reference] = []

    /// The dotted field path of the object a pointer names (`/service_at_locations/0/location`
    /// → `service_at_locations.location`): the walk only goes down HSDS fields, none a number.
    static func fieldPath(of objectPath: String) -> String {
        (JSONPointer.tokens(objectPath) ?? []).filter { Int($0) == nil }.joined(separator: ".")
    }
}

/// An id as the checks keep it: a UUID in lowercase canonical form (most HSDS ids) as its 16
/// bytes, any other text as it is. Two keys are equal exactly when their texts are.
enum IDKey: Hashable, Sendable {
    case uuid(high: UInt64, low: UInt64)
    case text(String)

    init(_ text: String) {
        var text = text
        self = text.withUTF8(Self.uuid) ?? .text(text)
    }

    private static func uuid(_ utf8: UnsafeBufferPointer<UInt8>) -> IDKey? {
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for offset in 0..<36 {
            let byte = utf8[offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digits += 1
        }
        return .uuid(high: high, low: low)
    }
}

/// A foreign key met in a record: where it sits is spelt out only if it never resolves.
struct Reference: Sendable {
    var target: String
    var value: String
    /// `value` as the ids are kept.
    var id: IDKey
    var key: String
    /// The pointer to the object holding the key.
    var objectPath: String
    var provenance: Provenance
    /// The record's name or key, for the finding: set once the reference waits for the end.
    var subject: String?
    /// The partner's field for the key, when a profile names one.
    var field: String?
    /// Whether its record had errors already (then it is counted invalid already).
    var recordInvalid = false

    var place: Place {
        let objectField = HSDSFacts.fieldPath(of: objectPath)
        let fieldPath = objectField.isEmpty ? key : objectField + "." + key
        return Place(path: objectPath + "/" + JSONPointer.escape(key), fieldPath: fieldPath, field: field ?? fieldPath, provenance: provenance, subject: subject)
    }
}

/// Where a member sits: its JSON Pointer, its dotted field path, the partner's field, the record.
struct Place {
    var path: String
    var fieldPath: String
    var field: String
    var provenance: Provenance
    var subject: String?

    init(path: String, fieldPath: String, field: String, provenance: Provenance, subject: String?) {
        self.path = path
        self.fieldPath = fieldPath
        self.field = field
        self.provenance = provenance
        self.subject = subject
    }

    /// Member `member` of the object at `objectPath` (`objectField`) in the record that
    /// `provenance` and `subject` name.
    init(objectPath: String, objectField: String, member: String, provenance: Provenance, subject: String?, fields: (String) -> String?) {
        let memberField = objectField.isEmpty ? member : objectField + "." + member
        let pointer = objectPath + "/" + JSONPointer.escape(member)
        self.init(path: pointer, fieldPath: memberField, field: fields(pointer) ?? memberField, provenance: provenance, subject: subject)
    }

    func finding(_ rule: String, _ message: String, hint: String?, value: String?, severity: Finding.Severity = .error) -> Finding {
        var finding = Finding(severity, rule: rule, message: "\(fieldPath): \(message)", hint: hint, file: provenance.file(at: path),
                              line: provenance.line(at: path), record: provenance.record, field: field, value: value, path: path)
        finding.subject = subject
        return finding
    }
}
