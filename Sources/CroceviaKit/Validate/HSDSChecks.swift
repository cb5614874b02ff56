import Foundation

/// What HSDS says outside standard JSON Schema keywords, checked across the records of a
/// validation: fields marked `constraints.unique` (every `id`) are unique per object type, foreign
/// keys (`organization_id`, `service_id`, `location_id`...) name an object of the input, and, with
/// `strict`, no object carries a field its schema does not define.
///
/// A key naming an object that is not in the input is an error only when the input is the whole
/// set (`complete`: a tabular package, `--package`, `--complete`). Otherwise the objects may well
/// be in another file (a services feed whose organizations come apart): one warning per kind of
/// reference says how many records were not checked, and the records stay valid.
///
/// A record's own id may not repeat (an error). A nested object may appear in many records (an
/// organization nested in each of its services): the same id with other content is a warning
/// that the copies disagree (a desk's address spelled two ways), not a clash of two objects. References are resolved
/// when their record has been read; those still open wait for the end of the input, so memory
/// holds the ids seen and only the references that point forward.
final class HSDSChecks {
    private struct Seen {
        var digest: Int
        var record: Int
        var line: Int
    }

    /// A foreign key met in a record: where it sits is spelt out only if it never resolves.
    private struct Reference {
        var target: String
        var value: String
        var key: String
        /// The pointer and the dotted field path of the object holding the key.
        var objectPath: String
        var objectField: String
        /// The record's name or key, for the finding.
        var subject: String?
        var provenance: Provenance
        /// The partner's field for the key, when a profile names one.
        var field: String?
        /// Whether its record had errors already (then it is counted invalid already).
        var recordInvalid = false

        var place: Place {
            let fieldPath = objectField.isEmpty ? key : objectField + "." + key
            return Place(path: objectPath + "/" + JSONPointer.escape(key), fieldPath: fieldPath, field: field ?? fieldPath, provenance: provenance, subject: subject)
        }
    }

    /// Where a member sits: its JSON Pointer, its dotted field path, the partner's field, the record.
    private struct Place {
        var path: String
        var fieldPath: String
        var field: String
        var provenance: Provenance
        var subject: String?

        func finding(_ rule: String, _ message: String, hint: String?, value: String?, severity: Finding.Severity = .error) -> Finding {
            var finding = Finding(severity, rule: rule, message: "\(fieldPath): \(message)", hint: hint, file: provenance.file(at: path),
                                  line: provenance.line(at: path), record: provenance.record, field: field, value: value, path: path)
            finding.subject = subject
            return finding
        }
    }

    private let schemas: HSDSSchemas
    private let root: String
    private let strict: Bool
    /// The input is an HSDS tabular package: `tabular_required` applies.
    private let tabular: Bool
    /// The input is the whole set: a reference to an object outside it is an error.
    private let complete: Bool
    private let findings: FindingLog
    /// Object type → its properties: nested object types and unique fields.
    private var shapes: [String: Shape] = [:]
    private var ids: [String: [String: Seen]] = [:]
    /// Ids of a given package (`--package`): references may name them too.
    private var packageIDs: [String: Set<String>] = [:]
    private var pending: [Reference] = []

    private struct Shape {
        var nested: [String: (type: String, isList: Bool)] = [:]
        var unique: [String] = []
        var known: Set<String> = []
        /// Fields required in the tabular form only (`tabular_required`).
        var tabularRequired: [String] = []
        /// Fields whose text must read as a Table Schema date, time or datetime (`datapackage_type`).
        var datapackageTypes: [String: String] = [:]
    }

    /// Foreign-key fields and the object type they name.
    static let foreignKeys: [String: String] = [
        "organization_id": "organization", "parent_organization_id": "organization", "service_id": "service",
        "location_id": "location", "program_id": "program", "contact_id": "contact", "service_at_location_id": "service_at_location",
        "phone_id": "phone", "taxonomy_term_id": "taxonomy_term", "taxonomy_id": "taxonomy",
    ]

    init(schemas: HSDSSchemas, root: String, strict: Bool, tabular: Bool, complete: Bool, findings: FindingLog) {
        self.schemas = schemas
        self.root = root
        self.strict = strict
        self.tabular = tabular
        self.complete = complete
        self.findings = findings
    }

    /// Reads the ids of every table of an HSDS tabular package, for references to resolve against.
    func addPackage(_ path: String, schemas: HSDSSchemas) throws {
        let folder = path.hasSuffix("datapackage.json") ? String(path.dropLast("datapackage.json".count)) : path + "/"
        let document = try JSONDocument.load(path: folder + "datapackage.json")
        let package = try TabularSchema(datapackage: document, file: folder + "datapackage.json", schemas: schemas,
                                        fallback: try TabularSchema.bundled(schemas: schemas))
        for resource in package.resources where FileManager.default.fileExists(atPath: folder + resource.path) {
            let quiet = FindingLog()
            let reader = CSVRecordReader(input: TextInput(source: try ByteSource(path: folder + resource.path), findings: quiet),
                                         options: .init(warnsWhenEmpty: false), source: "package", findings: quiet)
            var ids = packageIDs[resource.name, default: []]
            while let row = try reader.next() {
                if case .string(let id)? = row.value["id"], !id.isEmpty { ids.insert(id) }
            }
            packageIDs[resource.name] = ids
        }
    }

    /// Checks one record (an HSDS object of the root type); `invalid` says whether it has errors
    /// already; `fields` gives the partner's column for a JSON Pointer into the record. Returns
    /// whether it has errors now.
    func check(_ record: Record, invalid: Bool, fields: (String) -> String?) -> Bool {
        let errorsBefore = findings.errorCount
        var references: [Reference] = []
        walk(record.value, type: root, path: "", fieldPath: "", record: record, fields: fields, references: &references)
        let invalidNow = invalid || findings.errorCount > errorsBefore
        for var reference in references where ids[reference.target]?[reference.value] == nil
            && packageIDs[reference.target]?.contains(reference.value) != true {
            reference.recordInvalid = invalidNow
            pending.append(reference)
        }
        return invalidNow
    }

    /// After the last record: reports the references that never found their object; returns how
    /// many records that had no other error they make invalid.
    func finish() -> Int {
        guard complete else {
            reportOutside()
            return 0
        }
        var newlyInvalid: Set<String> = []
        for reference in pending where ids[reference.target]?[reference.value] == nil {
            findings.add(reference.place.finding("hsds.foreign-key",
                                                 "names \(reference.target) \"\(reference.value)\", which is not in the input\(packageIDs.isEmpty ? "" : " or the package")",
                                                 hint: "include the \(reference.target), or check the id", value: reference.value))
            let provenance = reference.provenance
            if !reference.recordInvalid { newlyInvalid.insert("\(provenance.record)\u{1F}\(provenance.file)") }
        }
        pending.removeAll()
        return newlyInvalid.count
    }

    /// One warning per kind of reference (the key's field path) to objects outside the input:
    /// how many records hold one, at the first of them.
    private func reportOutside() {
        var kinds: [String] = []
        var byKind: [String: (first: Reference, records: Set<String>)] = [:]
        for reference in pending where ids[reference.target]?[reference.value] == nil {
            let kind = reference.place.fieldPath
            let record = "\(reference.provenance.record)\u{1F}\(reference.provenance.file)"
            if byKind[kind] == nil {
                kinds.append(kind)
                byKind[kind] = (reference, [record])
            } else {
                byKind[kind]!.records.insert(record)
            }
        }
        pending.removeAll()
        for kind in kinds {
            let (first, records) = byKind[kind]!
            let count = records.count
            let objects = count == 1 ? "\(Self.article(first.target)) \(first.target)" : Self.plural(first.target)
            let message = "\(count) \(count == 1 ? root : Self.plural(root)) \(count == 1 ? "names" : "name") \(objects) not in this input (\(kind)): not checked"
            findings.add(Finding(.warning, rule: "hsds.outside-reference", message: message,
                                 hint: "check them with the file that holds the \(Self.plural(first.target)) (--package), or say the input is complete (--complete) to make each an error",
                                 file: first.provenance.file(at: first.place.path), line: first.provenance.line(at: first.place.path),
                                 record: first.provenance.record,
                                 field: first.field ?? kind, value: first.value, path: first.place.path))
        }
    }

    /// `organization` → `organizations`, `taxonomy` → `taxonomies`.
    static func plural(_ name: String) -> String {
        name.hasSuffix("y") ? name.dropLast() + "ies" : name + "s"
    }

    static func article(_ name: String) -> String {
        "aeiou".contains(name.first ?? "x") ? "an" : "a"
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

    private func shape(_ type: String) -> Shape {
        if let known = shapes[type] { return known }
        var shape = Shape()
        let schema = try? schemas.schema(type)
        if case .array(let names)? = schema?["tabular_required"] { shape.tabularRequired = names.compactMap(\.stringValue) }
        if case .object(let properties)? = schema?["properties"] {
            for (name, property) in properties.members {
                shape.known.insert(name)
                if let kind = property["datapackage_type"]?.stringValue { shape.datapackageTypes[name] = kind }
                if case .object(let constraints)? = property["constraints"], constraints["unique"] == .bool(true) { shape.unique.append(name) }
                let isList = property["type"]?.stringValue == "array"
                if let reference = (isList ? property["items"]?["$ref"] : property["$ref"])?.stringValue {
                    shape.nested[name] = (String(reference.dropLast(reference.hasSuffix(".json") ? 5 : 0)), isList)
                }
            }
        }
        shapes[type] = shape
        return shape
    }

    private func walk(_ value: JSONValue, type: String, path: String, fieldPath: String, record: Record, fields: (String) -> String?,
                      references: inout [Reference]) {
        guard case .object(let object) = value else { return }
        let shape = shape(type)
        let provenance = record.provenance
        func place(_ member: String) -> Place {
            let memberField = fieldPath.isEmpty ? member : fieldPath + "." + member
            let pointer = path + "/" + JSONPointer.escape(member)
            return Place(path: pointer, fieldPath: memberField, field: fields(pointer) ?? memberField, provenance: provenance, subject: record.subject)
        }
        for name in shape.unique {
            guard case .string(let id)? = object[name] else { continue }
            // Only nested objects may repeat, so only they need their content's digest.
            let digest = path.isEmpty ? 0 : Self.digest(value)
            if let seen = ids[type]?[id] {
                if path.isEmpty {
                    // Each record is its own object: its id may not repeat at all.
                    findings.add(place(name).finding("hsds.unique", "\(type) \(name) \"\(id)\" is also the \(name) of record \(seen.record) (line \(seen.line))",
                                                     hint: "give each \(type) its own \(name)", value: id))
                } else if seen.digest != digest {
                    findings.add(place(name).finding("hsds.conflicting-copies", "\(type) \(name) \"\(id)\" also appears in record \(seen.record) (line \(seen.line)) with other content",
                                                     hint: "the same \(type) is written differently in different records: make them agree, or give each its own \(name)",
                                                     value: id, severity: .warning))
                }
            } else {
                ids[type, default: [:]][id] = Seen(digest: digest, record: provenance.record, line: provenance.line)
            }
        }
        if tabular {
            for name in shape.tabularRequired where object[name] == nil {
                findings.add(place(name).finding("hsds.tabular-required", "is required in the tabular form of the HSDS \(type)", hint: "fill in the \(name) column",
                                                 value: nil))
            }
        }
        for (name, kind) in shape.datapackageTypes {
            guard case .string(let text)? = object[name], !Self.reads(text, as: kind) else { continue }
            findings.add(place(name).finding("hsds.datapackage-type", "is not a \(kind) as the HSDS tabular form writes it (\(Self.example(kind)))",
                                             hint: "write it as \(Self.example(kind))", value: text))
        }
        for (key, member) in object.members {
            if let target = Self.foreignKeys[key], case .string(let id) = member {
                let field = fields(path + "/" + JSONPointer.escape(key))
                references.append(Reference(target: target, value: id, key: key, objectPath: path, objectField: fieldPath, subject: record.subject,
                                            provenance: provenance, field: field))
            }
            if let nested = shape.nested[key] {
                let childPath = path + "/" + JSONPointer.escape(key)
                let childField = fieldPath.isEmpty ? key : fieldPath + "." + key
                if nested.isList, case .array(let items) = member {
                    for (index, item) in items.enumerated() {
                        walk(item, type: nested.type, path: childPath + "/\(index)", fieldPath: childField, record: record, fields: fields, references: &references)
                    }
                } else {
                    walk(member, type: nested.type, path: childPath, fieldPath: childField, record: record, fields: fields, references: &references)
                }
            } else if strict && !shape.known.contains(key) {
                findings.add(place(key).finding("hsds.unknown-field", "is not a field of the HSDS \(type)", hint: "remove it, or map it to an HSDS field",
                                                value: member.stringValue))
            }
        }
    }
}
