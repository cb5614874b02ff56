#if canImport(Glibc)
import Glibc
#endif
internal import CZlib

/// A ZIP archive (the container of `.xlsx` and `.ods` workbooks): its table of contents read from
/// the end of the file, and each member inflated as it is read, a chunk at a time, so a sheet of a
/// million rows never sits in memory. Written for this reader rather than taken from
/// ZIPFoundation, whose extraction pushes chunks to a closure: libxml2's reader pulls them.
///
/// Bounded against archives built to harm: a member may not give more bytes than its table
/// entry declares, nor more than `maximumMemberBytes` (a "zip bomb" is refused with that name),
/// and each member's CRC-32 and size are checked at its end.
final class ZipArchive: @unchecked Sendable {
    // The descriptor is only read with pread, from any thread, at offsets given: no shared position.

    struct Member {
        let name: String
        let method: UInt16
        let crc: UInt32
        let compressedSize: UInt64
        let size: UInt64
        let headerOffset: UInt64
    }

    /// The archive's file, as named in messages.
    let file: String
    /// Members in the order of the table of contents.
    let members: [Member]
    private let byName: [String: Int]
    private let fd: Int32
    private let fileSize: UInt64
    /// The most one member may inflate to.
    let maximumMemberBytes: UInt64

    /// The four bytes every ZIP file starts with (a local file header).
    static func isZip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    init(path: String, maximumMemberBytes: UInt64 = 2 << 30) throws {
        file = path
        self.maximumMemberBytes = maximumMemberBytes
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CroceviaError.io("\(path): cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        fstat(fd, &info)
        fileSize = UInt64(max(0, info.st_size))
        do {
            members = try Self.readDirectory(fd: fd, size: fileSize, file: path)
        } catch {
            close(fd)
            throw error
        }
        var byName: [String: Int] = [:]
        for (index, member) in members.enumerated() where byName[member.name] == nil { byName[member.name] = index }
        self.byName = byName
    }

    deinit { close(fd) }

    func member(_ name: String) -> Member? {
        byName[name].map { members[$0] }
    }

    /// A member's bytes as a `ByteSource`, inflated as they are read.
    func source(_ member: Member) throws -> ByteSource {
        ByteSource(name: file, size: Int(member.size), producer: try MemberReader(archive: self, member: member))
    }

    /// A whole (small) member in memory: the workbook's list of sheets, its styles.
    func bytes(_ member: Member, limit: Int) throws -> [UInt8] {
        guard member.size <= UInt64(limit) else {
            throw damaged("\(member.name) inflates to \(member.size) bytes, more than the \(limit) such a part ever needs")
        }
        let reader = try MemberReader(archive: self, member: member)
        var bytes = [UInt8](repeating: 0, count: Int(member.size))
        var count = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while count < buffer.count {
                let n = try reader.read(into: buffer.baseAddress! + count, capacity: buffer.count - count)
                if n == 0 { break }
                count += n
            }
        }
        // The end of the stream (and its CRC check) is read past the declared size.
        var extra: UInt8 = 0
        _ = try reader.read(into: &extra, capacity: 1)
        return Array(bytes.prefix(count))
    }

    /// The tags in a member that begin with `marker` (`<mergeCell `), found in its bytes as they
    /// are inflated, without parsing the XML around them: a pass that costs only the inflating.
    func tags(in member: Member, starting marker: String) throws -> [String] {
        let source = try self.source(member)
        let marker = Array(marker.utf8)
        var found: [String] = []
        var window: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer.baseAddress!, capacity: buffer.count)
            if n == 0 { break }
            window.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            var from = 0
            while let at = Self.find(marker, in: window, from: from), let close = window[at...].firstIndex(of: UInt8(ascii: ">")) {
                found.append(String(decoding: window[at...close], as: UTF8.self))
                from = close + 1
            }
            // What may hold the start of a tag cut by the chunk's end is kept for the next.
            let keep = Self.find(marker, in: window, from: from).map { max($0, window.count - 4096) } ?? max(from, window.count - marker.count)
            window.removeFirst(min(max(keep, from), window.count))
        }
        return found
    }

    private static func find(_ marker: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var at = start
        while at + marker.count <= bytes.count {
            guard let first = bytes[at...].firstIndex(of: marker[0]) else { return nil }
            guard first + marker.count <= bytes.count else { return nil }
            if bytes[first..<(first + marker.count)].elementsEqual(marker) { return first }
            at = first + 1
        }
        return nil
    }

    func damaged(_ message: String) -> CroceviaError {
        .unreadableInput(file: file, line: nil, message: "the workbook is damaged: \(message)",
                         hint: "open it in Excel or LibreOffice and save it again")
    }

    /// Reads `count` bytes at `offset` (fewer only at the end of the file).
    fileprivate func read(at offset: UInt64, into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw CroceviaError.io("\(file): read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    // MARK: The table of contents

    private static func readDirectory(fd: Int32, size: UInt64, file: String) throws -> [Member] {
        func damaged(_ message: String) -> CroceviaError {
            .unreadableInput(file: file, line: nil, message: "the workbook is damaged: \(message)", hint: "open it in Excel or LibreOffice and save it again")
        }
        func read(_ offset: UInt64, _ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, count, off_t(offset)) }
            guard n == count else { throw damaged("it ends before its table of contents (a file cut short?)") }
            return bytes
        }
        // The end record: 22 bytes, then a comment of up to 65,535.
        guard size >= 22 else { throw damaged("it is too short to be a ZIP archive") }
        let tailLength = Int(min(size, 22 + 65_535))
        let tail = try read(size - UInt64(tailLength), tailLength)
        guard let end = stride(from: tailLength - 22, through: 0, by: -1).first(where: { tail.u32($0) == 0x0605_4B50 }) else {
            throw damaged("its table of contents is missing (a file cut short?)")
        }
        var count = UInt64(tail.u16(end + 10)), directorySize = UInt64(tail.u32(end + 12)), directoryOffset = UInt64(tail.u32(end + 16))
        // ZIP64: the real figures are in a record the locator before the end record points to.
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locatorAt = size - UInt64(tailLength) + UInt64(end)
            guard locatorAt >= 20 else { throw damaged("its ZIP64 locator is missing") }
            let locator = try read(locatorAt - 20, 20)
            guard locator.u32(0) == 0x0706_4B50 else { throw damaged("its ZIP64 locator is missing") }
            let record = try read(locator.u64(8), 56)
            guard record.u32(0) == 0x0606_4B50 else { throw damaged("its ZIP64 end record is missing") }
            (count, directorySize, directoryOffset) = (record.u64(32), record.u64(40), record.u64(48))
        }
        guard count <= 100_000, directorySize <= 64 << 20, directoryOffset + directorySize <= size else {
            throw damaged("its table of contents claims \(count) members in \(directorySize) bytes, which the file cannot hold")
        }
        let directory = try read(directoryOffset, Int(directorySize))
        var members: [Member] = []
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, directory.u32(at) == 0x0201_4B50 else { throw damaged("its table of contents is cut short") }
            let nameLength = Int(directory.u16(at + 28)), extraLength = Int(directory.u16(at + 30)), commentLength = Int(directory.u16(at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else { throw damaged("its table of contents is cut short") }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var compressed = UInt64(directory.u32(at + 20)), plain = UInt64(directory.u32(at + 24)), offset = UInt64(directory.u32(at + 42))
            // ZIP64 sizes and offset, in that order, for those marked 0xFFFFFFFF.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.u16(extra), length = Int(directory.u16(extra + 2))
                if id == 0x0001 {
                    var field = extra + 4
                    for value in [0, 1, 2] {
                        let marked = value == 0 ? plain == 0xFFFF_FFFF : value == 1 ? compressed == 0xFFFF_FFFF : offset == 0xFFFF_FFFF
                        guard marked, field + 8 <= extra + 4 + length else { continue }
                        let wide = directory.u64(field)
                        if value == 0 { plain = wide } else if value == 1 { compressed = wide } else { offset = wide }
                        field += 8
                    }
                }
                extra += 4 + length
            }
            members.append(Member(name: name, method: directory.u16(at + 10), crc: directory.u32(at + 16), compressedSize: compressed,
                                  size: plain, headerOffset: offset))
            at += 46 + nameLength + extraLength + commentLength
        }
        return members
    }
}

/// One member's bytes: copied (stored) or inflated (deflated) from the archive as they are asked for.
final class MemberReader: ByteProducer {
    private let archive: ZipArchive
    private let member: ZipArchive.Member
    private var stream: UnsafeMutablePointer<z_stream>?
    private let input: UnsafeMutablePointer<UInt8>
    private static let inputSize = 64 * 1024
    /// Where the member's compressed bytes not yet read begin, and how many remain.
    private var offset: UInt64 = 0
    private var remaining: UInt64
    private var produced: UInt64 = 0
    private var crc: UInt = 0
    private var ended = false

    init(archive: ZipArchive, member: ZipArchive.Member) throws {
        self.archive = archive
        self.member = member
        remaining = member.compressedSize
        input = .allocate(capacity: Self.inputSize)
        var header = [UInt8](repeating: 0, count: 30)
        let n = try header.withUnsafeMutableBytes { try archive.read(at: member.headerOffset, into: $0.baseAddress!, count: 30) }
        // From here `deinit` frees what was allocated, also when `init` throws.
        guard n == 30, header.u32(0) == 0x0403_4B50 else {
            throw archive.damaged("the part \(member.name) is not where its table of contents says")
        }
        offset = member.headerOffset + 30 + UInt64(header.u16(26)) + UInt64(header.u16(28))
        guard member.method == 0 || member.method == 8 else {
            throw archive.damaged("the part \(member.name) is compressed with method \(member.method); only stored and deflated parts are read")
        }
        // Deflate never does better than about 1,000 to 1; real sheets do 5 to 30.
        let ratio = member.size / max(1, member.compressedSize)
        guard member.size <= archive.maximumMemberBytes, ratio <= 200 || member.size <= 64 << 20 else {
            throw CroceviaError.unreadableInput(
                file: archive.file, line: nil,
                message: "the part \(member.name) would inflate to \(member.size) bytes from \(member.compressedSize) (a \"zip bomb\"?); the limits are \(archive.maximumMemberBytes) bytes, and 200 to 1 beyond 64 MiB",
                hint: "a real workbook's sheet is far smaller; ask the sender for the file again, or for a CSV export")
        }
        if member.method == 8 {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // Raw deflate (no zlib header), as ZIP stores it.
            guard inflateInit2_(stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw CroceviaError.io("\(archive.file): zlib could not start")
            }
            self.stream = stream
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        guard !ended, capacity > 0 else { return 0 }
        let out = buffer.assumingMemoryBound(to: UInt8.self)
        var count = 0
        if let stream {
            stream.pointee.next_out = out
            stream.pointee.avail_out = UInt32(min(capacity, Int(UInt32.max)))
            while count == 0 && !ended {
                if stream.pointee.avail_in == 0 && remaining > 0 {
                    let n = try archive.read(at: offset, into: input, count: Int(min(remaining, UInt64(Self.inputSize))))
                    guard n > 0 else { throw archive.damaged("the part \(member.name) is cut short") }
                    offset += UInt64(n)
                    remaining -= UInt64(n)
                    stream.pointee.next_in = input
                    stream.pointee.avail_in = UInt32(n)
                }
                let status = inflate(stream, Z_NO_FLUSH)
                count = min(capacity, Int(UInt32.max)) - Int(stream.pointee.avail_out)
                if status == Z_STREAM_END {
                    ended = true
                } else if status == Z_BUF_ERROR && stream.pointee.avail_in == 0 && remaining == 0 {
                    throw archive.damaged("the part \(member.name) is cut short")
                } else if status != Z_OK && status != Z_BUF_ERROR {
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw archive.damaged("the part \(member.name) cannot be inflated (\(reason))")
                }
            }
        } else {
            let n = try archive.read(at: offset, into: buffer, count: Int(min(remaining, UInt64(capacity))))
            offset += UInt64(n)
            remaining -= UInt64(n)
            count = n
            if remaining == 0 { ended = true }
            if n == 0 && !ended { throw archive.damaged("the part \(member.name) is cut short") }
        }
        produced += UInt64(count)
        if produced > member.size {
            throw CroceviaError.unreadableInput(
                file: archive.file, line: nil,
                message: "the part \(member.name) inflates to more than the \(member.size) bytes its table of contents declares (a \"zip bomb\"?)",
                hint: "ask the sender for the file again, or for a CSV export")
        }
        crc = crc32(crc, out, UInt32(count))
        if ended {
            guard produced == member.size else { throw archive.damaged("the part \(member.name) holds \(produced) bytes, its table of contents says \(member.size)") }
            guard UInt32(truncatingIfNeeded: crc) == member.crc else { throw archive.damaged("the part \(member.name) fails its CRC check") }
        }
        return count
    }
}

private extension Array where Element == UInt8 {
    func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}

extension String {
    /// The value of the attribute `name` in the text of one tag (`<table:table table:name="A &amp; B">`
    /// gives `A & B` for `table:name`), as `ZipArchive.tags` finds them.
    func attribute(_ name: String) -> String? {
        for quote in ["\"", "'"] {
            guard let start = range(of: " \(name)=\(quote)") else { continue }
            let value = self[start.upperBound...].prefix { String($0) != quote }
            return String(value).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }
        return nil
    }
}
