/// A date pattern such as `dd/MM/yyyy`, `d.M.yy` or `yyyy-MM-dd`.
public struct DatePattern: Sendable {
    enum Token: Sendable {
        case day(Int), month(Int), year(Int)
        /// An ASCII separator byte.
        case literal(UInt8)
    }

    public let source: String
    let tokens: [Token]

    /// Nil when the pattern has no day, month and year, or separators that are not ASCII.
    public init?(_ source: String) {
        self.source = source
        var tokens: [Token] = []
        var characters = Array(source)[...]
        while let first = characters.first {
            let run = characters.prefix { $0 == first }
            switch first {
            case "d": tokens.append(.day(run.count))
            case "M": tokens.append(.month(run.count))
            case "y": tokens.append(.year(run.count))
            default:
                guard let ascii = first.asciiValue else { return nil }
                tokens.append(.literal(ascii))
                characters = characters.dropFirst()
                continue
            }
            characters = characters.dropFirst(run.count)
        }
        let kinds = tokens.map { token -> Int in
            switch token {
            case .day: return 1
            case .month: return 2
            case .year: return 3
            case .literal: return 0
            }
        }
        guard kinds.filter({ $0 == 1 }).count == 1, kinds.filter({ $0 == 2 }).count == 1, kinds.filter({ $0 == 3 }).count == 1 else { return nil }
        self.tokens = tokens
    }

    /// The ISO 8601 date, or nil when `text` does not fit the pattern or names no real day.
    /// A time after the date (`03/11/2026 00:00`, as spreadsheets add) is ignored.
    public func isoDate(from text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var i = 0
            var day = 0, month = 0, year = 0
            for token in tokens {
                switch token {
                case .literal(let ascii):
                    guard i < bytes.count, bytes[i] == ascii else { return nil }
                    i += 1
                case .day(let width), .month(let width), .year(let width):
                    let maximum = width == 1 ? 2 : width
                    var n = 0
                    var digits = 0
                    while digits < maximum, i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                        n = n * 10 + Int(bytes[i] - 0x30)
                        digits += 1
                        i += 1
                    }
                    guard digits > 0, width == 1 || digits == width else { return nil }
                    switch token {
                    case .day: day = n
                    case .month: month = n
                    default: year = width == 2 ? (n < 70 ? 2000 + n : 1900 + n) : n
                    }
                }
            }
            if i < bytes.count {
                // A time after the date, as spreadsheets add it ("03/11/2026 00:00").
                guard bytes[i] == 0x20 || bytes[i] == UInt8(ascii: "T") else { return nil }
                for b in bytes[(i + 1)...] where !(b >= 0x30 && b <= 0x3A) && b != UInt8(ascii: ".") { return nil }
            }
            guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year), (1...9999).contains(year) else { return nil }
            return String(unsafeUninitializedCapacity: 10) { out in
                var value = year
                for k in stride(from: 3, through: 0, by: -1) { out[k] = UInt8(0x30 + value % 10); value /= 10 }
                out[4] = UInt8(ascii: "-")
                out[5] = UInt8(0x30 + month / 10); out[6] = UInt8(0x30 + month % 10)
                out[7] = UInt8(ascii: "-")
                out[8] = UInt8(0x30 + day / 10); out[9] = UInt8(0x30 + day % 10)
                return 10
            }
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
