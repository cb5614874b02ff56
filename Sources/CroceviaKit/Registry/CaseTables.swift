/// The case data tables of the registry, one per entity (`case_contact`, `case_need`,
/// `case_referral`, `case_outcome`, `case_volunteer_activity`, `case_posting`), each row with
/// the source it came from. They are the active case records of `source_record` flattened: a
/// contact's person becomes its `person_*` columns, its nested needs, referrals and outcomes
/// become rows of their tables with the contact's id (and person key). An import rebuilds its
/// source's rows in the same transaction, so the tables always match the records.
///
/// Free text never gets here (see the `x-free-text` fields of the case schemas): a profile
/// that keeps it keeps it in `source_record` only.
enum CaseTables {
    struct Table {
        var name: String
        /// Column name and Table Schema type (string, integer, number, boolean).
        var columns: [(name: String, type: String)]
    }

    static let moments = ["proposed_at", "sent_at", "accepted_at", "declined_at", "completed_at", "no_show_at", "cancelled_at"]
    static let personColumns = ["age_band", "sex", "citizenship_group", "residence_istat", "household_size_band", "consent_basis"]

    static let tables: [String: Table] = {
        func table(_ name: String, _ columns: [String], types: [String: String] = [:]) -> Table {
            Table(name: name, columns: (["source"] + columns).map { ($0, types[$0] ?? "string") })
        }
        return [
            "contact": table("case_contact", ["id", "person_key", "desk_id", "datetime", "channel", "phase", "duration_min", "operator_role",
                                              "first_contact"] + personColumns.map { "person_" + $0 },
                             types: ["duration_min": "integer", "first_contact": "boolean"]),
            "need": table("case_need", ["id", "contact_id", "category", "urgency"]),
            "referral": table("case_referral", ["id", "contact_id", "person_key", "from_org_id", "to_org_id", "to_service_id", "need_id", "kind",
                                                "status"] + moments + ["feedback_at", "feedback_code"]),
            "outcome": table("case_outcome", ["id", "contact_id", "person_key", "referral_id", "need_id", "date", "result", "benefit", "quantity"],
                             types: ["quantity": "number"]),
            "volunteer_activity": table("case_volunteer_activity", ["id", "org_id", "volunteer_key", "desk_id", "date", "hours", "activity_type",
                                                                    "project_id", "beneficiaries"],
                                        types: ["hours": "number", "beneficiaries": "integer"]),
            "posting": table("case_posting", ["id", "kind", "person_key", "org_id", "skill_code", "area_istat", "valid_from", "valid_to", "status"]),
        ]
    }()

    static let order = ["contact", "need", "referral", "outcome", "volunteer_activity", "posting"]

    static var ddl: [String] {
        order.compactMap { tables[$0] }.flatMap { table in
            let columns = table.columns.map { "\(quoted($0.name)) \(RegistrySchema.sqlType($0.type))" }
            return ["CREATE TABLE \(table.name) (\(columns.joined(separator: ", ")))",
                    "CREATE INDEX \(table.name)_source ON \(table.name) (source, id)"]
        }
    }

    /// Replaces the source's rows with its active case records, flattened.
    static func rebuild(_ db: RegistryDatabase, source: String) throws {
        for entity in order { try db.execute("DELETE FROM \(tables[entity]!.name) WHERE source = ?", [.text(source)]) }
        var rows: [String: [[SQLValue]]] = [:]
        try db.query("SELECT object_type, content FROM source_record WHERE source = ? AND status = 'active' AND object_type LIKE 'case/%' ORDER BY first_run, line",
                     [.text(source)]) { row in
            guard let type = row[0].text, let content = row[1].text, case .object(let object)? = JSONText.parse(content) else { return }
            for (entity, values) in CaseEntities.rows(of: object, entity: HSDSSchemas.folderAndName(type).name) {
                if entity == "person" {
                    // The person's attributes go with the contact just before it.
                    guard let table = tables["contact"], var last = rows["contact"]?.popLast() else { continue }
                    for column in personColumns {
                        if let index = table.columns.firstIndex(where: { $0.name == "person_" + column }) {
                            last[index] = sqlValue(values[column], type: "string")
                        }
                    }
                    rows["contact"]!.append(last)
                    continue
                }
                guard let table = tables[entity] else { continue }
                rows[entity, default: []].append(table.columns.map { column in
                    column.name == "source" ? .text(source) : sqlValue(values[column.name], type: column.type)
                })
            }
        }
        for entity in order {
            guard let table = tables[entity], let list = rows[entity], !list.isEmpty else { continue }
            for start in stride(from: 0, to: list.count, by: 1000) {
                try db.insert(into: table.name, columns: table.columns.map(\.name), rows: Array(list[start..<min(start + 1000, list.count)]), suffix: "")
            }
        }
    }

    static func sqlValue(_ value: JSONValue?, type: String) -> SQLValue {
        guard let value else { return .null }
        switch (type, value) {
        case ("integer", .number(let text)): return Int64(text).map(SQLValue.integer) ?? Double(text).map { .integer(Int64($0)) } ?? .null
        case ("number", .number(let text)): return Double(text).map(SQLValue.real) ?? .null
        case ("boolean", .bool(let flag)): return .boolean(flag)
        case (_, .string(let text)): return type == "string" ? .text(text) : .null
        case ("string", _): return .text(value.cellText)
        default: return .null
        }
    }
}
