import Foundation
import Synchronization

/// A `TextDecoder` run on a thread of its own, one chunk ahead of the caller: it decodes into one
/// of two buffers while the caller scans the other. Each buffer comes with the findings decoding
/// made (the decoder holds them rather than report them) and with the error that ended the
/// input, if one did; `next()` gives both out where the one-thread decoder would have: the
/// findings when their chunk is handed out, the error instead of the chunk it stopped at.
///
/// Once `stop()` is called (the input is dropped, read to its end or not), the thread finishes
/// the read it is in and ends; it owns the decoder and the buffers, so nothing waits for it.
final class ReadAhead: @unchecked Sendable {
    // The buffers are written by the decoding thread between a `free` wait and a `filled` signal
    // and read by the caller between a `filled` wait and its next `free` signal: never both.
    private struct Slot {
        let bytes: UnsafeMutablePointer<UInt8>
        var count = 0
        var findings: [Finding] = []
        var error: (any Error)?
        var end = false
    }

    /// Two, at a fixed place (an array's storage could be copied under the other thread).
    private let slots: UnsafeMutablePointer<Slot>
    private let findings: FindingLog
    private let filled = DispatchSemaphore(value: 0)
    /// Two free buffers at the start, signalled in `init`: a semaphore made with a count must
    /// not be freed below it, and the thread ends with any count.
    private let free = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)
    /// The caller's: the buffer it holds, the next to take, and whether the input ended.
    private var handed = false
    private var taking = 0
    private var over = false

    init(_ decoder: TextDecoder, findings: FindingLog, capacity: Int) {
        self.findings = findings
        slots = .allocate(capacity: 2)
        for index in 0..<2 {
            (slots + index).initialize(to: Slot(bytes: .allocate(capacity: capacity)))
            free.signal()
        }
        let work = Shared((self, decoder))
        let thread = Thread { work.value.0.decode(work.value.1) }
        thread.name = "crocevia-read-ahead"
        thread.start()
    }

    deinit {
        for index in 0..<2 { slots[index].bytes.deallocate() }
        slots.deinitialize(count: 2)
        slots.deallocate()
    }

    /// The next chunk, nil at the end; throws what ended the input.
    func next() throws -> UnsafeBufferPointer<UInt8>? {
        if handed {
            handed = false
            free.signal()
        }
        guard !over else { return nil }
        filled.wait()
        let slot = slots[taking]
        taking ^= 1
        for finding in slot.findings { findings.add(finding) }
        if let error = slot.error {
            over = true
            throw error
        }
        if slot.end {
            over = true
            return nil
        }
        handed = true
        return UnsafeBufferPointer(start: slot.bytes, count: slot.count)
    }

    /// The caller is done with the input: the thread ends at its next chunk.
    func stop() {
        stopped.withLock { $0 = true }
        free.signal()
    }

    private func decode(_ decoder: TextDecoder) {
        var index = 0
        while true {
            free.wait()
            if stopped.withLock({ $0 }) { return }
            decoder.held = []
            do {
                if let chunk = try decoder.nextChunk() {
                    precondition(chunk.count <= decoder.largestChunk, "a decoded chunk larger than its buffer")
                    slots[index].bytes.update(from: chunk.baseAddress!, count: chunk.count)
                    slots[index].count = chunk.count
                } else {
                    slots[index].end = true
                }
            } catch {
                slots[index].error = error
            }
            slots[index].findings = decoder.held ?? []
            let last = slots[index].end || slots[index].error != nil
            filled.signal()
            if last { return }
            index ^= 1
        }
    }
}
