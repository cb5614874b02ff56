/// A request the directory refuses: the status (400 for a bad parameter, 404 for an id it does
/// not hold) and a message that says what to change. Never SQL, never a stack: the message is
/// written here, for the person who sent the request.
public struct DirectoryError: Error, Sendable, Equatable {
    public let status: Int
    public let message: String
    /// The parameter at fault, when one is.
    public let parameter: String?

    public init(status: Int = 400, _ message: String, parameter: String? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter
    }

    /// `{"status": 400, "error": "bad request", "parameter": "per_page", "message": "..."}`
    public var body: JSONValue {
        var object = JSONObject([("status", .number(String(status))), ("error", .string(Self.reason(status)))])
        if let parameter { object["parameter"] = .string(parameter) }
        object["message"] = .string(message)
        return .object(object)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "bad request"
        case 404: return "not found"
        case 405: return "method not allowed"
        case 413: return "request too large"
        case 415: return "unsupported media type"
        case 429: return "too many requests"
        case 503: return "service unavailable"
        default: return "error"
        }
    }
}

/// A request's query parameters, checked against the ones its endpoint takes: an unknown or
/// repeated parameter, or a value of the wrong kind, is a 400 that names it.
struct DirectoryParameters {
    private let values: [String: String]

    init(_ pairs: [(name: String, value: String)], allowed: [String], endpoint: String) throws(DirectoryError) {
        var values: [String: String] = [:]
        for (name, value) in pairs {
            guard allowed.contains(name) else {
                let known = allowed.isEmpty ? "it takes none" : "it takes " + allowed.joined(separator: ", ")
                throw DirectoryError("\(endpoint) has no parameter \(Self.shown(name)); \(known)", parameter: name)
            }
            guard values[name] == nil else { throw DirectoryError("\(name) is given more than once; give it once", parameter: name) }
            values[name] = value
        }
        self.values = values
    }

    /// A parameter's name or value as shown in a message: at most 60 characters, quoted.
    static func shown(_ text: String) -> String {
        "'" + (text.count > 60 ? String(text.prefix(57)) + "..." : text) + "'"
    }

    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>, otherwise: String) throws(DirectoryError) -> Int? {
        guard let text = text(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw DirectoryError("\(name) must be \(otherwise); it was \(Self.shown(text))", parameter: name)
        }
        return number
    }

    func number(_ name: String, in range: ClosedRange<Double>, otherwise: String) throws(DirectoryError) -> Double? {
        guard let text = text(name) else { return nil }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            throw DirectoryError("\(name) must be \(otherwise); it was \(Self.shown(text))", parameter: name)
        }
        return number
    }

    func flag(_ name: String) throws(DirectoryError) -> Bool {
        guard let text = text(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw DirectoryError("\(name) must be true or false; it was \(Self.shown(text))", parameter: name)
        }
    }

    func uuid(_ name: String) throws(DirectoryError) -> String? {
        guard let text = text(name) else { return nil }
        guard DirectoryParameters.isUUID(text) else {
            throw DirectoryError("\(name) must be an id (a UUID such as 3f1e8c52-7a0b-4c1d-9e2f-5a6b7c8d9e0f); it was \(Self.shown(text))", parameter: name)
        }
        return text.lowercased()
    }

    func choice(_ name: String, _ choices: [String]) throws(DirectoryError) -> String? {
        guard let text = text(name) else { return nil }
        guard choices.contains(text) else {
            throw DirectoryError("\(name) must be " + choices.joined(separator: " or ") + "; it was \(Self.shown(text))", parameter: name)
        }
        return text
    }

    /// 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (48...57).contains(byte) || (97...102).contains(byte | 0x20) else { return false }
            }
        }
        return true
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
