/// A report of a mistake as someone sends it (`POST /corrections`, the service page's form,
/// `crocevia correction add`), checked before anything is stored: the members known and of the
/// right kind, the lengths bounded, the service in the directory, the field a path HSDS knows and
/// the service has, the offered value one the field's schema takes. A problem is said in words,
/// naming the member, for a 400 or a usage error.
public struct CorrectionRequest: Sendable {
    public var serviceID: String
    public var field: String
    public var seen: String?
    public var offered: JSONValue
    public var note: String?
    public var contact: String?

    public static let maximumNote = 2_000
    public static let maximumContact = 200
    public static let maximumValue = 1_000

    public struct Problem: Error, Sendable, Equatable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    public init(serviceID: String, field: String, seen: String? = nil, offered: JSONValue, note: String? = nil, contact: String? = nil) {
        self.serviceID = serviceID
        self.field = field
        self.seen = seen
        self.offered = offered
        self.note = note
        self.contact = contact
    }

    /// Reads a request's JSON body: `{"id", "field", "seen", "offered", "note", "contact"}`.
    public static func parse(_ body: JSONValue) throws(Problem) -> CorrectionRequest {
        guard case .object(let object) = body else { throw Problem("the body is not a JSON object; send {\"id\": …, \"field\": …, \"offered\": …}") }
        let known: Set<String> = ["id", "field", "seen", "offered", "note", "contact"]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw Problem("\"\(unknown)\" is not a member of a correction; its members are id, field, seen, offered, note and contact")
        }
        func text(_ name: String, required: Bool, limit: Int) throws(Problem) -> String? {
            switch object[name] {
            case nil, .null?:
                if required { throw Problem("\"\(name)\" is missing") }
                return nil
            case .string(let value)?:
                let trimmed = value.trimmingWhitespace()
                if required && trimmed.isEmpty { throw Problem("\"\(name)\" is empty") }
                guard trimmed.count <= limit else { throw Problem("\"\(name)\" is \(trimmed.count) characters long; at most \(limit) are taken") }
                return trimmed.isEmpty ? nil : trimmed
            default:
                throw Problem("\"\(name)\" is not a string")
            }
        }
        let offered: JSONValue
        switch object["offered"] {
        case .string(let value)?:
            let trimmed = value.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw Problem("\"offered\" is empty: say the right value") }
            guard trimmed.count <= maximumValue else { throw Problem("\"offered\" is \(trimmed.count) characters long; at most \(maximumValue) are taken") }
            offered = .string(trimmed)
        case .number?, .bool?:
            offered = object["offered"]!
        case nil, .null?:
            throw Problem("\"offered\" is missing: say the right value")
        default:
            throw Problem("\"offered\" is a list or an object; give one value (a string, a number or true/false)")
        }
        return CorrectionRequest(serviceID: try text("id", required: true, limit: 200)!, field: try text("field", required: true, limit: 300)!,
                                 seen: try text("seen", required: false, limit: maximumValue), offered: offered,
                                 note: try text("note", required: false, limit: maximumNote),
                                 contact: try text("contact", required: false, limit: maximumContact))
    }
}

extension Corrections {
    /// The fields of a published service someone may say are wrong, as paths into the service as
    /// `/services/{id}` gives it, with the value shown: every text, number or truth value but ids,
    /// `metadata` and Crocevia's own members. For the service page's "report a mistake" form.
    public static func correctableFields(_ snapshot: DirectorySnapshot, serviceID: String) -> [(path: String, value: String)] {
        guard let index = snapshot.serviceByID[serviceID] else { return [] }
        var fields: [(path: String, value: String)] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let object):
                for (key, member) in object.members where key != "metadata" && !key.hasPrefix("_") && key != "id" && !key.hasSuffix("_id") {
                    walk(member, path.isEmpty ? key : path + "." + key)
                }
            case .array(let elements):
                for (position, element) in elements.enumerated() { walk(element, path + "[\(position)]") }
            case .string, .number, .bool:
                fields.append((path, value.plainText))
            case .null:
                break
            }
        }
        walk(.object(snapshot.serviceFull(index)), "")
        return fields
    }
}
