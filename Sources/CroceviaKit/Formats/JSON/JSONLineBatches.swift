import Foundation

/// A JSON Lines file read in batches of whole lines, for work that takes many lines at once on
/// several threads (the import's fast path, `ImportLoad.takeJSONLines`): the file's bytes in
/// chunks of at least 4 MiB cut at line breaks, each line a span into its chunk, parsed by the
/// `JSONParser` that `JSONRecordReader` uses for its lines. It takes clean UTF-8 only, without
/// the reader's decoding: a caller hands any line `parse` refuses, and every line after it, to
/// `JSONRecordReader`, which says what is wrong with it.
final class JSONLineBatches {
    /// A line's bytes in its batch (without its line break, or a CR before it), and its number.
    struct Span {
        var start: Int
        var count: Int
        var line: Int
    }

    /// Whole lines, read only once made.
    final class Batch: @unchecked Sendable {
        private let bytes: UnsafeMutableRawBufferPointer
        let spans: [Span]

        fileprivate init(bytes: UnsafeMutableRawBufferPointer, spans: [Span]) {
            self.bytes = bytes
            self.spans = spans
        }

        deinit { bytes.deallocate() }

        /// Whether the batch has a NUL byte in its first 64 KiB (`TextInput` refuses such a file).
        var binaryAtStart: Bool {
            guard let last = spans.last else { return false }
            return memchr(bytes.baseAddress!, 0, min(1 << 16, last.start + last.count)) != nil
        }

        /// The bytes read so far, up to the end of the batch's last line.
        var end: Int { spans.last.map { $0.start + $0.count + 1 } ?? 0 }

        func line(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + spans[index].start, count: spans[index].count)
        }
    }

    /// One JSON value from a line of clean UTF-8 (no NUL byte), and whether the line is that
    /// value's compact JSON as `JSONText` writes it; nil when it is not one value.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> (JSONValue, compact: Bool)? {
        guard let base = line.baseAddress, TextDecoder.isCleanUTF8(line) else { return nil }
        var parser = JSONParser(base: base, end: line.count, position: 0, line: 1, maxDepth: 512)
        guard let value = try? parser.parseValue(), parser.skipWhitespace() == nil else { return nil }
        return (value, parser.compact)
    }

    /// Whether a line holds only spaces, tabs and CRs (`JSONRecordReader` skips such lines).
    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private let file: ByteSource
    /// The bytes after the last line break read so far.
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var atEnd = false
    var bytesRead: Int { file.bytesRead }
    var size: Int? { file.size }

    /// How many bytes of lines a batch holds at least (the rest of the file, at its end).
    private let batchBytes: Int

    /// Nil when the file cannot be opened (the ordinary reader says why) or is not a plain file.
    init?(path: String, batchBytes: Int = 4 << 20) {
        guard path != "-", let file = try? ByteSource(path: path), file.size != nil else { return nil }
        self.file = file
        self.batchBytes = batchBytes
    }

    /// The next batch of whole lines (at least `batchBytes` of them, or the rest), nil at the end.
    func next() throws -> Batch? {
        guard !atEnd else { return nil }
        var capacity = max(batchBytes, carry.count * 2)
        var bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        var count = carry.count
        carry.withUnsafeBytes { bytes.copyMemory(from: $0) }
        carry = []
        var lastBreak = -1
        do {
            while true {
                while count < capacity {
                    let n = try file.read(into: bytes.baseAddress! + count, capacity: capacity - count)
                    if n == 0 {
                        atEnd = true
                        break
                    }
                    count += n
                }
                if atEnd { break }
                if let found = UnsafeRawBufferPointer(rebasing: bytes[0..<count]).lastIndex(of: 0x0A) {
                    lastBreak = found
                    break
                }
                // One line longer than the batch: a bigger one.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 8)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                bytes.deallocate()
                bytes = bigger
                capacity *= 2
            }
        } catch {
            bytes.deallocate()
            throw error
        }
        let end = atEnd ? count : lastBreak + 1
        if end < count { carry = Array(UnsafeRawBufferPointer(rebasing: bytes[end..<count])) }
        guard end > 0 else {
            bytes.deallocate()
            return nil
        }
        return Batch(bytes: bytes, spans: spans(UnsafeRawBufferPointer(rebasing: bytes[0..<end])))
    }

    /// Every line's span, with its number.
    private func spans(_ bytes: UnsafeRawBufferPointer) -> [Span] {
        var spans: [Span] = []
        spans.reserveCapacity(bytes.count / 512)
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var start = 0
        while start < bytes.count {
            let end = memchr(base + start, 0x0A, bytes.count - start).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? bytes.count
            var stop = end
            if stop > start && base[stop - 1] == 0x0D { stop -= 1 }
            spans.append(Span(start: start, count: stop - start, line: nextLine))
            nextLine += 1
            start = end + 1
        }
        return spans
    }
}
