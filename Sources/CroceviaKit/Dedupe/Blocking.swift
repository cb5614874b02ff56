import Dispatch

/// Candidate pairs: only records that share a blocking key are compared. Keys: the tax code,
/// each phone, each e-mail, the website's domain, the street address, and each of the name's
/// three rarest words with the municipality (so a typo in one word still leaves a key in
/// common); a record with no municipality, its two rarest words together.
public struct Blocking {
    public struct Block: Sendable {
        public let key: String
        public let size: Int
    }

    public struct Diagnostics: Sendable {
        public var keys = 0
        public var candidatePairs = 0
        public var pairsByKind: [String: Int] = [:]
        /// The largest blocks, with their sizes.
        public var largest: [Block] = []
        /// Blocks over the size limit, left out (their records still meet through other keys).
        public var skipped: [Block] = []
    }

    /// The kinds of key, most telling first (a pair several kinds find is counted for the first).
    static let kinds = ["tax", "phone", "email", "web", "address", "name", "name+town"]

    /// A block larger than this is not compared pair by pair.
    let maxBlockSize: Int

    func keys(of record: DedupeRecord, vocabulary: Vocabulary) -> [String] {
        var keys: [String] = []
        if let tax = record.taxCode { keys.append("tax:" + tax) }
        for phone in record.phones { keys.append("phone:" + phone) }
        for email in record.emails { keys.append("email:" + email) }
        if let domain = record.webDomain { keys.append("web:" + domain) }
        // An e-mail at a body's own domain meets the records whose website it is.
        for domain in Set(record.emailDomains) where domain != record.webDomain { keys.append("web:" + domain) }
        var towns = Set<String>()
        for location in record.locations {
            if location.hasAddress && !location.number.isEmpty {
                keys.append("address:" + location.municipality + "|" + location.street + "|" + location.number)
                // A typing error in the street's longest word still meets (`Vezzolano`, `Vezolano`).
                if let longest = location.streetWords.map({ vocabulary.words[Int($0)] }).max(by: { ($0.count, $1) < ($1.count, $0) }), longest.count >= 4 {
                    for variant in Self.deletions(longest) { keys.append("address:~" + location.municipality + "|" + variant + "|" + location.number) }
                }
            }
            if !location.municipality.isEmpty { towns.insert(location.municipality) }
        }
        let rare = Set(record.nameWords + record.alternateNameWords).filter { !OrganizationName.commonWords.contains(vocabulary.words[Int($0)]) }
            .sorted { (vocabulary.recordCounts[Int($0)], $0) < (vocabulary.recordCounts[Int($1)], $1) }
        // The same name in another town is most often another body (parishes, `Il Ponte`), and
        // with no tax code, phone, e-mail or website in common (each a key of its own) such a
        // pair cannot reach the merge threshold: name keys stay within a town. A record with no
        // town meets others by its two rarest words.
        if towns.isEmpty, !rare.isEmpty {
            keys.append("name:" + rare.prefix(2).map { vocabulary.words[Int($0)] }.sorted().joined(separator: " "))
        }
        // Two of the three rarest words together meet whatever their counts; a word alone only
        // when few records have it (a given name, `Luigi`, in thousands of Turin's would make
        // blocks of a million pairs).
        let three = rare.prefix(3).map { vocabulary.words[Int($0)] }
        for (i, first) in three.enumerated() {
            for second in three.dropFirst(i + 1) {
                for town in towns { keys.append("name+town:" + [first, second].sorted().joined(separator: " ") + "|" + town) }
            }
        }
        for word in rare.prefix(3) {
            let text = vocabulary.words[Int(word)]
            for town in towns {
                if vocabulary.recordCounts[Int(word)] <= Self.wordBlockLimit { keys.append("name+town:" + text + "|" + town) }
                // And a word with a typing error (`Arcobaleno`, `Arcobalneo`): its forms with
                // one letter left out, shared by any two spellings one edit apart. Only for words
                // few records have (a misspelt word is one of them): a common word's forms
                // would make blocks of thousands.
                if text.count >= 4, vocabulary.recordCounts[Int(word)] <= Self.typoWordLimit {
                    for variant in Self.deletions(text) { keys.append("name+town:~" + variant + "|" + town) }
                }
            }
        }
        return keys
    }

    /// A block of a name key larger than this is not compared pair by pair: hundreds of bodies
    /// in one town with the same two rare words are namesakes, not one body (`max_block_size`
    /// still caps it lower).
    static let nameBlockLimit = 100

    /// Words in more records than this are no key alone.
    static let wordBlockLimit: Int32 = 200

    /// Words in more records than this get no typo keys.
    static let typoWordLimit: Int32 = 30

    /// A word and its forms with one letter left out: two words one edit apart (a letter
    /// changed, added, dropped or two swapped) share at least one.
    static func deletions(_ word: String) -> Set<String> {
        let letters = Array(word)
        var forms: Set<String> = [word]
        for index in letters.indices {
            var shorter = letters
            shorter.remove(at: index)
            forms.insert(String(shorter))
        }
        return forms
    }

    /// The candidate pairs (`a < b`, packed in one integer) and what blocking did.
    ///
    /// Keys are hashed (64-bit FNV-1a) on the machine's cores into (hash, record) entries, which sorting
    /// groups into blocks: no dictionary of hundreds of thousands of text keys. A block's text is
    /// found again, for the diagnostics, from its first record.
    func candidatePairs(_ records: [DedupeRecord], vocabulary: Vocabulary) -> ([UInt64], Diagnostics) {
        precondition(records.count < 1 << 29, "the deduplicator takes at most 536,870,912 records")
        typealias Entry = (hash: UInt64, record: Int32, rank: UInt8)
        // Each worker hashes the keys of every `workers`-th record (the vocabulary is only read).
        let shared = Shared((records, vocabulary, self)), workers = Parallel.workers
        let parts = Parallel.map(count: workers, workers: workers) { part -> [Entry] in
            let (records, vocabulary, blocking) = shared.value
            var mine: [Entry] = []
            for index in stride(from: part, to: records.count, by: workers) {
                for key in Set(blocking.keys(of: records[index], vocabulary: vocabulary)) {
                    mine.append((Self.hash(key), Int32(index), Self.rank(of: key)))
                }
            }
            return mine
        }
        var all = Array(parts.joined())
        all.sort { ($0.hash, $0.record) < ($1.hash, $1.record) }

        var diagnostics = Diagnostics()
        // Pairs are gathered with repeats and made unique by sorting, cheaper than a hash set of
        // millions. Each is packed with the rank of the kind of key that found it (first
        // record << 35 | second << 3 | rank), so a pair found by several kinds counts once, for
        // the first in `kinds`.
        var found: [UInt64] = []
        var sizes: [(hash: UInt64, first: Int32, size: Int, limit: Int)] = []
        var start = 0
        while start < all.count {
            var end = start + 1
            while end < all.count && all[end].hash == all[start].hash { end += 1 }
            diagnostics.keys += 1
            defer { start = end }
            let size = end - start
            guard size > 1 else { continue }
            let rank = UInt64(all[start].rank)
            let limit = Self.kinds[Int(rank)].hasPrefix("name") ? min(maxBlockSize, Self.nameBlockLimit) : maxBlockSize
            sizes.append((all[start].hash, all[start].record, size, limit))
            if size > limit { continue }
            for i in start..<end {
                for j in (i + 1)..<end {
                    let a = UInt64(all[i].record), b = UInt64(all[j].record)  // sorted: a < b
                    if records[Int(a)].source == records[Int(b)].source && records[Int(a)].recordID == records[Int(b)].recordID { continue }
                    found.append(a << 35 | b << 3 | rank)
                }
            }
        }
        all = []
        sizes.sort { $0.size > $1.size }
        func block(_ entry: (hash: UInt64, first: Int32, size: Int, limit: Int)) -> Block {
            Block(key: keyText(hash: entry.hash, record: records[Int(entry.first)], vocabulary: vocabulary), size: entry.size)
        }
        diagnostics.largest = sizes.prefix(10).map(block).sorted { ($0.size, $1.key) > ($1.size, $0.key) }
        diagnostics.skipped = sizes.filter { $0.size > $0.limit }.map(block).sorted { ($0.size, $1.key) > ($1.size, $0.key) }
        found.sort()
        var pairs: [UInt64] = []
        pairs.reserveCapacity(found.count)
        var counts = [Int](repeating: 0, count: Self.kinds.count)
        var last = UInt64.max
        for key in found where key >> 3 != last {
            last = key >> 3
            pairs.append(last)  // first << 32 | second
            counts[Int(key & 7)] += 1
        }
        found = []
        for (index, kind) in Self.kinds.enumerated() where counts[index] > 0 { diagnostics.pairsByKind[kind] = counts[index] }
        diagnostics.candidatePairs = pairs.count
        return (pairs, diagnostics)
    }

    /// The position in `kinds` of a key's kind.
    static func rank(of key: String) -> UInt8 {
        let kind = key.prefix(while: { $0 != ":" })
        return UInt8(kinds.firstIndex { $0 == kind } ?? kinds.count - 1)
    }

    /// The text of the key with this hash among a record's keys.
    private func keyText(hash: UInt64, record: DedupeRecord, vocabulary: Vocabulary) -> String {
        keys(of: record, vocabulary: vocabulary).first { Self.hash($0) == hash } ?? "?"
    }

    /// 64-bit FNV-1a: stable from run to run, unlike Swift's seeded `Hasher`.
    static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
