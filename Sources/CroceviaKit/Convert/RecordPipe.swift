import Foundation

/// Records on their way to the writer; `mapped` is false when the writer thread maps them.
struct Batch: Sendable {
    var records: [Record]
    var mapped: Bool
}

/// A bounded queue of record batches between two threads.
final class RecordPipe: @unchecked Sendable {
    // Every stored property below is guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Batch] = []
    /// Written batches on their way back, so that the thread that allocated the records also
    /// frees them (frees from another thread contend for the allocator's locks).
    private var written: [Batch] = []
    private var closed = false
    private var error: (any Error)?
    let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    var failure: (any Error)? { condition.withLock { error } }

    /// Batches queued and not yet taken: how far the consumer is behind.
    var pending: Int { condition.withLock { queue.count } }

    /// Waits for room, then queues the batch; throws the consumer's error if it failed.
    func put(_ batch: Batch) throws {
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

    func giveBack(_ batch: Batch) {
        condition.withLock { written.append(batch) }
    }

    /// The next batch; nil once the queue is closed and empty.
    func take() -> Batch? {
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
