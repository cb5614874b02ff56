import Foundation

/// The network's monitoring figures for a period, from the registry's case tables: people
/// reached, contacts by phase, channel, desk and month, needs, referrals and how warm hand-offs
/// end, days to feedback, volunteer hours and the people they helped, benefits handed over.
///
/// Figures that count people are protected before anyone sees them (see `SuppressedTable`):
/// a count from 1 to 4 is shown as "<5", and a table's other cells or total are hidden too
/// when they would give it away. Rates and medians over fewer than 5 are not shown.
public struct Monitoring: Sendable {
    public struct Options: Sendable {
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

    /// Reads the period's case data from the registry. A desk's figures are then protected
    /// against the whole network's for the same period (see `protect(against:)`).
    public static func gather(from db: RegistryDatabase, options: Options) throws -> Monitoring {
        var figures = try gatherUnprotected(from: db, options: options)
        if let desk = options.desk {
            let network = try gatherUnprotected(from: db, options: Options(from: options.from, to: options.to))
            figures.protect(against: network)
            // The other desks' reports too: every desk's figure of a category, as a column whose
            // total is the network's, protected at once.
            let desks = network.tables.first { $0.name == "contacts_by_desk" }?.rows.map(\.key) ?? []
            var columns: [String: [String: Int]] = [:]
            for other in desks {
                let part = other == desk ? figures : try gatherUnprotected(from: db, options: Options(from: options.from, to: options.to, desk: other))
                for table in part.tables {
                    for row in table.rows { columns[table.name + "\u{1F}" + row.key, default: [:]][other] = row.count }
                    columns[table.name + "\u{1F}", default: [:]][other] = table.total
                }
                for (name, value) in part.headline { columns["\u{1F}" + name, default: [:]][other] = value.count }
            }
            figures.protect(desk: desk, columns: columns)
        }
        return figures
    }

    /// The headline counts, by name.
    static var headlineFields: [(String, WritableKeyPath<Monitoring, SuppressedValue>)] {
        [("people_reached", \.peopleReached), ("contacts", \.contacts), ("warm_handoffs", \.warmHandoffs),
         ("warm_handoffs_completed", \.warmHandoffCompleted), ("referrals_with_feedback", \.referralsWithFeedback), ("volunteers", \.volunteers)]
    }

    var headline: [(String, SuppressedValue)] { Self.headlineFields.map { ($0.0, self[keyPath: $0.1]) } }

    /// A desk's cells hidden where the column of all desks' cells for that category (its total
    /// the network's) hides this desk's: so the network's report minus every other desk's report
    /// gives no small count either.
    mutating func protect(desk: String, columns: [String: [String: Int]]) {
        func hiddenInColumn(_ key: String) -> Bool {
            guard let counts = columns[key] else { return false }
            return SuppressedTable(name: key, counts: counts).rows.first { $0.key == desk }?.suppressed ?? false
        }
        // The headline counts too (people are counted once per desk: taken as if they added up).
        for (name, keyPath) in Self.headlineFields where !self[keyPath: keyPath].suppressed && self[keyPath: keyPath].count > 0 {
            if hiddenInColumn("\u{1F}" + name) {
                self[keyPath: keyPath].suppressed = true
                self[keyPath: keyPath].protecting = true
            }
        }
        if warmHandoffs.suppressed || warmHandoffCompleted.suppressed { completionRate = nil }
        if referralsWithFeedback.suppressed { medianDaysToFeedback = nil }
        for index in tables.indices {
            let name = tables[index].name
            for row in tables[index].rows.indices where !tables[index].rows[row].suppressed && tables[index].rows[row].count > 0 {
                if hiddenInColumn(name + "\u{1F}" + tables[index].rows[row].key) {
                    tables[index].rows[row].suppressed = true
                    tables[index].rows[row].protecting = true
                }
            }
            if !tables[index].totalSuppressed, tables[index].total > 0, hiddenInColumn(name + "\u{1F}") {
                tables[index].totalSuppressed = true
                tables[index].totalProtecting = true
            }
            tables[index].protectFromSubtraction()
        }
    }

    /// A desk's report and the network's report for the same period could be subtracted: the
    /// rest of the network would show. So a desk's figure is hidden (`x`) when the rest of the
    /// network's (network minus desk) is from 1 to 4, or when the network's own figure is hidden;
    /// a table then hides what its total would give away, as it always does. Rates and medians
    /// go with the counts they are made of.
    mutating func protect(against network: Monitoring) {
        func guarded(_ value: inout SuppressedValue, _ whole: SuppressedValue) {
            guard !value.suppressed, value.count > 0 else { return }
            if whole.suppressed || (1..<Self.threshold).contains(whole.count - value.count) {
                value.suppressed = true
                value.protecting = true
            }
        }
        guarded(&peopleReached, network.peopleReached)
        guarded(&contacts, network.contacts)
        guarded(&warmHandoffs, network.warmHandoffs)
        guarded(&warmHandoffCompleted, network.warmHandoffCompleted)
        guarded(&referralsWithFeedback, network.referralsWithFeedback)
        guarded(&volunteers, network.volunteers)
        if warmHandoffs.suppressed || warmHandoffCompleted.suppressed { completionRate = nil }
        if referralsWithFeedback.suppressed { medianDaysToFeedback = nil }
        for index in tables.indices {
            if let whole = network.tables.first(where: { $0.name == tables[index].name }) { tables[index].protect(against: whole) }
        }
    }

    static func gatherUnprotected(from db: RegistryDatabase, options: Options) throws -> Monitoring {
        func inPeriod(_ moment: String?) -> Bool {
            guard let moment, moment.count >= 10 else { return false }
            let day = String(moment.prefix(10))
            return day >= options.from && day <= options.to
        }
        // Contacts of the period (and desk), by source and id, for the rows that hang off them.
        var contactDesk: [String: String] = [:]
        var people: Set<String> = []
        var byPhase: [String: Int] = [:], byChannel: [String: Int] = [:], byDesk: [String: Int] = [:], byMonth: [String: Int] = [:]
        var contactCount = 0
        try db.query("SELECT source, id, person_key, desk_id, datetime, channel, phase FROM case_contact", []) { row in
            guard inPeriod(row[4].text) else { return }
            let desk = row[3].text ?? ""
            if let wanted = options.desk, desk != wanted { return }
            contactCount += 1
            contactDesk[(row[0].text ?? "") + "\u{1F}" + (row[1].text ?? "")] = desk
            if let key = row[2].text { people.insert(key) }
            byPhase[row[6].text ?? "", default: 0] += 1
            byChannel[row[5].text ?? "", default: 0] += 1
            byDesk[desk, default: 0] += 1
            byMonth[String((row[4].text ?? "").prefix(7)), default: 0] += 1
        }
        func contactKey(_ source: SQLValue, _ contact: SQLValue) -> String? {
            guard let contact = contact.text else { return nil }
            let key = (source.text ?? "") + "\u{1F}" + contact
            return contactDesk[key] != nil ? key : nil
        }
        var needs: [String: Int] = [:]
        try db.query("SELECT source, contact_id, category FROM case_need", []) { row in
            guard contactKey(row[0], row[1]) != nil else { return }
            needs[row[2].text ?? "", default: 0] += 1
        }
        // A referral belongs to the period of its first status change (else of its contact).
        var byKind: [String: Int] = [:], byStatus: [String: Int] = [:]
        var warm = 0, warmCompleted = 0
        var feedbackDays: [Double] = []
        let moments = CaseTables.moments.map(quoted).joined(separator: ", ")
        try db.query("SELECT source, contact_id, person_key, kind, status, feedback_at, \(moments) FROM case_referral", []) { row in
            let times = row[6...].compactMap(\.text)
            let linked = contactKey(row[0], row[1])
            if let desk = options.desk, linked.flatMap({ contactDesk[$0] }) != desk { return }
            guard inPeriod(times.min()) || (times.isEmpty && linked != nil) else { return }
            if let key = row[2].text { people.insert(key) }
            byKind[row[3].text ?? "", default: 0] += 1
            byStatus[row[4].text ?? "", default: 0] += 1
            if row[3].text == "warm_handoff" {
                warm += 1
                if row[4].text == "completed" { warmCompleted += 1 }
            }
            let start = row[7].text ?? row[6].text  // sent_at, else proposed_at
            if let start, let feedback = row[5].text, let days = Self.days(from: start, to: feedback) { feedbackDays.append(days) }
        }
        var benefits: [String: Int] = [:]
        try db.query("SELECT source, contact_id, date, benefit FROM case_outcome", []) { row in
            guard inPeriod(row[2].text) else { return }
            if options.desk != nil && contactKey(row[0], row[1]) == nil { return }
            if let benefit = row[3].text { benefits[benefit, default: 0] += 1 }
        }
        var hours: [String: Double] = [:]
        var helped: [String: Int] = [:]
        var volunteerKeys: Set<String> = []
        try db.query("SELECT desk_id, date, hours, activity_type, beneficiaries, volunteer_key FROM case_volunteer_activity", []) { row in
            guard inPeriod(row[1].text) else { return }
            if let desk = options.desk, row[0].text != desk { return }
            let type = row[3].text ?? ""
            hours[type, default: 0] += row[2].real ?? 0
            helped[type, default: 0] += Int(row[4].integer ?? 0)
            if let key = row[5].text { volunteerKeys.insert(key) }
        }
        let tables = [
            SuppressedTable(name: "contacts_by_phase", counts: byPhase, order: ["accoglienza", "orientamento", "offerta"]),
            SuppressedTable(name: "contacts_by_channel", counts: byChannel, order: ["in_person", "phone", "outreach", "online"]),
            SuppressedTable(name: "contacts_by_desk", counts: byDesk),
            SuppressedTable(name: "contacts_by_month", counts: byMonth, sortedByKey: true),
            SuppressedTable(name: "needs_by_category", counts: needs),
            SuppressedTable(name: "referrals_by_kind", counts: byKind, order: ["information", "referral", "warm_handoff"]),
            SuppressedTable(name: "referrals_by_status", counts: byStatus, order: CaseChecks.order),
            SuppressedTable(name: "benefits_by_type", counts: benefits),
            SuppressedTable(name: "volunteer_beneficiaries_by_activity", counts: helped,
                            order: ["front_desk", "presence", "accompaniment", "side_project", "training"]),
        ]
        let sortedDays = feedbackDays.sorted()
        let median: Double? = sortedDays.count < threshold ? nil
            : sortedDays.count % 2 == 1 ? sortedDays[sortedDays.count / 2]
            : (sortedDays[sortedDays.count / 2 - 1] + sortedDays[sortedDays.count / 2]) / 2
        return Monitoring(
            options: options, registry: db.location,
            peopleReached: SuppressedValue(people.count), contacts: SuppressedValue(contactCount), tables: tables,
            warmHandoffCompleted: SuppressedValue(warmCompleted), warmHandoffs: SuppressedValue(warm),
            completionRate: warm < threshold ? nil : Double(warmCompleted) / Double(warm),
            medianDaysToFeedback: median, referralsWithFeedback: SuppressedValue(feedbackDays.count),
            volunteerHours: hours.values.reduce(0, +),
            hoursByActivity: ["front_desk", "presence", "accompaniment", "side_project", "training"].map { ($0, hours[$0] ?? 0) },
            volunteers: SuppressedValue(volunteerKeys.count))
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

    /// A desk's table against the network's (see `Monitoring.protect(against:)`).
    mutating func protect(against whole: SuppressedTable) {
        for index in rows.indices where !rows[index].suppressed && rows[index].count > 0 {
            let wholeRow = whole.rows.first { $0.key == rows[index].key }
            let rest = (wholeRow?.count ?? 0) - rows[index].count
            if wholeRow?.suppressed == true || (1..<Monitoring.threshold).contains(rest) {
                rows[index].suppressed = true
                rows[index].protecting = true
            }
        }
        if !totalSuppressed, total > 0, whole.totalSuppressed || (1..<Monitoring.threshold).contains(whole.total - total) {
            totalSuppressed = true
            totalProtecting = true
        }
        protectFromSubtraction()
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
