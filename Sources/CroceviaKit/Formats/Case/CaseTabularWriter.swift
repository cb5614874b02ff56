import Foundation

/// Writes case data's canonical tabular form (see `CaseTabularReader`): one CSV per entity in a
/// folder, headers the schema's field names, every entity's file written even when empty. A
/// contact's nested person, needs, referrals and outcomes go to their own files with the
/// contact's id; a person met several times is one row of `person.csv` (the last seen). Free
/// text that reached the records is written like any field.
///
/// The folder appears only at `commit()` (see `OutputFolder`); an existing folder is replaced
/// only when it holds nothing but entity CSVs.
public final class CaseTabularWriter: RecordWriter {
    private let folder: OutputFolder
    private let fallback: String
    private let findings: FindingLog
    private var writers: [String: (sink: OutputSink, writer: CSVRecordWriter, columns: [String])] = [:]
    private var persons: [String: Record] = [:]
    private var personOrder: [String] = []
    private var warned: Set<String> = []

    /// - Parameter fallback: the entity of records without a `type` (`case/contact`, a profile's target).
    public init(folder: String, fallback: String, schemas: HSDSSchemas, findings: FindingLog) throws {
        self.fallback = fallback
        self.findings = findings
        let files = CaseEntities.names.map { $0 + ".csv" }
        self.folder = try OutputFolder(path: folder, format: "case-csv", kind: "case data CSVs") { $0.allSatisfy(files.contains) }
        for entity in CaseEntities.names {
            let sink = try OutputSink(path: self.folder.path(entity + ".csv"))
            let columns = try CaseEntities.columns(of: entity, schemas: schemas).map(\.name)
            writers[entity] = (sink, CSVRecordWriter(sink: sink, columns: columns, findings: findings), columns)
        }
    }

    public func write(_ record: Record) throws {
        guard case .object(let object) = record.value else { return }
        for (entity, values) in CaseEntities.rows(of: object, entity: CaseEntities.entity(of: record.value, fallback: fallback)) {
            if entity == "person", let key = values["person_key"]?.stringValue {
                if persons[key] == nil { personOrder.append(key) }
                persons[key] = Record(value: .object(values), provenance: record.provenance)
                continue
            }
            try write(values, entity: entity, provenance: record.provenance)
        }
    }

    private func write(_ values: JSONObject, entity: String, provenance: Provenance) throws {
        guard let entry = writers[entity] else { return }
        var row = values
        let extra = row.members.map(\.key).filter { !entry.columns.contains($0) }
        for key in extra where warned.insert("\(entity).\(key)").inserted {
            findings.add(Finding(.warning, rule: "case-csv.extra-field",
                                 message: "\(entity) field \"\(key)\" is not a column of \(entity).csv; it is left out (reported once)",
                                 file: provenance.file, line: provenance.line, record: provenance.record, field: key))
        }
        row.members.removeAll { !entry.columns.contains($0.key) }
        try entry.writer.write(Record(value: .object(row), provenance: provenance))
    }

    public func finish() throws {
        for key in personOrder {
            if let person = persons[key], case .object(let values) = person.value { try write(values, entity: "person", provenance: person.provenance) }
        }
        for (_, entry) in writers { try entry.writer.finish() }
    }

    public func commit() throws {
        for (_, entry) in writers { try entry.sink.commit() }
        try folder.commit()
    }
}
