/// Candidate pairs: only records that share a blocking key are compared. Keys: the tax code,
/// each phone, each e-mail, the website's domain, the street address, and the name's rarer
/// words (the two rarest together; each of the three rarest with the municipality), so a typo
/// in one word still leaves a key in common.
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
        var towns = Set<String>()
        for location in record.locations {
            if location.hasAddress && !location.number.isEmpty {
                keys.append("address:" + location.municipality + "|" + location.street + "|" + location.number)
            }
            if !location.municipality.isEmpty { towns.insert(location.municipality) }
        }
        let rare = Set(record.nameWords).filter { !OrganizationName.commonWords.contains(vocabulary.words[Int($0)]) }
            .sorted { (vocabulary.recordCounts[Int($0)], $0) < (vocabulary.recordCounts[Int($1)], $1) }
        // The same name in another province is most often another body (parishes, `Il Ponte`):
        // name keys stay within a province (the ISTAT code's first three digits) or a town.
        let provinces = Set(towns.map { $0.count == 6 && $0.allSatisfy(\.isNumber) ? String($0.prefix(3)) : $0 })
        let pair = rare.count >= 2 ? [rare[0], rare[1]].map { vocabulary.words[Int($0)] }.sorted().joined(separator: " ")
            : rare.first.map { vocabulary.words[Int($0)] }
        if let pair {
            if provinces.isEmpty { keys.append("name:" + pair) }
            for province in provinces { keys.append("name:" + pair + "|" + province) }
        }
        for word in rare.prefix(3) {
            for town in towns { keys.append("name+town:" + vocabulary.words[Int(word)] + "|" + town) }
        }
        return keys
    }

    /// The candidate pairs (`a < b`, packed in one integer) and what blocking did.
    func candidatePairs(_ records: [DedupeRecord], vocabulary: Vocabulary) -> ([UInt64], Diagnostics) {
        var blocks: [String: [Int32]] = [:]
        for (index, record) in records.enumerated() {
            for key in Set(keys(of: record, vocabulary: vocabulary)) { blocks[key, default: []].append(Int32(index)) }
        }
        var diagnostics = Diagnostics()
        diagnostics.keys = blocks.count
        // Pairs are gathered with repeats and made unique by sorting, cheaper than a hash set of
        // millions. Each is packed with the rank of the kind of key that found it (first
        // record << 35 | second << 3 | rank), so a pair found by several kinds counts once, for
        // the first in `kinds`.
        precondition(records.count < 1 << 29, "the deduplicator takes at most 536,870,912 records")
        var found: [UInt64] = []
        var sizes: [Block] = []
        for (key, members) in blocks where members.count > 1 {
            sizes.append(Block(key: key, size: members.count))
            if members.count > maxBlockSize {
                diagnostics.skipped.append(Block(key: key, size: members.count))
                continue
            }
            let kind = key.prefix(while: { $0 != ":" })
            let rank = UInt64(Self.kinds.firstIndex(where: { $0 == kind }) ?? Self.kinds.count - 1)
            for i in 0..<members.count {
                for j in (i + 1)..<members.count {
                    let a = UInt64(min(members[i], members[j])), b = UInt64(max(members[i], members[j]))
                    if records[Int(a)].source == records[Int(b)].source && records[Int(a)].recordID == records[Int(b)].recordID { continue }
                    found.append(a << 35 | b << 3 | rank)
                }
            }
        }
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
        diagnostics.largest = Array(sizes.sorted { ($0.size, $1.key) > ($1.size, $0.key) }.prefix(10))
        diagnostics.skipped.sort { ($0.size, $1.key) > ($1.size, $0.key) }
        diagnostics.candidatePairs = pairs.count
        return (pairs, diagnostics)
    }
}
