import Foundation

/// Reads case data's canonical tabular form: a folder with one CSV per entity (`contact.csv`,
/// `person.csv`, `need.csv`, `referral.csv`, `outcome.csv`, `volunteer_activity.csv`,
/// `posting.csv`), UTF-8 with commas, headers the case schemas' field names. A partner can send
/// case data this way without a profile (`--from case-csv`).
///
/// Records come out typed (`"type": "contact"`…): each contact with its person (from
/// `person.csv`, by `person_key`) and the needs, referrals and outcomes whose `contact_id` names
/// it; then the referrals and outcomes that name no contact; then volunteer activities and
/// postings. Cells become numbers and booleans where the schema says so; an empty cell is no
/// value. The files are read whole before the first record (case files are small: a desk's
/// year is thousands of rows). A need whose contact is not in `contact.csv` is an error finding
/// at its line; a CSV that is not an entity is a warning and is left out.
public final class CaseTabularReader: RecordReader {
    public let name: String
    public var progress: (done: Int, total: Int?) { (position, queue.count) }

    private var queue: [Record] = []
    private var position = 0

    public init(folder: String, source: String, findings: FindingLog, schemas: HSDSSchemas, maxFieldBytes: Int) throws {
        let folder = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        name = folder
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CroceviaError.unreadableInput(file: folder, line: nil, message: "case-csv is a folder of CSV files, one per entity, and this is not a folder",
                                                hint: "name the folder that holds contact.csv, referral.csv…")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        for file in files where !CaseEntities.names.contains(String(file.dropLast(4))) {
            findings.add(Finding(.warning, rule: "case-csv.unknown-file",
                                 message: "\(file) is not a case entity (\(CaseEntities.names.map { $0 + ".csv" }.joined(separator: ", "))); it was left out",
                                 file: folder + "/" + file))
        }
        guard files.contains(where: { CaseEntities.names.contains(String($0.dropLast(4))) }) else {
            throw CroceviaError.unreadableInput(file: folder, line: nil, message: "the folder holds no case entity CSV",
                                                hint: "name the files after the entities: \(CaseEntities.names.map { $0 + ".csv" }.joined(separator: ", "))")
        }
        var rows: [String: [Record]] = [:]
        for entity in CaseEntities.names where files.contains(entity + ".csv") {
            let path = folder + "/" + entity + ".csv"
            // An entity with no rows is normal here (a volunteer feed has no contacts).
            if Self.holdsOnlyAHeader(path) { continue }
            let types = Dictionary(uniqueKeysWithValues: try CaseEntities.columns(of: entity, schemas: schemas).map { ($0.name, $0.type) })
            let reader = try Format.csv.makeReader(path: path, encoding: .utf8, source: source,
                                                   options: ReaderOptions(delimiter: UInt8(ascii: ","), maxFieldBytes: maxFieldBytes), findings: findings)
            while let record = try reader.next() {
                var typed = JSONObject()
                for member in record.value.objectValue?.members ?? [] {
                    guard let text = member.value.stringValue, !text.isEmpty else { continue }
                    typed.members.append((member.key, Self.value(text, type: types[member.key])))
                }
                rows[entity, default: []].append(Record(value: .object(typed), provenance: record.provenance))
            }
        }
        // Contacts with what hangs off them.
        var persons: [String: JSONObject] = [:]
        for record in rows["person"] ?? [] {
            if let key = record.value["person_key"]?.stringValue, let object = record.value.objectValue { persons[key] = object }
        }
        let contactIDs = Set((rows["contact"] ?? []).compactMap { $0.value["id"]?.stringValue })
        var children: [String: [(member: String, value: JSONValue)]] = [:]
        var standalone: [Record] = []
        for (member, entity) in CaseEntities.nested {
            for record in rows[entity] ?? [] {
                if let contact = record.value["contact_id"]?.stringValue, contactIDs.contains(contact) {
                    children[contact, default: []].append((member, record.value))
                } else if entity == "need" {
                    findings.add(Finding(.error, rule: "case-csv.no-contact",
                                         message: "the need names contact \(record.value["contact_id"]?.stringValue ?? "(none)"), which contact.csv does not have; it was left out",
                                         file: record.provenance.file, line: record.provenance.line, record: record.provenance.record, field: "contact_id"))
                } else {
                    standalone.append(Self.typed(record, entity))
                }
            }
        }
        for record in rows["contact"] ?? [] {
            guard case .object(var contact) = record.value else { continue }
            if let key = contact["person_key"]?.stringValue, let person = persons[key] { contact["person"] = .object(person) }
            let mine = children[contact["id"]?.stringValue ?? ""] ?? []
            for (member, _) in CaseEntities.nested {
                let items = mine.filter { $0.member == member }.map(\.value)
                if !items.isEmpty { contact[member] = .array(items) }
            }
            queue.append(Self.typed(Record(value: .object(contact), provenance: record.provenance), "contact"))
        }
        queue += standalone
        for entity in ["volunteer_activity", "posting"] { queue += (rows[entity] ?? []).map { Self.typed($0, entity) } }
    }

    public func next() throws -> Record? {
        guard position < queue.count else { return nil }
        defer { position += 1 }
        return queue[position]
    }

    /// Whether a file is empty or one line (looked for in its first 64 KiB).
    static func holdsOnlyAHeader(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 65_536)) ?? Data()
        guard start.count < 65_536 else { return false }
        let lines = start.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: " ") } }
        return lines.count <= 1
    }

    /// The record with `"type"` first.
    static func typed(_ record: Record, _ entity: String) -> Record {
        var object = record.value.objectValue ?? JSONObject()
        object.members.removeAll { $0.key == "type" }
        object.members.insert(("type", .string(entity)), at: 0)
        return Record(value: .object(object), provenance: record.provenance)
    }

    /// A cell as its field's type: numbers and booleans when they read as such, else text (the
    /// validator says what is wrong with it).
    static func value(_ text: String, type: String?) -> JSONValue {
        switch type {
        case "integer", "number": return JSONText.isNumber(text) ? .number(text) : .string(text)
        case "boolean":
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        default: return .string(text)
        }
    }
}
