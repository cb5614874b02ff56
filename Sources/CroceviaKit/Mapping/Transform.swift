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
    /// A normalizer (`phone`, `tax_code`, `istat_code`, …); the municipality list when it needs
    /// one; the country of phone numbers written without `+`.
    case normalize(Normalizer, Municipalities?, Phone.Country = .italy)
    /// An age in years (`67`) as the network's age band (`65-74`).
    case ageBand

    /// The step's name as a profile writes it (`phone`, `date`, `map`).
    public var name: String {
        switch self {
        case .trim: "trim"
        case .upper: "upper"
        case .lower: "lower"
        case .title: "title"
        case .squash: "squash"
        case .split: "split"
        case .join: "join"
        case .replace: "replace"
        case .map: "map"
        case .date: "date"
        case .number: "number"
        case .integer: "integer"
        case .drop: "drop"
        case .normalize(let normalizer, _, _): normalizer.rawValue
        case .ageBand: "age_band"
        }
    }

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
        case .join, .split, .normalize:
            values = FieldValues(applyToList(values.array, report: report))
        default:
            switch values {
            case .none:
                // A crosswalk's default stands for an absent value too (HSDS fields it fills, such
                // as a status, have a value whether or not the partner wrote one).
                if case .map(let map) = self, let fallback = map.fallback { values = .one(fallback) }
                return
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
        if case .normalize(let normalizer, let municipalities, let country) = self {
            return values.flatMap { value -> [JSONValue] in
                guard case .string(let text) = value else { return [value] }
                if text.trimmingWhitespace().isEmpty { return [] }
                return normalizer.apply(text, municipalities: municipalities, country: country) { severity, rule, message in
                    report(severity, rule, message, text)
                }.map { .string($0) }
            }
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

    static let isoDate = DatePattern("yyyy-MM-dd")!

    /// Steps worth remembering the result of: regular expressions, title case, dates.
    var isCostly: Bool {
        switch self {
        case .replace, .title, .date, .split(.pattern), .normalize: return true
        default: return false
        }
    }

    private var isAgeBand: Bool {
        if case .ageBand = self { return true }
        return false
    }

    private var isMap: Bool {
        if case .map = self { return true }
        return false
    }

    /// One value through a per-value step; nil when the step drops it.
    private func applyToValue(_ value: JSONValue, report: (Finding.Severity, String, String, String) -> Void) -> JSONValue? {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number where self.isAgeBand:
            text = value.cellText
        case .bool, .number:
            // A map also translates booleans and numbers (`true: active`); other steps leave them be.
            guard case .map = self else { return value }
            text = value.cellText
        default:
            return value
        }
        // An empty cell is no value: no step conjures one from it (a replace that adds a prefix
        // would), except a map, whose default may fill in blanks on purpose.
        if text.isEmpty, !isMap { return nil }
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
            if text.trimmingWhitespace().isEmpty { return nil }
            report(.warning, "map.unmapped", "the value is not in the profile's map; it was kept as it is", text)
            return .string(text)
        case .date(let patterns):
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty { return nil }
            for pattern in patterns {
                if let iso = pattern.isoDate(from: trimmed) { return .string(iso) }
            }
            // An ISO date is what a workbook's date cell gives, whatever the profile's patterns say.
            if let iso = Self.isoDate.isoDate(from: trimmed) { return .string(iso) }
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
        case .ageBand:
            if let age = Int(text.trimmingWhitespace()), let band = AgeBand.band(age: age) { return .string(band) }
            report(.error, "map.age_band", "not an age in years; the value was left out", text)
            return nil
        case .split, .join, .normalize:
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
