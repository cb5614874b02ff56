import Foundation

/// Runs a record writer on a thread of its own, so that reading and mapping (on the caller's
/// thread) and serializing (here) use both cores. Records cross in batches through a bounded
/// queue, so memory stays flat: a fast reader waits for a slow writer.
///
/// With a profile, mapping costs more than reading and writing together, so the two threads share
/// it: the caller maps a batch before queueing it when this thread is behind, and otherwise leaves
/// it to this thread (which has a mapper of its own), so the work balances whatever the format
/// costs to read. Batches keep their order; findings from mapping
/// may come out of order across batch boundaries.
///
/// The writer, the sink behind it and the writer-side mapper are handed over at `init`: from
/// then on only this thread touches them, until `finish()` returns.
public final class WriterThread {
    private let pipe: RecordPipe
    private let done = DispatchSemaphore(value: 0)
    private var batch = Batch(records: [], mapped: true)
    private let callerMapper: Mapper?
    /// The writer, touched here again only after `finish()` has waited for the thread.
    private let writer: Shared<RecordWriter>
    static let batchSize = 512

    /// - Parameter mappers: the caller's mapper and a second one for this thread, or nil to
    ///   write records as they come.
    public init(writer: RecordWriter, mappers: (caller: Mapper, writer: Mapper)? = nil) {
        let pipe = RecordPipe(depth: 8)
        self.pipe = pipe
        callerMapper = mappers?.caller
        // The caller maps the first batch, so a small file is mapped in order on one thread.
        batch.records.reserveCapacity(Self.batchSize)
        self.writer = Shared(writer)
        let slot = Slot((writer, mappers?.writer))
        let done = self.done
        let thread = Thread {
            // The work runs in a function of its own, so that this thread holds no reference to
            // the writer once it signals: the caller's last release then closes the output (and
            // removes an unfinished file) on the caller's thread, before `run` returns.
            Self.drain(slot, pipe)
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
            // Whoever has time maps the next batch: the caller when the writer is behind (the
            // queue is half full or more), the writer when the caller is.
            if callerMapper != nil { batch.mapped = pipe.pending >= pipe.depth / 2 }
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

    /// After `finish()`: moves the output into place.
    public func commit() throws {
        try writer.value.commit()
    }

    private static func drain(_ slot: Slot, _ pipe: RecordPipe) {
        guard let (writer, mapper) = slot.take() else { return }
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
    }

    /// The writer and its mapper on their way to the thread, which takes them out once.
    private final class Slot: @unchecked Sendable {
        private var value: (RecordWriter, Mapper?)?
        init(_ value: (RecordWriter, Mapper?)) { self.value = value }

        func take() -> (RecordWriter, Mapper?)? {
            defer { value = nil }
            return value
        }
    }
}
