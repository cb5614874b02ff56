import Dispatch
import Foundation

/// Batch work split over the machine's cores: the one place Crocevia starts threads for a batch
/// (normalizing records for dedupe, blocking keys, scoring pairs, preparing an import's
/// records). Worker `w` takes indices `w`, `w + workers`, …, so the results stay in input order;
/// each worker makes its own state once (a memo, a scratch buffer, its validators).
enum Parallel {
    /// `CROCEVIA_WORKERS` when set to 1 or more, else the machine's active cores.
    static let workers: Int = {
        if let text = ProcessInfo.processInfo.environment["CROCEVIA_WORKERS"], let count = Int(text), count >= 1 { return count }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// `transform` of every index in `0..<count`, in order, on up to `workers` threads.
    static func map<State: ~Copyable, T>(count: Int, workers: Int = Parallel.workers, state: @escaping (_ worker: Int) -> State,
                              _ transform: @escaping (inout State, _ index: Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(workers, count))
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = Shared(buffer.baseAddress!), work = Shared((state, transform))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let (state, transform) = work.value
                var mine = state(worker)
                for index in stride(from: worker, to: count, by: workers) {
                    (base.value + index).initialize(to: transform(&mine, index))
                }
            }
            initialized = count
        }
    }

    /// `transform` of every index, in order, with no state of the worker's own.
    static func map<T>(count: Int, workers: Int = Parallel.workers, _ transform: @escaping (_ index: Int) -> T) -> [T] {
        map(count: count, workers: workers, state: { _ in () }) { _, index in transform(index) }
    }
}

extension Parallel {
    /// Items worked on the machine's cores while the caller goes on (reading the next batch):
    /// started at once; `forEach` waits for the work and hands each item with its result, in
    /// order, so what the caller does with them (findings, counts) comes out as from one thread.
    final class Batch<Item: Sendable, Result: Sendable>: @unchecked Sendable {
        private var items: [Item]
        /// Written by the working threads before `done` is left, read after it is reached.
        private var results: [Result] = []
        private let done = DispatchGroup()

        /// `work` of each item, each worker with a state of its own (a scratch buffer, a memo).
        init<State: ~Copyable>(_ items: [Item], state: @escaping (_ worker: Int) -> State, _ work: @escaping (inout State, Item) -> Result) {
            self.items = items
            done.enter()
            let start = Shared { [self] in
                results = Parallel.map(count: self.items.count, state: state) { mine, index in work(&mine, self.items[index]) }
                done.leave()
            }
            DispatchQueue.global().async { start.value() }
        }

        /// Hands `body` each item with its result, in order, once the threads are done; then the
        /// batch is empty, its items and results freed on another thread (5% of a first import
        /// when done on the caller's).
        func forEach(_ body: (Item, Result) throws -> Void) rethrows {
            done.wait()
            for (item, result) in zip(items, results) { try body(item, result) }
            let done = (items, results)
            items = []
            results = []
            DispatchQueue.global().async { withExtendedLifetime(Shared(done)) {} }
        }
    }
}

/// A value handed to other threads that only read it or write disjoint parts of it (a result
/// buffer's own elements), or use it alone once it is theirs: the one place the compiler is told
/// so, and the reason must hold where it is used.
struct Shared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
