/// Telephone numbers to E.164 (`+390111234567`). Italian numbers by default: fixed lines keep
/// their leading 0, mobiles start with 3, green numbers with 80. Partners write `011-123.45.67`,
/// `(011) 123 4567`, `tel. 011 1234567`, `+39 011…`, `0039…`, and two numbers in one cell
/// (`011 1234567 / 333 1234567`); each number found is one value.
public enum Phone {
    public struct Result: Sendable, Equatable {
        /// The numbers in E.164, in the order written.
        public var numbers: [String]
        /// What could not be read as a number, as written.
        public var unreadable: [String]
    }

    public static func normalize(_ text: String) -> Result {
        var result = Result(numbers: [], unreadable: [])
        for piece in pieces(text) {
            let groups = digitGroups(piece)
            if groups.isEmpty { continue }
            if let number = number(groups.joined(), plus: piece.hasPlus) {
                result.numbers.append(number)
            } else if let split = splitInTwo(groups, plus: piece.hasPlus) {
                result.numbers.append(contentsOf: split)
            } else {
                result.unreadable.append(piece.text.trimmingWhitespace())
            }
        }
        return result
    }

    /// The E.164 form of one number's digits, or nil when they are no Italian or international
    /// number.
    static func number(_ digits: String, plus: Bool) -> String? {
        var digits = Substring(digits)
        var international = plus
        if digits.hasPrefix("00") { digits = digits.dropFirst(2); international = true }
        if international {
            if digits.hasPrefix("39") {
                digits = digits.dropFirst(2)
            } else {
                return (8...15).contains(digits.count) ? "+" + digits : nil
            }
        }
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
    static func splitInTwo(_ groups: [String], plus: Bool) -> [String]? {
        guard groups.count >= 2 else { return nil }
        for cut in 1..<groups.count {
            if let first = number(groups[..<cut].joined(), plus: plus), let second = number(groups[cut...].joined(), plus: false) {
                return [first, second]
            }
        }
        return nil
    }

    struct Piece {
        var text: String
        var hasPlus: Bool
    }

    /// The cell cut at what separates numbers: `;` `,` `/` `|`, line breaks, ` e `, ` o `,
    /// `oppure`. A `/` right after a short prefix (`011/1234567`) joins rather than separates.
    static func pieces(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmingWhitespace()
            if !trimmed.isEmpty { pieces.append(Piece(text: trimmed, hasPlus: trimmed.contains("+"))) }
            current = ""
        }
        let words = text.replacingSeparatorWords()
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
