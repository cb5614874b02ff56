/// Street addresses: the street type spelt out (`C.so` → `Corso`, `P.zza` → `Piazza`), the house
/// number apart and written one way (`n. 12`, `N° 12`, `civ. 12` → `12`; `12a`, `12 / A` → `12/A`).
public enum Street {
    public struct Result: Sendable, Equatable {
        /// The street type in full and lower case (`corso`), or empty when none was written.
        public var type: String
        /// The street's name as written, without type and number (`Vittorio Emanuele II`).
        public var name: String
        /// The house number (`12`, `12/A`, `12 bis`), or empty.
        public var number: String

        /// `Corso Vittorio Emanuele II, 12/A`.
        public var text: String {
            let street = [type.isEmpty ? "" : type.prefix(1).uppercased() + type.dropFirst(), name].filter { !$0.isEmpty }.joined(separator: " ")
            return number.isEmpty ? street : street + ", " + number
        }

        /// The folded street for comparing: type, name words and number.
        public var key: String {
            ([type] + TextFold.words(name) + [number.lowercased()]).filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// Abbreviations (folded, without dots) of the street types.
    static let types: [String: String] = [
        "via": "via", "v": "via",
        "corso": "corso", "cso": "corso", "c so": "corso", "cs": "corso",
        "piazza": "piazza", "p za": "piazza", "p zza": "piazza", "pza": "piazza", "pzza": "piazza", "p": "piazza", "piaz": "piazza",
        "piazzale": "piazzale", "p le": "piazzale", "ple": "piazzale",
        "piazzetta": "piazzetta", "p tta": "piazzetta",
        "largo": "largo", "l go": "largo", "lgo": "largo",
        "strada": "strada", "str": "strada", "s da": "strada",
        "viale": "viale", "v le": "viale", "vle": "viale",
        "vicolo": "vicolo", "v lo": "vicolo", "vlo": "vicolo", "vic": "vicolo",
        "frazione": "frazione", "fraz": "frazione", "fr": "frazione",
        "localita": "località", "loc": "località",
        "borgata": "borgata", "b ta": "borgata", "bgt": "borgata",
        "lungo": "lungo", "lungopo": "lungo po", "lungodora": "lungo dora",
        "contrada": "contrada", "c da": "contrada",
        "galleria": "galleria", "gall": "galleria",
        "passaggio": "passaggio", "pass": "passaggio",
        "salita": "salita", "vicoletto": "vicoletto", "via privata": "via privata",
    ]

    /// - Parameter display: whether the street's name is wanted in title case when shouted.
    public static func normalize(_ text: String, display: Bool = true) -> Result {
        var body = text.squashingWhitespace()
        // The house number: the end of the text after a comma, `n.`, `n°`, `civ.`, or the last
        // word when it starts with a digit.
        var number = ""
        if let (rest, found) = splitNumber(body) {
            body = rest
            number = found
        }
        // The street type: the first word or two, dots and spaces inside abbreviations ignored.
        var type = ""
        let words = body.split(separator: " ").map(String.init)
        for count in [2, 1] where words.count > count {
            let candidate = TextFold.words(words[0..<count].joined(separator: " ")).joined(separator: " ")
            if let full = types[candidate] {
                type = full
                body = words[count...].joined(separator: " ")
                break
            }
        }
        if type.isEmpty, let first = words.first, words.count > 1, let full = types[TextFold.words(first).joined(separator: " ")] {
            type = full
            body = words.dropFirst().joined(separator: " ")
        }
        var name = body.trimmingCharacters(in: ", ")
        if display && (TextFold.isShouting(name) || name == name.lowercased()) { name = TextFold.titled(name) }
        return Result(type: type, name: name, number: number)
    }

    /// The text before the house number and the number in its canonical form.
    static func splitNumber(_ text: String) -> (String, String)? {
        var words = text.split(separator: " ").map(String.init)
        guard words.count >= 2 else { return nil }
        // `12 bis`, `12 / A`, `12 A`: letters after the number belong to it.
        var suffix = ""
        func numberAt(_ offset: Int) -> Bool {
            words.count > offset && words[words.count - 1 - offset].last?.isNumber == true
        }
        let slashBefore = words.count >= 3 && words[words.count - 2] == "/"
        if let last = words.last, ["bis", "ter", "quater"].contains(last.lowercased())
            || (last.count == 1 && last.first!.isLetter && words.count >= 3 && (numberAt(1) || (slashBefore && numberAt(2)))) {
            suffix = last.count == 1 ? "/" + last.uppercased() : " " + last.lowercased()
            words.removeLast()
            if words.last == "/" { words.removeLast() }
        }
        guard var last = words.last else { return nil }
        if last.hasPrefix(",") { last.removeFirst() }
        let markers = ["n.", "n°", "nº", "n", "nr.", "nr", "num.", "civ.", "civico", "n.ro"]
        var numberText = last
        var restCount = words.count - 1
        for marker in markers where numberText.lowercased().hasPrefix(marker) && numberText.count > marker.count {
            let tail = numberText.dropFirst(marker.count)
            if tail.first?.isNumber == true { numberText = String(tail); break }
        }
        guard let first = numberText.first, first.isNumber else { return nil }
        if restCount >= 1, markers.contains(words[restCount - 1].lowercased().trimmingCharacters(in: ",")) { restCount -= 1 }
        let canonical = canonicalNumber(numberText) + suffix
        let rest = words[..<restCount].joined(separator: " ").trimmingCharacters(in: ", ")
        guard !rest.isEmpty else { return nil }
        return (rest, canonical)
    }

    /// `12a`, `12/a`, `12-A` → `12/A`; `12.` → `12`.
    static func canonicalNumber(_ text: String) -> String {
        let digits = text.prefix(while: { $0.isNumber })
        var rest = text.dropFirst(digits.count).filter { $0.isLetter || $0.isNumber }
        if rest.isEmpty { return String(digits) }
        rest = rest.uppercased()
        if ["BIS", "TER", "QUATER"].contains(rest) { return digits + " " + rest.lowercased() }
        return digits + "/" + rest
    }
}
