import Crypto

/// Name-based UUIDs (RFC 9562, version 5: SHA-1 of a namespace and a name). The same namespace
/// and name always give the same id, so re-running a feed gives the same ids.
public enum UUIDv5 {
    /// Crocevia's default network namespace: UUIDv5 of the URL namespace and
    /// `urn:crocevia:network`. A network sets its own in the profile (`namespace:`).
    public static let defaultNamespace: [UInt8] = make(namespace: urlNamespace, name: "urn:crocevia:network").bytes

    static let urlNamespace: [UInt8] = [
        0x6B, 0xA7, 0xB8, 0x11, 0x9D, 0xAD, 0x11, 0xD1, 0x80, 0xB4, 0x00, 0xC0, 0x4F, 0xD4, 0x30, 0xC8,
    ]

    /// The UUID for `name` in `namespace`, with its lowercase text.
    public static func make(namespace: [UInt8], name: String) -> (bytes: [UInt8], text: String) {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        var name = name
        name.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return (bytes, format(bytes))
    }

    /// The UUID's text for a name given in pieces (hashed one after another, as if joined), so
    /// the hot path builds no name string.
    public static func text(namespace: [UInt8], pieces: (inout NameHasher) -> Void) -> String {
        var name = NameHasher()
        pieces(&name)
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        name.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { raw in format(raw.prefix(16), markingVersion: true) }
    }

    /// Gathers the pieces of a name, hashed in one call (a call into SHA-1 per piece cost more
    /// than the hashing).
    public struct NameHasher {
        var bytes: [UInt8] = []

        init() {
            bytes.reserveCapacity(256)
        }

        public mutating func add(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        public mutating func add(byte: UInt8) {
            bytes.append(byte)
        }
    }

    /// The 16 bytes of a UUID written as text, or nil when the text is not a UUID.
    public static func parse(_ text: String) -> [UInt8]? {
        let hexDigits = text.filter { $0 != "-" }
        guard text.count == 36, hexDigits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hexDigits.startIndex
        while index < hexDigits.endIndex {
            let next = hexDigits.index(index, offsetBy: 2)
            guard let byte = UInt8(hexDigits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// The 16 bytes as UUID text; `markingVersion` sets the version (5) and variant bits first.
    static func format<Bytes: Collection<UInt8>>(_ bytes: Bytes, markingVersion: Bool = false) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { text in
            var o = 0
            for (i, var b) in bytes.enumerated() {
                if markingVersion && i == 6 { b = (b & 0x0F) | 0x50 }
                if markingVersion && i == 8 { b = (b & 0x3F) | 0x80 }
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    text[o] = UInt8(ascii: "-")
                    o += 1
                }
                text[o] = digits.utf8Start[Int(b >> 4)]
                text[o + 1] = digits.utf8Start[Int(b & 0xF)]
                o += 2
            }
            return o
        }
    }
}
