import Foundation

/// Writes case data's canonical tabular form (see `CaseTabularReader`): one CSV per entity in a
/// folder, headers the schema's field names, every entity's file written even when empty. A
/// contact's nested person, needs, referrals and outcomes go to their own files with the
/// contact's id; a person met several times is one row of `person.csv` (the last seen). Free
/// text that reached the records is written like any field.
///
/// The folder is built under a temporary name beside its destination and moved into place by
/// `commit()`; an existing folder is replaced only when it holds nothing but entity CSVs.
public final class CaseTabularWriter: RecordWriter {
    private let destination: String
    private let temporary: String
    private let fallback: String
    private let findings: FindingLog
    private var writers: [String: (sink: OutputSink, writer: CSVRecordWriter, columns: [String])] = [:]
    private var persons: [String: Record] = [:]
    private var personOrder: [String] = []
    private var warned: Set<String> = []
    private var committed = false

    /// - Parameter fallback: the entity of records without a `type` (`case/contact`, a profile's target).
    public init(folder: String, fallback: String, schemas: HSDSSchemas, findings: FindingLog) throws {
        guard folder != "-" else { throw CroceviaError.usage("case-csv is a folder of CSV files; name it with -o FOLDER") }
        destination = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        temporary = destination + ".crocevia-partial-\(getpid())"
        self.fallback = fallback
        self.findings = findings
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CroceviaError.usage("\(destination) is a file; case-csv writes a folder") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
            guard contents.allSatisfy({ CaseEntities.names.map { $0 + ".csv" }.contains($0) }) else {
                throw CroceviaError.usage("\(destination) is a folder that holds other files, not case data CSVs; name a new or empty folder")
            }
        }
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw CroceviaError.io("\(destination): cannot create the folder: \(error.localizedDescription)")
        }
        for entity in CaseEntities.names {
            let sink = try OutputSink(path: "\(temporary)/\(entity).csv")
            let columns = try CaseEntities.columns(of: entity, schemas: schemas).map(\.name)
            writers[entity] = (sink, CSVRecordWriter(sink: sink, columns: columns, findings: findings), columns)
        }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: temporary) }
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
        let manager = FileManager.default
        do {
            let old = destination + ".crocevia-old-\(getpid())"
            let replacing = manager.fileExists(atPath: destination)
            if replacing { try manager.moveItem(atPath: destination, toPath: old) }
            try manager.moveItem(atPath: temporary, toPath: destination)
            if replacing { try manager.removeItem(atPath: old) }
        } catch {
            throw CroceviaError.io("\(destination): cannot move the finished folder into place: \(error.localizedDescription)")
        }
        committed = true
    }
}
