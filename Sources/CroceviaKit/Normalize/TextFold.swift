/// Text folded for comparison: lower case, accents dropped (`è`, `e'` and `E'` all give `e`),
/// every run of other characters one space. Names, streets and towns are compared folded.
public enum TextFold {
    /// The folded words of `text`. An apostrophe written for an accent (`Cirie'`, `PERCHE'`) is
    /// dropped; one between letters (`dell'Arco`) separates words.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        word.reserveCapacity(16)
        func flush() {
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)); word.removeAll(keepingCapacity: true) }
        }
        for scalar in text.unicodeScalars {
            if let folded = fold(scalar) {
                word.append(folded)
            } else if scalar.value >= 0x80, let expanded = ligature(scalar) {
                word.append(contentsOf: expanded)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The folded words joined with single spaces.
    public static func folded(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// The ASCII letter or digit a scalar folds to, or nil for a separator.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 0x80 {
            let byte = UInt8(value)
            switch byte {
            case 0x30...0x39, 0x61...0x7A: return byte
            case 0x41...0x5A: return byte | 0x20
            default: return nil
            }
        }
        switch value {
        case 0xC0...0xC5, 0xE0...0xE5: return 0x61  // a
        case 0xC7, 0xE7: return 0x63  // c
        case 0xC8...0xCB, 0xE8...0xEB: return 0x65  // e
        case 0xCC...0xCF, 0xEC...0xEF: return 0x69  // i
        case 0xD1, 0xF1: return 0x6E  // n
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: return 0x6F  // o
        case 0xD9...0xDC, 0xF9...0xFC: return 0x75  // u
        case 0xDD, 0xFD, 0xFF: return 0x79  // y
        case 0x160, 0x161: return 0x73  // š
        case 0x17D, 0x17E: return 0x7A  // ž
        case 0x10C, 0x10D: return 0x63  // č
        default: return nil
        }
    }

    static func ligature(_ scalar: Unicode.Scalar) -> [UInt8]? {
        switch scalar.value {
        case 0xDF: return [0x73, 0x73]  // ß
        case 0xC6, 0xE6: return [0x61, 0x65]  // æ
        case 0x152, 0x153: return [0x6F, 0x65]  // œ
        default: return nil
        }
    }

    /// Whether the text has letters and none of them is lower case (`ASSOCIAZIONE IL PONTE`).
    static func isShouting(_ text: String) -> Bool {
        var letters = false
        for character in text where character.isLetter {
            if character.isLowercase { return false }
            letters = true
        }
        return letters
    }

    /// Title case for shouted or lower-case names; small Italian words stay lower inside a name
    /// and letters after an apostrophe start a word (`dell'Arco`).
    static func titled(_ text: String) -> String {
        let small: Set<String> = ["di", "del", "della", "dello", "dei", "degli", "delle", "e", "ed", "a", "al", "alla",
                                  "allo", "ai", "agli", "alle", "da", "dal", "dalla", "in", "nel", "nella", "per", "con",
                                  "su", "sul", "sulla", "tra", "fra", "il", "lo", "la", "i", "gli", "le", "un", "una"]
        var result: [String] = []
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: true).enumerated() {
            let lower = word.lowercased()
            if index > 0 && small.contains(lower) { result.append(lower); continue }
            var out = ""
            var start = true
            for character in lower {
                out += start && character.isLetter ? character.uppercased() : String(character)
                if character.isLetter { start = false } else { start = character == "'" || character == "’" || character == "-" || character == "(" || character == "." }
            }
            result.append(out)
        }
        return result.joined(separator: " ")
    }

    /// Whether two words differ by at most one insertion, deletion, substitution or swap of
    /// neighbours.
    public static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > 1 || x == y { return x == y }
        var i = 0
        while i < x.count && i < y.count && x[i] == y[i] { i += 1 }
        if x.count == y.count {
            if x[(i + 1)...] == y[(i + 1)...] { return true }
            return i + 1 < x.count && x[i] == y[i + 1] && x[i + 1] == y[i] && x[(i + 2)...] == y[(i + 2)...]
        }
        return x.count > y.count ? x[(i + 1)...] == y[i...] : x[i...] == y[(i + 1)...]
    }


    /// Whether two texts are at most `limit` edits apart (a letter changed, added, dropped, or
    /// two next to each other swapped: the optimal string alignment distance), on their bytes.
    public static func withinEdits(_ a: String, _ b: String, limit: Int) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > limit { return false }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) <= limit }
        var before = [Int](repeating: 0, count: y.count + 1), previous = Array(0...y.count), current = previous
        for i in 1...x.count {
            current[0] = i
            var best = i
            for j in 1...y.count {
                var cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { cost = min(cost, before[j - 2] + 1) }
                current[j] = cost
                best = min(best, cost)
            }
            if best > limit { return false }
            (before, previous, current) = (previous, current, before)
        }
        return previous[y.count] <= limit
    }
}
