/// Italian postal codes (CAP): five digits. A spreadsheet that read `00184` as a number wrote
/// `184`; the zeros are put back. The CAP lists are not shipped (their licence is unclear), so a
/// code is checked by its shape only.
public enum PostalCode {
    public enum Result: Sendable, Equatable {
        case valid(String, restoredZeros: Int)
        case invalid(String)
    }

    public static func normalize(_ text: String) -> Result {
        var digits = text.trimmingWhitespace()
        if digits.uppercased().hasPrefix("I-") { digits = String(digits.dropFirst(2)) }
        digits = digits.filter { $0 != " " }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .invalid(text.trimmingWhitespace()) }
        if digits.count == 5 { return .valid(digits, restoredZeros: 0) }
        if (3...4).contains(digits.count) {
            return .valid(String(repeating: "0", count: 5 - digits.count) + digits, restoredZeros: 5 - digits.count)
        }
        return .invalid(digits)
    }
}

/// E-mail addresses: `mailto:` and angle brackets dropped, lower case, several in one cell split.
public enum Email {
    public struct Result: Sendable, Equatable {
        public var addresses: [String]
        public var unreadable: [String]
    }

    public static func normalize(_ text: String) -> Result {
        var result = Result(addresses: [], unreadable: [])
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " || $0 == "\n" || $0 == "/" }) {
            var address = String(part).trimmingCharacters(in: "<>()\"'").lowercased()
            if address.hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
            if address.isEmpty { continue }
            if isAddress(address) { result.addresses.append(address) } else { result.unreadable.append(String(part)) }
        }
        return result
    }

    /// `local@domain.tld` with no spaces, one `@`, a dot in the domain.
    static func isAddress(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let at = bytes.firstIndex(of: 0x40), at != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: at)...]
        guard !domain.contains(0x40), bytes.allSatisfy({ $0 > 0x20 && $0 < 0x80 }) else { return false }
        let labels = domain.split(separator: 0x2E, omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty } && (labels.last?.count ?? 0) >= 2
    }

    /// The domain of a normalized address (`parrocchia.it`).
    public static func domain(_ address: String) -> String? {
        address.split(separator: "@").last.map(String.init)
    }
}

/// Web addresses: a scheme added when missing (`https://`), the host in lower case, a bare
/// trailing slash dropped. `domain` gives the host without `www.` for comparing.
public enum Website {
    public enum Result: Sendable, Equatable {
        case valid(String)
        case invalid(String)
    }

    public static func normalize(_ text: String) -> Result {
        var rest = Substring(text.trimmingWhitespace())
        if rest.isEmpty { return .invalid(text) }
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
            guard scheme == "http" || scheme == "https" else { return .invalid(text.trimmingWhitespace()) }
        }
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let host = rest[..<slash].lowercased()
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), !host.contains(" "), !host.contains("@") else {
            return .invalid(text.trimmingWhitespace())
        }
        return .valid(scheme + "://" + host + path)
    }

    /// Hosts that thousands of bodies share (a Facebook page, a link page): the host says nothing
    /// of whose site it is, the first part of the path does.
    static let sharedHosts: Set<String> = [
        "facebook.com", "fb.com", "fb.me", "instagram.com", "twitter.com", "x.com",
        "linkedin.com", "youtube.com", "tiktok.com", "linktr.ee", "t.me", "sites.google.com", "wa.me",
    ]

    /// What names one body's site: its domain (`comune.collegno.to.it`), or on a shared host the
    /// page (`facebook.com/ilponte.torino`); nil for a shared host's home page.
    public static func identity(_ text: String) -> String? {
        guard case .valid(let url) = normalize(text), var host = domain(text) else { return nil }
        for mobile in ["m.", "mobile.", "it-it."] where host.hasPrefix(mobile) && sharedHosts.contains(String(host.dropFirst(mobile.count))) {
            host = String(host.dropFirst(mobile.count))
        }
        guard sharedHosts.contains(host) else { return host }
        let path = url.drop(while: { $0 != ":" }).dropFirst(3).drop(while: { $0 != "/" }).dropFirst()
        var page = path.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" }).lowercased()
        if ["pages", "pg", "groups", "in", "company", "channel", "c", "site", "view"].contains(page) {  // facebook.com/pages/Name/123
            page += "/" + path.dropFirst(page.count + 1).prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" }).lowercased()
        }
        guard !page.isEmpty, page != "profile.php" else { return nil }
        return (host.hasPrefix("fb.") ? "facebook.com" : host) + "/" + page
    }

    /// The host without scheme and `www.` (`comune.collegno.to.it`), or nil.
    public static func domain(_ text: String) -> String? {
        guard case .valid(let url) = normalize(text) else { return nil }
        var host = url.drop(while: { $0 != ":" }).dropFirst(3)
        if let slash = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = host[..<slash] }
        if host.hasPrefix("www.") { host = host.dropFirst(4) }
        return String(host)
    }
}
