/// Organization names: legal-form suffixes (ONLUS, APS, ODV, ETS, ASD, s.c.s., a r.l.) set apart,
/// abbreviations of the body's kind spelt out (`Ass.ne` → `Associazione`, `Coop. Soc.` →
/// `Cooperativa Sociale`, `Parr.` → `Parrocchia`), shouted names in title case.
public enum OrganizationName {
    public struct Result: Sendable, Equatable {
        /// The name without its legal-form suffixes (`Associazione Il Ponte`).
        public var name: String
        /// The legal forms found, in canonical spelling (`ONLUS`, `APS`).
        public var legalForms: [String]
        /// The folded words of the name, abbreviations spelt out, suffixes left out.
        public var words: [String]
        /// What the name says of a branch or office rather than of the body (`sede di Ivrea`,
        /// `Servizi Sociali` after `Comune di Collegno -`), folded.
        public var unitWords: [String] = []
    }

    /// Suffixes, as folded word sequences, and their canonical spelling.
    static let legalForms: [([String], String)] = [
        (["onlus"], "ONLUS"), (["o", "n", "l", "u", "s"], "ONLUS"), (["aps"], "APS"), (["a", "p", "s"], "APS"),
        (["odv"], "ODV"), (["o", "d", "v"], "ODV"), (["ets"], "ETS"), (["e", "t", "s"], "ETS"),
        (["asd"], "ASD"), (["a", "s", "d"], "ASD"), (["ssd"], "SSD"), (["impresa", "sociale"], "Impresa sociale"),
        (["s", "c", "s"], "s.c.s."), (["scs"], "s.c.s."), (["soc", "coop", "soc"], "s.c.s."), (["societa", "cooperativa", "sociale"], "s.c.s."),
        (["scrl"], "s.c.r.l."), (["s", "c", "r", "l"], "s.c.r.l."), (["a", "r", "l"], "a r.l."), (["arl"], "a r.l."),
        (["srl"], "s.r.l."), (["s", "r", "l"], "s.r.l."), (["spa"], "S.p.A."), (["s", "p", "a"], "S.p.A."),
        (["coop", "soc"], "s.c.s."), (["coop", "sociale"], "s.c.s."), (["scarl"], "s.c.a r.l."), (["s", "c", "a", "r", "l"], "s.c.a r.l."),
    ]

    /// The last words of the legal forms: a name ending otherwise has none.
    static let legalFormEndings = Set(legalForms.compactMap(\.0.last))

    /// Abbreviations of the body's kind, folded, and the words they stand for.
    static let abbreviations: [String: [String]] = [
        "ass": ["associazione"], "assoc": ["associazione"], "assne": ["associazione"], "ass ne": ["associazione"],
        "coop": ["cooperativa"], "soc": ["sociale"], "parr": ["parrocchia"], "fond": ["fondazione"],
        "cons": ["consorzio"], "circ": ["circolo"], "comit": ["comitato"], "fed": ["federazione"],
        "ist": ["istituto"], "osp": ["ospedale"], "ente": ["ente"], "sez": ["sezione"], "naz": ["nazionale"],
        "s": ["san"], "ss": ["santi"], "sta": ["santa"], "sto": ["santo"], "sant": ["san"], "santa": ["san"], "santo": ["san"],
        "st": ["san"], "c": ["casa"],
    ]

    /// Words so common in names that sharing them says little (`associazione`, `parrocchia`, `san`).
    public static let commonWords: Set<String> = [
        "associazione", "cooperativa", "sociale", "parrocchia", "fondazione", "consorzio", "circolo", "comitato",
        "federazione", "istituto", "centro", "casa", "gruppo", "comunita", "rete", "servizi", "servizio", "onlus",
        "di", "del", "della", "dello", "dei", "degli", "delle", "e", "ed", "a", "al", "alla", "ai", "da", "in", "per",
        "con", "il", "lo", "la", "i", "gli", "le", "l", "d", "un", "una", "san", "santi", "beata", "vergine", "maria",
        "sezione", "provinciale", "regionale", "nazionale", "italiana", "italia", "torino", "volontariato", "volontari",
        "amici", "insieme", "progetto", "sportello", "punto", "quartiere", "the", "of", "and",
        "promozione", "sportiva", "dilettantistica", "culturale", "ricreativa", "mutuo", "soccorso",
    ]

    /// - Parameter isMunicipality: whether folded words name a municipality, to tell where the
    ///   body ends in `Comune di Settimo Torinese Ufficio Casa`.
    /// - Parameter display: whether `name` is wanted in title case (the deduplicator compares
    ///   `words` only and skips that cost).
    public static func normalize(_ text: String, isMunicipality: (([String]) -> Bool)? = nil, display: Bool = true) -> Result {
        // A comma separates like a dash: `Comune di None, Ufficio Casa`.
        let trimmed = text.contains(",") ? text.split(separator: ",", omittingEmptySubsequences: false).joined(separator: " , ").squashingWhitespace() : text.squashingWhitespace()
        // Split into written tokens keeping their spelling, with the folded form beside.
        var tokens: [(written: String, folded: [String])] = []
        for piece in trimmed.split(separator: " ") {
            tokens.append((String(piece), TextFold.words(String(piece))))
        }
        // Legal-form suffixes at the end (`… ONLUS`, `… s.c.s.`, `… Soc. Coop. Soc. a r.l.`).
        var forms: [String] = []
        var removed = true
        while removed && tokens.count > 1, let lastWord = tokens.last(where: { !$0.folded.isEmpty })?.folded.last,
              legalFormEndings.contains(lastWord) {
            removed = false
            let foldedTail = tokens.flatMap(\.folded)
            for (pattern, canonical) in legalForms where foldedTail.count > pattern.count && foldedTail.suffix(pattern.count).elementsEqual(pattern) {
                var toDrop = pattern.count
                while toDrop > 0, let last = tokens.last {
                    if last.folded.count <= toDrop { toDrop -= last.folded.count; tokens.removeLast() } else { break }
                }
                if toDrop == 0 {
                    forms.insert(canonical, at: 0)
                    removed = true
                    while let last = tokens.last, last.folded.isEmpty { tokens.removeLast() }  // `-`, `–`
                }
                break
            }
        }
        // A branch (`- sede di Ivrea`, `sezione di Chieri`) and, after a public body's name, an
        // office (`Comune di Collegno - Servizi Sociali`) describe a place, not the body.
        var unitWords: [String] = []
        if let cut = tokens.firstIndex(where: { ["sede", "sezione", "filiale", "presidio"].contains($0.folded.first ?? "") }), cut > 0 {
            unitWords = tokens[cut...].flatMap(\.folded)
            tokens.removeSubrange(cut...)
        }
        if let bodyEnd = publicBodyEnd(tokens.map(\.folded), isMunicipality: isMunicipality), bodyEnd < tokens.count {
            unitWords = tokens[bodyEnd...].flatMap(\.folded) + unitWords
            tokens.removeSubrange(bodyEnd...)
        }
        // A legal form before the cut (`Il Ponte ODV - sede di Ivrea`).
        while tokens.count > 1, let last = tokens.last, last.folded.isEmpty || legalForms.contains(where: { $0.0 == last.folded }) {
            if let form = legalForms.first(where: { $0.0 == last.folded }) { forms.insert(form.1, at: 0) }
            tokens.removeLast()
        }
        // Written words with abbreviations spelt out.
        var writtenWords: [String] = []
        var words: [String] = []
        for (index, token) in tokens.enumerated() {
            let key = token.folded.joined(separator: " ")
            let isAbbreviation = token.written.hasSuffix(".") || key == "assne" || key == "ass ne"
            if isAbbreviation, let expanded = abbreviations[key], !(key == "c" && index > 0) {
                words.append(contentsOf: expanded)
                writtenWords.append(key == "s" || key == "ss" || key == "sta" || key == "sto" || key == "st" ? token.written : expanded.map(titledWord).joined(separator: " "))
            } else {
                words.append(contentsOf: token.folded.map { canonicalWord($0) })
                writtenWords.append(token.written)
            }
        }
        var name = writtenWords.joined(separator: " ").replacingCommaSpacing().trimmingCharacters(in: " ,-–")
        if display && (TextFold.isShouting(trimmed) || trimmed == trimmed.lowercased()) { name = TextFold.titled(name) }
        return Result(name: name, legalForms: forms, words: words, unitWords: unitWords)
    }

    /// Public bodies whose name an office's follows: the municipality (`Comune di` and its
    /// name), the health authority (`ASL TO3`), the province, the region.
    static func publicBodyEnd(_ folded: [[String]], isMunicipality: (([String]) -> Bool)?) -> Int? {
        guard var first = folded.first?.first else { return nil }
        // `Comune` with a typo (`Coumne`, `Comue`) is still the municipality.
        if first != "comune" && TextFold.withinOneEdit(first, "comune") { first = "comune" }
        // Where the written separator (`-`, `,`) ends the body's name.
        func separatorAfter(_ start: Int) -> Int? {
            (start..<folded.count).first { folded[$0].isEmpty }
        }
        switch first {
        case "asl", "aslto", "asp", "ausl", "ats", "ulss", "ao", "aou":
            let end = folded[0].count > 1 ? 1 : min(2, folded.count)
            return end
        case "comune", "citta", "provincia", "regione", "circoscrizione", "unione":
            guard folded.count >= 3, folded[1] == ["di"] || folded[1] == ["del"] || folded[1] == ["della"] else { return separatorAfter(1) }
            if let separator = separatorAfter(2) { return separator }
            if let isMunicipality {
                // The longest run of words after `di` that names a municipality.
                for end in stride(from: min(folded.count, 8), to: 2, by: -1) where isMunicipality(folded[2..<end].flatMap { $0 }) {
                    return end
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// Saints' names in any spelling compare as `san`.
    static func canonicalWord(_ word: String) -> String {
        switch word {
        case "santa", "santo", "sant", "s", "st": return "san"
        default: return word
        }
    }

    static func titledWord(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }
}

private extension String {
    /// `a , b` (as split above) back to `a, b`.
    func replacingCommaSpacing() -> String {
        splitting(on: " , ").joined(separator: ", ")
    }
}
