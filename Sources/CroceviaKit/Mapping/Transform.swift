import Foundation

/// One step of a field's transform pipeline. Each step takes the field's values (a cell may
/// become several through `split`) and gives new ones; an empty string after a step is dropped,
/// so an empty cell yields no value at all rather than `""`.
public enum Transform: Sendable {
    case trim, upper, lower, title
    /// Collapses runs of white space into one space.
    case squash
    case split(Splitter)
    case join(String)
    case replace(Pattern, with: String)
    case map(ValueMap)
    /// Reads dates in the given patterns (`dd/MM/yyyy`) and writes ISO 8601 (`2026-11-03`).
    case date([DatePattern])
    /// Reads a number; with `decimalComma`, `1.234,5` is 1234.5 (the Italian way).
    case number(decimalComma: Bool)
    /// Reads a whole number (`12`, `12,0`).
    case integer
    /// Drops placeholder values such as `-`, `n.d.`, `/` (compared without case).
    case drop(Set<String>)

    /// A literal separator or a regular expression.
    public enum Splitter: Sendable {
        case text(String)
        case pattern(Pattern)
    }

    /// A compiled regular expression with its source text.
    public struct Pattern: @unchecked Sendable {
        public let source: String
        let regex: NSRegularExpression

        public init(_ source: String) throws {
            self.source = source
            regex = try NSRegularExpression(pattern: source)
        }

        func replacing(in text: String, with template: String) -> String {
            regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }

        func split(_ text: String) -> [String] {
            var parts: [String] = []
            var last = text.startIndex
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text), !range.isEmpty else { continue }
                parts.append(String(text[last..<range.lowerBound]))
                last = range.upperBound
            }
            parts.append(String(text[last...]))
            return parts
        }
    }

    /// A crosswalk from the partner's values to the target's.
    public struct ValueMap: Sendable {
        public var entries: [String: JSONValue]
        /// Used for values the map does not list; nil keeps such a value and reports it.
        public var fallback: JSONValue?
        public var ignoreCase: Bool

        func key(_ text: String) -> String {
            let trimmed = text.trimmingWhitespace()
            return ignoreCase ? trimmed.lowercased() : trimmed
        }
    }

    /// Applies the step to every value; problems go to `report` as (severity, rule, message,
    /// value).
    func apply(_ values: inout FieldValues, report: (Finding.Severity, String, String, String) -> Void) {
        switch self {
        case .join, .split:
            values = FieldValues(applyToList(values.array, report: report))
        default:
            switch values {
            case .none: return
            case .one(let value): values = applyToValue(value, report: report).map { .one($0) } ?? .none
            case .many(let items): values = FieldValues(items.compactMap { applyToValue($0, report: report) })
            }
        }
    }

    private func applyToList(_ values: [JSONValue], report: (Finding.Severity, String, String, String) -> Void) -> [JSONValue] {
        if case .join(let separator) = self {
            let text = values.map(\.cellText).filter { !$0.isEmpty }.joined(separator: separator)
            return text.isEmpty ? [] : [.string(text)]
        }
        guard case .split(let splitter) = self else { return values }
        var output: [JSONValue] = []
        for value in values {
            guard case .string(let text) = value else { output.append(value); continue }
            let parts: [String]
            switch splitter {
            case .text(let separator): parts = text.splitting(on: separator)
            case .pattern(let pattern): parts = pattern.split(text)
            }
            for part in parts {
                let trimmed = part.trimmingWhitespace()
                if !trimmed.isEmpty { output.append(.string(trimmed)) }
            }
        }
        return output
    }

    /// One value through a per-value step; nil when the step drops it.
    private func applyToValue(_ value: JSONValue, report: (Finding.Severity, String, String, String) -> Void) -> JSONValue? {
        let text: String
        switch value {
        case .string(let string): text = string
        case .bool, .number:
            // A map also translates booleans and numbers (`true: active`); other steps leave them be.
            guard case .map = self else { return value }
            text = value.cellText
        default:
            return value
        }
        guard let result = applyToText(text, report: report) else { return nil }
        if case .string(let s) = result, s.isEmpty { return nil }
        return result
    }

    private func applyToText(_ text: String, report: (Finding.Severity, String, String, String) -> Void) -> JSONValue? {
        switch self {
        case .trim: return .string(text.trimmingWhitespace())
        case .upper: return .string(text.uppercased())
        case .lower: return .string(text.lowercased())
        case .title: return .string(Self.titleCase(text))
        case .squash: return .string(text.squashingWhitespace())
        case .replace(let pattern, let template): return .string(pattern.replacing(in: text, with: template))
        case .drop(let placeholders):
            return placeholders.contains(text.trimmingWhitespace().lowercased()) ? nil : .string(text)
        case .map(let map):
            if let mapped = map.entries[map.key(text)] { return mapped }
            if let fallback = map.fallback { return fallback }
            report(.warning, "map.unmapped", "the value is not in the profile's map; it was kept as it is", text)
            return .string(text)
        case .date(let patterns):
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            for pattern in patterns {
                if let iso = pattern.isoDate(from: trimmed) { return .string(iso) }
            }
            let names = patterns.map(\.source).joined(separator: " or ")
            report(.error, "map.date", "not a date in the form \(names); the value was left out", text)
            return nil
        case .number(let decimalComma):
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            if let number = Self.number(trimmed, decimalComma: decimalComma) { return .number(number) }
            report(.error, "map.number", "not a number\(decimalComma ? " (with a decimal comma)" : ""); the value was left out", text)
            return nil
        case .integer:
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            if let number = Self.number(trimmed, decimalComma: true), let whole = Int(number) { return .number(String(whole)) }
            report(.error, "map.integer", "not a whole number; the value was left out", text)
            return nil
        case .split, .join:
            return .string(text)
        }
    }

    static func titleCase(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var startOfWord = true
        for character in text {
            if character.isLetter {
                result += startOfWord ? character.uppercased() : character.lowercased()
                startOfWord = false
            } else {
                result.append(character)
                startOfWord = !(character.isNumber)
            }
        }
        return result
    }

    /// The JSON number text for a written number, or nil. Spaces and thousands separators are
    /// removed; with `decimalComma` the comma is the decimal mark and dots group thousands.
    static func number(_ text: String, decimalComma: Bool) -> String? {
        var cleaned = ""
        for character in text where !character.isWhitespace {
            if decimalComma {
                if character == "." { continue }
                cleaned.append(character == "," ? "." : character)
            } else {
                if character == "," { continue }
                cleaned.append(character)
            }
        }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(cleaned), value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9.0e15 { return String(Int(value)) }
        return String(value)
    }
}

extension String {
    /// The string with runs of white space made one space and none at either end.
    func squashingWhitespace() -> String {
        var previousSpace = true
        var clean = true
        for byte in utf8 {
            if byte == 0x20 {
                if previousSpace { clean = false; break }
                previousSpace = true
            } else if byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xC2 {
                clean = false
                break
            } else {
                previousSpace = false
            }
        }
        if clean && !previousSpace { return self }
        if clean && isEmpty { return self }
        return split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The parts between occurrences of `separator` (literal text).
    func splitting(on separator: String) -> [String] {
        let bytes = Array(utf8)
        let pattern = Array(separator.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return [self] }
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0] && bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                i += pattern.count
                start = i
            } else {
                i += 1
            }
        }
        if parts.isEmpty { return [self] }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }
}

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
