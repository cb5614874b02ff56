import Foundation

/// A report that a value the directory shows is wrong (issue 15): which service, which field (an
/// HSDS path into the service as `/services/{id}` gives it, such as `phones[0].number` or
/// `organization.email`), what was seen and what is right. Routed when it is made to the source
/// whose record gave the field, and to the object of the directory that holds it.
///
/// States: `pending` (reported), `accepted` (a coordinator took it before the partner did: the
/// publisher shows the offered value, marked as an overlay), `rejected`, `applied` (the partner's
/// next feed carried the offered value). Pending and accepted are open; the other two are closed,
/// and closing deletes the contact. The note and the contact are never published, exported,
/// logged or reported.
public struct Correction: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case pending, accepted, rejected, applied

        public var isOpen: Bool { self == .pending || self == .accepted }
    }

    public var id: String
    public var serviceID: String
    /// The path into the service as served.
    public var field: String
    /// What the reporter says they saw (as given).
    public var seen: String?
    /// The right value.
    public var offered: JSONValue
    /// The value the directory published when the report was made.
    public var previous: JSONValue?
    public var route: CorrectionRoute
    public var state: State
    public var createdAt: String
    public var decidedAt: String?
    public var decidedBy: String?
    /// Who reported it: `api`, `page`, or the desk that used `crocevia correction add`.
    public var reportedBy: String
}

/// Where a correction goes: the source (and its record, and the path in that record) whose feed
/// carries the field, and the directory's object that shows it (a service, an organization, a
/// location) with the path in that object.
public struct CorrectionRoute: Sendable, Equatable {
    public var source: String
    public var recordID: String
    public var recordField: String
    public var targetType: String
    public var targetID: String
    public var targetField: String
}

/// A path into a JSON value with fixed indices only (`phones[0].number`): read and written.
struct FieldPath: Sendable, Equatable {
    let path: TargetPath

    init?(_ text: String) {
        guard let path = TargetPath(text), !path.spreads else { return nil }
        self.path = path
    }

    init(_ path: TargetPath) { self.path = path }

    /// The path after its first `count` segments.
    func dropping(_ count: Int) -> FieldPath? {
        let rest = path.segments.dropFirst(count)
        guard !rest.isEmpty else { return nil }
        return FieldPath(rest.map(Self.text).joined(separator: "."))
    }

    var description: String { path.description }

    /// The value at the path; nil when a member or an element on the way is missing.
    func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for segment in path.segments {
            guard let member = current.objectValue?[segment.name] else { return nil }
            current = member
            if case .fixed(let index)? = segment.index {
                guard case .array(let elements) = current, index < elements.count else { return nil }
                current = elements[index]
            }
        }
        return current
    }

    /// Whether everything but the last member exists (the last may be missing: a correction may
    /// give a value the record lacks), and each index names an element that exists.
    func parentExists(in root: JSONValue) -> Bool {
        var current = root
        for (position, segment) in path.segments.enumerated() {
            let isLast = position == path.segments.count - 1
            guard let member = current.objectValue?[segment.name] else { return isLast && segment.index == nil }
            current = member
            if case .fixed(let index)? = segment.index {
                guard case .array(let elements) = current, index < elements.count else { return false }
                current = elements[index]
            }
        }
        return true
    }

    /// `root` with `value` at the path (the parents must exist, see `parentExists`).
    func setting(_ value: JSONValue, in root: JSONValue) -> JSONValue {
        Self.set(value, in: root, segments: path.segments[...])
    }

    private static func set(_ value: JSONValue, in node: JSONValue, segments: ArraySlice<TargetPath.Segment>) -> JSONValue {
        guard let segment = segments.first, var object = node.objectValue else { return segments.isEmpty ? value : node }
        let rest = segments.dropFirst()
        if case .fixed(let index)? = segment.index {
            guard case .array(var elements)? = object[segment.name], index < elements.count else { return node }
            elements[index] = rest.isEmpty ? value : set(value, in: elements[index], segments: rest)
            object[segment.name] = .array(elements)
        } else {
            object[segment.name] = rest.isEmpty ? value : set(value, in: object[segment.name] ?? .object(JSONObject()), segments: rest)
        }
        return .object(object)
    }

    /// This path in `root` if it holds a value that says `shown`; else, where the path names an
    /// element of a list, the same path at the element that does (the record's phones may be in
    /// another order than the merged object's). Nil when none does.
    func locating(_ shown: JSONValue, in root: JSONValue) -> FieldPath? {
        if value(in: root)?.says(shown) == true { return self }
        guard let listed = path.segments.firstIndex(where: { if case .fixed? = $0.index { return true } else { return false } }) else { return nil }
        var probe = path
        probe.segments[listed].index = nil
        let prefix = FieldPath(TargetPath(probe.segments[...listed].map(Self.text).joined(separator: "."))!)
        guard case .array(let elements)? = prefix.value(in: root) else { return nil }
        for position in elements.indices {
            probe.segments[listed].index = .fixed(position)
            let candidate = FieldPath(probe.segments.map(Self.text).joined(separator: "."))!
            if candidate.value(in: root)?.says(shown) == true { return candidate }
        }
        return nil
    }

    /// The JSON Pointer of the path (`/phones/0/number`).
    var pointer: String {
        path.segments.map { segment in
            let name = "/" + segment.name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            if case .fixed(let index)? = segment.index { return name + "/\(index)" }
            return name
        }.joined()
    }

    private static func text(_ segment: TargetPath.Segment) -> String {
        switch segment.index {
        case .fixed(let index)?: return "\(segment.name)[\(index)]"
        case .spread?: return "\(segment.name)[]"
        case nil: return segment.name
        }
    }
}

extension JSONValue {
    /// The value as a person reads it: a string as it is, anything else as compact JSON.
    public var plainText: String {
        if case .string(let text) = self { return text }
        return JSONText.compact(self)
    }

    /// Whether two values say the same thing, as a correction is compared with what a feed
    /// carries or the directory shows: texts with their spaces trimmed and runs of spaces made
    /// one, case kept (`Via roma` is not `Via Roma`); a phone number by its digits and leading
    /// `+` only (`011-248-1633` is `011 248 1633`).
    func says(_ other: JSONValue) -> Bool {
        let mine = plainText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let theirs = other.plainText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if mine == theirs { return true }
        guard let a = Self.dialled(mine), let b = Self.dialled(theirs) else { return false }
        return a == b
    }

    /// A text written as a phone number (digits, spaces, `+ . - / ( )`, at least six digits)
    /// as its leading `+` and digits; nil for any other text.
    private static func dialled(_ text: String) -> String? {
        let allowed = Set("0123456789 +.-/()")
        guard text.allSatisfy({ allowed.contains($0) }), text.filter(\.isNumber).count >= 6 else { return nil }
        return (text.hasPrefix("+") ? "+" : "") + text.filter(\.isNumber)
    }
}
