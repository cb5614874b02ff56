import Foundation

/// The fast way through a JSON Lines feed the registry already holds: each line's bytes are
/// hashed as they are, and a line whose hash is that of a stored active record is that record,
/// byte for byte (the registry stores the compact JSON Crocevia writes, which is what Crocevia's
/// own JSON Lines hold), so it is unchanged without being parsed. The other lines are parsed here.
///
/// Used only when every line is either such a match or clean UTF-8 JSON: anything else (a byte
/// order mark, invalid UTF-8, a line that does not parse, one record twice, standard input) returns nil before
/// anything is applied, and the file goes through the ordinary reader, which reports it.
struct UnchangedLines {
    enum Line {
        case unchanged(id: String, line: Int)
        case record(Record)
    }

    /// The file's records in order, or nil when the ordinary reader must take the file.
    static func scan(path: String, source: String, knownByHash: [ContentHash: String]) -> [Line]? {
        guard path != "-", let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Line]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
            if bytes.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { return nil }
            let spans = lineSpans(bytes)
            let hashes = hashed(spans, in: bytes)
            var lines: [Line] = []
            lines.reserveCapacity(spans.count)
            var recordNumber = 0
            // Identical lines have one hash: the second is the same record twice.
            var matched: Set<ContentHash> = []
            matched.reserveCapacity(spans.count)
            for (index, span) in spans.enumerated() {
                guard let hash = hashes[index] else { continue }  // a blank line
                recordNumber += 1
                if let id = knownByHash[hash] {
                    // The same record twice: the ordinary reader reports the second.
                    guard matched.insert(hash).inserted else { return nil }
                    lines.append(.unchanged(id: id, line: span.line))
                    continue
                }
                let line = UnsafeBufferPointer(start: base + span.start, count: span.count)
                guard let text = String(validating: line, as: UTF8.self), let value = JSONText.parse(text) else { return nil }
                lines.append(.record(Record(value: value, provenance: Provenance(source: source, file: path, line: span.line, record: recordNumber))))
            }
            return lines
        }
    }

    struct Span {
        var start: Int
        var count: Int
        var line: Int
    }

    /// Every line's bytes without its line break (and a CR before it), with its number.
    static func lineSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [Span] {
        var spans: [Span] = []
        var start = 0
        var number = 0
        let base = bytes.baseAddress!
        while start < bytes.count {
            number += 1
            let rest = bytes.count - start
            let end = memchr(base + start, 0x0A, rest).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? bytes.count
            var stop = end
            if stop > start && base[stop - 1] == 0x0D { stop -= 1 }
            spans.append(Span(start: start, count: stop - start, line: number))
            start = end + 1
        }
        return spans
    }

    /// Each line's content hash, on two threads (hashing is most of a re-import); nil for a
    /// blank line.
    static func hashed(_ spans: [Span], in bytes: UnsafeBufferPointer<UInt8>) -> [ContentHash?] {
        [ContentHash?](unsafeUninitializedCapacity: spans.count) { buffer, initialized in
            let output = UnsafeSendable(buffer.baseAddress!)
            let shared = UnsafeSendable((spans, bytes))
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let (spans, bytes) = shared.value
                let half = (spans.count + 1) / 2
                for index in (part == 0 ? 0..<half : half..<spans.count) {
                    let line = UnsafeBufferPointer(rebasing: bytes[spans[index].start..<spans[index].start + spans[index].count])
                    let blank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
                    (output.value + index).initialize(to: blank ? nil : ContentHash(line))
                }
            }
            initialized = spans.count
        }
    }
}
