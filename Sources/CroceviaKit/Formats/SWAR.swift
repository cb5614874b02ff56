/// Tests on eight bytes at once ("SIMD within a register"), for the scanners' fast paths (and
/// the PostgreSQL registry's COPY writer, hence public).
public enum SWAR {
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    public static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A word with `byte` in each of its eight bytes.
    @inline(__always) static func splat(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

    /// True when some byte of `word` is zero.
    @inlinable public static func hasZero(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highs != 0
    }

    /// True when every byte of `word` is ASCII and none is NUL.
    @inline(__always) static func isASCIIWithoutNUL(_ word: UInt64) -> Bool {
        word & highs == 0 && !hasZero(word)
    }

    /// True when all 32 bytes at `p` are ASCII and none is NUL (the UTF-8 check's stride over
    /// plain text). Without high bits the zero test has no false positives, so the four are ORed.
    @inline(__always) static func isASCIIWithoutNUL32(_ p: UnsafeRawPointer) -> Bool {
        let a = p.loadUnaligned(as: UInt64.self)
        let b = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let c = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let d = p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        guard (a | b | c | d) & highs == 0 else { return false }
        return ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c | (d &- ones) & ~d) & highs == 0
    }

    /// True when some byte of `word` equals the byte splat in `pattern`.
    @inlinable public static func has(_ word: UInt64, _ pattern: UInt64) -> Bool {
        hasZero(word ^ pattern)
    }

    /// How many bytes of `word` equal the byte splat in `pattern` (exact, no false positives).
    @inline(__always) static func count(_ word: UInt64, _ pattern: UInt64) -> Int {
        let x = word ^ pattern
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let zeroBytes = ~(((x & low) &+ low) | x | low)
        return zeroBytes.nonzeroBitCount
    }

    /// How many line feeds the bytes hold.
    static func countLineFeeds(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let lineFeeds = splat(0x0A)
        var total = 0
        var i = 0
        while i + 8 <= n {
            total += count(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self), lineFeeds)
            i += 8
        }
        while i < n {
            if p[i] == 0x0A { total += 1 }
            i += 1
        }
        return total
    }

    /// True when some byte needs escaping in a JSON string: below 0x20, `"` or `\`.
    @inline(__always) static func hasEscapable(_ word: UInt64) -> Bool {
        hasControlOrBackslash(word) || has(word, 0x2222_2222_2222_2222)
    }

    /// True when some byte is below 0x20 or a backslash (what PostgreSQL's COPY text escapes).
    @inlinable public static func hasControlOrBackslash(_ word: UInt64) -> Bool {
        (word &- ones &* 0x20) & ~word & highs != 0 || has(word, 0x5C5C_5C5C_5C5C_5C5C)
    }
}
