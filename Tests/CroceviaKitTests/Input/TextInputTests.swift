import Testing
@testable import CroceviaKit

@Suite struct TextInputTests {
    @Test func utf8WithByteOrderMarkLosesTheMark() throws {
        #expect(try decode([0xEF, 0xBB, 0xBF] + Array("Città;Aosta".utf8)) == "Città;Aosta")
    }

    @Test func windows1252IsDetectedWhenNoUTF8CameFirst() throws {
        let findings = FindingLog()
        let text = try decode(Array("Nome;Costo\nCitt".utf8) + [0xE0, 0x3B, 0x80] + Array(" 5\n".utf8), findings: findings)
        #expect(text == "Nome;Costo\nCittà;€ 5\n")
        #expect(findings.findings.map(\.rule) == ["encoding.detected"])
        #expect(findings.findings.first?.line == 2)
        #expect(findings.errorCount == 0)
    }

    @Test func invalidByteAfterUTF8TextIsReplacedAndReported() throws {
        let findings = FindingLog()
        let text = try decode(Array("caffè\nbar".utf8) + [0xFF] + Array("\n".utf8), findings: findings)
        #expect(text == "caffè\nbar\u{FFFD}\n")
        #expect(findings.errorCount == 1)
        #expect(findings.findings.first?.rule == "encoding.invalid-utf8")
        #expect(findings.findings.first?.line == 2)
    }

    @Test(arguments: 1...9)
    func multibyteCharactersSplitAcrossChunks(chunkSize: Int) throws {
        let text = String(repeating: "àèìòù€😀 ", count: 20)
        let findings = FindingLog()
        #expect(try decode(Array(text.utf8), chunkSize: chunkSize, findings: findings) == text)
        #expect(findings.findings.isEmpty)
    }

    @Test func utf16LittleEndianWithMark() throws {
        let text = "Nome\tCittà\r\nCaffè\tTorino\r\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try decode(bytes, chunkSize: 5) == text)
    }

    @Test func forcedLatin1KeepsC1Controls() throws {
        #expect(try decode([0x41, 0x80, 0xE8], encoding: .latin1) == "A\u{80}è")
        #expect(try decode([0x41, 0x80, 0xE8], encoding: .windows1252) == "A€è")
    }

    @Test func nulByteIsRefusedAsBinaryWithItsLine() throws {
        do {
            _ = try decode(Array("a,b\nc".utf8) + [0x00])
            Issue.record("binary data was read as text")
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            #expect(line == 2)
            #expect(message == "binary data (a NUL byte) where text was expected")
        }
    }

    /// Past the first 64 KiB (which the signature check looks at), a NUL byte is found wherever it
    /// falls in the 32-byte stride over ASCII text.
    @Test func nulByteLateInTheFileIsFoundAtEveryOffsetOfTheStride() throws {
        let line: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: 99) + [0x0A]
        let lines: [UInt8] = Array(repeating: line, count: 700).flatMap { $0 }
        for offset in 0..<40 {
            var tail: [UInt8] = Array(repeating: UInt8(ascii: "b"), count: 40)
            tail[offset] = 0
            do {
                _ = try decode(lines + tail)
                Issue.record("binary data at offset \(offset) was read as text")
            } catch CroceviaError.unreadableInput(_, let line, let message, _) {
                #expect(line == 701)
                #expect(message == "binary data (a NUL byte) where text was expected")
            }
        }
    }

    /// Decoding ahead on a thread of its own hands out the same chunks, findings and errors, at
    /// the same points, as decoding on the caller's thread.
    @Test(arguments: [7, 64, 4096])
    func readAheadGivesWhatOneThreadGives(chunkSize: Int) throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + "Città\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x41]
        let inputs: [[UInt8]] = [
            Array("Nome;Costo\nCitt".utf8) + [0xE0, 0x3B, 0x80] + Array(" 5\n".utf8),
            Array(String(repeating: "caffè ", count: 200).utf8) + [0xFF, 0x0A] + Array(String(repeating: "bar ", count: 300).utf8) + [0xC3],
            utf16,
            Array(repeating: UInt8(ascii: "a"), count: 70_000) + [0x0A, 0x00, 0x0A],
            [],
            // Every byte three in the output: the largest chunks.
            Array("è".utf8) + Array(repeating: 0xFF, count: 5_000),
            [0x41] + Array(repeating: 0x80, count: 5_000),
        ]
        for bytes in inputs {
            let file = try temporaryFile(bytes)
            func read(ahead: Bool) throws -> (chunks: [[UInt8]], marks: [Int], findings: [String], error: String?) {
                let findings = FindingLog()
                let input = TextInput(source: try ByteSource(path: file), findings: findings, chunkSize: chunkSize, readAhead: ahead)
                var chunks: [[UInt8]] = []
                var marks: [Int] = []
                do {
                    while let chunk = try input.nextChunk() {
                        chunks.append(Array(chunk))
                        marks.append(findings.findings.count)
                    }
                } catch {
                    return (chunks, marks, findings.findings.map(\.formatted), "\(error)")
                }
                return (chunks, marks, findings.findings.map(\.formatted), nil)
            }
            let one = try read(ahead: false), ahead = try read(ahead: true)
            #expect(ahead.chunks == one.chunks)
            #expect(ahead.marks == one.marks)
            #expect(ahead.findings == one.findings)
            #expect(ahead.error == one.error)
        }
    }

    /// An input dropped half read lets its decoding thread go: many of them, one after another.
    @Test(.timeLimit(.minutes(1)))
    func inputsDroppedHalfReadLetTheirThreadGo() throws {
        let bytes = Array(String(repeating: "riga di prova\n", count: 20_000).utf8)
        let file = try temporaryFile(bytes)
        for _ in 0..<200 {
            let input = TextInput(source: try ByteSource(path: file), findings: FindingLog(), chunkSize: 1024)
            let first = try input.nextChunk()
            #expect(first.map(Array.init) == Array(bytes.prefix(1024)))
        }
    }

    @Test func workbookIsNamed() throws {
        do {
            _ = try decode([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
            Issue.record("a ZIP file was read as text")
        } catch CroceviaError.unreadableInput(_, _, let message, _) {
            #expect(message == "this is a ZIP archive, not a text file, nor a workbook crocevia can open (a damaged .xlsx?)")
        }
    }

    @Test func encodingNames() {
        #expect(TextEncoding(name: "CP1252") == .windows1252)
        #expect(TextEncoding(name: "latin_1") == .latin1)
        #expect(TextEncoding(name: "utf8") == .utf8)
        #expect(TextEncoding(name: "ebcdic") == nil)
    }
}
