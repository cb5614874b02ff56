import Foundation

/// A record's content hash: 128 bits of MurmurHash3 of its compact JSON. It tells a changed
/// record from an unchanged one, and a JSON Lines line from a stored record, a million times a
/// run: with SHA-256 (what version 2 registries used) re-importing 1,000,000 unchanged records
/// took 5.2 s of CPU, with MurmurHash3 2.1 s. It is not a cryptographic hash: someone who wanted
/// to could make a changed record with the hash of the old one, and would only hide their own
/// change; by accident, two different records share a hash with odds of about 1 in 10^38.
struct ContentHash: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// MurmurHash3 (x64, 128 bits, seed 0) of the bytes, as Python's `mmh3.hash64(bytes,
    /// signed=False)` gives it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let c1: UInt64 = 0x87c3_7b91_1142_53d5, c2: UInt64 = 0x4cf5_ad43_2745_937f
        func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
        func fmix(_ x: UInt64) -> UInt64 {
            var k = x
            k ^= k >> 33
            k &*= 0xff51_afd7_ed55_8ccd
            k ^= k >> 33
            k &*= 0xc4ce_b9fe_1a85_ec53
            k ^= k >> 33
            return k
        }
        var h1: UInt64 = 0, h2: UInt64 = 0
        let count = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 16 <= count {
            var k1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            var k2 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
            h1 = rotl(h1, 27); h1 &+= h2; h1 = h1 &* 5 &+ 0x52dc_e729
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
            h2 = rotl(h2, 31); h2 &+= h1; h2 = h2 &* 5 &+ 0x3849_5ab5
            offset += 16
        }
        // The last 0 to 15 bytes.
        var k1: UInt64 = 0, k2: UInt64 = 0
        let tail = count - offset
        if tail > 8 {
            for index in stride(from: tail - 1, through: 8, by: -1) { k2 ^= UInt64(bytes[offset + index]) << (UInt64(index - 8) * 8) }
            k2 &*= c2; k2 = rotl(k2, 33); k2 &*= c1; h2 ^= k2
        }
        if tail > 0 {
            for index in stride(from: min(tail, 8) - 1, through: 0, by: -1) { k1 ^= UInt64(bytes[offset + index]) << (UInt64(index) * 8) }
            k1 &*= c1; k1 = rotl(k1, 31); k1 &*= c2; h1 ^= k1
        }
        h1 ^= UInt64(count); h2 ^= UInt64(count)
        h1 &+= h2; h2 &+= h1
        h1 = fmix(h1); h2 = fmix(h2)
        h1 &+= h2; h2 &+= h1
        high = h1
        low = h2
    }

    init?(hex: String) {
        var hex = hex
        guard let hash = hex.withUTF8(ContentHash.init(hex:)) else { return nil }
        self = hash
    }

    /// A re-import reads a million of these, as the database holds them.
    init?(hex bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 32 else { return nil }
        func word(_ start: Int) -> UInt64? {
            var word: UInt64 = 0
            for index in start..<start + 16 {
                let digit = Self.hexDigits[Int(bytes[index])]
                guard digit < 16 else { return nil }
                word = word << 4 | UInt64(digit)
            }
            return word
        }
        guard let high = word(0), let low = word(16) else { return nil }
        self.high = high
        self.low = low
    }

    /// Each byte's value as a hexadecimal digit; 255 for other bytes.
    private static let hexDigits: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x30...0x39: UInt8(byte - 0x30)
        case 0x61...0x66: UInt8(byte - 0x61 + 10)
        case 0x41...0x46: UInt8(byte - 0x41 + 10)
        default: 255
        }
    }

    var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                buffer[index] = digits.utf8Start[Int((high >> shift) & 0xF)]
                buffer[16 + index] = digits.utf8Start[Int((low >> shift) & 0xF)]
            }
            return 32
        }
    }
}
