/// The checks of case data that a JSON Schema cannot say:
///
/// - a referral's statuses follow the lifecycle (proposed → sent → accepted or declined; an
///   accepted referral ends completed, no_show or cancelled; cancelled may also end a proposed or
///   sent one), each status reached has its `…_at` timestamp, the timestamps are in that order,
///   only one ending is reached, and `status` is the last status reached;
/// - no date is in the future (contacts, status changes, feedback, outcomes, volunteer hours);
///   a posting's `valid_to` may be;
/// - a referral's `to_service_id` names a service of the registry's directory (a warning when
///   it does not: the directory may lag behind).
public struct CaseChecks: Sendable {
    public struct Problem: Equatable, Sendable {
        public var severity: Finding.Severity
        public var rule: String
        public var field: String
        public var message: String
    }

    /// Ids of the directory's services; nil when there is no directory to check against.
    public var services: Set<String>?
    /// Today, `yyyy-MM-dd`: dates after it are in the future.
    public var today: String

    public init(services: Set<String>?, today: String) {
        self.services = services
        self.today = today
    }

    /// Lifecycle rank of each status; `next` lists where a status may go.
    static let order = ["proposed", "sent", "accepted", "declined", "completed", "no_show", "cancelled"]
    static let next: [String: Set<String>] = [
        "proposed": ["sent", "cancelled"],
        "sent": ["accepted", "declined", "cancelled"],
        "accepted": ["completed", "no_show", "cancelled"],
    ]
    static let endings: Set<String> = ["declined", "completed", "no_show", "cancelled"]
    static let pastOnly = ["datetime", "date", "feedback_at"] + CaseTables.moments

    /// The problems of one case record of kind `entity` (`contact`, `referral`…).
    public func check(_ value: JSONValue, entity: String) -> [Problem] {
        guard case .object(let object) = value else { return [] }
        var problems: [Problem] = []
        future(object, path: "", into: &problems)
        if entity == "referral" { referral(object, path: "", into: &problems) }
        if entity == "contact" {
            for (member, kind) in [("needs", "need"), ("referrals", "referral"), ("outcomes", "outcome")] {
                guard case .array(let items)? = object[member] else { continue }
                for (index, item) in items.enumerated() {
                    guard case .object(let nested) = item else { continue }
                    let path = "\(member)[\(index)]."
                    future(nested, path: path, into: &problems)
                    if kind == "referral" { referral(nested, path: path, into: &problems) }
                }
            }
        }
        return problems
    }

    private func future(_ object: JSONObject, path: String, into problems: inout [Problem]) {
        for field in Self.pastOnly {
            guard let text = object[field]?.stringValue, text.count >= 10 else { continue }
            let day = String(text.prefix(10))
            if day > today {
                problems.append(Problem(severity: .error, rule: "case.future-date", field: path + field,
                                        message: "\(path + field) is \(day), in the future: a record tells what happened, so its dates are past (a mistyped year?)"))
            }
        }
    }

    private func referral(_ object: JSONObject, path: String, into problems: inout [Problem]) {
        let before = problems.count
        func problem(_ severity: Finding.Severity, _ rule: String, _ field: String, _ message: String) {
            problems.append(Problem(severity: severity, rule: rule, field: path + field, message: message))
        }
        // The statuses reached, in lifecycle order, with their timestamps.
        let reached = Self.order.compactMap { status -> (status: String, at: String)? in
            object[status + "_at"]?.stringValue.map { (status, $0) }
        }
        let endings = reached.filter { Self.endings.contains($0.status) }
        if endings.count > 1 {
            problem(.error, "case.status-transition", endings[1].status + "_at",
                    "a referral ends once, and this one has \(endings.map { $0.status + "_at" }.joined(separator: " and "))")
        }
        for (earlier, later) in zip(reached, reached.dropFirst()) {
            let allowed = Self.next[earlier.status] ?? []
            let skipsAhead = Self.reachable(from: earlier.status).contains(later.status)
            if !allowed.contains(later.status) && !skipsAhead {
                problem(.error, "case.status-transition", later.status + "_at", "a referral cannot go from \(earlier.status) to \(later.status)")
            } else if later.at < earlier.at {
                problem(.error, "case.status-order", later.status + "_at",
                        "\(later.status)_at (\(later.at)) is before \(earlier.status)_at (\(earlier.at)); the status changes must be in time order")
            }
        }
        // With the order broken, which status came last is not known: no more is said about it.
        let orderBroken = problems[before...].contains { $0.rule.hasPrefix("case.status") }
        if !orderBroken, let status = object["status"]?.stringValue {
            if let last = reached.max(by: { ($0.at, Self.rank($0.status)) < ($1.at, Self.rank($1.status)) }), last.status != status {
                problem(.error, "case.status-current", "status", "status is \(status), but the last status reached is \(last.status) (\(last.status)_at \(last.at))")
            } else if !reached.contains(where: { $0.status == status }) {
                problem(.warning, "case.status-time", status + "_at", "status is \(status) with no \(status)_at: each change of status needs its time")
            }
        }
        if let feedback = object["feedback_at"]?.stringValue, let first = reached.first, feedback < first.at {
            problem(.error, "case.status-order", "feedback_at", "feedback_at (\(feedback)) is before the referral was \(first.status) (\(first.at))")
        }
        if let services, let service = object["to_service_id"]?.stringValue, !services.contains(service) {
            problem(.warning, "case.unknown-service", "to_service_id",
                    "to_service_id \(service) is not a service of the registry's directory; check the id, or import the directory feed that has it")
        }
    }

    /// The problems of a record of the case object `object` (`case/contact`) as findings on its line.
    public func findings(for record: Record, object: Target) -> [Finding] {
        let place = record.provenance
        return check(record.value, entity: object.entity).map { problem in
            Finding(problem.severity, rule: problem.rule, message: problem.message, file: place.file, line: place.line, record: place.record,
                    path: problem.field)
        }
    }

    static func rank(_ status: String) -> Int { order.firstIndex(of: status) ?? 0 }

    /// Statuses a referral can reach from `status` in more than one step (a feed may skip
    /// recording one: sent straight to completed).
    static func reachable(from status: String) -> Set<String> {
        var seen: Set<String> = []
        var queue = Array(next[status] ?? [])
        while let item = queue.popLast() {
            guard seen.insert(item).inserted else { continue }
            queue += next[item] ?? []
        }
        return seen
    }
}
