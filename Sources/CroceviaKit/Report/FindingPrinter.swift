/// Prints findings on standard error as they come, one line each, at most `limitPerRule` of each
/// rule; `close()` says how many more there were. `FindingLog` calls it under its lock.
public final class FindingPrinter: @unchecked Sendable {
    public let limitPerRule: Int
    private var printed: [String: Int] = [:]
    private var withheld: [String: Int] = [:]
    private let emit: @Sendable (String) -> Void

    public init(limitPerRule: Int = 20, emit: @escaping @Sendable (String) -> Void) {
        self.limitPerRule = limitPerRule
        self.emit = emit
    }

    public func print(_ finding: Finding) {
        let count = printed[finding.rule, default: 0]
        guard count < limitPerRule else {
            withheld[finding.rule, default: 0] += 1
            return
        }
        printed[finding.rule] = count + 1
        emit(finding.formatted)
    }

    public func close() {
        for (rule, count) in withheld.sorted(by: { $0.key < $1.key }) {
            emit("… and \(count) more \(rule) finding\(count == 1 ? "" : "s") not shown")
        }
    }
}
