/// Full-text search over the directory, in Italian: words folded (case and accents: `Caffè` and
/// `CAFFE'` are one word) and stemmed with Lucene's `ItalianLightStemmer` (J. Savoy's light
/// stemmer: the final vowel of gender and number goes, so `anziani`, `anziano` and `anziane`
/// meet), ranked by where the words were found.
///
/// The index is built in the server when it reads a published directory, so SQLite and
/// PostgreSQL registries rank alike (see docs/serve.md, "Search").
public enum ItalianSearch {
    /// The stemmed words of a text, in order.
    public static func terms(_ text: String) -> [String] {
        TextFold.words(text).compactMap { word in
            let stemmed = stem(word)
            return stopWords.contains(stemmed) ? nil : stemmed
        }
    }

    /// Lucene's ItalianLightStemmer on a folded word (accents are already gone): words under six
    /// letters are kept; else a final `e`, `i`, `a` or `o` goes, with the `i` or `h` before it
    /// (`-ie`, `-he`, `-hi`, `-ii`, `-ia`, `-io`).
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.count >= 6 else { return word }
        let last = bytes[bytes.count - 1], before = bytes[bytes.count - 2]
        switch last {
        case UInt8(ascii: "e"), UInt8(ascii: "i"):
            bytes.removeLast(before == UInt8(ascii: "i") || before == UInt8(ascii: "h") ? 2 : 1)
        case UInt8(ascii: "a"), UInt8(ascii: "o"):
            bytes.removeLast(before == UInt8(ascii: "i") ? 2 : 1)
        default:
            break
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Articles, prepositions and conjunctions (Italian and English) that every description has.
    static let stopWords: Set<String> = [
        "a", "ad", "al", "alla", "alle", "agli", "ai", "all", "che", "con", "da", "dal", "dalla", "dei", "del", "della",
        "delle", "degli", "di", "e", "ed", "gli", "i", "il", "in", "l", "la", "le", "lo", "nel", "nella", "o", "per", "su",
        "sul", "tra", "un", "una", "uno", "and", "for", "of", "or", "the", "to",
    ]

    /// What a search found: entries in order, and the score of each.
    public struct Hits: Sendable, Equatable {
        public var entries: [Int]
        public var scores: [Int]

        public var count: Int { entries.count }
    }

    /// Postings of stemmed words: for each, the entries that hold it and the best weight of the
    /// field it was found in.
    public struct Index: Sendable {
        /// One word's entries, in order, with the weight of each (two lists, not a list of pairs).
        struct Postings: Sendable {
            var entries: [Int32] = []
            var weights: [UInt8] = []
        }

        private var postings: [String: Postings] = [:]
        /// The words, in the order of their UTF-8 bytes, so the words a beginning begins are
        /// found by bisection (`seal`).
        private var words: [String] = []
        /// One more than the highest entry.
        private var entryCount = 0

        public init() {}

        /// Adds the words of `text` for `entry` with `weight` (entries are added in order).
        public mutating func add(_ text: String, entry: Int, weight: UInt8) {
            entryCount = max(entryCount, entry + 1)
            // Each list is changed in place (a copy per word would make a common word's list quadratic).
            for term in Set(ItalianSearch.terms(text)) {
                if postings[term]?.entries.last == Int32(entry) {
                    let last = postings[term]!.weights.count - 1
                    postings[term]!.weights[last] = max(postings[term]!.weights[last], weight)
                } else {
                    postings[term, default: Postings()].entries.append(Int32(entry))
                    postings[term]!.weights.append(weight)
                }
            }
        }

        /// Readies the index for searching, once every entry is added.
        public mutating func seal() {
            words = postings.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }

        /// The entries holding every word of `query` with their scores (the sum over the query's
        /// words of the weight of the field each was found in, doubled where the word itself was
        /// found rather than a word it begins), in entry order; nil when the query has no word to
        /// look for. Lists are merged in order.
        public func search(_ query: String) -> Hits? {
            let asked = Array(Set(ItalianSearch.terms(query))).sorted()
            guard !asked.isEmpty else { return nil }
            assert(words.count == postings.count, "seal() the index before searching it")
            var result: Hits?
            for word in asked {
                let found = hits(of: word)
                guard let previous = result else {
                    result = found
                    continue
                }
                result = Self.both(previous, found)
                if result?.count == 0 { break }
            }
            return result
        }

        /// The entries holding `word`, or (from four letters) a word it begins, with the best
        /// score of each.
        private func hits(of word: String) -> Hits {
            let exact = postings[word]
            let begun = word.count >= 4 ? longer(than: word) : []
            if begun.isEmpty {
                guard let exact else { return Hits(entries: [], scores: []) }
                return Hits(entries: exact.entries.map(Int.init), scores: exact.weights.map { Int($0) * 2 })
            }
            // Several lists: each entry's best score in a table as long as the entries, read in order.
            var best = [UInt16](repeating: 0, count: entryCount)
            for (lists, factor) in [(exact.map { [$0] } ?? [], UInt16(2)), (begun, UInt16(1))] {
                for list in lists {
                    for (entry, weight) in zip(list.entries, list.weights) {
                        let score = UInt16(weight) * factor
                        if score > best[Int(entry)] { best[Int(entry)] = score }
                    }
                }
            }
            var hits = Hits(entries: [], scores: [])
            for (entry, score) in best.enumerated() where score > 0 {
                hits.entries.append(entry)
                hits.scores.append(Int(score))
            }
            return hits
        }

        /// The postings of the words longer than `word` that begin with it.
        private func longer(than word: String) -> [Postings] {
            let key = Array(word.utf8)
            var low = 0, high = words.count
            while low < high {
                let middle = (low + high) / 2
                if words[middle].utf8.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
            }
            var found: [Postings] = []
            while low < words.count, words[low].utf8.starts(with: key) {
                if words[low].utf8.count > key.count, let list = postings[words[low]] { found.append(list) }
                low += 1
            }
            return found
        }

        /// The entries in both, with their scores summed.
        private static func both(_ a: Hits, _ b: Hits) -> Hits {
            var merged = Hits(entries: [], scores: [])
            merged.entries.reserveCapacity(min(a.count, b.count))
            merged.scores.reserveCapacity(min(a.count, b.count))
            var i = 0, j = 0
            while i < a.count && j < b.count {
                let left = a.entries[i], right = b.entries[j]
                if left < right { i += 1 } else if left > right { j += 1 } else {
                    merged.entries.append(left)
                    merged.scores.append(a.scores[i] + b.scores[j])
                    i += 1
                    j += 1
                }
            }
            return merged
        }
    }
}
