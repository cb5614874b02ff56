#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Where a writer's bytes go: standard output, or a file that appears only when the run finishes.
///
/// A file is written under a temporary name beside its destination and renamed over it by
/// `commit()`, so a failed or interrupted run never leaves a half-written file where a reader of
/// the output expects a whole one. A file's buffers are written behind (`WriteBehind`): the
/// caller fills the next while a thread writes the last, and a failed write is thrown by the next
/// call; standard output and devices are written as the caller hands them over.
public final class OutputSink {
    public let name: String
    private let fd: Int32
    private let temporaryPath: String?
    private var committed = false
    /// A device or pipe opened by path, closed at the end.
    private var ownsDescriptor = false
    /// Writers hand over their buffer when it holds this much.
    public static let flushThreshold = 1 << 20
    /// For a file: the buffer being written on another thread.
    private var behind: WriteBehind?

    /// Opens `path` for writing (`-` for standard output).
    public init(path: String) throws {
        name = path
        if path == "-" {
            fd = 1
            temporaryPath = nil
            return
        }
        // A device or pipe (`/dev/stderr`, a FIFO) is written as it is: renaming a file over it
        // would replace the device with a file.
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            fd = open(path, O_WRONLY)
            guard fd >= 0 else {
                throw CroceviaError.io("\(path): cannot write: \(String(cString: strerror(errno)))")
            }
            temporaryPath = nil
            ownsDescriptor = true
            return
        }
        let temporary = path + ".crocevia-partial-\(getpid())"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw CroceviaError.io("\(path): cannot write: \(String(cString: strerror(errno)))")
        }
        temporaryPath = temporary
        behind = WriteBehind(fd: fd, name: path)
    }

    deinit {
        behind?.wait()
        if ownsDescriptor { close(fd) }
        if let temporaryPath {
            close(fd)
            if !committed { unlink(temporaryPath) }
        }
    }

    /// The file being written before `commit()` moves it into place (nil for standard output and
    /// devices), once what was handed over is in it.
    public var partialPath: String? {
        behind?.wait()
        return committed ? nil : temporaryPath
    }

    /// Writes the buffer out (for a file, behind) and empties it.
    public func write(_ buffer: inout ByteBuffer) throws {
        guard let behind else {
            try buffer.withBytes { try writeOut($0) }
            buffer.removeAll()
            return
        }
        try behind.waitForFailure()
        behind.start(&buffer)
    }

    /// For a file: makes it durable and moves it into place.
    public func commit() throws {
        guard let temporaryPath else { return }
        try behind?.waitForFailure()
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw CroceviaError.io("\(name): cannot write: \(String(cString: strerror(errno)))")
        }
        guard rename(temporaryPath, name) == 0 else {
            throw CroceviaError.io("\(name): cannot move the finished output into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    private func writeOut(_ raw: UnsafeBufferPointer<UInt8>) throws {
        try Self.writeAll(raw, fd: fd, name: name)
    }

    /// Writes all of `raw` to `fd`, through interrupted and partial writes.
    fileprivate static func writeAll(_ raw: UnsafeBufferPointer<UInt8>, fd: Int32, name: String) throws {
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw CroceviaError.io("\(name): the reading end of the pipe closed") }
                throw CroceviaError.io("\(name): cannot write: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}

/// A file's buffer being written on another thread, and what went wrong with it. The writing
/// closure holds this and not the `OutputSink`, so the sink goes (and removes its unfinished
/// file) when its owner lets it go, having waited for the write.
private final class WriteBehind: @unchecked Sendable {
    // Everything but `writing` is the writing thread's between `writing.enter()` and `leave()`,
    // and the caller's after `writing.wait()`.
    // It starts small: the caller's first full buffer goes out, and this one grows in its place.
    private var inFlight = ByteBuffer()
    private var failure: (any Error)?
    private let writing = DispatchGroup()
    private let fd: Int32
    private let name: String
    /// The file's bytes written, and those since the disk was last asked to start writing them.
    private var written = 0
    private var unflushed = 0
    /// Every 32 MiB the disk is asked to start writing out what came before, without waiting,
    /// so that `commit()`'s wait for the file to be durable is a wait for its last part only.
    private static let writeOutEvery = 32 << 20
    private static let queue = DispatchQueue(label: "crocevia-output")

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    func wait() { writing.wait() }

    /// Waits for the last write; throws what went wrong with it (and at every later call).
    func waitForFailure() throws {
        writing.wait()
        if let failure { throw failure }
    }

    /// Takes the caller's buffer to write (the caller gets an empty one back). Call after
    /// `waitForFailure()`.
    func start(_ buffer: inout ByteBuffer) {
        inFlight.removeAll()
        swap(&inFlight, &buffer)
        writing.enter()
        Self.queue.async { [self] in
            do {
                try inFlight.withBytes { try OutputSink.writeAll($0, fd: fd, name: name) }
                written += inFlight.count
                unflushed += inFlight.count
                if unflushed >= Self.writeOutEvery {
                    // On Linux, "don't need" starts the write-out of the range's dirty pages (and
                    // frees those already written); elsewhere it may do nothing, and `commit()`
                    // writes all.
                    _ = posix_fadvise(fd, off_t(written - unflushed), off_t(unflushed), POSIX_FADV_DONTNEED)
                    unflushed = 0
                }
            } catch {
                failure = error
            }
            writing.leave()
        }
    }
}
