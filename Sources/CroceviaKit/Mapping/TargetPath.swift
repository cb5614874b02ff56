/// A place in a target object, as profiles write it: `name`, `phones[].number`,
/// `locations[0].addresses[0].postal_code`, `languages[]`.
///
/// `[]` spreads: one element per value the field gives (a cell split into two phone numbers makes
/// two phones). `[k]` names one element. Lists nest: `locations[].phones[].number` gives each
/// location its own phones (see `ValueTree` for how a source's repeated elements meet them).
public struct TargetPath: Sendable, Equatable, CustomStringConvertible {
    public enum Index: Sendable, Equatable {
        case spread
        case fixed(Int)
    }

    public struct Segment: Sendable, Equatable {
        public var name: String
        public var index: Index?
    }

    public var segments: [Segment]
    public let description: String

    public init?(_ text: String) {
        description = text
        segments = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var index: Index?
            if let open = part.firstIndex(of: "[") {
                guard part.last == "]" else { return nil }
                let inside = part[part.index(after: open)..<part.index(before: part.endIndex)]
                if inside.isEmpty {
                    index = .spread
                } else if let k = Int(inside), k >= 0 {
                    index = .fixed(k)
                } else {
                    return nil
                }
                name = part[..<open]
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
            segments.append(Segment(name: String(name), index: index))
        }
        guard !segments.isEmpty else { return nil }
    }

    /// True when the path holds `[]`.
    public var spreads: Bool { segments.contains { $0.index == .spread } }

    /// How many `[]` the path holds: the lists a value of the field sits in.
    public var spreadCount: Int { segments.filter { $0.index == .spread }.count }
}
