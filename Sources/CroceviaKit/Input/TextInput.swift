/// Turns a byte source into valid UTF-8, chunk by chunk, whatever the partner's encoding.
///
/// In `auto` mode a UTF-16 byte-order mark selects UTF-16; otherwise the text is read as UTF-8
/// until a byte that is not UTF-8 turns up. If no UTF-8 character came before it, everything so far
/// was ASCII, so switching to Windows-1252 for the rest loses nothing; that is what Italian Excel
/// exports are. A bad byte after real UTF-8 text is replaced with U+FFFD and reported as an error
/// finding with its line: never silently (`TextDecoder`).
///
/// Reading and decoding run one chunk ahead on a thread of their own (`ReadAhead`), so the caller's
/// thread only scans text; what decoding finds, and an input that cannot be read on, reach the
/// caller with the chunk they are about, in the order they would have on one thread.
///
/// A chunk handed out stays valid until the next call. Files that hold NUL bytes are refused as
/// binary, with a word about workbooks, which partners send when asked for CSV.
public final class TextInput {
    public let source: ByteSource
    public var name: String { source.name }
    private let decoder: TextDecoder?
    private let ahead: ReadAhead?

    /// - Parameter readAhead: decode on a thread of its own (false: on the caller's).
    public init(source: ByteSource, encoding: TextEncoding = .auto, findings: FindingLog, chunkSize: Int = 256 * 1024, readAhead: Bool = true) {
        self.source = source
        let decoder = TextDecoder(source: source, encoding: encoding, findings: findings, chunkSize: chunkSize)
        self.decoder = readAhead ? nil : decoder
        ahead = readAhead ? ReadAhead(decoder, findings: findings, capacity: decoder.largestChunk) : nil
    }

    deinit { ahead?.stop() }

    /// The next chunk of UTF-8 text, or nil at the end of the input.
    public func nextChunk() throws -> UnsafeBufferPointer<UInt8>? {
        if let ahead { return try ahead.next() }
        return try decoder!.nextChunk()
    }
}
