/// A street address as partners write it in one cell: `Corso Francia, 285, 10139 Torino (TO)`,
/// `Via Roma 12 - 10064 Pinerolo TO`, `c/o Parrocchia San Remigio, Via Vezzolano 51, 1° piano`.
/// Split into the street with its house number, the postal code, the town as written and the
/// body the place is hosted by; floors, stairs and internal numbers are left out (they tell the
/// same door apart from nothing).
public enum Address {
    public struct Parts: Sendable, Equatable {
        /// The street and house number (`Corso Francia 285`), for `Street.normalize`.
        public var street: String
        /// A five-digit postal code found in the text.
        public var postalCode: String?
        /// The town as written after the street (`Torino (TO)`, `Turin`), or nil.
        public var town: String?
        /// The hosting body after `c/o` or `presso`.
        public var careOf: String?
    }

    public static func split(_ text: String) -> Parts {
        var parts = Parts(street: "")
        // Groups in brackets: a province (`(TO)`) stays, a host (`(c/o Santa Giulia - Parrocchia)`)
        // is the care-of, anything else (`(Vercelli)`, `(scala B)`) is left out.
        var plain = ""
        var group = "", depth = 0
        for character in text {
            if character == "(" {
                depth += 1
                if depth == 1 { group = ""; continue }
            } else if character == ")", depth > 0 {
                depth -= 1
                if depth == 0 {
                    let content = group.trimmingWhitespace()
                    let lowered = content.lowercased()
                    if content.count == 2, content.allSatisfy(\.isLetter) {
                        plain += "(" + content + ")"
                    } else if let prefix = careOfPrefixes.first(where: lowered.hasPrefix) {
                        parts.careOf = String(content.dropFirst(prefix.count)).trimmingWhitespace()
                    }
                    continue
                }
            }
            if depth > 0 { group.append(character) } else { plain.append(character) }
        }
        if depth > 0 { plain += "(" + group }  // never closed: kept as written
        let unified = plain.replacingOccurrences(of: " – ", with: ", ").replacingOccurrences(of: " - ", with: ", ")
        var segments: [[String]] = []
        for segment in unified.split(separator: ",").map({ String($0).trimmingWhitespace() }) where !segment.isEmpty {
            var words = withoutFloor(segment.split(separator: " ").map(String.init))
            if let prefix = careOfPrefixes.first(where: segment.lowercased().hasPrefix) {
                // `c/o Parrocchia San Remigio Via Vezzolano 51`: the street starts at its type.
                let host = String(segment.dropFirst(prefix.count)).trimmingWhitespace().split(separator: " ").map(String.init)
                let start = host.indices.dropFirst().first { isStreetType(host[$0]) }
                parts.careOf = host[..<(start ?? host.endIndex)].joined(separator: " ")
                guard let start else { continue }
                words = withoutFloor(Array(host[start...]))
            }
            // A postal code: what follows it is the town (`10139 Torino (TO)`), what comes before
            // it in the same segment the street or its number (`Via Roma 12 10064 Pinerolo`).
            if let index = words.firstIndex(where: isPostalCode) {
                parts.postalCode = words[index]
                let town = words[(index + 1)...].joined(separator: " ")
                if !town.isEmpty { parts.town = town }
                words = Array(words[..<index])
            }
            if !words.isEmpty { segments.append(words) }
        }
        // The street: the first segment that starts with a street type, else the first with a
        // number, else the first; its number may follow on its own; the town comes after.
        func hasNumber(_ words: [String]) -> Bool { words.contains { $0.contains(where: \.isNumber) } }
        func hasName(_ words: [String]) -> Bool { words.contains { !$0.contains(where: \.isNumber) && $0.count > 1 } }
        guard let street = segments.firstIndex(where: { $0.count >= 2 && isStreetType($0[0]) })
            ?? segments.firstIndex(where: { hasNumber($0) && hasName($0) }) ?? segments.indices.first else {
            if let careOf = parts.careOf { parts.street = careOf }
            return parts
        }
        // `Piazza Cavour N° 27 Torino TO`: words after the house number are the town.
        var streetWords = segments[street]
        if let number = streetWords.lastIndex(where: startsWithNumber), number >= 2, number < streetWords.count - 1 {
            var end = number + 1
            while end < streetWords.count, ["bis", "ter", "quater"].contains(streetWords[end].lowercased()) || streetWords[end].count == 1 { end += 1 }
            let tail = streetWords[end...]
            if !tail.isEmpty, !hasNumber(Array(tail)) {
                if parts.town == nil { parts.town = tail.joined(separator: " ") }
                streetWords = Array(streetWords[..<end])
            }
        }
        parts.street = streetWords.joined(separator: " ")
        var next = street + 1
        if next < segments.count, isHouseNumber(segments[next]) {
            parts.street += " " + segments[next].joined(separator: " ")
            next += 1
        }
        if parts.town == nil, let town = segments[next...].first(where: { !$0.contains { $0.contains(where: \.isNumber) } }) {
            parts.town = town.joined(separator: " ")
        }
        return parts
    }

    static let careOfPrefixes = ["c/o", "c.o.", "presso "]

    /// `Via`, `C.so`, `V.le`, `Vic.`, `V`… (of single letters, only `V` and `P`).
    static func isStreetType(_ word: String) -> Bool {
        let folded = TextFold.words(word).joined(separator: " ")
        return Street.types[folded] != nil && (folded.count >= 2 || folded == "v" || folded == "p")
    }

    static func isPostalCode(_ word: String) -> Bool {
        word.utf8.count == 5 && word.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// `285`, `n. 12`, `civ. 3`, `12/A`, `12 bis`.
    static let numberMarkers = ["n.", "n", "n°", "nº", "nr.", "nr", "civ.", "civico", "numero"]

    /// `12`, and `n.280`, `n°12`: the marker written against the number.
    static func startsWithNumber(_ word: String) -> Bool {
        let lowered = word.lowercased()
        return word.first?.isNumber == true || numberMarkers.contains { lowered.hasPrefix($0) && lowered.dropFirst($0.count).first?.isNumber == true }
    }

    static func isHouseNumber(_ words: [String]) -> Bool {
        guard let digits = words.firstIndex(where: startsWithNumber) else { return false }
        return words[..<digits].allSatisfy { numberMarkers.contains($0.lowercased()) } && words.count - digits <= 2
    }

    /// A town cell: the town as written, and a postal code written in it (`10064 Pinerolo`).
    public static func town(_ text: String) -> (town: String, postalCode: String?) {
        let words = text.split(separator: " ").map(String.init)
        let code = words.first(where: isPostalCode)
        return (words.filter { !isPostalCode($0) }.joined(separator: " ").trimmingCharacters(in: " ,-–"), code)
    }

    /// The words without a floor, stair or internal number (`1° piano`, `piano terra`,
    /// `int. 3`, `scala B`) and what follows it. Inside a street's segment a floor marker counts
    /// after the house number only (`Via del Piano 5` keeps its name).
    static func withoutFloor(_ words: [String]) -> [String] {
        let markers: Set<String> = ["piano", "int.", "int", "interno", "scala", "sc.", "pt", "p.t."]
        // A segment that is a floor (`int. 3`, `1° piano`, `primo piano`), not `Via Piano`.
        if let first = words.first?.lowercased(), markers.contains(first)
            || words.count >= 2 && words[1].lowercased() == "piano" && (first.contains(where: { "°^º".contains($0) || $0.isNumber }) || ["primo", "secondo", "terzo", "quarto"].contains(first)) {
            return []
        }
        guard let number = words.firstIndex(where: startsWithNumber),
              let index = words.indices.first(where: { $0 > number && (markers.contains(words[$0].lowercased()) || ["p.", "p"].contains(words[$0].lowercased())) })
        else { return words }
        var cut = index
        // `1° piano`, `primo piano`: the ordinal before belongs to the floor.
        let before = words[cut - 1].lowercased()
        if cut - 1 > number, before.contains(where: { "°^º".contains($0) }) || ["primo", "secondo", "terzo"].contains(before) { cut -= 1 }
        return Array(words[..<cut])
    }
}
