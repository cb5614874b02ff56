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
        let unified = text.replacingOccurrences(of: " – ", with: ", ").replacingOccurrences(of: " - ", with: ", ")
        let segments = unified.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        for segment in segments {
            let lowered = segment.lowercased()
            var words = withoutFloor(segment.split(separator: " ").map(String.init))
            if let prefix = ["c/o", "c.o.", "presso "].first(where: lowered.hasPrefix) {
                // `c/o Parrocchia San Remigio Via Vezzolano 51`: the street starts at its type.
                let host = String(segment.dropFirst(prefix.count)).trimmingWhitespace().split(separator: " ").map(String.init)
                let start = host.indices.dropFirst().first { host[$0].count >= 2 && Street.types[TextFold.words(host[$0]).joined(separator: " ")] != nil }
                parts.careOf = host[..<(start ?? host.endIndex)].joined(separator: " ")
                guard let start else { continue }
                words = withoutFloor(Array(host[start...]))
            }
            if words.isEmpty { continue }
            // A postal code: what follows it is the town (`10139 Torino (TO)`), what comes before
            // it in the same segment the street (`Via Roma 12 10064 Pinerolo`).
            if let index = words.firstIndex(where: isPostalCode) {
                parts.postalCode = words[index]
                let town = words[(index + 1)...].joined(separator: " ")
                if !town.isEmpty { parts.town = town }
                words = Array(words[..<index])
                if words.isEmpty { continue }
            }
            let joined = words.joined(separator: " ")
            if parts.street.isEmpty {
                parts.street = joined
            } else if isHouseNumber(words) {
                parts.street += " " + joined
            } else if parts.town == nil {
                parts.town = joined
            }
        }
        if parts.street.isEmpty, let careOf = parts.careOf { parts.street = careOf }
        return parts
    }

    static func isPostalCode(_ word: String) -> Bool {
        word.utf8.count == 5 && word.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// `285`, `n. 12`, `civ. 3`, `12/A`, `12 bis`.
    static func isHouseNumber(_ words: [String]) -> Bool {
        let markers = ["n.", "n", "n°", "nº", "nr.", "nr", "civ.", "civico", "numero"]
        // `n.280`, `n°12`: the marker written against the number.
        func startsWithDigit(_ word: String) -> Bool {
            let lowered = word.lowercased()
            return word.first?.isNumber == true || markers.contains { lowered.hasPrefix($0) && lowered.dropFirst($0.count).first?.isNumber == true }
        }
        guard let digits = words.firstIndex(where: startsWithDigit) else { return false }
        return words[..<digits].allSatisfy { markers.contains($0.lowercased()) } && words.count - digits <= 2
    }

    /// A town cell: the town as written, and a postal code written in it (`10064 Pinerolo`).
    public static func town(_ text: String) -> (town: String, postalCode: String?) {
        let words = text.split(separator: " ").map(String.init)
        let code = words.first(where: isPostalCode)
        return (words.filter { !isPostalCode($0) }.joined(separator: " ").trimmingCharacters(in: " ,-–"), code)
    }

    /// The words without a floor, stair or internal number (`1° piano`, `piano terra`,
    /// `int. 3`, `scala B`) and what follows it.
    /// A floor marker counts after the house number only (`Via del Piano 5` keeps its name).
    static func withoutFloor(_ words: [String]) -> [String] {
        let markers: Set<String> = ["piano", "int.", "int", "interno", "scala", "sc.", "pt", "p.t."]
        if let first = words.first, markers.contains(first.lowercased()) || words.count >= 2 && words[1].lowercased() == "piano" { return [] }
        guard let number = words.firstIndex(where: { $0.first?.isNumber == true }),
              let index = words.indices.first(where: { $0 > number && (markers.contains(words[$0].lowercased()) || ["p.", "p"].contains(words[$0].lowercased())) })
        else { return words }
        var cut = index
        // `1° piano`, `primo piano`: the ordinal before belongs to the floor.
        let before = words[cut - 1].lowercased()
        if cut - 1 > number, before.contains(where: { "°^º".contains($0) }) || ["primo", "secondo", "terzo"].contains(before) { cut -= 1 }
        return Array(words[..<cut])
    }
}
