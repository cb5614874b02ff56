import Foundation

/// Runs a record writer on a thread of its own, so that reading and mapping (on the caller's
/// thread) and serializing (here) use both cores. Records cross in batches through a bounded
/// queue, so memory stays flat: a fast reader waits for a slow writer.
///
/// With a profile, mapping costs more than reading and writing together, so the two threads share
/// it: the caller maps every other batch before queueing it, and this thread maps the others
/// (with a mapper of its own) before writing. Batches keep their order; findings from mapping
/// may come out of order across batch boundaries.
///
/// The writer, the sink behind it and the writer-side mapper are handed over at `init`: from
/// then on only this thread touches them, until `finish()` returns.
public final class WriterThread {
    private let pipe: RecordPipe
    private let done = DispatchSemaphore(value: 0)
    private var batch = Batch(records: [], mapped: true)
    private let callerMapper: Mapper?
    static let batchSize = 512

    /// - Parameter mappers: the caller's mapper and a second one for this thread, or nil to
    ///   write records as they come.
    public init(writer: RecordWriter, mappers: (caller: Mapper, writer: Mapper)? = nil) {
        let pipe = RecordPipe(depth: 8)
        self.pipe = pipe
        callerMapper = mappers?.caller
        // The caller maps the first batch, so a small file is mapped in order on one thread.
        batch.records.reserveCapacity(Self.batchSize)
        let handOver = HandOver((writer, mappers?.writer))
        let done = self.done
        let thread = Thread {
            let (writer, mapper) = handOver.value
            do {
                while let batch = pipe.take() {
                    if batch.mapped || mapper == nil {
                        for record in batch.records { try writer.write(record) }
                    } else {
                        for record in batch.records { try writer.write(mapper!.map(record)) }
                    }
                    pipe.giveBack(batch)
                }
                try writer.finish()
            } catch {
                pipe.fail(error)
            }
            done.signal()
        }
        thread.name = "crocevia-writer"
        thread.start()
    }

    /// Queues a record (mapping it first when this batch is the caller's to map); throws the
    /// writer's error if it has failed.
    public func write(_ record: Record) throws {
        if batch.mapped, let callerMapper {
            batch.records.append(callerMapper.map(record))
        } else {
            batch.records.append(record)
        }
        if batch.records.count == Self.batchSize {
            try pipe.put(batch)
            batch.records.removeAll(keepingCapacity: true)
            if callerMapper != nil { batch.mapped.toggle() }
        }
    }

    /// Writes what is queued, finishes the writer and waits for it; throws its error, if any.
    public func finish() throws {
        if !batch.records.isEmpty {
            try? pipe.put(batch)
            batch.records.removeAll()
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
    private let depth: Int

    init(depth: Int) {
        self.depth = depth
    }

    var failure: (any Error)? { condition.withLock { error } }

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
