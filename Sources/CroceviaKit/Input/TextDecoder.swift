/// The decoding behind `TextInput`, which it runs on the caller's thread or on a thread of its
/// own one chunk ahead (`ReadAhead`). Then the findings it makes are `held` with their chunk and
/// given out when the chunk is, so they come in the same order either way.
final class TextDecoder {
    let source: ByteSource
    var name: String { source.name }
    /// The encoding in use: starts as requested and changes once if `auto` detects otherwise.
    private(set) var encoding: TextEncoding
    private let findings: FindingLog
    /// While a chunk is decoded ahead: its findings, kept for the caller to give out.
    var held: [Finding]?
    private let chunkSize: Int
    private let raw: UnsafeMutablePointer<UInt8>
    private let out: UnsafeMutablePointer<UInt8>
    private var carry = 0
    private var atStart = true
    private var sawMultibyte = false
    private var finished = false
    /// Newlines handed out before the current chunk: the line numbers of encoding findings.
    private var linesBefore = 0
    /// Where the current chunk's text starts in `raw` (after a byte-order mark).
    private var chunkStart = 0

    init(source: ByteSource, encoding: TextEncoding, findings: FindingLog, chunkSize: Int) {
        self.source = source
        self.encoding = encoding
        self.findings = findings
        self.chunkSize = chunkSize
        raw = .allocate(capacity: chunkSize + 8)
        out = .allocate(capacity: Self.largestChunk(reading: chunkSize))
    }

    /// The most bytes a chunk can hold: a read with the bytes carried over, each byte becoming
    /// at most three (a replacement character, a Windows-1252 `€`).
    var largestChunk: Int { Self.largestChunk(reading: chunkSize) }

    private static func largestChunk(reading chunkSize: Int) -> Int { (chunkSize + 8) * 3 }

    deinit {
        raw.deallocate()
        out.deallocate()
    }

    /// The next chunk of UTF-8 text, or nil at the end of the input; valid until the next call.
    func nextChunk() throws -> UnsafeBufferPointer<UInt8>? {
        while !finished {
            let n = try source.read(into: raw + carry, capacity: chunkSize)
            let total = carry + n
            let eof = n == 0
            if eof { finished = true }
            if total == 0 { return nil }
            var start = 0
            if atStart {
                guard total >= 4 || eof else { carry = total; continue }
                atStart = false
                try checkSignature(total)
                start = skipByteOrderMark(total)
            }
            chunkStart = start
            let chunk = try decode(from: start, count: total, eof: eof)
            linesBefore += countNewlines(chunk)
            if chunk.count > 0 { return chunk }
        }
        return nil
    }

    private func checkSignature(_ count: Int) throws {
        let bytes = UnsafeBufferPointer(start: raw, count: min(count, 4))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw CroceviaError.unreadableInput(
                file: name, line: nil, message: "this is a ZIP archive, not a text file, nor a workbook crocevia can open (a damaged .xlsx?)",
                hint: "open it in Excel or LibreOffice and save it again as .xlsx, .ods or CSV; a workbook is read from a file, not from standard input")
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw CroceviaError.unreadableInput(
                file: name, line: nil, message: "this is an Excel .xls workbook, not a text file",
                hint: "open it in Excel or LibreOffice and save it as CSV")
        }
        // A NUL byte early on means binary data, unless the file is UTF-16 (it has its mark).
        let isUTF16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || encoding == .utf16le || encoding == .utf16be
        if !isUTF16, let nul = UnsafeBufferPointer(start: raw, count: min(count, 1 << 16)).firstIndex(of: 0) {
            throw binaryError(at: nul)
        }
    }

    private func skipByteOrderMark(_ count: Int) -> Int {
        if count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF, encoding == .auto || encoding == .utf8 {
            encoding = .utf8
            sawMultibyte = true
            return 3
        }
        if count >= 2, raw[0] == 0xFF, raw[1] == 0xFE, encoding == .auto || encoding == .utf16le {
            encoding = .utf16le
            return 2
        }
        if count >= 2, raw[0] == 0xFE, raw[1] == 0xFF, encoding == .auto || encoding == .utf16be {
            encoding = .utf16be
            return 2
        }
        return 0
    }

    private func decode(from start: Int, count: Int, eof: Bool) throws -> UnsafeBufferPointer<UInt8> {
        carry = 0
        switch encoding {
        case .auto, .utf8: return try decodeUTF8(from: start, count: count, eof: eof)
        case .windows1252, .latin1:
            let produced = try transcodeSingleByte(from: start, count: count, into: 0)
            return UnsafeBufferPointer(start: out, count: produced)
        case .utf16le, .utf16be: return decodeUTF16(from: start, count: count, eof: eof)
        }
    }

    // MARK: UTF-8

    private func decodeUTF8(from start: Int, count: Int, eof: Bool) throws -> UnsafeBufferPointer<UInt8> {
        var i = start
        var copying = false  // true once a replacement forced output into `out`
        var o = 0
        var runStart = start
        while i < count {
            if i + 32 <= count && SWAR.isASCIIWithoutNUL32(raw + i) {
                i += 32
                continue
            }
            if i + 8 <= count {
                // Pure ASCII without a NUL byte: skip all eight.
                if SWAR.isASCIIWithoutNUL(UnsafeRawPointer(raw + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
            }
            let b = raw[i]
            if b < 0x80 {
                if b == 0 { throw binaryError(at: i) }
                i += 1
                continue
            }
            let length = Self.sequenceLength(raw + i, available: count - i)
            if length > 0 {
                sawMultibyte = true
                i += length
                continue
            }
            if length == -1 && !eof {
                // An incomplete sequence at the end of the chunk: keep it for the next read.
                break
            }
            // Not UTF-8.
            if encoding == .auto && !sawMultibyte {
                encoding = .windows1252
                note(Finding(
                    .info, rule: "encoding.detected",
                    message: "the text is not UTF-8 (byte 0x\(hex(b)) on line \(lineNumber(at: i))); reading it as Windows-1252",
                    hint: "pass --encoding to choose another", file: name, line: lineNumber(at: i)))
                if copying {
                    copyRun(from: runStart, to: i, into: &o)
                } else {
                    o = 0
                    copyRun(from: start, to: i, into: &o)
                }
                o = try transcodeSingleByte(from: i, count: count, into: o)
                return UnsafeBufferPointer(start: out, count: o)
            }
            if !copying {
                copying = true
                o = 0
                runStart = start
            }
            copyRun(from: runStart, to: i, into: &o)
            out[o] = 0xEF; out[o + 1] = 0xBF; out[o + 2] = 0xBD
            o += 3
            note(Finding(
                .error, rule: "encoding.invalid-utf8",
                message: "byte 0x\(hex(b)) is not valid UTF-8; it was replaced with U+FFFD (\u{FFFD})",
                hint: "the file mixes encodings; re-save it as UTF-8, or pass --encoding windows-1252 if that is what it is",
                file: name, line: lineNumber(at: i)))
            i += 1
            runStart = i
            encoding = .utf8
        }
        if i < count {
            // An incomplete sequence ends the chunk: hand out what precedes it (from `out`, since
            // the tail moves to the front of `raw` for the next read).
            if !copying {
                o = 0
                runStart = start
                copying = true
            }
            copyRun(from: runStart, to: i, into: &o)
            keepTail(from: i, count: count)
            return UnsafeBufferPointer(start: out, count: o)
        }
        if copying {
            copyRun(from: runStart, to: count, into: &o)
            return UnsafeBufferPointer(start: out, count: o)
        }
        return UnsafeBufferPointer(start: raw + start, count: count - start)
    }

    /// Moves the last few bytes of a chunk (at most three) to the front for the next read.
    private func keepTail(from index: Int, count: Int) {
        carry = count - index
        for k in 0..<carry { raw[k] = raw[index + k] }
    }

    private func copyRun(from: Int, to: Int, into o: inout Int) {
        guard to > from else { return }
        (out + o).update(from: raw + from, count: to - from)
        o += to - from
    }

    /// Whether `decodeUTF8` would hand the bytes on as they are, without a finding: UTF-8 and
    /// no NUL byte (which it refuses as binary).
    static func isCleanUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while i < bytes.count {
            if i + 8 <= bytes.count, SWAR.isASCIIWithoutNUL(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let b = base[i]
            if b == 0 { return false }
            if b < 0x80 {
                i += 1
                continue
            }
            let length = sequenceLength(base + i, available: bytes.count - i)
            guard length > 0 else { return false }
            i += length
        }
        return true
    }

    /// The length of a valid UTF-8 sequence at `p`, 0 if invalid, -1 if cut short by the end.
    static func sequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let b0 = p[0]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        for k in 1..<length {
            guard k < available else { return -1 }
            let b = p[k]
            if k == 1 {
                guard b >= low && b <= high else { return 0 }
            } else {
                guard b & 0xC0 == 0x80 else { return 0 }
            }
        }
        return length
    }

    // MARK: Single-byte encodings

    private func transcodeSingleByte(from start: Int, count: Int, into first: Int) throws -> Int {
        var o = first
        let table = TextEncoding.windows1252High
        let isLatin1 = encoding == .latin1
        for i in start..<count {
            let b = raw[i]
            if b < 0x80 {
                if b == 0 { throw binaryError(at: i) }
                out[o] = b
                o += 1
            } else {
                let scalar: UInt32 = (b < 0xA0 && !isLatin1) ? table[Int(b - 0x80)] : UInt32(b)
                o = writeScalar(scalar, at: o)
            }
        }
        return o
    }

    private func writeScalar(_ scalar: UInt32, at index: Int) -> Int {
        var o = index
        if scalar < 0x80 {
            out[o] = UInt8(scalar); o += 1
        } else if scalar < 0x800 {
            out[o] = UInt8(0xC0 | (scalar >> 6)); out[o + 1] = UInt8(0x80 | (scalar & 0x3F)); o += 2
        } else if scalar < 0x10000 {
            out[o] = UInt8(0xE0 | (scalar >> 12))
            out[o + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[o + 2] = UInt8(0x80 | (scalar & 0x3F)); o += 3
        } else {
            out[o] = UInt8(0xF0 | (scalar >> 18))
            out[o + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            out[o + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[o + 3] = UInt8(0x80 | (scalar & 0x3F)); o += 4
        }
        return o
    }

    // MARK: UTF-16

    private func decodeUTF16(from start: Int, count: Int, eof: Bool) -> UnsafeBufferPointer<UInt8> {
        var o = 0
        var i = start
        let bigEndian = encoding == .utf16be
        func unit(_ k: Int) -> UInt32 {
            bigEndian ? UInt32(raw[k]) << 8 | UInt32(raw[k + 1]) : UInt32(raw[k + 1]) << 8 | UInt32(raw[k])
        }
        while i + 1 < count {
            let u = unit(i)
            if u >= 0xD800 && u <= 0xDBFF {
                if i + 3 >= count && !eof { break }
                if i + 3 < count {
                    let v = unit(i + 2)
                    if v >= 0xDC00 && v <= 0xDFFF {
                        o = writeScalar(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), at: o)
                        i += 4
                        continue
                    }
                }
                o = replaceUTF16(at: o)
                i += 2
            } else if u >= 0xDC00 && u <= 0xDFFF {
                o = replaceUTF16(at: o)
                i += 2
            } else {
                o = writeScalar(u, at: o)
                i += 2
            }
        }
        if i < count {
            if eof {
                // An odd byte at the very end: half a UTF-16 unit.
                note(Finding(.error, rule: "encoding.invalid-utf16", message: "the file ends in the middle of a UTF-16 character; it was replaced with U+FFFD (\u{FFFD})",
                                     file: name, line: linesBefore + 1))
                o = writeScalar(0xFFFD, at: o)
            } else {
                keepTail(from: i, count: count)
            }
        }
        return UnsafeBufferPointer(start: out, count: o)
    }

    private func replaceUTF16(at o: Int) -> Int {
        note(Finding(
            .error, rule: "encoding.invalid-utf16", message: "a lone UTF-16 surrogate was replaced with U+FFFD (\u{FFFD})",
            file: name, line: linesBefore + 1))
        return writeScalar(0xFFFD, at: o)
    }

    private func note(_ finding: Finding) {
        if held != nil { held!.append(finding) } else { findings.add(finding) }
    }

    // MARK: Places

    private func lineNumber(at index: Int) -> Int {
        var lines = linesBefore + 1
        var k = chunkStart
        while k < index {
            if raw[k] == 0x0A { lines += 1 }
            k += 1
        }
        return lines
    }

    private func countNewlines(_ chunk: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = chunk.baseAddress else { return 0 }
        return SWAR.countLineFeeds(base, chunk.count)
    }

    private func binaryError(at index: Int) -> CroceviaError {
        .unreadableInput(
            file: name, line: lineNumber(at: index),
            message: "binary data (a NUL byte) where text was expected",
            hint: "Crocevia reads text files; if this is a spreadsheet or an archive, export it as CSV first")
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
