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
        private var postings: [String: [(entry: Int32, weight: UInt8)]] = [:]

        public init() {}

        /// Adds the words of `text` for `entry` with `weight` (entries are added in order).
        public mutating func add(_ text: String, entry: Int, weight: UInt8) {
            // Each list is changed in place (a copy per word would make a common word's list quadratic).
            for term in Set(ItalianSearch.terms(text)) {
                if let last = postings[term]?.last, last.entry == Int32(entry) {
                    if last.weight < weight { postings[term]![postings[term]!.count - 1].weight = weight }
                } else {
                    postings[term, default: []].append((Int32(entry), weight))
                }
            }
        }

        /// The entries holding every word of `query` with their scores (the sum over the query's
        /// words of the weight of the field each was found in, doubled where the word itself was
        /// found rather than a word it begins), in entry order; nil when the query has no word to
        /// look for. Lists are merged in order: no table per request.
        public func search(_ query: String) -> Hits? {
            let words = Array(Set(ItalianSearch.terms(query))).sorted()
            guard !words.isEmpty else { return nil }
            var result: [(entry: Int, score: Int)]?
            for word in words {
                var found = (postings[word] ?? []).map { (entry: Int($0.entry), score: Int($0.weight) * 2) }
                // A word typed as a beginning (`anzi`) finds the words it begins.
                if word.count >= 4 {
                    var begun: [(entry: Int, score: Int)] = []
                    for (term, list) in postings where term.count > word.count && term.hasPrefix(word) {
                        begun += list.map { (Int($0.entry), Int($0.weight)) }
                    }
                    if !begun.isEmpty {
                        let all = (found + begun).sorted { $0.entry != $1.entry ? $0.entry < $1.entry : $0.score > $1.score }
                        found = []
                        for hit in all where found.last?.entry != hit.entry { found.append(hit) }
                    }
                }
                guard let previous = result else {
                    result = found
                    continue
                }
                var merged: [(entry: Int, score: Int)] = []
                var a = 0, b = 0
                while a < previous.count && b < found.count {
                    if previous[a].entry < found[b].entry { a += 1 } else if previous[a].entry > found[b].entry { b += 1 } else {
                        merged.append((previous[a].entry, previous[a].score + found[b].score))
                        a += 1
                        b += 1
                    }
                }
                result = merged
                if merged.isEmpty { break }
            }
            let hits = result ?? []
            return Hits(entries: hits.map(\.entry), scores: hits.map(\.score))
        }
    }
}
