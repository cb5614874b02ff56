import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts: each part's field name, the
/// file name the browser sent (shown, never used as a path), and its bytes.
struct Multipart {
    struct Part {
        let name: String
        let filename: String?
        let bytes: [UInt8]
    }

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// The parts, at most `limit` of them; nil for a body that is not well formed.
    static func parts(_ body: [UInt8], boundary: String, limit: Int = 8) -> [Part]? {
        let delimiter = Array(("--" + boundary).utf8)
        guard var at = find(delimiter, in: body, from: 0) else { return nil }
        var parts: [Part] = []
        while parts.count < limit {
            at += delimiter.count
            // `--` after a delimiter ends the body.
            if at + 2 <= body.count, body[at] == UInt8(ascii: "-"), body[at + 1] == UInt8(ascii: "-") { return parts }
            guard at + 2 <= body.count, body[at] == 13, body[at + 1] == 10 else { return nil }
            at += 2
            guard let headersEnd = find([13, 10, 13, 10], in: body, from: at) else { return nil }
            let headers = String(decoding: body[at..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            guard let next = find([13, 10] + delimiter, in: body, from: contentStart) else { return nil }
            var name = "", filename: String?
            for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: String(line)) ?? ""
                filename = Self.parameter("filename", in: String(line))
            }
            parts.append(Part(name: name, filename: filename, bytes: Array(body[contentStart..<next])))
            at = next + 2
        }
        return parts
    }

    /// `name="value"` in a header line.
    private static func parameter(_ name: String, in line: String) -> String? {
        guard let start = line.range(of: "; \(name)=\"") ?? line.range(of: ";\(name)=\"") else { return nil }
        let value = line[start.upperBound...].prefix { $0 != "\"" }
        return String(value)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var at = start
        let last = haystack.count - needle.count
        while at <= last {
            guard let first = haystack[at...last].firstIndex(of: needle[0]) else { return nil }
            if haystack[first..<(first + needle.count)].elementsEqual(needle) { return first }
            at = first + 1
        }
        return nil
    }
}
