import Testing
@testable import CroceviaKit

/// Inputs the fuzzers (`scripts/fuzz.sh`) found a fault with, each kept as it was found.
@Suite struct FuzzRegressionTests {
    /// A file that is one header line without a line break was read again and again, forever
    /// (FuzzCSV, from a UTF-16 sample cut short; plain UTF-8 did the same).
    @Test(arguments: [Array("Nome".utf8), [0xFF, 0xFE, 0x4E, 0x00, 0x6F, 0x00, 0x6D, 0x00, 0x65, 0x00]])
    func aHeaderLineWithoutALineBreakIsReadOnce(_ bytes: [UInt8]) throws {
        let findings = FindingLog()
        let records = try readRecords(bytes, format: .csv, chunkSize: 4, findings: findings)
        #expect(records.isEmpty)
        #expect(findings.findings.map(\.rule) == ["csv.no-records"])
    }

    /// The input the fuzzer saved: UTF-16 with an odd byte count. The half character at the end
    /// is said and replaced, never dropped silently.
    @Test func anOddByteAtTheEndOfUTF16IsSaid() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x4E, 0x00, 0x6F, 0x00, 0x6D, 0x00, 0x65, 0x00, 0x0A, 0x00, 0x61, 0x00, 0x62]
        let findings = FindingLog()
        let records = try readRecords(bytes, format: .csv, findings: findings)
        #expect(records.map(\.value) == [row(["Nome": "a\u{FFFD}"])])
        #expect(findings.findings.map(\.message) == ["the file ends in the middle of a UTF-16 character; it was replaced with U+FFFD (\u{FFFD})"])
    }
}
