#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation
import Synchronization

/// Reads a file (or standard input, named `-`) in large chunks with plain POSIX reads, or bytes
/// already in memory (the schemas embedded in the executable), or bytes made as they are read (a
/// workbook's part, inflated).
public final class ByteSource {
    /// The name used in messages: the path as given, or `-`.
    public let name: String
    /// The file size in bytes when known (not for pipes): drives the progress display.
    public let size: Int?
    /// Bytes handed out so far. Read by the progress display while a `ReadAhead` thread reads.
    public var bytesRead: Int { handedOut.load(ordering: .relaxed) }
    private let handedOut = Atomic<Int>(0)
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let memory: Data?
    private let producer: ByteProducer?

    public init(path: String) throws {
        if path == "-" {
            name = "-"
            fd = 0
            ownsDescriptor = false
        } else {
            name = path
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw CroceviaError.io("\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            ownsDescriptor = true
        }
        memory = nil
        producer = nil
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            size = Int(info.st_size)
        } else {
            size = nil
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if ownsDescriptor { close(fd) }
            throw CroceviaError.io("\(path): is a folder, not a file")
        }
    }

    /// Bytes in memory, named `name` in messages.
    public init(name: String, bytes: Data) {
        self.name = name
        size = bytes.count
        fd = -1
        ownsDescriptor = false
        memory = bytes
        producer = nil
    }

    /// Bytes made as they are read (a workbook's part, inflated), named `name` in messages;
    /// `size` is how many there will be, when known.
    init(name: String, size: Int?, producer: ByteProducer) {
        self.name = name
        self.size = size
        fd = -1
        ownsDescriptor = false
        memory = nil
        self.producer = producer
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Reads up to `capacity` bytes into `buffer`; returns 0 at end of input.
    public func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        if let producer {
            let n = try producer.read(into: buffer, capacity: capacity)
            handedOut.add(n, ordering: .relaxed)
            return n
        }
        if let memory {
            let n = min(capacity, memory.count - bytesRead)
            let start = memory.startIndex + bytesRead
            memory.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), from: start..<start + n)
            handedOut.add(n, ordering: .relaxed)
            return n
        }
        while true {
            let n = Glibc.read(fd, buffer, capacity)
            if n >= 0 {
                handedOut.add(n, ordering: .relaxed)
                return n
            }
            if errno == EINTR { continue }
            throw CroceviaError.io("\(name): read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// What a `ByteSource` reads from when its bytes are made rather than stored.
protocol ByteProducer: AnyObject {
    /// Up to `capacity` bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawPointer, capacity: Int) throws -> Int
}
