import Foundation

/// What each field's agreement or disagreement says of two organization records being one, in
/// points (log2 of a likelihood ratio): the Fellegi–Sunter weight of each comparison level.
///
/// The starting weights were set by hand on the network's first data. A run with enough
/// candidate pairs learns its own (`learned(from:random:)`): `m`, the chance of a level between
/// records of one body, and `u`, between records of different bodies, by expectation
/// maximisation over the candidate pairs (two classes, started from random pairs' agreement for
/// `u` and the hand-set weights for `m`); the weight is log2(m / u). So a network whose partners
/// share phones less often, or write websites more often, is matched on what its own data says.
public struct FieldWeights: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case taxCode, name, phone, email, website, place

        public var name: String {
            switch self {
            case .taxCode: return "tax_id"
            case .name: return "name"
            case .phone: return "phone"
            case .email: return "email"
            case .website: return "website"
            case .place: return "place"
            }
        }

        /// The comparison levels after 0 (one side has no value: no evidence).
        public var levels: [String] {
            switch self {
            case .taxCode, .phone, .website: return ["same", "different"]
            case .name: return ["95% alike or more", "85-95%", "70-85%", "50-70%", "30-50%", "under 30%"]
            case .email: return ["same address", "same domain", "different"]
            case .place: return ["same address", "same municipality", "no municipality in common"]
            }
        }
    }

    /// Comparison levels of one pair, by `Field.rawValue` (0: not compared).
    typealias Levels = SIMD8<UInt8>

    /// `points[field][level]`, level 0 always 0.
    public private(set) var points: [[Double]]
    /// The learnt m and u of each level (empty for the hand-set weights).
    public private(set) var m: [[Double]] = []
    public private(set) var u: [[Double]] = []
    /// Prior log2 odds that a candidate pair is one body, added to every learnt score.
    public private(set) var prior = 0.0
    public private(set) var isLearned = false

    /// The hand-set weights (tuned on `bench/generate_dedupe.py`, seed 7).
    public static let standard = FieldWeights(points: [
        [0, 6, -8],
        [0, 4, 3, 1.5, 0, -2.5, -5],
        [0, 2.5, -0.5],
        [0, 3, 1.5, 0],
        [0, 2.5, -1],
        [0, 2, 0.5, -2.5],
    ])

    init(points: [[Double]]) {
        self.points = points
    }

    func points(_ field: Field, _ level: UInt8) -> Double { points[field.rawValue][Int(level)] }

    func score(_ levels: Levels) -> Double {
        var total = prior
        for field in Field.allCases { total += points[field.rawValue][Int(levels[field.rawValue])] }
        return total
    }

    /// Expectation maximisation can settle on a split that is not matches against the rest (all
    /// pairs one class; a class made by what blocking chose): then the strongest agreements (the
    /// same tax code, the same name) do not both say "one body" by at least 2 points, and the
    /// weights are not used.
    var isSound: Bool {
        points[Field.taxCode.rawValue][1] >= 2 && points[Field.name.rawValue][1] >= 2
    }

    /// Fewer candidate pairs than this, and the hand-set weights are kept: too few to learn from.
    public static let minimumPairs = 2000

    /// Weights learnt from the levels of the candidate pairs and of random pairs of records.
    /// Each weight is kept within ±12 points (one field alone never decides).
    /// Nil when what was learnt cannot be right (see `isSound`): the run keeps the hand-set weights.
    static func learned(from candidates: [Levels], random: [Levels], iterations: Int = 25) -> FieldWeights? {
        let fields = Field.allCases
        func distribution(_ counts: [Double]) -> [Double] {
            // Laplace smoothing over the levels past 0; level 0 keeps 0.
            let total = counts.dropFirst().reduce(0, +) + Double(counts.count - 1)
            return [0] + counts.dropFirst().map { ($0 + 1) / total }
        }
        // Both distributions are learnt from the candidate pairs, which blocking chose because
        // they agree on something (non-matches among them agree far more often than random
        // pairs do); random pairs give u its starting point, the hand-set weights give m its.
        var u: [[Double]] = fields.map { field in
            var counts = [Double](repeating: 0, count: field.levels.count + 1)
            for levels in random { counts[Int(levels[field.rawValue])] += 1 }
            return distribution(counts)
        }
        var m: [[Double]] = fields.map { field in
            let raw = u[field.rawValue].indices.map { $0 == 0 ? 0 : u[field.rawValue][$0] * exp2(standard.points[field.rawValue][$0]) }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
        var share = 0.3  // of candidate pairs that are one body
        for _ in 0..<iterations {
            var matchCounts: [[Double]] = fields.map { [Double](repeating: 0, count: $0.levels.count + 1) }
            var otherCounts = matchCounts
            var matched = 0.0
            for levels in candidates {
                var ratio = share / (1 - share)
                for field in fields {
                    let level = Int(levels[field.rawValue])
                    if level != 0 { ratio *= m[field.rawValue][level] / u[field.rawValue][level] }
                }
                let probability = ratio.isFinite ? ratio / (1 + ratio) : 1
                matched += probability
                for field in fields {
                    matchCounts[field.rawValue][Int(levels[field.rawValue])] += probability
                    otherCounts[field.rawValue][Int(levels[field.rawValue])] += 1 - probability
                }
            }
            share = min(max(matched / Double(max(candidates.count, 1)), 0.001), 0.999)
            m = matchCounts.map(distribution)
            u = otherCounts.map(distribution)
        }
        // Blocking biases what the candidates show (they mostly share a town because names are
        // blocked within towns), so a learnt weight keeps the sign its level has: agreement
        // never counts against, disagreement never for, and a closer name never less than a
        // farther one.
        var weights = FieldWeights(points: fields.map { field in
            var points = m[field.rawValue].indices.map { level in
                level == 0 ? 0 : min(12, max(-12, log2(m[field.rawValue][level] / u[field.rawValue][level])))
            }
            for level in points.indices.dropFirst() {
                switch standard.points[field.rawValue][level] {
                case let hand where hand > 0: points[level] = max(points[level], 0)
                case let hand where hand < 0: points[level] = min(points[level], 0)
                default: break
                }
                if level > 1 { points[level] = min(points[level], points[level - 1]) }
            }
            return points
        })
        weights.m = m
        weights.u = u
        weights.prior = log2(share / (1 - share))
        weights.isLearned = true
        return weights.isSound ? weights : nil
    }
}
