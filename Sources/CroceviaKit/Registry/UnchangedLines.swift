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
            var lines: [Line] = []
            var start = 0
            var lineNumber = 0
            var recordNumber = 0
            var matched: Set<String> = []
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count && base[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start && base[stop - 1] == 0x0D { stop -= 1 }
                let line = UnsafeBufferPointer(start: base + start, count: stop - start)
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                recordNumber += 1
                if let id = knownByHash[ContentHash(line)] {
                    // The same record twice: the ordinary reader reports the second.
                    guard matched.insert(id).inserted else { return nil }
                    lines.append(.unchanged(id: id, line: lineNumber))
                    continue
                }
                guard let text = String(validating: line, as: UTF8.self), let value = JSONText.parse(text) else { return nil }
                lines.append(.record(Record(value: value, provenance: Provenance(source: source, file: path, line: lineNumber, record: recordNumber))))
            }
            return lines
        }
    }
}
