/// A growable byte buffer that writers fill before handing it to an `OutputSink`.
public struct ByteBuffer: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) public mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    @inline(__always) public mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }
}
