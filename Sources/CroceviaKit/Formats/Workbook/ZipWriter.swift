internal import CZlib

/// Writes a ZIP archive (a workbook's container) into memory: each member deflated with zlib,
/// its CRC-32 and sizes in its local header and in the table of contents at the end. Members are
/// small (a template's sheets), so each is deflated whole; names are UTF-8 (flag bit 11).
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// Adds a member, deflated.
    mutating func add(_ name: String, _ content: [UInt8]) {
        let deflated = Self.deflate(content)
        let crc = UInt32(truncatingIfNeeded: content.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) })
        let nameBytes = Array(name.utf8)
        let offset = UInt32(bytes.count)
        // 1980-01-01 00:00: workbooks written twice are the same bytes.
        let (time, date): (UInt16, UInt16) = (0, 0x21)
        var local: [UInt8] = []
        local.le32(0x0403_4B50); local.le16(20); local.le16(0x0800); local.le16(8); local.le16(time); local.le16(date)
        local.le32(crc); local.le32(UInt32(deflated.count)); local.le32(UInt32(content.count))
        local.le16(UInt16(nameBytes.count)); local.le16(0)
        bytes += local + nameBytes + deflated
        var entry: [UInt8] = []
        entry.le32(0x0201_4B50); entry.le16(20); entry.le16(20); entry.le16(0x0800); entry.le16(8); entry.le16(time); entry.le16(date)
        entry.le32(crc); entry.le32(UInt32(deflated.count)); entry.le32(UInt32(content.count))
        entry.le16(UInt16(nameBytes.count)); entry.le16(0); entry.le16(0); entry.le16(0); entry.le16(0); entry.le32(0); entry.le32(offset)
        directory += entry + nameBytes
        count += 1
    }

    /// The archive, its table of contents and end record written.
    mutating func finish() -> [UInt8] {
        let start = UInt32(bytes.count)
        bytes += directory
        var end: [UInt8] = []
        end.le32(0x0605_4B50); end.le16(0); end.le16(0); end.le16(UInt16(count)); end.le16(UInt16(count))
        end.le32(UInt32(directory.count)); end.le32(start); end.le16(0)
        bytes += end
        return bytes
    }

    /// Raw deflate (no zlib header), as ZIP stores it. The stream stays at one address from
    /// start to end, as zlib requires.
    private static func deflate(_ content: [UInt8]) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard deflateInit2_(stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            preconditionFailure("zlib could not start deflating")
        }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(content.count))) + 16)
        var input = content
        let written = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = UInt32(target.count)
                let status = CZlib.deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "a bounded deflate did not end")
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(written))
    }
}

private extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) { append(UInt8(value & 0xFF)); append(UInt8(value >> 8)) }
    mutating func le32(_ value: UInt32) { le16(UInt16(value & 0xFFFF)); le16(UInt16(value >> 16)) }
}
