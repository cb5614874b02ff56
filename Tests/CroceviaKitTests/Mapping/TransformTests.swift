import Testing
@testable import CroceviaKit

@Suite struct TransformTests {
    func run(_ transform: Transform, _ values: [JSONValue]) -> [JSONValue] {
        var field = FieldValues(values)
        transform.apply(&field) { _, _, _, _ in }
        return field.array
    }

    @Test func textSteps() {
        #expect(run(.title, [.string("DELL'ACQUA via ROMA 12/a")]) == [.string("Dell'Acqua Via Roma 12/A")])
        #expect(run(.squash, [.string("  a \t b\n c ")]) == [.string("a b c")])
        #expect(run(.upper, [.string("già")]) == [.string("GIÀ")])
        #expect(run(.drop(["n.d.", "-"]), [.string("N.D."), .string("x"), .string(" - ")]) == [.string("x")])
        #expect(run(.join(" / "), [.string("a"), .string(""), .string("b")]) == [.string("a / b")])
        #expect(run(.split(.text(" e ")), [.string("011 1 e 011 2")]) == [.string("011 1"), .string("011 2")])
        #expect(run(.split(.pattern(try! .init("\\s*[;/]\\s*"))), [.string("011-1 / 333;  4")]) == [.string("011-1"), .string("333"), .string("4")])
        #expect(run(.replace(try! .init("(?i)^tel\\.?\\s*"), with: ""), [.string("Tel. 011 1")]) == [.string("011 1")])
    }

    @Test(arguments: [
        ("1.234,50", true, "1234.5"), ("12", true, "12"), ("-0,25", true, "-0.25"), ("1,234.5", false, "1234.5"),
        ("3.0", false, "3"), ("€ 5", true, nil), ("abc", false, nil),
    ] as [(String, Bool, String?)])
    func numbers(text: String, decimalComma: Bool, expected: String?) {
        #expect(Transform.number(text, decimalComma: decimalComma) == expected)
    }

    @Test(arguments: [
        ("dd/MM/yyyy", "03/11/2026", "2026-11-03"), ("dd/MM/yyyy", "29/02/2024", "2024-02-29"), ("dd/MM/yyyy", "29/02/2025", nil),
        ("d/M/yyyy", "3/1/2026", "2026-01-03"), ("dd/MM/yyyy", "3/11/2026", nil), ("dd.MM.yy", "01.02.69", "2069-02-01"),
        ("dd.MM.yy", "01.02.70", "1970-02-01"), ("yyyy-MM-dd", "2026-11-03", "2026-11-03"),
        ("dd/MM/yyyy", "03/11/2026 00:00:00", "2026-11-03"), ("dd/MM/yyyy", "03/11/2026x", nil), ("dd/MM/yyyy", "00/11/2026", nil),
    ] as [(String, String, String?)])
    func dates(pattern: String, text: String, expected: String?) throws {
        #expect(try #require(DatePattern(pattern)).isoDate(from: text) == expected)
    }

    @Test func mapTranslatesBooleansAndKeepsUnknownValues() {
        let map = Transform.map(.init(entries: ["true": .string("active"), "sì": .string("yes")], fallback: nil, ignoreCase: true))
        #expect(run(map, [.bool(true), .string(" SÌ "), .string("forse")]) == [.string("active"), .string("yes"), .string("forse")])
        let withDefault = Transform.map(.init(entries: [:], fallback: .string("active"), ignoreCase: true))
        #expect(run(withDefault, [.string("boh")]) == [.string("active")])
    }

    @Test func anEmptyValueStaysEmptyExceptThroughAMapDefault() {
        let prefix = Transform.replace(try! .init("^(?!https?://)"), with: "https://")
        #expect(run(prefix, [.string(""), .string("www.a.it")]) == [.string("https://www.a.it")])
        let withDefault = Transform.map(.init(entries: [:], fallback: .string("active"), ignoreCase: true))
        #expect(run(withDefault, [.string("")]) == [.string("active")])
    }
}
