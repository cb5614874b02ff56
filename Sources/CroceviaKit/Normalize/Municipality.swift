import Foundation

/// Italian municipalities by name, to their ISTAT code. The list ships in
/// `Schemas/reference/comuni-istat.tsv` (Fonte: ISTAT, CC BY 3.0 IT; see its SOURCE.md).
/// Names are matched folded (`CIRIE'`, `Ciriè`, `cirie`), with the province in brackets or after
/// a dash used to choose between namesakes (`Calliano (TN)`), and with abbreviated words
/// (`Settimo T.se`, `Rivarolo C.se`, `S. Mauro Torinese`) matched against the words of the name.
public final class Municipalities: Sendable {
    public struct Municipality: Sendable, Equatable {
        public let code: String
        public let name: String
        public let province: String
        public let cadastralCode: String
        let words: [String]
    }

    public enum Result: Sendable, Equatable {
        case found(Municipality)
        case ambiguous([Municipality])
        case unknown
    }

    let all: [Municipality]
    let byFolded: [String: [Int]]
    let byFirstWord: [String: [Int]]
    let byCode: [String: Int]
    /// Each municipality's folded name (`all`'s order).
    let foldedNames: [String]

    public init(tsv: String) {
        var all: [Municipality] = []
        for line in tsv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { continue }
            all.append(Municipality(code: fields[0], name: fields[1], province: fields[2], cadastralCode: fields[3], words: TextFold.words(fields[1])))
        }
        var byFolded: [String: [Int]] = [:]
        var byFirstWord: [String: [Int]] = [:]
        var byCode: [String: Int] = [:]
        for (index, municipality) in all.enumerated() {
            byFolded[municipality.words.joined(separator: " "), default: []].append(index)
            // Bilingual names (`Bolzano/Bozen`) are found by either part.
            for part in municipality.name.split(separator: "/") where part.count < municipality.name.count {
                byFolded[TextFold.folded(String(part)), default: []].append(index)
            }
            if let first = municipality.words.first { byFirstWord[first, default: []].append(index) }
            byCode[municipality.code] = index
            byCode[municipality.cadastralCode] = index
        }
        self.all = all
        self.byFolded = byFolded
        self.byFirstWord = byFirstWord
        self.byCode = byCode
        foldedNames = all.map { $0.words.joined(separator: " ") }
    }

    /// The list shipped with Crocevia, read once.
    public static func standard() throws -> Municipalities {
        try loaded.get()
    }

    private static let loaded: Swift.Result<Municipalities, any Error> = Swift.Result { () throws -> Municipalities in
        let data = try SchemaFiles.standard().data("reference/comuni-istat.tsv")
        return Municipalities(tsv: String(decoding: data, as: UTF8.self))
    }

    /// Whether folded words are exactly a municipality's name.
    public func isName(_ words: [String]) -> Bool {
        byFolded[words.joined(separator: " ")] != nil
    }

    public func municipality(code: String) -> Municipality? {
        byCode[code.uppercased()].map { all[$0] }
    }

    public func find(_ text: String) -> Result {
        let (name, words, province) = nameAndProvince(text)
        if words.isEmpty { return .unknown }
        if words.count == 1, let index = byCode[words[0].uppercased()], words[0].count == 6 || words[0].count == 4 {
            return .found(all[index])
        }
        if let exact = byFolded[words.joined(separator: " ")] ?? Self.exonyms[words.joined(separator: " ")].flatMap({ byFolded[$0] }) {
            return choose(exact, province: province)
        }
        // Abbreviated words: `t.se` (first letter, ending), `s.` (a prefix).
        let written = name.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        let candidates = byFirstWord[words[0]] ?? (written.first.map { abbreviationCandidates($0) } ?? [])
        let matching = candidates.filter { matches(written: written, municipality: all[$0]) }
        return matching.isEmpty ? .unknown : choose(matching, province: province)
    }

    /// The name as written, its folded words and the province written after it: `Calliano (TN)`,
    /// `Calliano - TN`, `Calliano TN` (a last word of two letters, not `T.se`, which folds to
    /// two words; not when the whole is a municipality's name).
    private func nameAndProvince(_ text: String) -> (name: String, words: [String], province: String?) {
        var name = text.trimmingWhitespace()
        var province: String?
        if let open = name.lastIndex(of: "("), name.hasSuffix(")") {
            province = String(name[name.index(after: open)..<name.index(before: name.endIndex)]).trimmingWhitespace().uppercased()
            name = String(name[..<open]).trimmingWhitespace()
        }
        var words = TextFold.words(name)
        let lastWritten = name.split(whereSeparator: { $0 == " " || $0 == "-" }).last ?? ""
        if province == nil, words.count >= 2, let last = words.last, last.count == 2, lastWritten.count == 2, byFolded[words.joined(separator: " ")] == nil {
            province = last.uppercased()
            words.removeLast()
            name = String(name.dropLast(2)).trimmingCharacters(in: " -")
        }
        return (name, words, province)
    }

    /// Names partners write in another language, folded, to the Italian name folded.
    static let exonyms: [String: String] = [
        "turin": "torino", "milan": "milano", "genoa": "genova", "rome": "roma", "venice": "venezia", "florence": "firenze",
        "naples": "napoli", "padua": "padova", "mantua": "mantova", "leghorn": "livorno", "syracuse": "siracusa",
        "turin torino": "torino", "aoste": "aosta",
    ]

    /// As `find`, and when that knows no such name, the one municipality whose name is one
    /// typing error away (`Pineorlo`, `Moncalier`), in the province when one is written. Names of
    /// fewer than five letters are not guessed.
    public func findNear(_ text: String) -> Result {
        let found = find(text)
        guard case .unknown = found else { return found }
        let (_, words, province) = nameAndProvince(text)
        let folded = words.joined(separator: " ")
        guard folded.count >= 5 else { return .unknown }
        let near = all.indices.filter { index in
            let candidate = foldedNames[index]
            return abs(candidate.count - folded.count) <= 1 && candidate.first == folded.first && TextFold.withinOneEdit(candidate, folded)
        }
        return near.isEmpty ? .unknown : choose(near, province: province)
    }

    /// The municipality of a street address: what follows the house number or postal code
    /// (`Via Roma 3, 10093 Collegno (TO)`, `C.so Vercelli 21 - Torino`), else the last part after
    /// a comma or a dash (`Via Roma, Torino`). `Via Roma 3` alone names no municipality (Roma is
    /// the street's name).
    public func find(inAddress text: String) -> Result {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," })
        var tail: Substring?
        if let last = words.lastIndex(where: { $0.contains(where: \.isNumber) }) {
            let rest = words[(last + 1)...]
            if let first = rest.first { tail = text[first.startIndex...] }
        } else if let separator = text.lastIndex(where: { $0 == "," || $0 == "-" || $0 == "–" }) {
            tail = text[text.index(after: separator)...]
        }
        guard let tail else { return .unknown }
        let candidate = tail.drop(while: { $0 == " " || $0 == "-" || $0 == "–" || $0 == "," })
        return candidate.isEmpty ? .unknown : find(String(candidate))
    }

    private func abbreviationCandidates(_ first: String) -> [Int] {
        guard first.hasSuffix("."), let letter = TextFold.words(first).first?.first else { return [] }
        return byFirstWord.filter { $0.key.first == letter }.flatMap(\.value)
    }

    private func choose(_ indexes: [Int], province: String?) -> Result {
        var found = indexes.map { all[$0] }
        if let province, found.count > 1 || found.first?.province != province {
            let inProvince = found.filter { $0.province == province }
            if !inProvince.isEmpty { found = inProvince }
        }
        var seen = Set<String>()
        found = found.filter { seen.insert($0.code).inserted }
        return found.count == 1 ? .found(found[0]) : .ambiguous(found)
    }

    /// Each written word matches the name's word at its place: equal when folded, a prefix when
    /// written with a dot (`S.`), first letter and ending for `T.se`.
    private func matches(written: [String], municipality: Municipality) -> Bool {
        let folded = written.map { TextFold.words($0) }
        let flat = folded.flatMap { $0 }
        guard flat.count >= 1 else { return false }
        var position = 0
        for (index, word) in written.enumerated() {
            let parts = folded[index]
            guard !parts.isEmpty else { continue }
            guard position < municipality.words.count else { return false }
            let target = municipality.words[position]
            if word.contains(".") {
                if parts.count == 2 {
                    guard target.hasPrefix(parts[0]), target.hasSuffix(parts[1]), target.count > parts[0].count + parts[1].count else { return false }
                } else if !target.hasPrefix(parts.joined()) {
                    return false
                }
            } else if parts.joined() != target {
                // `Sant'Ambrogio` folds to two words, written `Sant Ambrogio`: compare the joined forms.
                if parts.count > 1, municipality.words[position...].prefix(parts.count) == ArraySlice(parts) {
                    position += parts.count
                    continue
                }
                return false
            }
            position += 1
        }
        return position == municipality.words.count
    }
}
