/// Text helpers the readers and the mapper share.
extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        // Most values have no white space at either end: answer from the first and last byte.
        let utf8 = self.utf8
        guard let head = utf8.first, let tail = utf8.last else { return self }
        if head > 0x20 && head < 0x80 && tail > 0x20 && tail < 0x80 { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

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

    /// The string without leading and trailing characters of `set` (`" ,-"`).
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
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

/// "1 record", "2 records": counts in messages.
public func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
