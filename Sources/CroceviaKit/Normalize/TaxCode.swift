/// Italian tax identifiers. An organization's partita IVA or numeric codice fiscale has 11 digits
/// (the first seven not all zero, an office code in 001–100, 120, 121, 888 or 999, a Luhn check
/// digit); a person's codice fiscale has 16 characters with a check letter.
public enum TaxCode {
    public enum Result: Sendable, Equatable {
        /// An organization's 11-digit number that checks; `restoredZeros` when leading zeros
        /// lost by a spreadsheet were put back.
        case organization(String, restoredZeros: Int)
        /// A person's 16-character code that checks (sole traders register under it).
        case person(String)
        /// Written as a code but failing its check, with the reason.
        case invalid(String, reason: String)
    }

    /// Cleans `IT`, `P.IVA`, `C.F.` labels, spaces, dots and dashes, then checks.
    public static func normalize(_ text: String) -> Result {
        var cleaned = Substring(text.uppercased().trimmingWhitespace())
        var stripped = true
        while stripped {
            stripped = false
            for label in ["PARTITA IVA", "P. IVA", "P.IVA", "PIVA ", "PIVA:", "CODICE FISCALE", "COD. FISC.", "C.F.", "CF ", "CF:", "C. F.", ":", "/"]
            where cleaned.hasPrefix(label) {
                cleaned = cleaned.dropFirst(label.count).drop(while: { $0 == " " })
                stripped = true
            }
        }
        var characters = cleaned.filter { $0.isLetter || $0.isNumber }
        if characters.hasPrefix("IT") && characters.dropFirst(2).allSatisfy(\.isNumber) && characters.count > 2 {
            characters = String(characters.dropFirst(2))
        }
        if characters.isEmpty { return .invalid(text, reason: "holds no digits") }
        if characters.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if characters.count == 11 {
                if let reason = organizationProblem(characters) { return .invalid(characters, reason: reason) }
                return .organization(characters, restoredZeros: 0)
            }
            if characters.count < 11 && characters.count >= 6 {
                let padded = String(repeating: "0", count: 11 - characters.count) + characters
                if organizationProblem(padded) == nil { return .organization(padded, restoredZeros: 11 - characters.count) }
                return .invalid(characters, reason: "has \(characters.count) digits, not 11 (and does not check with the leading zeros put back)")
            }
            return .invalid(characters, reason: "has \(characters.count) digits, not 11")
        }
        if characters.count == 16 {
            if let reason = personProblem(characters) { return .invalid(characters, reason: reason) }
            return .person(characters)
        }
        return .invalid(text.trimmingWhitespace(), reason: "is neither 11 digits (an organization) nor 16 characters (a person)")
    }

    /// Why 11 digits are not a valid partita IVA, or nil when they are.
    public static func organizationProblem(_ digits: String) -> String? {
        let values = digits.utf8.map { Int($0) - 48 }
        guard values.count == 11, values.allSatisfy({ (0...9).contains($0) }) else { return "is not 11 digits" }
        if values[0..<7].allSatisfy({ $0 == 0 }) { return "has a zero company number" }
        let office = values[7] * 100 + values[8] * 10 + values[9]
        if !((1...100).contains(office) || [120, 121, 888, 999].contains(office)) {
            return "has office code \(office < 10 ? "00" : office < 100 ? "0" : "")\(office), which no tax office uses"
        }
        var sum = 0
        for (index, digit) in values[0..<10].enumerated() {
            if index % 2 == 0 { sum += digit } else { let doubled = digit * 2; sum += doubled > 9 ? doubled - 9 : doubled }
        }
        let check = (10 - sum % 10) % 10
        return check == values[10] ? nil : "fails its check digit (\(check) expected at the end)"
    }

    static let oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]

    /// Why 16 characters are not a valid personal codice fiscale, or nil when they are.
    public static func personProblem(_ code: String) -> String? {
        let bytes = Array(code.utf8)
        guard bytes.count == 16 else { return "is not 16 characters" }
        let omocodia = Set("0123456789LMNPQRSTUV".utf8)
        let months = Set("ABCDEHLMPRST".utf8)
        func letter(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
        let shapeOK = bytes[0..<6].allSatisfy(letter) && omocodia.contains(bytes[6]) && omocodia.contains(bytes[7])
            && months.contains(bytes[8]) && omocodia.contains(bytes[9]) && omocodia.contains(bytes[10])
            && letter(bytes[11]) && bytes[12..<15].allSatisfy { omocodia.contains($0) } && letter(bytes[15])
        guard shapeOK else { return "does not have the shape of a codice fiscale (six letters, year, month letter, day, town, check letter)" }
        var sum = 0
        for (index, byte) in bytes[0..<15].enumerated() {
            let k = byte >= 65 ? Int(byte) - 65 : Int(byte) - 48
            sum += index % 2 == 0 ? oddValues[k] : k
        }
        let check = UInt8(65 + sum % 26)
        return check == bytes[15] ? nil : "fails its check letter (\(Character(Unicode.Scalar(check))) expected at the end)"
    }
}
