/// Internationalized host-name labels (`xn--…` A-labels): Punycode (RFC 3492) decoded, then the
/// IDNA 2008 rules a validator can check without Unicode's full derived tables: no leading
/// combining mark, no `--` in the third and fourth place, the code points IDNA disallows outright
/// that hosts meet (tatweel, NKo lajanyalan, the Hangul tone marks, the vertical kana repeat
/// marks), and the contextual rules (RFC 5892, appendix A) for MIDDLE DOT, Greek KERAIA, Hebrew
/// GERESH and GERSHAYIM, KATAKANA MIDDLE DOT, Arabic-Indic digits and ZERO WIDTH JOINER.
enum IDNA {
    static func isValidALabel(_ label: Substring) -> Bool {
        guard let scalars = decodePunycode(label.dropFirst(4).lowercased()), !scalars.isEmpty else { return false }
        return isValidULabel(scalars)
    }

    static func isValidULabel(_ scalars: [Unicode.Scalar]) -> Bool {
        if scalars.count >= 4 && scalars[2] == "-" && scalars[3] == "-" { return false }
        switch scalars[0].properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return false
        default: break
        }
        let disallowed: Set<UInt32> = [0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B]
        var arabicIndic = false
        var extendedArabicIndic = false
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if disallowed.contains(value) { return false }
            if scalar.properties.isUppercase { return false }
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch value {
            case 0x00B7:
                guard previous == "l", next == "l" else { return false }
            case 0x0375:
                guard let next, isGreek(next) else { return false }
            case 0x05F3, 0x05F4:
                guard let previous, (0x0590...0x05FF).contains(previous.value) else { return false }
            case 0x30FB:
                guard scalars.contains(where: { $0.value != 0x30FB && isKanaOrHan($0) }) else { return false }
            case 0x200D:
                guard let previous, previous.properties.canonicalCombiningClass == .virama else { return false }
            case 0x0660...0x0669: arabicIndic = true
            case 0x06F0...0x06F9: extendedArabicIndic = true
            default: break
            }
        }
        return !(arabicIndic && extendedArabicIndic)
    }

    private static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        (0x0370...0x03FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
    }

    private static func isKanaOrHan(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x3040...0x309F).contains(v) || (0x30A0...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FFFF).contains(v)
    }

    /// RFC 3492 decoding; nil when the text is not valid Punycode.
    static func decodePunycode(_ input: String) -> [Unicode.Scalar]? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var output: [UInt32] = []
        var rest = Substring(input)
        if let delimiter = input.lastIndex(of: "-") {
            for character in input[..<delimiter] {
                guard let ascii = character.asciiValue else { return nil }
                output.append(UInt32(ascii))
            }
            rest = input[input.index(after: delimiter)...]
        }
        var n = 128, i = 0, bias = 72
        var iterator = rest.makeIterator()
        func digit(_ c: Character) -> Int? {
            guard let a = c.asciiValue else { return nil }
            switch a {
            case 0x30...0x39: return Int(a) - 22
            case 0x41...0x5A: return Int(a) - 0x41
            case 0x61...0x7A: return Int(a) - 0x61
            default: return nil
            }
        }
        func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / points
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        while true {
            guard let first = iterator.next() else { break }
            let oldI = i
            var w = 1
            var k = base
            var c: Character? = first
            while true {
                guard let character = c, let d = digit(character) else { return nil }
                guard d <= (Int.max - i) / w else { return nil }
                i += d * w
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                guard w <= Int.max / (base - t) else { return nil }
                w *= base - t
                k += base
                c = iterator.next()
                if c == nil { return nil }
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        let scalars = output.compactMap(Unicode.Scalar.init)
        return scalars.count == output.count ? scalars : nil
    }
}
