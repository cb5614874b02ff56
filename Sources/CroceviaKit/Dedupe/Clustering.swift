/// Groups items joined by scored links without chaining: links are taken strongest first, and
/// two groups join only when, across them, no pair is a hard conflict (two valid tax codes that
/// differ) and the pairs score on average at least `joinAverage`. A chain A–B–C whose ends do not
/// agree stays apart, and the refused link goes to review.
struct Clustering {
    struct Link: Sendable {
        let a: Int32
        let b: Int32
        let score: Double
    }

    /// Links at or above this join groups.
    let threshold: Double
    /// The mean score across two groups needed to join them.
    let joinAverage: Double

    struct Result {
        /// For each item, the smallest item of its group (a stable representative).
        var group: [Int]
        /// Links at or above the threshold that were refused, with the mean across the groups.
        var refused: [(link: Link, average: Double)]
    }

    func run(count: Int, links: [Link], score: (Int, Int) -> Double, conflict: (Int, Int) -> Bool) -> Result {
        var parent = Array(0..<count)
        var members: [[Int]] = (0..<count).map { [$0] }
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var refused: [(link: Link, average: Double)] = []
        let strongest = links.filter { $0.score >= threshold }.sorted { ($0.score, $1.a, $1.b) > ($1.score, $0.a, $0.b) }
        for link in strongest {
            let rootA = find(Int(link.a)), rootB = find(Int(link.b))
            if rootA == rootB { continue }
            var sum = 0.0
            var blocked = false
            outer: for x in members[rootA] {
                for y in members[rootB] {
                    if conflict(x, y) { blocked = true; break outer }
                    sum += (x == Int(link.a) && y == Int(link.b)) || (x == Int(link.b) && y == Int(link.a)) ? link.score : score(x, y)
                }
            }
            let average = blocked ? -.infinity : sum / Double(members[rootA].count * members[rootB].count)
            if blocked || average < joinAverage {
                refused.append((link, average))
                continue
            }
            let (big, small) = members[rootA].count >= members[rootB].count ? (rootA, rootB) : (rootB, rootA)
            parent[small] = big
            members[big].append(contentsOf: members[small])
            members[small] = []
        }
        var group = [Int](repeating: 0, count: count)
        for root in 0..<count where parent[root] == root {
            let smallest = members[root].min() ?? root
            for member in members[root] { group[member] = smallest }
        }
        return Result(group: group, refused: refused)
    }
}
