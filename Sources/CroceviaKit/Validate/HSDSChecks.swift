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
///
/// A record comes here with what `HSDSWalk` read of it (on any thread); this class is the part
/// that needs the records before, so it takes them one at a time, in order.
final class HSDSChecks {
    /// An id met: its content's digest (nested copies only) and where. The record and line are
    /// kept in 32 bits each (past 4,294,967,295 a message names that number), so that memory
    /// for a file's ids is some 32 bytes an id (with a UUID's 16), not 200.
    private struct Seen {
        var digest: Int
        private var recordNumber: UInt32
        private var lineNumber: UInt32
        var record: Int { Int(recordNumber) }
        var line: Int { Int(lineNumber) }

        init(digest: Int, record: Int, line: Int) {
            self.digest = digest
            recordNumber = UInt32(clamping: record)
            lineNumber = UInt32(clamping: line)
        }
    }

    /// The ids of one object type met so far: UUIDs and other ids apart, so that a UUID's entry
    /// holds its 16 bytes and no text.
    private struct IDs {
        private var uuids: [UUIDKey: Seen] = [:]
        private var texts: [String: Seen] = [:]

        private struct UUIDKey: Hashable {
            var high: UInt64
            var low: UInt64
        }

        subscript(key: IDKey) -> Seen? {
            get {
                switch key {
                case .uuid(let high, let low): return uuids[UUIDKey(high: high, low: low)]
                case .text(let text): return texts[text]
                }
            }
            set {
                switch key {
                case .uuid(let high, let low): uuids[UUIDKey(high: high, low: low)] = newValue
                case .text(let text): texts[text] = newValue
                }
            }
        }
    }

    private let root: String
    /// The input is the whole set: a reference to an object outside it is an error.
    private let complete: Bool
    private let findings: FindingLog
    private var ids: [String: IDs] = [:]
    /// Ids of a given package (`--package`): references may name them too.
    private var packageIDs: [String: Set<String>] = [:]
    private var pending: [Reference] = []

    init(root: String, complete: Bool, findings: FindingLog) {
        self.root = root
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

    /// Checks one record (an HSDS object of the root type, where `provenance` says, named
    /// `subject`) from what `HSDSWalk` found in it; `invalid` says whether it has errors already;
    /// `fields` gives the partner's column for a JSON Pointer into the record. Returns whether it
    /// has errors now.
    func check(_ provenance: Provenance, subject: String?, facts: HSDSFacts, invalid: Bool, fields: (String) -> String?) -> Bool {
        let errorsBefore = findings.errorCount
        for event in facts.events {
            switch event {
            case .finding(let finding): findings.add(finding)
            case .id(let id): check(id, provenance: provenance, subject: subject, fields: fields)
            }
        }
        let invalidNow = invalid || findings.errorCount > errorsBefore
        for var reference in facts.references where ids[reference.target]?[reference.id] == nil
            && packageIDs[reference.target]?.contains(reference.value) != true {
            reference.recordInvalid = invalidNow
            reference.subject = subject
            pending.append(reference)
        }
        return invalidNow
    }

    private func check(_ id: HSDSFacts.UniqueID, provenance: Provenance, subject: String?, fields: (String) -> String?) {
        guard let seen = ids[id.type]?[id.key] else {
            ids[id.type, default: IDs()][id.key] = Seen(digest: id.digest, record: provenance.record, line: provenance.line)
            return
        }
        let place = Place(objectPath: id.objectPath, objectField: HSDSFacts.fieldPath(of: id.objectPath), member: id.name, provenance: provenance,
                          subject: subject, fields: fields)
        let (type, name, text) = (id.type, id.name, id.text)
        if !id.nested {
            // Each record is its own object: its id may not repeat at all.
            findings.add(place.finding("hsds.unique", "\(type) \(name) \"\(text)\" is also the \(name) of record \(seen.record) (line \(seen.line))",
                                       hint: "give each \(type) its own \(name)", value: text))
        } else if seen.digest != id.digest {
            findings.add(place.finding("hsds.conflicting-copies", "\(type) \(name) \"\(text)\" also appears in record \(seen.record) (line \(seen.line)) with other content",
                                       hint: "the same \(type) is written differently in different records: make them agree, or give each its own \(name)",
                                       value: text, severity: .warning))
        }
    }

    /// After the last record: reports the references that never found their object; returns how
    /// many records that had no other error they make invalid.
    func finish() -> Int {
        guard complete else {
            reportOutside()
            return 0
        }
        var newlyInvalid: Set<String> = []
        for reference in pending where ids[reference.target]?[reference.id] == nil {
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
        for reference in pending where ids[reference.target]?[reference.id] == nil {
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
}
