/// `hsds-flat`: HSDS services as one sheet, a row per service at a location, its columns named
/// as in HSDS (`organization.name`, `service.name`, `location.address_1`, `phones[0].number`):
/// what HSDS users ask for most (Open Referral's specification issue #128) and what a partner
/// can fill in a spreadsheet. Not conformant HSDS: it converts to and from the conformant forms,
/// losslessly for what it carries (the columns below); what it does not carry is said.
///
/// A service's own columns (its organization, phones and schedule) repeat on each of its rows;
/// the rows of one `service.id` are one service, each row one of its places.
enum FlatHSDS {
    /// A column: its name, whether it belongs to the service or to the row's place, and where
    /// its value sits in the HSDS object (the service, or its service at location).
    struct Column {
        let name: String
        let perPlace: Bool
        let path: [Step]
        /// Numbers in HSDS (ages, coordinates): written as JSON numbers when they read as one.
        let numeric: Bool
    }

    enum Step: Equatable {
        case member(String)
        case element(Int)
    }

    static let phoneSlots = 2

    /// Every column, in the order written.
    static let columns: [Column] = {
        var columns: [Column] = []
        func add(_ name: String, place: Bool = false, _ path: [Step], numeric: Bool = false) {
            columns.append(Column(name: name, perPlace: place, path: path, numeric: numeric))
        }
        for field in ["id", "name", "alternate_name", "description", "email", "website", "tax_id", "legal_status"] {
            add("organization.\(field)", [.member("organization"), .member(field)])
        }
        for field in ["id", "name", "alternate_name", "description", "url", "email", "status", "application_process", "fees_description",
                      "eligibility_description", "minimum_age", "maximum_age", "assured_date", "alert"] {
            add("service.\(field)", [.member(field)], numeric: field.hasSuffix("_age"))
        }
        for slot in 0..<phoneSlots {
            for field in ["id", "number", "extension", "type", "description"] {
                add("phones[\(slot)].\(field)", [.member("phones"), .element(slot), .member(field)])
            }
        }
        for field in ["id", "freq", "byday", "opens_at", "closes_at", "description"] {
            add("schedules[0].\(field)", [.member("schedules"), .element(0), .member(field)])
        }
        add("service_at_location.id", place: true, [.member("id")])
        for field in ["id", "name", "alternate_name", "description", "location_type", "latitude", "longitude"] {
            add("location.\(field)", place: true, [.member("location"), .member(field)], numeric: field == "latitude" || field == "longitude")
        }
        add("location.address_id", place: true, [.member("location"), .member("addresses"), .element(0), .member("id")])
        for field in ["address_1", "address_2", "city", "region", "state_province", "postal_code", "country", "address_type"] {
            add("location.\(field)", place: true, [.member("location"), .member("addresses"), .element(0), .member(field)])
        }
        return columns
    }()

    static var names: [String] { columns.map(\.name) }

    /// For a field of a list the sheet holds the first elements of (`schedules[].byday`), the
    /// list and how many of its elements have columns.
    static func slots(of field: String) -> (list: String, count: Int)? {
        for list in ["phones", "schedules"] where field.hasPrefix(list + "[].") {
            let count = Set(columns.compactMap { column -> Int? in
                guard column.name.hasPrefix(list + "["), case .element(let index) = column.path[1] else { return nil }
                return index
            }).count
            return (list, count)
        }
        return nil
    }

    // MARK: HSDS to rows

    /// A service's rows: one per service at location (one with empty place columns when it has none).
    static func rows(of service: JSONObject) -> [[String]] {
        let links = (service["service_at_locations"]?.arrayValue ?? []).compactMap(\.objectValue)
        return (links.isEmpty ? [nil] : links.map { Optional($0) }).map { link in
            columns.map { column in
                let root = column.perPlace ? link.map(JSONValue.object) : .object(service)
                return root.flatMap { value(at: column.path[...], in: $0) }?.cellText ?? ""
            }
        }
    }

    private static func value(at path: ArraySlice<Step>, in value: JSONValue) -> JSONValue? {
        guard let step = path.first else {
            if case .null = value { return nil }
            return value
        }
        switch (step, value) {
        case (.member(let name), .object(let object)): return object[name].flatMap { self.value(at: path.dropFirst(), in: $0) }
        case (.element(let index), .array(let items)): return index < items.count ? self.value(at: path.dropFirst(), in: items[index]) : nil
        default: return nil
        }
    }

    /// The fields of a service the flat sheet does not carry (`service_areas[].name`,
    /// `service_at_locations[].location.phones[].number`): those of `service` that its rows
    /// (`rows(of:)`), read back, do not give.
    static func uncarried(_ service: JSONObject, rows: [[String]]) -> [String] {
        var assembler = Assembler(file: "", findings: FindingLog())
        for (index, row) in rows.enumerated() { assembler.add(row, line: index + 2, record: 1) }
        guard let back = assembler.finish().first?.value.objectValue else { return [] }
        var missing: [String] = []
        func walk(_ original: JSONValue, _ copy: JSONValue?, _ path: String) {
            switch original {
            case .object(let object):
                for (key, member) in object.members {
                    walk(member, copy?.objectValue?[key], path.isEmpty ? key : path + "." + key)
                }
            case .array(let items):
                for (index, item) in items.enumerated() {
                    let copied = copy?.arrayValue.flatMap { index < $0.count ? $0[index] : nil }
                    walk(item, copied, "\(path)[\(index)]")
                }
            case .null:
                break
            default:
                if copy == nil {
                    // The field, for every element alike: `service_at_locations[].location.phones[].number`.
                    let field = path.replacingOccurrences(of: #"\[[0-9]+\]"#, with: "[]", options: .regularExpression)
                    if !missing.contains(field) { missing.append(field) }
                }
            }
        }
        walk(.object(service), .object(back), "")
        return missing
    }

    // MARK: Rows to HSDS

    /// Gathers rows into services: the rows of one `service.id` are one service, in the order
    /// first seen; a service's column that two of its rows give differently is a warning naming
    /// both rows (the first is kept).
    struct Assembler {
        let file: String
        let findings: FindingLog
        private var order: [String] = []
        private var services: [String: (object: JSONObject, line: Int, record: Int, links: [JSONValue], given: [Int: (text: String, line: Int)])] = [:]

        init(file: String, findings: FindingLog) {
            self.file = file
            self.findings = findings
        }

        /// One row; `cell` names a column's cell when the row is a workbook's.
        mutating func add(_ row: [String], line: Int, record: Int, cell: (String) -> String? = { _ in nil }) {
            var cells: [String: String] = [:]
            for (column, text) in zip(FlatHSDS.columns, row) { cells[column.name] = text.trimmingWhitespace() }
            guard cells.values.contains(where: { !$0.isEmpty }) else { return }
            var id = cells["service.id"] ?? ""
            if id.isEmpty {
                // No id: one made of the names, the same on every run, said.
                let name = (cells["organization.name"] ?? "") + "/" + (cells["service.name"] ?? "")
                id = UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/" + name).text
                findings.add(Finding(.warning, rule: "flat.no-id", message: "the row has no service.id; the service is given \(id), made from its names",
                                     hint: "give each service an id, the same on each of its rows", file: file, line: line, record: record, field: "service.id",
                                     cell: cell("service.id")))
            }
            if services[id] == nil {
                order.append(id)
                services[id] = (JSONObject([("id", .string(id))]), line, record, [], [:])
            }
            var entry = services[id]!
            var link = JSONObject()
            for (index, column) in FlatHSDS.columns.enumerated() {
                guard let text = cells[column.name], !text.isEmpty else { continue }
                let value: JSONValue = column.numeric ? FlatHSDS.number(text).map(JSONValue.number) ?? .string(text) : .string(text)
                if column.perPlace {
                    FlatHSDS.set(value, at: column.path[...], in: &link)
                } else if let first = entry.given[index] {
                    if first.text != text {
                        findings.add(Finding(.warning, rule: "flat.conflict",
                                             message: "service \(id): rows \(first.line) and \(line) give \(column.name) as \"\(Finding.shorten(first.text, limit: 40))\" and \"\(Finding.shorten(text, limit: 40))\"; row \(first.line)'s is kept",
                                             hint: "a service's own columns are the same on each of its rows", file: file, line: line, record: record,
                                             field: column.name, value: text, cell: cell(column.name)))
                    }
                } else {
                    entry.given[index] = (text, line)
                    FlatHSDS.set(value, at: column.path[...], in: &entry.object)
                }
            }
            if !link.members.isEmpty { entry.links.append(.object(link)) }
            services[id] = entry
        }

        /// The services, with the links HSDS wants between their parts, and an id for each part
        /// the sheet gave none (the same on every run: made of the service's id and the part's place).
        mutating func finish() -> [Record] {
            order.map { id in
                let entry = services[id]!
                var service = Self.withoutEmptyParts(entry.object)
                if var organization = service["organization"]?.objectValue, organization["id"] == nil {
                    organization["id"] = .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/organization/" + (organization["name"]?.stringValue ?? id)).text)
                    service["organization"] = .object(Self.ordered(organization, first: ["id"]))
                }
                for list in ["phones", "schedules"] {
                    guard let items = service[list]?.arrayValue else { continue }
                    service[list] = .array(items.enumerated().map { index, item in Self.identified(item, "\(id)/\(list)/\(index)") })
                }
                if let organization = service["organization"]?.objectValue?["id"] { service["organization_id"] = organization }
                if !entry.links.isEmpty {
                    service["service_at_locations"] = .array(entry.links.enumerated().compactMap { position, value in
                        guard var link = Self.withoutEmptyParts(value).objectValue else { return nil }
                        if var location = link["location"]?.objectValue {
                            if location["id"] == nil { location["id"] = .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/\(id)/location/\(position)").text) }
                            if let addresses = location["addresses"]?.arrayValue, let locationID = location["id"]?.stringValue {
                                location["addresses"] = .array(addresses.enumerated().map { Self.identified($1, "\(locationID)/addresses/\($0)") })
                            }
                            link["location"] = .object(Self.ordered(location, first: ["id"]))
                        }
                        if link["id"] == nil {
                            link["id"] = .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/\(id)/\(link["location"]?["id"]?.stringValue ?? "")").text)
                        }
                        link["service_id"] = .string(id)
                        if let location = link["location"]?.objectValue?["id"] { link["location_id"] = location }
                        return .object(Self.ordered(link, first: ["id", "service_id", "location_id"]))
                    })
                }
                var provenance = Provenance(source: "", file: file, line: entry.line, record: entry.record)
                provenance.key = id
                return Record(value: .object(Self.ordered(service, first: ["id", "organization_id"])), provenance: provenance)
            }
        }

        /// A part with an id: its own, else one made of `name`.
        private static func identified(_ part: JSONValue, _ name: String) -> JSONValue {
            guard var object = part.objectValue else { return part }
            if object["id"] == nil { object["id"] = .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "hsds-flat/" + name).text) }
            return .object(ordered(object, first: ["id"]))
        }

        /// Lists without the elements no column filled (a second phone's slot left empty).
        private static func withoutEmptyParts(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let object):
                return .object(JSONObject(object.members.compactMap { key, member in
                    let cleaned = withoutEmptyParts(member)
                    if case .array(let items) = cleaned, items.isEmpty { return nil }
                    return (key, cleaned)
                }))
            case .array(let items):
                return .array(items.map(withoutEmptyParts).filter { $0.objectValue.map { !$0.members.isEmpty } ?? true })
            default:
                return value
            }
        }

        private static func withoutEmptyParts(_ object: JSONObject) -> JSONObject {
            withoutEmptyParts(.object(object)).objectValue ?? object
        }

        private static func ordered(_ object: JSONObject, first: [String]) -> JSONObject {
            let head = first.compactMap { key in object[key].map { (key: key, value: $0) } }
            return JSONObject(head + object.members.filter { !first.contains($0.key) })
        }
    }

    /// `text` as a JSON number (`45.0762`, `-7`; `45,0762` with a decimal comma, as an Italian
    /// sheet writes it); nil for anything else (`nan`, `0x1F`, `circa 45`), which stays text.
    static func number(_ text: String) -> String? {
        let pattern = #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#
        if text.range(of: pattern, options: .regularExpression) != nil { return text }
        let dotted = text.replacingOccurrences(of: ",", with: ".")
        guard !text.contains("."), text.filter({ $0 == "," }).count == 1, dotted.range(of: pattern, options: .regularExpression) != nil else { return nil }
        return dotted
    }

    /// Sets `value` at `path` in `object`, making the objects and list elements on the way.
    static func set(_ value: JSONValue, at path: ArraySlice<Step>, in object: inout JSONObject) {
        guard case .member(let name)? = path.first else { return }
        let rest = path.dropFirst()
        guard let next = rest.first else {
            object[name] = value
            return
        }
        switch next {
        case .member:
            var child = object[name]?.objectValue ?? JSONObject()
            set(value, at: rest, in: &child)
            object[name] = .object(child)
        case .element(let index):
            var items = object[name]?.arrayValue ?? []
            while items.count <= index { items.append(.object(JSONObject())) }
            var child = items[index].objectValue ?? JSONObject()
            set(value, at: rest.dropFirst(), in: &child)
            items[index] = .object(child)
            object[name] = .array(items)
        }
    }
}
