/// Putting a request's results in order without sorting more than its page needs.
enum Ranking {
    /// The `count` least of `items` by `less`, in order: a bounded heap when they are few
    /// beside the items (a page of the nearest among thousands), else one sort.
    static func least<T>(_ count: Int, of items: [T], by less: (T, T) -> Bool) -> [T] {
        guard count > 0 else { return [] }
        guard count * 8 < items.count else { return Array(items.sorted(by: less).prefix(count)) }
        // A max-heap of the `count` least seen so far: its root is the greatest of them.
        var heap: [T] = []
        heap.reserveCapacity(count)
        for item in items {
            if heap.count < count {
                heap.append(item)
                var child = heap.count - 1
                while child > 0, less(heap[(child - 1) / 2], heap[child]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if less(item, heap[0]) {
                heap[0] = item
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var greatest = parent
                    if left < count, less(heap[greatest], heap[left]) { greatest = left }
                    if right < count, less(heap[greatest], heap[right]) { greatest = right }
                    if greatest == parent { break }
                    heap.swapAt(parent, greatest)
                    parent = greatest
                }
            }
        }
        return heap.sorted(by: less)
    }

    /// `entries` (in order) by `scores`, highest first, entries of equal score in their order:
    /// a counting sort, since scores are small whole numbers.
    static func byScore(_ entries: [Int], scores: [Int]) -> [Int] {
        guard let top = scores.max(), let bottom = scores.min() else { return [] }
        guard top - bottom < 1 << 16 else {
            return zip(entries, scores).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        }
        // Where each score's entries begin, highest score first.
        var start = [Int](repeating: 0, count: top - bottom + 2)
        for score in scores { start[top - score + 1] += 1 }
        for bucket in 1..<start.count { start[bucket] += start[bucket - 1] }
        var ordered = [Int](repeating: 0, count: entries.count)
        for (entry, score) in zip(entries, scores) {
            ordered[start[top - score]] = entry
            start[top - score] += 1
        }
        return ordered
    }
}
