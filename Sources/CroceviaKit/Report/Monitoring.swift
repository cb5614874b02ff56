import Foundation

/// The network's monitoring figures for a period, from the registry's case tables: people
/// reached, contacts by phase, channel, desk and month, needs, referrals and how warm hand-offs
/// end, days to feedback, volunteer hours and the people they helped, benefits handed over.
///
/// Figures that count people are protected before anyone sees them: a count from 1 to 4 is
/// shown as "<5", and the other cells or totals that would give it away are hidden too ("x"),
/// decided for every report the registry can give at once (`MonitoringCube.audit`). Rates and
/// medians over fewer than 5 are not shown.
public struct Monitoring: Sendable {
    public struct Options: Sendable, Equatable {
        /// Inclusive, `yyyy-MM-dd`.
        public var from: String
        public var to: String
        /// One desk only.
        public var desk: String?

        public init(from: String, to: String, desk: String? = nil) {
            self.from = from
            self.to = to
            self.desk = desk
        }

        /// A period is whole months: reports over parts of a month could be subtracted to show
        /// a few days' counts.
        public func check() throws {
            for (name, day) in [("--from", from), ("--to", to)] where !ISODay.isValid(day) {
                throw CroceviaError.usage("\(name) \(day) is not a date written yyyy-MM-dd")
            }
            guard from <= to else { throw CroceviaError.usage("--from \(from) is after --to \(to)") }
            guard from.hasSuffix("-01") else {
                throw CroceviaError.usage("--from \(from) is not the first day of a month: the monitoring report covers whole months, so that two reports cannot be subtracted to show a few days")
            }
            let day = Int(to.suffix(2))!
            guard !FormatCheck.isDate(to.prefix(8) + String(format: "%02d", day + 1)) else {
                throw CroceviaError.usage("--to \(to) is not the last day of a month: the monitoring report covers whole months, so that two reports cannot be subtracted to show a few days")
            }
        }
    }

    public var options: Options
    public var registry: String
    public var peopleReached: SuppressedValue
    public var contacts: SuppressedValue
    public var tables: [SuppressedTable]
    /// Warm hand-offs that ended completed, out of all warm hand-offs of the period.
    public var warmHandoffCompleted: SuppressedValue
    public var warmHandoffs: SuppressedValue
    public var completionRate: Double?
    /// Median days from sending (or proposing) a referral to the feedback; nil when fewer than 5.
    public var medianDaysToFeedback: Double?
    public var referralsWithFeedback: SuppressedValue
    public var volunteerHours: Double
    /// Hours by activity type (hours are not people: shown as they are).
    public var hoursByActivity: [(String, Double)]
    public var volunteers: SuppressedValue

    /// The smallest count shown as it is.
    public static let threshold = 5

    /// The report for one period (whole months) and desk. The figures of every report the
    /// registry can give are protected together (see `MonitoringCube.audit`), so no two of them,
    /// nor a network's report and all its desks', can be subtracted to show a small count.
    public static func gather(from db: RegistryDatabase, options: Options) throws -> Monitoring {
        try options.check()
        var cube = MonitoringCube(try tally(db))
        if let desk = options.desk, !cube.desks.contains(desk) {
            throw CroceviaError.usage("no case data in the registry names the desk \(desk); its desks: \(cube.desks.filter { !$0.isEmpty }.joined(separator: ", "))")
        }
        cube.audit(columns: cube.deskAndMonthColumns() + cube.allScopes.flatMap { scope in
            tableSpecs.filter { $0.rows == .categories }.map { spec in
                MonitoringCube.Column(total: spec.totalCell(scope), members: cube.categories(of: spec.name).map { spec.cell($0, scope) })
            }
        })
        let scope = cube.scope(desk: options.desk, from: String(options.from.prefix(7)), to: String(options.to.prefix(7)))
        return Monitoring(cube: cube, scope: scope, options: options, registry: db.location)
    }

    /// The headline counts, by name.
    var headline: [(String, SuppressedValue)] {
        [("people_reached", peopleReached), ("contacts", contacts), ("warm_handoffs", warmHandoffs),
         ("warm_handoffs_completed", warmHandoffCompleted), ("referrals_with_feedback", referralsWithFeedback), ("volunteers", volunteers)]
    }

    /// A table of the report: its rows are categories of its own figure, or the contacts of
    /// each desk or each month of the report's scope.
    struct TableSpec {
        enum Rows { case categories, desks, months }
        var name: String
        var rows: Rows = .categories
        var order: [String] = []
        /// The figure of the total when it is the same count as another's (all contacts), else
        /// the table's name (its categories are the name, U+001F and the key).
        var total: String?

        func cell(_ key: String, _ scope: MonitoringCube.Scope) -> MonitoringCube.Cell {
            MonitoringCube.Cell(figure: name + "\u{1F}" + key, scope: scope)
        }

        func totalCell(_ scope: MonitoringCube.Scope) -> MonitoringCube.Cell {
            MonitoringCube.Cell(figure: total ?? name, scope: scope)
        }
    }

    static let activities = ["front_desk", "presence", "accompaniment", "side_project", "training"]

    static let tableSpecs = [
        TableSpec(name: "contacts_by_phase", order: ["accoglienza", "orientamento", "offerta"], total: "contacts"),
        TableSpec(name: "contacts_by_channel", order: ["in_person", "phone", "outreach", "online"], total: "contacts"),
        TableSpec(name: "contacts_by_desk", rows: .desks, total: "contacts"),
        TableSpec(name: "contacts_by_month", rows: .months, total: "contacts"),
        TableSpec(name: "needs_by_category"),
        TableSpec(name: "referrals_by_kind", order: ["information", "referral", "warm_handoff"], total: "referrals"),
        TableSpec(name: "referrals_by_status", order: CaseChecks.order, total: "referrals"),
        TableSpec(name: "benefits_by_type"),
        TableSpec(name: "volunteer_beneficiaries_by_activity", order: activities),
    ]

    /// Reads the registry's case data, every period and desk, into per-desk, per-month counts.
    static func tally(_ db: RegistryDatabase) throws -> MonitoringCube.Tally {
        var tally = MonitoringCube.Tally()
        func month(_ moment: String?) -> String? {
            guard let moment, moment.count >= 10, FormatCheck.isDate(moment.prefix(10)) else { return nil }
            return String(moment.prefix(7))
        }
        // Contacts by source and id, for the rows that hang off them: their desk and month.
        var contacts: [String: (desk: String, month: String)] = [:]
        try db.query("SELECT source, id, person_key, desk_id, datetime, channel, phase FROM case_contact", []) { row in
            guard let at = month(row[4].text) else { return }
            let desk = row[3].text ?? ""
            contacts[(row[0].text ?? "") + "\u{1F}" + (row[1].text ?? "")] = (desk, at)
            tally.count("contacts", desk: desk, month: at)
            if let key = row[2].text { tally.key("people_reached", desk: desk, month: at, key) }
            tally.count("contacts_by_phase\u{1F}" + (row[6].text ?? ""), desk: desk, month: at)
            tally.count("contacts_by_channel\u{1F}" + (row[5].text ?? ""), desk: desk, month: at)
        }
        func contact(_ source: SQLValue, _ id: SQLValue) -> (desk: String, month: String)? {
            id.text.flatMap { contacts[(source.text ?? "") + "\u{1F}" + $0] }
        }
        try db.query("SELECT source, contact_id, category FROM case_need", []) { row in
            guard let (desk, at) = contact(row[0], row[1]) else { return }
            tally.count("needs_by_category", desk: desk, month: at)
            tally.count("needs_by_category\u{1F}" + (row[2].text ?? ""), desk: desk, month: at)
        }
        // A referral belongs to the month of its first status change (else of its contact's),
        // and to its contact's desk.
        let moments = CaseTables.moments.map(quoted).joined(separator: ", ")
        try db.query("SELECT source, contact_id, person_key, kind, status, feedback_at, \(moments) FROM case_referral", []) { row in
            let times = row[6...].compactMap(\.text)
            let linked = contact(row[0], row[1])
            guard let at = times.isEmpty ? linked?.month : month(times.min()) else { return }
            let desk = linked?.desk ?? ""
            if let key = row[2].text { tally.key("people_reached", desk: desk, month: at, key) }
            tally.count("referrals", desk: desk, month: at)
            tally.count("referrals_by_kind\u{1F}" + (row[3].text ?? ""), desk: desk, month: at)
            tally.count("referrals_by_status\u{1F}" + (row[4].text ?? ""), desk: desk, month: at)
            if row[3].text == "warm_handoff", row[4].text == "completed" { tally.count("warm_handoffs_completed", desk: desk, month: at) }
            let start = row[7].text ?? row[6].text  // sent_at, else proposed_at
            if let start, let feedback = row[5].text, let days = Self.days(from: start, to: feedback) {
                tally.count("referrals_with_feedback", desk: desk, month: at)
                tally.feedback(desk: desk, month: at, days: days)
            }
        }
        try db.query("SELECT source, contact_id, date, benefit FROM case_outcome", []) { row in
            guard let at = month(row[2].text), let benefit = row[3].text else { return }
            let desk = contact(row[0], row[1])?.desk ?? ""
            tally.count("benefits_by_type", desk: desk, month: at)
            tally.count("benefits_by_type\u{1F}" + benefit, desk: desk, month: at)
        }
        try db.query("SELECT desk_id, date, hours, activity_type, beneficiaries, volunteer_key FROM case_volunteer_activity", []) { row in
            guard let at = month(row[1].text) else { return }
            let desk = row[0].text ?? "", type = row[3].text ?? ""
            tally.hours(type, desk: desk, month: at, row[2].real ?? 0)
            let helped = Int(row[4].integer ?? 0)
            tally.count("volunteer_beneficiaries_by_activity", desk: desk, month: at, helped)
            tally.count("volunteer_beneficiaries_by_activity\u{1F}" + type, desk: desk, month: at, helped)
            if let key = row[5].text { tally.key("volunteers", desk: desk, month: at, key) }
        }
        return tally
    }

    /// Whole days between two ISO dates (or date-times: their dates).
    static func days(from start: String, to end: String) -> Double? {
        guard let a = dayNumber(start), let b = dayNumber(end) else { return nil }
        return Double(b - a)
    }

    /// Days since 1970-01-01 of an ISO date's first ten characters (the civil-calendar count,
    /// no formatter needed).
    static func dayNumber(_ iso: String) -> Int? {
        let day = iso.prefix(10)
        guard FormatCheck.isDate(day) else { return nil }
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let (y, m, d) = (parts[1] <= 2 ? parts[0] - 1 : parts[0], parts[1], parts[2])
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Monitoring {
    /// One report read off the audited cube (everything 0 when the period holds no data).
    init(cube: MonitoringCube, scope: MonitoringCube.Scope?, options: Options, registry: String) {
        func shown(_ figure: String) -> SuppressedValue {
            scope.map { cube.shown(MonitoringCube.Cell(figure: figure, scope: $0)) } ?? SuppressedValue(0)
        }
        let warm = shown("referrals_by_kind\u{1F}warm_handoff"), completed = shown("warm_handoffs_completed")
        let withFeedback = shown("referrals_with_feedback")
        let days = (scope.map(cube.feedbackDays) ?? []).sorted()
        let hours = Self.activities.map { activity in (activity, scope.map { cube.hours(activity, $0) } ?? 0) }
        let tables = Self.tableSpecs.map { spec in
            guard let scope else { return SuppressedTable(name: spec.name, counts: [:]) }
            let cells: [(String, MonitoringCube.Cell)]
            switch spec.rows {
            case .categories:
                cells = cube.categories(of: spec.name).map { ($0, spec.cell($0, scope)) }
            case .desks:
                cells = (scope.desk.map { [$0] } ?? Array(cube.desks.indices)).map {
                    (cube.desks[$0], MonitoringCube.Cell(figure: "contacts", scope: .init(desk: $0, months: scope.months)))
                }
            case .months:
                cells = scope.months.map { (cube.months[$0], MonitoringCube.Cell(figure: "contacts", scope: .init(desk: scope.desk, months: $0...$0))) }
            }
            let shownCells = Dictionary(uniqueKeysWithValues: cells.map { ($0.0, cube.shown($0.1)) }.filter { $0.1.count > 0 })
            return SuppressedTable(name: spec.name, counts: shownCells.mapValues(\.count), order: spec.order, sortedByKey: spec.rows == .months,
                                   shown: { shownCells[$0]! }, total: cube.shown(spec.totalCell(scope)))
        }
        self.init(
            options: options, registry: registry, peopleReached: shown("people_reached"), contacts: shown("contacts"), tables: tables,
            warmHandoffCompleted: completed, warmHandoffs: warm,
            completionRate: warm.suppressed || completed.suppressed || warm.count < Self.threshold ? nil : Double(completed.count) / Double(warm.count),
            medianDaysToFeedback: withFeedback.suppressed || days.count < Self.threshold ? nil
                : days.count % 2 == 1 ? days[days.count / 2] : (days[days.count / 2 - 1] + days[days.count / 2]) / 2,
            referralsWithFeedback: withFeedback, volunteerHours: hours.reduce(0) { $0 + $1.1 }, hoursByActivity: hours,
            volunteers: shown("volunteers"))
    }
}

/// A count as it may be shown: nil `shown` means suppressed ("<5").
public struct SuppressedValue: Sendable, Equatable {
    public var count: Int
    public var suppressed: Bool
    /// Hidden to protect another figure (`x`), not because it is small.
    public var protecting = false

    public init(_ count: Int) {
        self.count = count
        suppressed = count > 0 && count < Monitoring.threshold
    }

    public var text: String { SuppressedTable.text(count, suppressed: suppressed, protecting: protecting) }
}

/// A breakdown of people or contacts by one category, with small cells protected:
///
/// 1. every count from 1 to 4 is suppressed (zero is shown: it identifies no one), written "<5";
/// 2. if the suppressed cells could be worked out from the total (one cell suppressed, or
///    several whose sum is under 5), the smallest shown cells are suppressed too, until they
///    cannot; if no cell is left to hide, the total is hidden instead. Such a cell may hold any
///    count, so it is written "x" (hidden to protect others), never "<5", which would be false;
/// 3. a total from 1 to 4 is suppressed.
public struct SuppressedTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var suppressed: Bool
        /// Hidden to protect other cells, not because it is small.
        public var protecting = false
        public var text: String { SuppressedTable.text(count, suppressed: suppressed, protecting: protecting) }
    }

    /// The mark of a count hidden to protect others.
    public static let protectingMark = "x"

    static func text(_ count: Int, suppressed: Bool, protecting: Bool) -> String {
        guard suppressed else { return String(count) }
        return protecting ? protectingMark : "<\(Monitoring.threshold)"
    }

    public var name: String
    public var rows: [Row]
    public var total: Int
    public var totalSuppressed: Bool
    public var totalProtecting = false
    public var totalText: String { Self.text(total, suppressed: totalSuppressed, protecting: totalProtecting) }

    public init(name: String, counts: [String: Int], order: [String] = [], sortedByKey: Bool = false) {
        self.name = name
        let known = order.filter { counts[$0] != nil }
        let others = counts.keys.filter { !order.contains($0) }
        let keys = known + (sortedByKey ? others.sorted() : others.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) })
        rows = keys.map { Row(key: $0, count: counts[$0]!, suppressed: (1..<Monitoring.threshold).contains(counts[$0]!)) }
        total = counts.values.reduce(0, +)
        totalSuppressed = (1..<Monitoring.threshold).contains(total)
        protectFromSubtraction()
    }

    /// A table whose cells were protected elsewhere (`MonitoringCube.audit`): each row and the
    /// total shown as decided there.
    init(name: String, counts: [String: Int], order: [String], sortedByKey: Bool, shown: (String) -> SuppressedValue, total: SuppressedValue) {
        self.init(name: name, counts: counts, order: order, sortedByKey: sortedByKey)
        for index in rows.indices {
            let cell = shown(rows[index].key)
            rows[index].suppressed = cell.suppressed
            rows[index].protecting = cell.protecting
        }
        totalSuppressed = total.suppressed
        totalProtecting = total.protecting
    }

    /// Hides what the total would give away of the hidden cells (run again after more are hidden).
    mutating func protectFromSubtraction() {
        guard !totalSuppressed else { return }
        while true {
            let hidden = rows.filter(\.suppressed)
            let sum = hidden.reduce(0) { $0 + $1.count }
            guard hidden.count == 1 || (hidden.count > 1 && sum < Monitoring.threshold) else { return }
            let candidates = rows.indices.filter { !rows[$0].suppressed && rows[$0].count > 0 }
            guard let smallest = candidates.min(by: { rows[$0].count < rows[$1].count }) else {
                totalSuppressed = true
                totalProtecting = true
                return
            }
            rows[smallest].suppressed = true
            rows[smallest].protecting = true
        }
    }
}
