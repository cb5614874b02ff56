/// Telephone numbers to E.164 (`+390111234567`). Italian numbers by default: fixed lines keep
/// their leading 0, mobiles start with 3, green numbers with 80. Partners write `011-123.45.67`,
/// `(011) 123 4567`, `tel. 011 1234567`, `+39 011…`, `0039…`, and two numbers in one cell
/// (`011 1234567 / 333 1234567`); each number found is one value. An extension (`ext. 12`,
/// `int. 3`) is left out: HSDS keeps it in `phone.extension`.
public enum Phone {
    /// The country a number without `+` or `00` belongs to: its calling code, whether the
    /// national trunk prefix (`0`, or `1` in North America) is dropped, the national lengths.
    public struct Country: Sendable, Equatable {
        public let code: String
        let callingCode: String
        let trunkPrefix: String?
        let lengths: ClosedRange<Int>

        public static let italy = Country(code: "IT", callingCode: "39", trunkPrefix: nil, lengths: 6...11)

        /// The countries partners' numbers come from; `phone: { country: GB }` in a profile.
        public static let known: [Country] = [
            italy,
            Country(code: "SM", callingCode: "378", trunkPrefix: nil, lengths: 6...10),
            Country(code: "VA", callingCode: "39", trunkPrefix: nil, lengths: 6...11),
            Country(code: "CH", callingCode: "41", trunkPrefix: "0", lengths: 9...9),
            Country(code: "FR", callingCode: "33", trunkPrefix: "0", lengths: 9...9),
            Country(code: "DE", callingCode: "49", trunkPrefix: "0", lengths: 6...13),
            Country(code: "AT", callingCode: "43", trunkPrefix: "0", lengths: 4...13),
            Country(code: "ES", callingCode: "34", trunkPrefix: nil, lengths: 9...9),
            Country(code: "GB", callingCode: "44", trunkPrefix: "0", lengths: 9...10),
            Country(code: "IE", callingCode: "353", trunkPrefix: "0", lengths: 7...9),
            Country(code: "US", callingCode: "1", trunkPrefix: "1", lengths: 10...10),
            Country(code: "CA", callingCode: "1", trunkPrefix: "1", lengths: 10...10),
        ]

        public static func named(_ code: String) -> Country? {
            known.first { $0.code == code.uppercased() }
        }
    }

    public struct Result: Sendable, Equatable {
        /// The numbers in E.164, in the order written.
        public var numbers: [String]
        /// What could not be read as a number, as written.
        public var unreadable: [String]
    }

    public static func normalize(_ text: String, country: Country = .italy) -> Result {
        var result = Result(numbers: [], unreadable: [])
        // Words (`tel.`, `ext. 12`, ` e `) need looking at only when the text has letters.
        let hasLetters = text.utf8.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        for piece in pieces(hasLetters ? withoutExtensions(text) : text, words: hasLetters) {
            let groups = digitGroups(piece)
            if groups.isEmpty { continue }
            if let number = number(groups.joined(), plus: piece.hasPlus, country: country) {
                result.numbers.append(number)
            } else if let split = splitInTwo(groups, plus: piece.hasPlus, country: country) {
                result.numbers.append(contentsOf: split)
            } else {
                result.unreadable.append(piece.text.trimmingWhitespace())
            }
        }
        return result
    }

    /// The E.164 form of one number's digits, or nil when they are no number of the country
    /// and no international number.
    static func number(_ digits: String, plus: Bool, country: Country) -> String? {
        var digits = Substring(digits)
        var international = plus
        if digits.hasPrefix("00") { digits = digits.dropFirst(2); international = true }
        if international {
            guard digits.hasPrefix(country.callingCode) else {
                return (8...15).contains(digits.count) ? "+" + digits : nil
            }
            digits = digits.dropFirst(country.callingCode.count)
            if country.callingCode != "39", let trunk = country.trunkPrefix, digits.hasPrefix(trunk),
               !country.lengths.contains(digits.count) {
                digits = digits.dropFirst(trunk.count)  // `+44 (0)1698 …`
            }
        } else if let trunk = country.trunkPrefix, digits.hasPrefix(trunk), country.lengths.contains(digits.count - trunk.count) {
            digits = digits.dropFirst(trunk.count)
        }
        if country == .italy || country.callingCode == "39" {
            return italian(digits)
        }
        return country.lengths.contains(digits.count) ? "+" + country.callingCode + digits : nil
    }

    /// Italian numbers keep their leading 0; mobiles start with 3, green and premium numbers with 8.
    private static func italian(_ digits: Substring) -> String? {
        guard let first = digits.first else { return nil }
        let valid: Bool
        switch first {
        case "0": valid = (6...11).contains(digits.count)
        case "3": valid = (9...10).contains(digits.count)
        case "8": valid = (6...10).contains(digits.count)
        default: valid = false
        }
        return valid ? "+39" + digits : nil
    }

    /// Two numbers written one after the other (`011 1234567 333 7654321`): the split between
    /// digit groups that makes both halves numbers.
    static func splitInTwo(_ groups: [String], plus: Bool, country: Country) -> [String]? {
        guard groups.count >= 2 else { return nil }
        for cut in 1..<groups.count {
            if let first = number(groups[..<cut].joined(), plus: plus, country: country),
               let second = number(groups[cut...].joined(), plus: false, country: country) {
                return [first, second]
            }
        }
        return nil
    }

    /// The text without extensions: `ext. 12`, `ext 12`, `x12`, `int. 3`, `interno 3`.
    static func withoutExtensions(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var index = 0
        while index < words.count {
            let word = words[index].lowercased()
            let label = ["ext.", "ext", "int.", "int", "interno", "x", "ext.:", "int.:"].contains(word)
            let glued = (word.hasPrefix("ext.") || word.hasPrefix("int.") || word.hasPrefix("x")) && word.dropFirst(word.hasPrefix("x") ? 1 : 4).allSatisfy(\.isNumber) && word.count > (word.hasPrefix("x") ? 1 : 4)
            if label, index + 1 < words.count, words[index + 1].allSatisfy({ $0.isNumber || $0 == "," || $0 == ";" }) {
                // Keep a separator glued to the extension (`ext. 12; 011…`).
                let tail = words[index + 1].filter { $0 == "," || $0 == ";" }
                words.replaceSubrange(index...(index + 1), with: tail.isEmpty ? [] : [tail])
                continue
            }
            if glued { words.remove(at: index); continue }
            index += 1
        }
        return words.joined(separator: " ")
    }

    struct Piece {
        var text: String
        var hasPlus: Bool
    }

    /// The cell cut at what separates numbers: `;` `,` `/` `|`, line breaks, ` e `, ` o `,
    /// `oppure`. A `/` right after a short prefix (`011/1234567`) joins rather than separates.
    static func pieces(_ text: String, words: Bool = true) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmingWhitespace()
            if !trimmed.isEmpty { pieces.append(Piece(text: trimmed, hasPlus: trimmed.contains("+"))) }
            current = ""
        }
        let words = words ? text.replacingSeparatorWords() : text
        var digitsSoFar = 0
        for character in words {
            switch character {
            case ";", ",", "|", "\n", "\r":
                flush(); digitsSoFar = 0
            case "/":
                // `011/1234567`: a prefix of up to five digits before the slash is one number.
                if digitsSoFar > 0 && digitsSoFar <= 5 { current.append(" ") } else { flush(); digitsSoFar = 0 }
            default:
                if character.isASCII && character.isNumber { digitsSoFar += 1 }
                current.append(character)
            }
        }
        flush()
        return pieces
    }

    /// The runs of digits in a piece, ignoring labels (`tel.`, `cell`), brackets, dots and dashes.
    static func digitGroups(_ piece: Piece) -> [String] {
        var groups: [String] = []
        var group = ""
        for character in piece.text {
            if character.isASCII && character.isNumber {
                group.append(character)
            } else if character == " " || character == "\t" || character == "(" || character == ")" {
                if !group.isEmpty { groups.append(group); group = "" }
            } else if character == "." || character == "-" {
                continue  // `011-123.45.67` is one group of digits
            } else if !group.isEmpty {
                groups.append(group); group = ""
            }
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }
}

private extension String {
    /// ` e `, ` o `, ` oppure ` between numbers become `;`.
    func replacingSeparatorWords() -> String {
        var words = split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in words.indices where ["e", "o", "oppure", "or", "and"].contains(words[index].lowercased()) {
            words[index] = ";"
        }
        return words.joined(separator: " ")
    }
}
