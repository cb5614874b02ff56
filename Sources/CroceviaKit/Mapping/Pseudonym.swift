import Crypto
import Foundation

/// The network's secret: the key of the HMAC that turns a person's identifier into a
/// `person_key`. Every member uses the same secret, so one person gets one key at every desk;
/// without it no one can turn a key back into an identifier, even by trying every codice fiscale.
/// There is no default: case data profiles refuse to run without one.
public struct NetworkSecret: Sendable {
    private let bytes: [UInt8]

    /// A shorter secret could be guessed; 16 bytes is the least accepted.
    public static let minimumBytes = 16

    public init(_ bytes: [UInt8], origin: String) throws {
        guard bytes.count >= Self.minimumBytes else {
            throw CroceviaError.usage("the network secret from \(origin) has \(bytes.count) bytes; it needs at least \(Self.minimumBytes) (make one with: openssl rand -hex 32)")
        }
        self.bytes = bytes
    }

    /// The secret in `file`, else `CROCEVIA_SECRET_FILE`'s file, else `CROCEVIA_SECRET`; nil
    /// when none is given. A key file's last line break is not part of the secret.
    public static func resolve(file: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NetworkSecret? {
        if let path = file ?? environment["CROCEVIA_SECRET_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CroceviaError.usage("cannot read the network secret's key file \(path)")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            return try NetworkSecret(bytes, origin: path)
        }
        if let text = environment["CROCEVIA_SECRET"], !text.isEmpty {
            return try NetworkSecret(Array(text.utf8), origin: "CROCEVIA_SECRET")
        }
        return nil
    }

    /// HMAC-SHA256 of the text, in lowercase hex.
    public func key(for text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: bytes))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in code {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// How a person is recognised across desks, in order of trust: the codice fiscale; else the
/// name with the birth date; else the phone. Each is normalized before it is keyed (the code in
/// capitals; the name's words folded to lowercase ASCII and sorted, so "ROSSI Mario" and "Mario
/// Rossì" agree; the phone in E.164), and prefixed with its kind, so a phone can never collide
/// with a code.
public enum PersonIdentifier {
    /// The text to key, or nil when the columns hold nothing usable (an anonymous walk-in).
    /// `problem` says, without quoting anything, why a given value was not usable.
    public static func text(codiceFiscale: String?, name: [String], birthDate: String?, phone: String?,
                            dates: [DatePattern], problem: (String) -> Void) -> String? {
        if let code = codiceFiscale?.trimmingWhitespace(), !code.isEmpty {
            if case .person(let normalized) = TaxCode.normalize(code) { return "cf:" + normalized }
            problem("the codice fiscale is not a valid one (its check character or its form)")
        }
        let words = name.flatMap { TextFold.words($0) }.sorted()
        if !words.isEmpty, let written = birthDate?.trimmingWhitespace(), !written.isEmpty {
            if let iso = AgeBand.isoDate(written, dates: dates) { return "nb:" + words.joined(separator: " ") + "|" + iso }
            problem("the birth date is not a date in the profile's forms")
        }
        if let written = phone?.trimmingWhitespace(), !written.isEmpty {
            if let number = Phone.normalize(written).numbers.first { return "tel:" + number }
            problem("the phone is not a number Crocevia can read")
        }
        return nil
    }
}

/// The age bands of the network's reports.
public enum AgeBand {
    public static let bands = ["0-17", "18-29", "30-44", "45-64", "65-74", "75+"]

    public static func band(age: Int) -> String? {
        switch age {
        case ..<0: return nil
        case 0...17: return "0-17"
        case 18...29: return "18-29"
        case 30...44: return "30-44"
        case 45...64: return "45-64"
        case 65...74: return "65-74"
        case 75...130: return "75+"
        default: return nil
        }
    }

    /// Whole years from `birth` to `at` (ISO dates).
    public static func age(birth: String, at: String) -> Int? {
        func parts(_ iso: String) -> (Int, Int, Int)? {
            let fields = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
            return fields.count == 3 ? (fields[0], fields[1], fields[2]) : nil
        }
        guard let b = parts(birth), let a = parts(at) else { return nil }
        var years = a.0 - b.0
        if (a.1, a.2) < (b.1, b.2) { years -= 1 }
        return years
    }

    /// A date written in one of `dates` (or already ISO) as ISO 8601.
    static func isoDate(_ text: String, dates: [DatePattern]) -> String? {
        for pattern in dates {
            if let iso = pattern.isoDate(from: text) { return iso }
        }
        let prefix = String(text.prefix(10))
        if prefix.count == 10, ISODay.isValid(prefix) { return prefix }
        return nil
    }

    /// Today, in the machine's time zone, as ISO 8601.
    static var today: String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// Checks a `yyyy-MM-dd` text (the validator's RFC 3339 full-date).
public enum ISODay {
    public static func isValid(_ text: String) -> Bool { FormatCheck.isDate(Substring(text)) }
}

extension PersonIdentifier {
    /// Whether the text holds a valid personal codice fiscale (16 characters, check character
    /// right), written in capitals or not, anywhere in it.
    public static func containsCodiceFiscale(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16 else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        var start = 0
        while start + 16 <= bytes.count {
            if isAlphanumeric(bytes[start]), start == 0 || !isAlphanumeric(bytes[start - 1]),
               start + 16 == bytes.count || !isAlphanumeric(bytes[start + 16]) {
                let candidate = String(decoding: bytes[start..<start + 16], as: UTF8.self).uppercased()
                if TaxCode.personProblem(candidate) == nil { return true }
            }
            start += 1
        }
        return false
    }
}
