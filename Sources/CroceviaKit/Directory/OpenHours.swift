/// When a place is open, read from HSDS schedules (RFC 5545's weekly rule: `byday` of `MO`…`SU`,
/// `opens_at` and `closes_at` as `HH:MM`), for the `day` and `time` filters.
public struct OpenHours: Sendable, Equatable {
    /// Opening spans: day of the week (0 = Monday) and minutes after midnight.
    struct Span: Sendable, Equatable {
        var day: Int
        var opens: Int
        var closes: Int
    }

    private(set) var spans: [Span] = []

    public init(schedules: [JSONValue]) {
        for case .object(let schedule) in schedules {
            let frequency = schedule["freq"]?.stringValue?.uppercased()
            guard frequency == nil || frequency == "WEEKLY" || frequency == "DAILY" else { continue }
            var days = (schedule["byday"]?.stringValue ?? "").split(separator: ",").compactMap { Self.day(String($0)) }
            if days.isEmpty && frequency == "DAILY" { days = Array(0..<7) }
            let opens = schedule["opens_at"]?.stringValue.flatMap(Self.minutes) ?? 0
            let closes = schedule["closes_at"]?.stringValue.flatMap(Self.minutes) ?? 24 * 60
            for day in days { spans.append(Span(day: day, opens: opens, closes: closes)) }
        }
    }

    public var isEmpty: Bool { spans.isEmpty }

    /// Whether it is open on `day` (any time of it when `minute` is nil), or at `minute` of any
    /// day when `day` is nil. A span that closes before it opens runs past midnight.
    public func isOpen(day: Int?, minute: Int?) -> Bool {
        spans.contains { span in
            guard let minute else { return day == nil || span.day == day }
            if span.closes > span.opens {
                return (day == nil || span.day == day) && span.opens <= minute && minute < span.closes
            }
            return (day == nil || span.day == day) && minute >= span.opens || (day == nil || (span.day + 1) % 7 == day) && minute < span.closes
        }
    }

    /// 0 (Monday) to 6: `MO`, a rule's `1MO`, `monday`, `lunedì`, `lun`, `mon`.
    public static func day(_ text: String) -> Int? {
        let folded = TextFold.folded(text)
        let letters = String(folded.drop { $0.isNumber || $0 == "-" || $0 == "+" })
        for (index, names) in dayNames.enumerated() where names.contains(letters) { return index }
        return nil
    }

    static let dayNames: [Set<String>] = [
        ["mo", "mon", "monday", "lun", "lunedi"], ["tu", "tue", "tuesday", "mar", "martedi"],
        ["we", "wed", "wednesday", "mer", "mercoledi"], ["th", "thu", "thursday", "gio", "giovedi"],
        ["fr", "fri", "friday", "ven", "venerdi"], ["sa", "sat", "saturday", "sab", "sabato"],
        ["su", "sun", "sunday", "dom", "domenica"],
    ]

    /// Minutes after midnight of `HH:MM` or `HH:MM:SS` (a zone after it is ignored); nil for
    /// anything else.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.prefix(5).split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 24 * 60 else { return nil }
        return hours * 60 + minutes
    }
}
