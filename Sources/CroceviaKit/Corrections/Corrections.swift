import Foundation

/// The registry's corrections (`correction`, schema version 6): made from a checked request and
/// routed, decided by a coordinator, applied by the owner's next import, and shown by the
/// publisher (an accepted one as an overlay; each accepted or applied one as HSDS `metadata`).
public enum Corrections {
    static let ddl = """
        CREATE TABLE correction (id TEXT PRIMARY KEY, service_id TEXT NOT NULL, field TEXT NOT NULL, seen TEXT,
            offered TEXT NOT NULL, previous TEXT, note TEXT, contact TEXT, source TEXT NOT NULL, record_id TEXT NOT NULL,
            record_field TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL, target_field TEXT NOT NULL,
            state TEXT NOT NULL, created_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT, applied_run BIGINT,
            reported_by TEXT NOT NULL)
        """

    /// A request checked against the directory a snapshot shows: ready to be routed and stored.
    public struct Checked: Sendable {
        let request: CorrectionRequest
        let path: FieldPath
        let served: JSONValue
        let offered: JSONValue
        let previous: JSONValue?
    }

    /// Checks `request` against the directory `snapshot` shows and the service schema (nothing
    /// is read from the registry: no lock is held). Bad input throws `CorrectionRequest.Problem`.
    public static func check(_ request: CorrectionRequest, snapshot: DirectorySnapshot) throws -> Checked {
        guard let index = snapshot.serviceByID[request.serviceID] else {
            throw CorrectionRequest.Problem("\"id\": the directory has no service \(request.serviceID)")
        }
        let served = JSONValue.object(snapshot.serviceFull(index))
        let path = try checkedPath(request.field, in: served)
        let previous = path.value(in: served)
        let offered = coerced(request.offered, like: previous)
        if let previous, previous.says(offered) {
            throw CorrectionRequest.Problem("\"offered\": the directory already shows \(previous.plainText) for \(request.field)")
        }
        let pointer = path.pointer
        let failures = try SchemaLoader.hsds(.service).validate(path.setting(offered, in: served)).filter {
            $0.instancePath == pointer || $0.instancePath.hasPrefix(pointer + "/")
        }
        if let failure = failures.first {
            throw CorrectionRequest.Problem("\"offered\": \(offered.plainText) is not a value \(request.field) takes: \(failure.message)")
        }
        return Checked(request: request, path: path, served: served, offered: offered, previous: previous)
    }

    /// Routes a checked request and stores it as pending, in the caller's transaction.
    public static func add(_ checked: Checked, reportedBy: String, in db: RegistryDatabase) throws -> Correction {
        let request = checked.request
        let correction = Correction(id: UUID().uuidString.lowercased(), serviceID: request.serviceID, field: checked.path.description, seen: request.seen,
                                    offered: checked.offered, previous: checked.previous,
                                    route: try CorrectionRouting.route(checked.path, served: checked.served, in: db),
                                    state: .pending, createdAt: Importer.timestamp(), reportedBy: reportedBy)
        try db.execute("INSERT INTO correction (\(columns), note, contact) VALUES (\(Array(repeating: "?", count: 20).joined(separator: ", ")))",
                       row(correction) + [request.note.map { .text($0) } ?? .null, request.contact.map { .text($0) } ?? .null])
        return correction
    }

    /// The field as a path HSDS knows for a service, with fixed indices, that the service has
    /// (but for its last member), and not an id.
    static func checkedPath(_ field: String, in served: JSONValue) throws -> FieldPath {
        guard let parsed = TargetPath(field) else {
            throw CorrectionRequest.Problem("\"field\": \(field) is not an HSDS path; write it like phones[0].number or organization.email")
        }
        guard !parsed.spreads else {
            throw CorrectionRequest.Problem("\"field\": \(field) names no one element; write the element's number, such as phones[0].number")
        }
        if let problem = try HSDSSchemas.standard().problem(with: parsed, root: .service) {
            // The schema's words are a profile's: a correction names a field, it maps none.
            throw CorrectionRequest.Problem("\"field\": " + problem.replacingOccurrences(of: "map its fields", with: "name one of its fields"))
        }
        let last = parsed.segments.last!.name
        guard last != "id", !last.hasSuffix("_id") else {
            throw CorrectionRequest.Problem("\"field\": \(field) is an id, which the sources' own keys make; say what is wrong in the note of another field")
        }
        let path = FieldPath(parsed)
        // An extension field (x_…) HSDS does not define is corrected only where the service has it.
        if last.hasPrefix("x_"), path.value(in: served) == nil {
            throw CorrectionRequest.Problem("\"field\": the service has no \(field); an extension field (x_…) is corrected only where the service has one")
        }
        guard path.parentExists(in: served) else {
            throw CorrectionRequest.Problem("\"field\": the service has no \(field) (what it has: GET /services/\(served.objectValue?["id"]?.stringValue ?? ""))")
        }
        return path
    }

    /// A form sends text: a number or a truth value where the directory shows one. A number is
    /// what JSON calls one (`12`, `2.5`), or one decimal comma the Italian way (`2,5`).
    static func coerced(_ offered: JSONValue, like previous: JSONValue?) -> JSONValue {
        guard case .string(let text) = offered else { return offered }
        switch previous {
        case .number?:
            let written = text.filter { $0 == "," }.count == 1 && !text.contains(".") ? text.replacingOccurrences(of: ",", with: ".") : text
            return written.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil ? .number(written) : offered
        case .bool?: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : offered
        default: return offered
        }
    }

    /// The corrections, oldest first: of one source, open ones only, or all.
    public static func list(in db: RegistryDatabase, source: String? = nil, openOnly: Bool = false) throws -> [Correction] {
        guard try RegistrySchema.tables(in: db).contains("correction") else { return [] }
        var conditions: [String] = [], arguments: [SQLValue] = []
        if let source { conditions.append("source = ?"); arguments.append(.text(source)) }
        if openOnly { conditions.append("state IN ('pending', 'accepted')") }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try db.rows("SELECT \(columns) FROM correction\(filter) ORDER BY created_at, id", arguments).map(correction)
    }

    public static func find(_ id: String, in db: RegistryDatabase) throws -> Correction? {
        guard try RegistrySchema.tables(in: db).contains("correction") else { return nil }
        return try db.rows("SELECT \(columns) FROM correction WHERE id = ?", [.text(id)]).first.map(correction)
    }

    /// The note and contact of one correction, for the coordinator who decides it (never in an
    /// export, an answer, a log or a report).
    public static func privateText(_ id: String, in db: RegistryDatabase) throws -> (note: String?, contact: String?) {
        let row = try db.rows("SELECT note, contact FROM correction WHERE id = ?", [.text(id)]).first
        return (row?[0].text, row?[1].text)
    }

    /// A coordinator's decision on an open correction: `accepted` (shown as an overlay until the
    /// owner's feed carries it) or `rejected` (closed, its contact deleted).
    public static func decide(_ id: String, _ state: Correction.State, by who: String, in db: RegistryDatabase) throws -> Correction {
        precondition(state == .accepted || state == .rejected)
        guard let correction = try find(id, in: db) else {
            throw CroceviaError.usage("there is no correction \(id); crocevia correction list shows them")
        }
        guard correction.state.isOpen else {
            throw CroceviaError.usage("the correction \(id) is \(correction.state.rawValue) already: it is closed")
        }
        try db.execute("UPDATE correction SET state = ?, decided_at = ?, decided_by = ?\(state == .rejected ? ", contact = NULL" : "") WHERE id = ?",
                       [.text(state.rawValue), .text(Importer.timestamp()), .text(who), .text(id)])
        return try find(id, in: db)!
    }

    /// After `source`'s import in run `runID` (in its transaction): each open correction routed
    /// to it whose record now carries the offered value is applied and closed (contact deleted).
    /// Returns how many.
    static func closeApplied(source: String, runID: Int64, in db: RegistryDatabase) throws -> Int {
        let open = try list(in: db, source: source, openOnly: true)
        var applied = 0
        for correction in open {
            guard let content = try db.scalar("SELECT content FROM source_record WHERE source = ? AND id = ? AND status = 'active'",
                                              [.text(source), .text(correction.route.recordID)]).text,
                  let record = JSONText.parse(content), let path = FieldPath(correction.route.recordField),
                  let carried = path.value(in: record), carried.says(correction.offered) else { continue }
            try db.execute("UPDATE correction SET state = 'applied', decided_at = ?, decided_by = ?, applied_run = ?, contact = NULL WHERE id = ?",
                           [.text(Importer.timestamp()), .text(source), .integer(runID), .text(correction.id)])
            applied += 1
        }
        return applied
    }

    /// What the pipeline's summary says of each source's corrections.
    public struct Counts: Sendable, Equatable {
        public var open = 0
        public var applied = 0
        public var rejected = 0
        /// Open for more than 30 days.
        public var stale = 0
    }

    public static func counts(in db: RegistryDatabase, now: Date = Date()) throws -> [String: Counts] {
        var counts: [String: Counts] = [:]
        let month = now.addingTimeInterval(-30 * 86_400)
        for correction in try list(in: db) {
            var entry = counts[correction.route.source] ?? Counts()
            switch correction.state {
            case .pending, .accepted:
                entry.open += 1
                if let made = try? Date(correction.createdAt, strategy: .iso8601), made < month { entry.stale += 1 }
            case .applied: entry.applied += 1
            case .rejected: entry.rejected += 1
            }
            counts[correction.route.source] = entry
        }
        return counts
    }

    static let columns = """
        id, service_id, field, seen, offered, previous, source, record_id, record_field, target_type, target_id, target_field, \
        state, created_at, decided_at, decided_by, applied_run, reported_by
        """

    private static func row(_ correction: Correction) -> [SQLValue] {
        let route = correction.route
        return [.text(correction.id), .text(correction.serviceID), .text(correction.field), correction.seen.map { .text($0) } ?? .null,
                .text(JSONText.compact(correction.offered)), correction.previous.map { .text(JSONText.compact($0)) } ?? .null,
                .text(route.source), .text(route.recordID), .text(route.recordField), .text(route.targetType), .text(route.targetID),
                .text(route.targetField), .text(correction.state.rawValue), .text(correction.createdAt),
                correction.decidedAt.map { .text($0) } ?? .null, correction.decidedBy.map { .text($0) } ?? .null, .null,
                .text(correction.reportedBy)]
    }

    static func correction(_ row: [SQLValue]) -> Correction {
        Correction(id: row[0].text ?? "", serviceID: row[1].text ?? "", field: row[2].text ?? "", seen: row[3].text,
                   offered: row[4].text.flatMap(JSONText.parse) ?? .null, previous: row[5].text.flatMap(JSONText.parse),
                   route: CorrectionRoute(source: row[6].text ?? "", recordID: row[7].text ?? "", recordField: row[8].text ?? "",
                                          targetType: row[9].text ?? "", targetID: row[10].text ?? "", targetField: row[11].text ?? ""),
                   state: Correction.State(rawValue: row[12].text ?? "") ?? .pending, createdAt: row[13].text ?? "",
                   decidedAt: row[14].text, decidedBy: row[15].text, reportedBy: row[17].text ?? "")
    }
}
