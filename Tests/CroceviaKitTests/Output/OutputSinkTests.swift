import Foundation
import Testing
@testable import CroceviaKit

@Suite struct OutputSinkTests {
    /// `-o /dev/stderr` or a named pipe is written to, not replaced by a renamed file.
    @Test func pipeIsWrittenNotReplaced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pipe = folder.appendingPathComponent("uscita").path
        #expect(mkfifo(pipe, 0o600) == 0)
        let received = LockedBytes()
        let reader = Thread {
            let handle = FileHandle(forReadingAtPath: pipe)!
            received.set(handle.readDataToEndOfFile())
        }
        reader.start()
        do {
            // The sink closes the pipe when it goes; the reader then sees the end.
            let sink = try OutputSink(path: pipe)
            var buffer = ByteBuffer()
            buffer.append("record_id\n")
            try sink.write(&buffer)
            try sink.commit()
        }
        var waited = 0
        while received.get() == nil && waited < 500 { usleep(10_000); waited += 1 }
        #expect(received.get() == Data("record_id\n".utf8))
        var status = stat()
        #expect(stat(pipe, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
        #expect((try FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["uscita"])
    }
}

/// Bytes handed from the reading thread to the test.
final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data? { lock.lock(); defer { lock.unlock() }; return data }
}
