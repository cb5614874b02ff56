import Foundation
import Testing
@testable import CroceviaKit

/// Weights learnt by expectation maximisation from comparison levels drawn from a known mixture:
/// the share of matches and each level's weight come back.
@Suite struct FieldWeightsTests {
    /// Draws a level from a distribution over the levels past 0 (`nil`: the field is missing).
    struct Draw {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func level(_ distribution: [Double]) -> UInt8 {
            var x = uniform()
            for (index, p) in distribution.enumerated() {
                if x < p { return UInt8(index + 1) }
                x -= p
            }
            return UInt8(distribution.count)
        }
    }

    // Per field (tax, name, phone, email, website, place): the levels' chances among matches (m)
    // and among other candidate pairs (u).
    static let m: [[Double]] = [[0.95, 0.05], [0.6, 0.2, 0.1, 0.05, 0.03, 0.02], [0.7, 0.3], [0.5, 0.2, 0.3], [0.8, 0.2], [0.4, 0.5, 0.1]]
    static let u: [[Double]] = [[0.02, 0.98], [0.05, 0.05, 0.1, 0.2, 0.3, 0.3], [0.05, 0.95], [0.01, 0.04, 0.95], [0.05, 0.95], [0.02, 0.6, 0.38]]

    @Test("from 30,000 candidate pairs, a quarter of them matches: the share and each weight within a small margin")
    func learnsAKnownMixture() throws {
        var draw = Draw(state: 42)
        var candidates: [FieldWeights.Levels] = []
        for index in 0..<30_000 {
            let isMatch = index % 4 == 0
            var levels = FieldWeights.Levels()
            for field in 0..<6 { levels[field] = draw.level(isMatch ? Self.m[field] : Self.u[field]) }
            if index % 3 == 0 { levels[0] = 0 }  // no tax code on one side
            candidates.append(levels)
        }
        let random = (0..<5000).map { _ in
            var levels = FieldWeights.Levels()
            for field in 0..<6 { levels[field] = draw.level(Self.u[field]) }
            return levels
        }
        let weights = try #require(FieldWeights.learned(from: candidates, random: random))
        #expect(weights.isLearned)
        #expect(abs(weights.prior - log2(0.25 / 0.75)) < 0.1, "prior \(weights.prior)")
        for field in FieldWeights.Field.allCases {
            for level in 1...field.levels.count {
                let truth = log2(Self.m[field.rawValue][level - 1] / Self.u[field.rawValue][level - 1])
                // The sign rule keeps agreement from counting against and disagreement from counting for.
                let hand = FieldWeights.standard.points[field.rawValue][level]
                let expected = hand > 0 ? max(truth, 0) : hand < 0 ? min(truth, 0) : truth
                #expect(abs(weights.points[field.rawValue][level] - expected) < 0.35, "\(field.name) \(field.levels[level - 1]): \(weights.points[field.rawValue][level]) for \(expected)")
            }
        }
    }

    @Test("fewer candidate pairs than the minimum: the hand-set weights, and the summary says so")
    func smallRunsKeepTheHandSetWeights() throws {
        let result = try DeduplicatorTests.run([("one", [DeduplicatorTests.organization("a", "Associazione Il Faro", phone: "011 1234567")]),
                                                ("two", [DeduplicatorTests.organization("b", "ASS. IL FARO", phone: "0111234567")])])
        #expect(result.summary.organizationClusters == 1)
        #expect(result.summaryJSON["weights"]?["learned"] == .bool(false))
        #expect(result.summaryJSON["weights"]?["fields"]?["tax_id"]?["different"]?["points"] == .number("-8"))
    }
}
