/// The registry's case data counted per desk and per month: every report `crocevia report
/// monitoring` can give (the whole network or one desk, over any run of whole months) is made of
/// these cells. So which figures to hide is decided here once, for all those reports together,
/// and a report only reads the decision (see `audit()`).
struct MonitoringCube {
    /// The reach of one report: a desk (an index of `desks`) or the whole network (nil), and a
    /// run of months (indices of `months`).
    struct Scope: Hashable {
        var desk: Int?
        var months: ClosedRange<Int>
    }

    /// One figure of one report.
    struct Cell: Hashable {
        var figure: String
        var scope: Scope
    }

    /// `yyyy-MM`, every month from the first to the last that holds case data.
    let months: [String]
    /// Desk ids ("" for records that name none).
    let desks: [String]
    /// Counts that add up (contacts, needs by category…): per figure, per desk, the running sum
    /// over months (`[d][m + 1]` holds months `0...m`).
    private let sums: [String: [[Int]]]
    /// Counts of distinct keys (people, volunteers), which do not add up: per desk and month.
    private let keys: [String: [[Set<String>]]]
    private let feedbackDays: [[[Double]]]
    private let hours: [String: [[Double]]]
    /// Cells hidden to protect others, decided by `audit()`.
    private(set) var protecting: Set<Cell> = []

    /// The counts as they are read, before the cube knows its months and desks.
    struct Tally {
        var counts: [String: [String: [String: Int]]] = [:]
        var keys: [String: [String: [String: Set<String>]]] = [:]
        var days: [String: [String: [Double]]] = [:]
        var hours: [String: [String: [String: Double]]] = [:]
        var deskNames: Set<String> = []
        var monthNames: Set<String> = []

        mutating func note(_ desk: String, _ month: String) {
            deskNames.insert(desk)
            monthNames.insert(month)
        }

        mutating func count(_ figure: String, desk: String, month: String, _ n: Int = 1) {
            note(desk, month)
            counts[figure, default: [:]][desk, default: [:]][month, default: 0] += n
        }

        mutating func key(_ figure: String, desk: String, month: String, _ key: String) {
            note(desk, month)
            keys[figure, default: [:]][desk, default: [:]][month, default: []].insert(key)
        }

        mutating func feedback(desk: String, month: String, days: Double) {
            note(desk, month)
            self.days[desk, default: [:]][month, default: []].append(days)
        }

        mutating func hours(_ activity: String, desk: String, month: String, _ value: Double) {
            note(desk, month)
            hours[activity, default: [:]][desk, default: [:]][month, default: 0] += value
        }
    }

    init(_ tally: Tally) {
        months = Self.monthRun(tally.monthNames)
        desks = tally.deskNames.sorted()
        let monthIndex = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0) })
        let (months, desks) = (months, desks)
        func grid<T>(_ byDesk: [String: [String: T]], empty: T) -> [[T]] {
            desks.map { desk in
                var row = Array(repeating: empty, count: months.count)
                for (month, value) in byDesk[desk] ?? [:] { row[monthIndex[month]!] = value }
                return row
            }
        }
        sums = tally.counts.mapValues { byDesk in
            grid(byDesk, empty: 0).map { row in row.reduce(into: [0]) { $0.append($0.last! + $1) } }
        }
        keys = tally.keys.mapValues { grid($0, empty: []) }
        feedbackDays = grid(tally.days, empty: [])
        hours = tally.hours.mapValues { grid($0, empty: 0) }
    }

    /// Every month from the first to the last, so that a run of months is a range of indices.
    static func monthRun(_ names: Set<String>) -> [String] {
        func parts(_ month: String) -> (Int, Int)? {
            let pieces = month.split(separator: "-")
            guard pieces.count == 2, let year = Int(pieces[0]), let number = Int(pieces[1]), (1...12).contains(number) else { return nil }
            return (year, number)
        }
        let valid = names.compactMap(parts).sorted { $0 < $1 }
        guard var (year, month) = valid.first, let last = valid.last else { return [] }
        var run: [String] = []
        while (year, month) <= last {
            run.append(String(format: "%04d-%02d", year, month))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return run
    }

    /// The scope of a report for whole months `from`…`to` (`yyyy-MM`), clipped to the months
    /// that hold data; nil when none of them does (every figure is then 0).
    func scope(desk: String?, from: String, to: String) -> Scope? {
        guard let first = months.firstIndex(where: { $0 >= from }), let last = months.lastIndex(where: { $0 <= to }), first <= last else { return nil }
        if let desk {
            guard let index = desks.firstIndex(of: desk) else { return nil }
            return Scope(desk: index, months: first...last)
        }
        return Scope(desk: nil, months: first...last)
    }

    // MARK: Values

    func value(_ cell: Cell) -> Int {
        if let sums = sums[cell.figure] {
            let deskRange = cell.scope.desk.map { $0...$0 } ?? 0...(desks.count - 1)
            return deskRange.reduce(0) { $0 + sums[$1][cell.scope.months.upperBound + 1] - sums[$1][cell.scope.months.lowerBound] }
        }
        guard let keys = keys[cell.figure] else { return 0 }
        var seen: Set<String> = []
        for desk in cell.scope.desk.map({ [$0] }) ?? Array(desks.indices) {
            for month in cell.scope.months { seen.formUnion(keys[desk][month]) }
        }
        return seen.count
    }

    func value(_ figure: String, _ scope: Scope) -> Int { value(Cell(figure: figure, scope: scope)) }

    /// How a cell is shown.
    func shown(_ cell: Cell) -> SuppressedValue {
        var shown = SuppressedValue(value(cell))
        if !shown.suppressed, protecting.contains(cell) {
            shown.suppressed = true
            shown.protecting = true
        }
        return shown
    }

    func feedbackDays(_ scope: Scope) -> [Double] {
        (scope.desk.map { [$0] } ?? Array(desks.indices)).flatMap { desk in scope.months.flatMap { feedbackDays[desk][$0] } }
    }

    func hours(_ activity: String, _ scope: Scope) -> Double {
        guard let grid = hours[activity] else { return 0 }
        return (scope.desk.map { [$0] } ?? Array(desks.indices)).reduce(0) { total, desk in scope.months.reduce(total) { $0 + grid[desk][$1] } }
    }

    /// The category keys of a table (figures named `table` + U+001F + key) anywhere in the cube.
    func categories(of table: String) -> [String] {
        let prefix = table + "\u{1F}"
        return sums.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    var allScopes: [Scope] {
        guard !months.isEmpty else { return [] }
        var scopes: [Scope] = []
        for desk in [nil] + desks.indices.map(Optional.some) {
            for first in months.indices {
                for last in first..<months.count { scopes.append(Scope(desk: desk, months: first...last)) }
            }
        }
        return scopes
    }

    // MARK: The audit

    /// A total and the cells it is the sum of.
    struct Column {
        var total: Cell
        var members: [Cell]
    }

    /// Decides, for all reports at once, which figures are hidden to protect others:
    ///
    /// 1. **Pairs**: where one report's scope holds another's (the network holds each desk; a run
    ///    of months holds its shorter runs), a figure shown in both may not differ by 1 to 4:
    ///    the inner one is hidden (`x`). This covers counts of people too, which do not add up.
    /// 2. **Sums**: a total and the cells it adds up from (a table's categories; the desks of the
    ///    network, for each run of months; the single months of a run, for the network and each
    ///    desk) are protected as one table is (`SuppressedTable.protectFromSubtraction`): the
    ///    hidden cells may not be one alone nor add up to less than 5; the smallest shown cell is
    ///    hidden next, the total when none is left. Repeated until nothing changes, since a cell
    ///    hidden in one sum may open another.
    ///
    /// Combinations of three or more reports beyond these sums are not audited.
    mutating func audit(columns: [Column]) {
        let scopes = allScopes
        for figure in Array(sums.keys) + Array(keys.keys) {
            var values: [Scope: Int] = [:]
            for scope in scopes { values[scope] = value(figure, scope) }
            for outer in scopes {
                let whole = values[outer]!
                guard whole >= Monitoring.threshold, !protecting.contains(Cell(figure: figure, scope: outer)) else { continue }
                for inner in scopes where inner != outer && (outer.desk == nil || inner.desk == outer.desk) && outer.months.contains(inner.months.lowerBound) && outer.months.contains(inner.months.upperBound) {
                    let part = values[inner]!
                    // A part from 1 to 4 is hidden already; hiding the whole is the sums' job.
                    if (1..<Monitoring.threshold).contains(whole - part), part >= Monitoring.threshold {
                        protecting.insert(Cell(figure: figure, scope: inner))
                    }
                }
            }
        }
        var changed = true
        while changed {
            changed = false
            for column in columns where protect(column) { changed = true }
        }
    }

    /// Hides what a column's total would give away of its hidden cells; true if it hid anything.
    private mutating func protect(_ column: Column) -> Bool {
        guard !shown(column.total).suppressed else { return false }
        var changed = false
        while true {
            let hidden = column.members.filter { shown($0).suppressed }
            let sum = hidden.reduce(0) { $0 + value($1) }
            guard hidden.count == 1 || (hidden.count > 1 && sum < Monitoring.threshold) else { return changed }
            let candidates = column.members.filter { !shown($0).suppressed && value($0) > 0 }
            changed = true
            guard let smallest = candidates.min(by: { (value($0), $0.figure) < (value($1), $1.figure) }) else {
                protecting.insert(column.total)
                return true
            }
            protecting.insert(smallest)
        }
    }

    /// The sums of desks and of months, for every additive figure.
    func deskAndMonthColumns() -> [Column] {
        var columns: [Column] = []
        for figure in sums.keys.sorted() {
            for scope in allScopes {
                if scope.desk == nil, desks.count > 1 {
                    columns.append(Column(total: Cell(figure: figure, scope: scope),
                                          members: desks.indices.map { Cell(figure: figure, scope: Scope(desk: $0, months: scope.months)) }))
                }
                if scope.months.count > 1 {
                    columns.append(Column(total: Cell(figure: figure, scope: scope),
                                          members: scope.months.map { Cell(figure: figure, scope: Scope(desk: scope.desk, months: $0...$0)) }))
                }
            }
        }
        return columns
    }
}
