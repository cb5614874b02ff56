import Foundation

/// One piece of evidence for or against two records being the same: the field, the points it
/// adds (negative against) and what was seen.
public struct Evidence: Sendable, Equatable {
    public let field: String
    public let points: Double
    public let detail: String
}

/// Scores pairs of records (organization level) and pairs of locations (within an
/// organization). Points are log-odds-like: each field adds what its agreement says for a match
/// and subtracts what its disagreement says against one; the sum is compared with the thresholds.
struct PairScorer {
    let records: [DedupeRecord]
    let vocabulary: Vocabulary
    /// Each word's weight: rare words say more than common ones (`associazione`, `san`).
    let weights: [Double]
    let isCommon: [Bool]
    /// The points of each field's comparison levels: hand-set, or learnt by the run.
    var fieldWeights = FieldWeights.standard

    init(records: [DedupeRecord], vocabulary: Vocabulary) {
        self.records = records
        self.vocabulary = vocabulary
        let total = Double(max(records.count, 1))
        isCommon = vocabulary.words.map { OrganizationName.commonWords.contains($0) || $0.count <= 1 }
        weights = vocabulary.words.indices.map { index in
            let word = vocabulary.words[index]
            let idf = log(total / Double(max(vocabulary.recordCounts[index], 1))) + 1
            if OrganizationName.commonWords.contains(word) { return min(idf, 2) * 0.2 }
            if word.count <= 1 { return 0.2 }
            return idf
        }
    }

    /// The score of records `a` and `b`, with the evidence when asked for.
    func score(_ a: Int, _ b: Int, evidence: inout [Evidence]?) -> Double {
        let (levels, adjustment) = compare(a, b, evidence: &evidence)
        return fieldWeights.score(levels) + adjustment
    }

    /// The comparison level of each field (see `FieldWeights.Field`) and the points of the rules
    /// that stand beside the weights: a rare name says more, different kinds of body less.
    func compare(_ a: Int, _ b: Int, evidence: inout [Evidence]?) -> (FieldWeights.Levels, Double) {
        let x = records[a], y = records[b]
        var levels = FieldWeights.Levels()
        var adjustment = 0.0
        /// `extra`: a rule's points told in the same line (a rare name's).
        func set(_ field: FieldWeights.Field, _ level: UInt8, _ detail: @autoclosure () -> String, as name: String? = nil, extra: Double = 0) {
            levels[field.rawValue] = level
            adjustment += extra
            let points = fieldWeights.points(field, level) + extra
            if evidence != nil, points != 0 { evidence!.append(Evidence(field: name ?? field.name, points: points, detail: detail())) }
        }
        func adjust(_ field: String, _ points: Double, _ detail: @autoclosure () -> String) {
            adjustment += points
            if evidence != nil, points != 0 { evidence!.append(Evidence(field: field, points: points, detail: detail())) }
        }
        if evidence != nil, fieldWeights.isLearned {
            evidence!.append(Evidence(field: "prior", points: fieldWeights.prior, detail: "the share of candidate pairs that are one body, learnt from this run"))
        }
        if let p = x.taxCode, let q = y.taxCode {
            if p == q { set(.taxCode, 1, "same tax code \(p)") } else { set(.taxCode, 2, "different tax codes \(p) and \(q)") }
        }
        // One partner's name may be another's alternate name: the best of the pairings.
        var (similarity, sharedRareWeight) = nameMatch(x.nameWords, y.nameWords)
        if !x.alternateNameWords.isEmpty || !y.alternateNameWords.isEmpty {
            for (p, q) in [(x.alternateNameWords, y.nameWords), (x.nameWords, y.alternateNameWords), (x.alternateNameWords, y.alternateNameWords)] where !p.isEmpty && !q.isEmpty {
                let other = nameMatch(p, q)
                if other.similarity > similarity { (similarity, sharedRareWeight) = other }
            }
        }
        // One partner writes the body's initials (`ASDAP`, `AMSP`).
        if similarity < 0.85, isAcronym(x.nameWords, of: y.nameWords) || isAcronym(y.nameWords, of: x.nameWords) { similarity = 0.9 }
        if let p = x.bodyKind, let q = y.bodyKind, p != q {
            adjust("kind", -3, "kinds of body differ: \(p), \(q)")
        }
        // Bodies named after people (`Associazione Bruna Martini`, `… Chiara Martini`): another
        // person's first name is another body, whatever the surname shares.
        if let p = firstName(x.nameWords), let q = firstName(y.nameWords), p != q, !TextFold.withinOneEdit(p, q) {
            adjust("name", -3, "named after different people: \(p), \(q)")
        }
        if !x.nameWords.isEmpty && !y.nameWords.isEmpty {
            let level: UInt8 = switch similarity {
            case 0.95...: 1
            case 0.85..<0.95: 2
            case 0.7..<0.85: 3
            case 0.5..<0.7: 4
            case 0.3..<0.5: 5
            default: 6
            }
            // An identical name says more when its shared words are rare (`Arcobaleno Basket`)
            // than when they are common (`Parrocchia San Giuseppe`).
            set(.name, level, "names \(Int((similarity * 100).rounded()))% alike: \"\(x.name)\" and \"\(y.name)\"",
                extra: level == 1 ? min(1.5, sharedRareWeight / 8) : 0)
        }
        if !x.phones.isEmpty && !y.phones.isEmpty {
            if let shared = x.phones.first(where: { y.phones.contains($0) }) {
                set(.phone, 1, "same phone \(shared)")
            } else {
                set(.phone, 2, "no phone in common")
            }
        }
        if let shared = x.emails.first(where: { y.emails.contains($0) }) {
            set(.email, 1, "same e-mail \(shared)")
        } else if let domain = x.emailDomains.first(where: { y.emailDomains.contains($0) }) {
            set(.email, 2, "e-mails at the same domain \(domain)")
        } else if let domain = x.webDomain.flatMap({ y.emailDomains.contains($0) ? $0 : nil }) ?? y.webDomain.flatMap({ x.emailDomains.contains($0) ? $0 : nil }) {
            set(.email, 2, "an e-mail at the other's website \(domain)")
        } else if !x.emails.isEmpty && !y.emails.isEmpty {
            set(.email, 3, "no e-mail in common")
        }
        if let p = x.webDomain, let q = y.webDomain {
            if p == q { set(.website, 1, "same website \(p)") } else { set(.website, 2, "different websites \(p) and \(q)") }
        }
        let sameBody = (x.taxCode != nil && x.taxCode == y.taxCode)
            || (x.webDomain != nil && x.webDomain == y.webDomain)
            || x.emails.contains(where: y.emails.contains)
        if var (level, detail) = placeLevel(x, y, sameBody: sameBody) {
            // Bodies hosted at a parish or a Casa del Quartiere share its address: with names
            // under 50% alike, the same address says no more than the same municipality.
            if level == 1, levels[FieldWeights.Field.name.rawValue] >= 5 {
                level = 2
                detail += ", but the names differ (a host's address?)"
            }
            set(.place, level, detail, as: level == 1 ? "address" : "municipality")
        }
        return (levels, adjustment)
    }

    /// The same address (street, number, municipality), else the same municipality, else none
    /// in common; branches of one body are in other towns, so with a tax code, website or
    /// e-mail in common towns that differ are no evidence.
    private func placeLevel(_ x: DedupeRecord, _ y: DedupeRecord, sameBody: Bool) -> (UInt8, String)? {
        for p in x.locations where p.hasAddress && !p.number.isEmpty {
            for q in y.locations where q.street == p.street && q.number == p.number && q.municipality == p.municipality {
                return (1, "same address \(p.street) \(p.number)")
            }
        }
        let townsX = x.towns, townsY = y.towns
        guard !townsX.isEmpty, !townsY.isEmpty else { return nil }
        if townsX.contains(where: townsY.contains) { return (2, "same municipality") }
        return sameBody ? nil : (3, "no municipality in common (\(townsX.joined(separator: ", ")) / \(townsY.joined(separator: ", ")))")
    }

    /// Whether a one-word name (3 to 8 letters) is the initials of another: every word's initial
    /// may be in it, every word but the little ones (`di`, `degli`) must (`ASDAP`: Associazione
    /// di Solidarietà degli Anziani Piemonte; `AMSP`: Associazione di Mutuo Soccorso Psichiatrica).
    func isAcronym(_ short: [Int32], of long: [Int32]) -> Bool {
        guard short.count == 1, long.count >= 3 else { return false }
        let letters = Array(vocabulary.words[Int(short[0])])
        guard (3...8).contains(letters.count), letters.allSatisfy(\.isLetter) else { return false }
        let words = long.map { vocabulary.words[Int($0)] }
        var next = 0
        for word in words {
            guard let initial = word.first else { continue }
            if next < letters.count, letters[next] == initial {
                next += 1
            } else if !Self.littleWords.contains(word) {
                return false
            }
        }
        return next == letters.count
    }

    /// The first of a name's words that is a person's first name followed by another word (a
    /// surname), as bodies named after someone are written; nil for other names.
    func firstName(_ words: [Int32]) -> String? {
        for (position, word) in words.enumerated().dropLast() {
            let text = vocabulary.words[Int(word)]
            if Self.firstNames.contains(text), !Self.littleWords.contains(vocabulary.words[Int(words[position + 1])]) { return text }
        }
        return nil
    }

    /// Common Italian first names.
    static let firstNames: Set<String> = ["alberto", "alessandro", "alessandra", "andrea", "angela", "angelo", "anna", "antonella", "antonio", "arianna", "beatrice", "benedetta", "bruna", "bruno", "carla", "carlo", "carlotta", "caterina", "cesare", "chiara", "claudia", "claudio", "cristina", "daniela", "daniele", "dario", "davide", "domenico", "elena", "elisa", "emanuela", "enrico", "enza", "ettore", "federica", "federico", "filippo", "francesca", "francesco", "franco", "gabriele", "gabriella", "giacomo", "gianluca", "gianni", "giorgio", "giovanna", "giuliana", "giulia", "giulio", "giuseppe", "giuseppina", "grazia", "guido", "ilaria", "laura", "leonardo", "lorenzo", "luca", "lucia", "luciano", "luigi", "luisa", "manuela", "marco", "margherita", "maria", "marina", "mario", "marta", "martina", "massimo", "matteo", "mauro", "michela", "michele", "monica", "nadia", "nicola", "paola", "paolo", "patrizia", "piera", "piero", "pietro", "raffaele", "renato", "riccardo", "rita", "roberta", "roberto", "rosa", "rosanna", "sabrina", "sandro", "sara", "serena", "sergio", "silvia", "silvio", "simona", "simone", "sofia", "stefania", "stefano", "teresa", "tiziana", "tommaso", "valentina", "valerio", "vincenzo", "vittoria", "vittorio"]

    static let littleWords: Set<String> = ["di", "del", "della", "dello", "dei", "degli", "delle", "d", "e", "ed", "per", "la", "il", "lo", "l", "i", "gli", "le", "a", "al", "alla", "in", "con"]

    /// Weighted Dice similarity of two word lists; a word matches a near spelling (one edit in
    /// five letters or more) for 80% of its weight.
    func nameSimilarity(_ a: [Int32], _ b: [Int32]) -> Double {
        nameMatch(a, b).similarity
    }

    /// The similarity and the weight of the rare (not common) words both names share. Words past
    /// the 64th are not compared (names are far shorter).
    func nameMatch(_ a: [Int32], _ b: [Int32]) -> (similarity: Double, sharedRareWeight: Double) {
        if a.isEmpty || b.isEmpty { return (0, 0) }
        var weightA = 0.0, weightB = 0.0, shared = 0.0, rare = 0.0
        for word in a { weightA += weights[Int(word)] }
        for word in b { weightB += weights[Int(word)] }
        let countB = min(b.count, 64)
        var usedB: UInt64 = 0
        var unmatchedA: UInt64 = 0
        for (position, word) in a.prefix(64).enumerated() {
            var found = false
            for index in 0..<countB where usedB & (1 << index) == 0 && b[index] == word {
                usedB |= 1 << index
                shared += weights[Int(word)] * 2
                if !isCommon[Int(word)] { rare += weights[Int(word)] }
                found = true
                break
            }
            if !found { unmatchedA |= 1 << position }
        }
        // Near spellings, for the words left on both sides.
        if unmatchedA != 0 && usedB.nonzeroBitCount < countB {
            for position in 0..<min(a.count, 64) where unmatchedA & (1 << position) != 0 {
                let word = a[position]
                let text = vocabulary.words[Int(word)]
                guard text.utf8.count >= 5 else { continue }
                for index in 0..<countB where usedB & (1 << index) == 0 && TextFold.withinOneEdit(text, vocabulary.words[Int(b[index])]) {
                    usedB |= 1 << index
                    shared += (weights[Int(word)] + weights[Int(b[index])]) * 0.8
                    if !isCommon[Int(word)] { rare += weights[Int(word)] * 0.8 }
                    break
                }
            }
        }
        return (shared / (weightA + weightB), rare)
    }

    // MARK: Locations

    /// The score of two locations of one organization.
    func locationScore(_ p: DedupeLocation, _ q: DedupeLocation, evidence: inout [Evidence]?) -> Double {
        var total = 0.0
        func add(_ field: String, _ points: Double, _ detail: @autoclosure () -> String) {
            total += points
            if evidence != nil, points != 0 { evidence!.append(Evidence(field: field, points: points, detail: detail())) }
        }
        if !p.municipality.isEmpty && !q.municipality.isEmpty && p.municipality != q.municipality {
            add("municipality", -6, "different municipalities \(p.municipality) and \(q.municipality)")
        }
        if p.hasAddress && q.hasAddress {
            let streetSimilarity = p.street == q.street ? 1 : streetSimilarity(p.streetWords, q.streetWords)
            if streetSimilarity >= 0.85 {
                if !p.number.isEmpty && !q.number.isEmpty {
                    if p.number == q.number { add("address", 5, "same street and number") } else { add("address", -4, "same street, numbers \(p.number) and \(q.number)") }
                } else {
                    add("address", 3, "same street, a number missing")
                }
            } else {
                add("address", -5, "different streets")
            }
        }
        if let a = p.latitude, let b = p.longitude, let c = q.latitude, let d = q.longitude {
            let metres = Self.distance(a, b, c, d)
            if metres < 40 { add("coordinates", 2, "\(Int(metres)) m apart") } else if metres > 300 { add("coordinates", -3, "\(Int(metres)) m apart") }
        }
        if !p.phones.isEmpty, p.phones.contains(where: q.phones.contains) { add("phone", 1, "same phone") }
        if !p.nameWords.isEmpty && !q.nameWords.isEmpty {
            let similarity = nameSimilarity(p.nameWords, q.nameWords)
            if similarity >= 0.85 { add("name", 1.5, "names alike") } else if similarity < 0.3 { add("name", -1, "names differ") }
        }
        if !p.postalCode.isEmpty && !q.postalCode.isEmpty && p.postalCode != q.postalCode && p.postalCode.suffix(3) != "100" && q.postalCode.suffix(3) != "100" {
            add("postal_code", -1, "postal codes \(p.postalCode) and \(q.postalCode)")
        }
        return total
    }

    /// Street types and little words, left out when comparing streets' names.
    static let streetTypes = Set(Street.types.values)
    static let streetFillers = streetTypes.union(["di", "del", "della", "dello", "dei", "degli", "delle", "de", "d", "da", "e", "l", "la", "il", "lo"])

    /// Two streets' names word by word (of the same type when both say one), little words left
    /// out: a word matches the same word, its initial (`D. Di Nanni`), or a spelling one typing
    /// error away (two in six letters or more). A first name only one side writes (`Via Di Nanni`, `Via Dante Di
    /// Nanni`) does not keep two streets apart when every word of the shorter one agrees and so
    /// do their last words.
    func streetSimilarity(_ a: [Int32], _ b: [Int32]) -> Double {
        // `Via Matteotti` and `Corso Matteotti` are two streets.
        if let p = a.first.map({ vocabulary.words[Int($0)] }), let q = b.first.map({ vocabulary.words[Int($0)] }),
           Self.streetTypes.contains(p), Self.streetTypes.contains(q), p != q { return 0 }
        let x = a.map { vocabulary.words[Int($0)] }.filter { !Self.streetFillers.contains($0) }
        let y = b.map { vocabulary.words[Int($0)] }.filter { !Self.streetFillers.contains($0) }
        if x.isEmpty || y.isEmpty { return x == y ? 1 : 0 }
        func alike(_ p: String, _ q: String) -> Bool {
            if p == q { return true }
            if p.count == 1 || q.count == 1 { return p.first == q.first }
            // Streets are compared between places of one organization: two typing errors in
            // six letters or more still name the same street (`Orbsssaho`, `Orbassano`).
            let shorter = min(p.count, q.count)
            return shorter >= 4 && TextFold.withinEdits(p, q, limit: shorter >= 6 ? 2 : 1)
        }
        let (short, long) = x.count <= y.count ? (x, y) : (y, x)
        var used = [Bool](repeating: false, count: long.count)
        var matched = 0
        for word in short {
            if let index = long.indices.first(where: { !used[$0] && alike(word, long[$0]) }) {
                used[index] = true
                matched += 1
            }
        }
        let similarity = Double(matched) / Double(long.count)
        if matched == short.count, alike(short.last!, long.last!) { return max(similarity, 0.9) }
        return similarity
    }

    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let rad = Double.pi / 180
        let x = (lon2 - lon1) * rad * cos((lat1 + lat2) / 2 * rad)
        let y = (lat2 - lat1) * rad
        return (x * x + y * y).squareRoot() * 6_371_000
    }
}
