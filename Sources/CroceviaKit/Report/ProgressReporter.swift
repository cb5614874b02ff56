#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows progress of long runs on standard error, a few times a second, when it is a terminal.
public final class ProgressReporter {
    private var input = ""
    private var lastDraw = 0.0
    private var drawn = false

    /// A reporter when standard error is a terminal; nil otherwise (cron, pipes, CI stay quiet).
    public static func forTerminal() -> ProgressReporter? {
        isatty(2) == 1 ? ProgressReporter() : nil
    }

    public func start(input: String) {
        self.input = input
    }

    public func tick(records: Int, reader: RecordReader) {
        guard records & 0xFFF == 0 else { return }
        let (done, total) = reader.progress
        tick(records: records, done: done, total: total)
    }

    /// For readers that hand out records in batches: `done` of `total` bytes read.
    public func tick(records: Int, done: Int, total: Int?) {
        let now = Self.now()
        guard now - lastDraw >= 0.25 else { return }
        lastDraw = now
        var line = "\r\(input): \(records) records, \(done >> 20) MiB"
        if let total, total > 0 { line += " of \(total >> 20) MiB (\(done * 100 / total)%)" }
        draw(line)
    }

    public func finish() {
        if drawn { draw("\r\u{1B}[K") }
        drawn = false
    }

    private func draw(_ text: String) {
        drawn = true
        var text = text + "\u{1B}[K"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
