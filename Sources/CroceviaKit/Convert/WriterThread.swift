import Foundation

/// Runs a record writer on a thread of its own, so that reading and mapping (on the caller's
/// thread) and serializing (here) use both cores. Records cross in batches through a bounded
/// queue, so memory stays flat: a fast reader waits for a slow writer.
///
/// The writer, and the sink behind it, are handed over at `init`: from then on only this thread
/// touches them, until `finish()` returns.
public final class WriterThread {
    private let pipe: RecordPipe
    private let done = DispatchSemaphore(value: 0)
    private var batch: [Record] = []
    static let batchSize = 512

    public init(writer: RecordWriter) {
        let pipe = RecordPipe(depth: 8)
        self.pipe = pipe
        batch.reserveCapacity(Self.batchSize)
        let handOver = HandOver(writer)
        let done = self.done
        let thread = Thread {
            do {
                while let batch = pipe.take() {
                    for record in batch { try handOver.value.write(record) }
                    pipe.giveBack(batch)
                }
                try handOver.value.finish()
            } catch {
                pipe.fail(error)
            }
            done.signal()
        }
        thread.name = "crocevia-writer"
        thread.start()
    }

    /// Queues a record; throws the writer's error if it has failed.
    public func write(_ record: Record) throws {
        batch.append(record)
        if batch.count == Self.batchSize {
            try pipe.put(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is queued, finishes the writer and waits for it; throws its error, if any.
    public func finish() throws {
        if !batch.isEmpty {
            try? pipe.put(batch)
            batch.removeAll()
        }
        pipe.close()
        done.wait()
        if let failure = pipe.failure { throw failure }
    }

    /// A value moved to another thread and used only there (see the type's note).
    private struct HandOver<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }
}

/// A bounded queue of record batches between two threads.
final class RecordPipe: @unchecked Sendable {
    // Every stored property below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [[Record]] = []
    /// Written batches on their way back, so that the thread that allocated the records also
    /// frees them (frees from another thread contend for the allocator's locks).
    private var written: [[Record]] = []
    private var closed = false
    private var error: (any Error)?
    private let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    var failure: (any Error)? { condition.withLock { error } }

    /// Waits for room, then queues the batch; throws the consumer's error if it failed.
    func put(_ batch: [Record]) throws {
        condition.lock()
        while queue.count >= depth && error == nil { condition.wait() }
        if let error {
            condition.unlock()
            throw error
        }
        queue.append(batch)
        let done = written
        written.removeAll()
        condition.broadcast()
        condition.unlock()
        _ = consume done  // released here, on the producing thread
    }

    func giveBack(_ batch: [Record]) {
        condition.withLock { written.append(batch) }
    }

    /// The next batch; nil once the queue is closed and empty.
    func take() -> [Record]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closed { condition.wait() }
        if queue.isEmpty { return nil }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    func close() {
        condition.withLock {
            closed = true
            condition.broadcast()
        }
    }

    /// The consumer failed: the producer's next `put` throws this.
    func fail(_ failure: any Error) {
        condition.withLock {
            error = failure
            queue.removeAll()
            condition.broadcast()
        }
    }
}
