import Foundation

/// Writes nested HSDS objects as an HSDS tabular package: a folder with one CSV per resource
/// (every resource of the bundled package, with its columns in order, header-only when empty) and
/// the bundled `datapackage.json`. The mirror of `TabularPackageReader`.
///
/// Each object is flattened by `TabularFlattener` along the links of `TabularSchema`, one row
/// per id: a later copy of an object (the same phone under the service and under its location)
/// adds the link keys the first lacked, which are filled into the written CSV when the package is
/// finished (that table is read back once and written again). A copy that links the same id to
/// another parent of the same kind is a warning: a row holds one such key. A member that is not a
/// column of its resource cannot travel in the package: a warning names it, once per resource.
///
/// The folder appears only at `commit()` (see `OutputFolder`); an existing package there (a
/// folder with `datapackage.json`, or an empty one) is replaced, and any other folder is refused.
public final class TabularPackageWriter: RecordWriter {
    private let folder: OutputFolder
    private let schema: TabularSchema
    private let datapackage: Data
    private let root: String
    private let findings: FindingLog
    private var writers: [String: (sink: OutputSink, writer: CSVRecordWriter, columns: Set<String>)] = [:]
    private var flattener: TabularFlattener
    private var warned: Set<String> = []
    private var current = Provenance(source: "", file: "-", line: 0, record: 0)
    /// Link keys later copies add to rows already written: resource → id → keys.
    private var addedKeys: [String: [String: [(field: String, value: JSONValue)]]] = [:]

    /// - Parameter root: the HSDS object each record is (`service`, `organization`...).
    public init(folder: String, root: String, schemas: HSDSSchemas, findings: FindingLog) throws {
        schema = try TabularSchema.bundled(schemas: schemas)
        flattener = TabularFlattener(schema: schema)
        datapackage = try schemas.files.data("hsds-tabular/datapackage.json")
        guard schema.resource(root) != nil else {
            throw CroceviaError.usage("\(root) is not an HSDS object of the tabular package (known: \(schema.resources.map(\.name).joined(separator: ", ")))")
        }
        self.root = root
        self.findings = findings
        self.folder = try OutputFolder(path: folder, format: "hsds-csv", kind: "a tabular package") { $0.contains("datapackage.json") }
    }

    deinit {
        writers.removeAll()
    }

    public func write(_ record: Record) throws {
        current = record.provenance
        guard case .object(let object) = record.value else {
            findings.add(Finding(.error, rule: "tabular.not-an-object", message: "the record is not an object; it was not written",
                                 file: current.file, line: current.line, record: current.record))
            return
        }
        try flatten(object, resource: root)
    }

    public func finish() throws {
        for resource in schema.resources where writers[resource.name] == nil { _ = try writer(for: resource) }
        for (_, entry) in writers { try entry.writer.finish() }
        for resource in schema.resources {
            if let added = addedKeys[resource.name], !added.isEmpty { try fillAddedKeys(resource, added) }
        }
    }

    /// Writes a finished table again with the link keys later copies added.
    private func fillAddedKeys(_ resource: TabularSchema.Resource, _ added: [String: [(field: String, value: JSONValue)]]) throws {
        guard let partial = writers[resource.name]?.sink.partialPath else { return }
        let firstPass = partial + ".first"
        guard rename(partial, firstPass) == 0 else {
            throw CroceviaError.io("\(partial): cannot set the table aside to add its link keys: \(String(cString: strerror(errno)))")
        }
        defer { unlink(firstPass) }
        // The first sink goes (it would remove its file, now set aside) before the second opens.
        writers[resource.name] = nil
        let entry = try writer(for: resource)
        let quiet = FindingLog()
        let reader = CSVRecordReader(input: TextInput(source: try ByteSource(path: firstPass), encoding: .utf8, findings: quiet),
                                     options: .init(delimiter: UInt8(ascii: ","), warnsWhenEmpty: false), source: "", findings: quiet)
        while let record = try reader.next() {
            guard case .object(var row) = record.value else { continue }
            row.members.removeAll { $0.value == .string("") }
            if let id = row["id"]?.stringValue, let keys = added[id] {
                for (field, value) in keys where row[field] == nil { row[field] = value }
            }
            try entry.writer.write(Record(value: .object(row), provenance: record.provenance))
        }
        try entry.writer.finish()
    }

    /// Moves the finished package into place, replacing an earlier one.
    public func commit() throws {
        for (_, entry) in writers { try entry.sink.commit() }
        do {
            try datapackage.write(to: URL(fileURLWithPath: folder.path("datapackage.json")))
        } catch {
            throw CroceviaError.io("\(folder.destination): cannot write datapackage.json: \(error.localizedDescription)")
        }
        try folder.commit()
    }

    // MARK: Flattening

    private func flatten(_ object: JSONObject, resource name: String) throws {
        try flattener.flatten(object, resource: name, notObjects: { parent, property, resource in
            findings.add(Finding(.warning, rule: "tabular.not-an-object",
                                 message: "\(parent) field \"\(property)\" holds values that are not \(resource) objects; they are left out of the package",
                                 file: current.file, line: current.line, record: current.record, field: property))
        }, duplicate: { copy in
            if !copy.keys.isEmpty { addedKeys[copy.resource.name, default: [:]][copy.id, default: []] += copy.keys }
            for (field, value) in copy.conflicts {
                findings.add(Finding(.warning, rule: "tabular.shared-row",
                                     message: "\(copy.resource.name) \(copy.id) also belongs to \(field) \(value.cellText); a row of \(copy.resource.path) holds one \(field), so it stays with the first",
                                     file: current.file, line: current.line, record: current.record, field: field, value: value.cellText))
            }
        }, row: { resource, row in
            var row = row
            let entry = try writer(for: resource)
            let extra = row.keys.filter { !entry.columns.contains($0) }
            if !extra.isEmpty {
                for key in extra where warned.insert("\(resource.name).\(key)").inserted {
                    findings.add(Finding(.warning, rule: "tabular.extra-field",
                                         message: "\(resource.name) field \"\(key)\" is not a column of \(resource.path); it is left out of the package (reported once)",
                                         file: current.file, line: current.line, record: current.record, field: key))
                }
                row.members.removeAll { !entry.columns.contains($0.key) }
            }
            try entry.writer.write(Record(value: .object(row), provenance: current))
        })
    }

    private func writer(for resource: TabularSchema.Resource) throws -> (sink: OutputSink, writer: CSVRecordWriter, columns: Set<String>) {
        if let existing = writers[resource.name] { return existing }
        let sink = try OutputSink(path: folder.path(resource.path))
        let columns = resource.fields.map(\.name)
        let entry = (sink, CSVRecordWriter(sink: sink, columns: columns, findings: findings), Set(columns))
        writers[resource.name] = entry
        return entry
    }
}
