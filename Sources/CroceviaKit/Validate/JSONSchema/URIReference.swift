/// URI references as JSON Schema uses them for `$id` and `$ref`: parsed into RFC 3986's five parts
/// and resolved against a base (section 5.2), with dot segments removed. Schemas name each other
/// with `https://…`, `urn:…` and, in HSDS, bare file names resolved against a folder's base.
struct URIReference: Equatable {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if let colon = rest.firstIndex(of: ":"), !rest[..<colon].isEmpty,
           rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
           rest.first!.isLetter {
            scheme = String(rest[..<colon]).lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    var text: String {
        var result = ""
        if let scheme { result += scheme + ":" }
        if let authority { result += "//" + authority }
        result += path
        if let query { result += "?" + query }
        if let fragment { result += "#" + fragment }
        return result
    }

    /// The reference without its fragment: the identifier of a schema resource.
    var withoutFragment: String {
        var copy = self
        copy.fragment = nil
        return copy.text
    }

    var isAbsolute: Bool { scheme != nil }

    /// RFC 3986, 5.2.2: this reference resolved against `base`.
    func resolved(against base: URIReference) -> URIReference {
        if scheme != nil {
            return URIReference(scheme: scheme, authority: authority, path: Self.removeDotSegments(path), query: query, fragment: fragment)
        }
        if authority != nil {
            return URIReference(scheme: base.scheme, authority: authority, path: Self.removeDotSegments(path), query: query, fragment: fragment)
        }
        if path.isEmpty {
            return URIReference(scheme: base.scheme, authority: base.authority, path: base.path, query: query ?? base.query, fragment: fragment)
        }
        let merged: String
        if path.hasPrefix("/") {
            merged = path
        } else if base.authority != nil && base.path.isEmpty {
            merged = "/" + path
        } else if let slash = base.path.lastIndex(of: "/") {
            merged = String(base.path[...slash]) + path
        } else {
            merged = path
        }
        return URIReference(scheme: base.scheme, authority: base.authority, path: Self.removeDotSegments(merged), query: query, fragment: fragment)
    }

    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        let absolute = input.hasPrefix("/")
        var segments = input.split(separator: "/", omittingEmptySubsequences: false)
        if absolute { segments.removeFirst() }
        let trailing = segments.last == "." || segments.last == ".." || segments.last == ""
        for segment in segments {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        input = Substring((absolute ? "/" : "") + output.joined(separator: "/"))
        if trailing && !input.hasSuffix("/") && !output.isEmpty && output.last != "" { input += "/" }
        return String(input)
    }
}

/// JSON Pointers (RFC 6901): `/properties/a~1b` names a place in a JSON document.
enum JSONPointer {
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var escaped = ""
        for character in token.unicodeScalars {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// The reference tokens of a pointer (`/a/b~1c` → `a`, `b/c`), or nil when it is not one.
    /// Instance paths and the pointers Crocevia builds are plain pointers: a `%` in them is a
    /// `%` (only a URI fragment is percent-encoded: `tokens(fragment:)`).
    static func tokens(_ pointer: String) -> [String]? {
        let bytes = pointer.utf8
        guard let first = bytes.first else { return [] }
        guard first == UInt8(ascii: "/") else { return nil }
        return bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { token in
            guard token.contains(UInt8(ascii: "~")) else { return String(Substring(token)) }
            // `~1` is `/` and `~0` is `~`, read left to right (so `~01` is `~1`, not `/`).
            var text = ""
            var tilde = false
            for character in Substring(token).unicodeScalars {
                if tilde {
                    text += character == "1" ? "/" : character == "0" ? "~" : "~" + String(character)
                    tilde = false
                } else if character == "~" {
                    tilde = true
                } else {
                    text.unicodeScalars.append(character)
                }
            }
            return tilde ? text + "~" : text
        }
    }

    /// The reference tokens of a URI fragment (`#/definitions/a%20b`): percent-decoded, then read
    /// as a pointer; nil when it is not one (a plain-name anchor).
    static func tokens(fragment: String) -> [String]? {
        tokens(fragment.removingPercentEncoding ?? fragment)
    }

    /// The value at `tokens` inside `value`.
    static func resolve(_ tokens: [String], in value: JSONValue) -> JSONValue? {
        var current = value
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), index >= 0, index < items.count, token == String(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
