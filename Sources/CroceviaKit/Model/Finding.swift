import Foundation
import Synchronization

/// A problem found in the data. Findings are collected into reports; they are never thrown.
public struct Finding: Sendable, Equatable {
    public enum Severity: String, Sendable {
        case error, warning, info
    }

    public var severity: Severity
    /// A stable rule name, such as `csv.ragged-row` or `map.date`.
    public var rule: String
    public var message: String
    /// How to fix it, in words a partner can act on.
    public var hint: String?
    public var file: String
    /// The physical line (1-based), when known.
    public var line: Int?
    /// The record's 1-based position in its file, when the finding concerns one record.
    public var record: Int?
    /// The partner's column or field the finding concerns.
    public var field: String?
    /// The offending value, shortened for display.
    public var value: String?
    /// Where in the record (a JSON Pointer into the record as validated), when known.
    public var path: String?
    /// The workbook cell the finding is about (`Servizi!D14`), for a record read from a sheet.
    public var cell: String?
    /// The record's own name or key (`Sportello Aurora`, the partner's code), so a partner knows
    /// which one without counting lines; never set for case data.
    public var subject: String?

    public init(
        _ severity: Severity, rule: String, message: String, hint: String? = nil,
        file: String, line: Int? = nil, record: Int? = nil, field: String? = nil, value: String? = nil, path: String? = nil,
        cell: String? = nil
    ) {
        self.path = path
        self.cell = cell
        self.severity = severity
        self.rule = rule
        self.message = message
        self.hint = hint
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        self.value = value.map { Finding.shorten($0) }
    }

    /// `file:line: severity: message (hint)` (`file:Sheet!D14:` for a workbook's cell), the
    /// one-line form printed on standard error.
    public var formatted: String {
        var text = file
        if let cell { text += ":\(cell)" } else if let line { text += ":\(line)" }
        text += ": \(severity.rawValue): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }

    static func shorten(_ value: String, limit: Int = 80) -> String {
        guard value.count > limit else { return value }
        return String(value.prefix(limit)) + "…"
    }
}

/// Collects findings as a run goes, counts them, and hands each one to an optional observer
/// (the command line prints them as they come). Safe to use from several threads at once:
/// findings are rare, so one mutex is enough; the observer is told in the order they came.
public final class FindingLog: Sendable {
    private struct State {
        var kept: [Finding] = []
        var errors = 0
        var warnings = 0
        var perRule: [String: Int] = [:]
    }

    private let state = Mutex(State())
    /// How many findings of one rule are kept in `findings`; the rest are only counted.
    public let keepPerRule: Int
    private let observer: (@Sendable (Finding) -> Void)?

    public init(keepPerRule: Int = 1000, observer: (@Sendable (Finding) -> Void)? = nil) {
        self.keepPerRule = keepPerRule
        self.observer = observer
    }

    public func add(_ finding: Finding) {
        state.withLock { state in
            switch finding.severity {
            case .error: state.errors += 1
            case .warning: state.warnings += 1
            case .info: break
            }
            let seen = state.perRule[finding.rule, default: 0]
            state.perRule[finding.rule] = seen + 1
            if seen < keepPerRule { state.kept.append(finding) }
            observer?(finding)
        }
    }

    /// Takes out the findings kept so far, in the order they came: a log that holds a stage's
    /// findings back (made with no limit per rule) hands them to the run's log in their place.
    func takeAll() -> [Finding] {
        state.withLock { state in
            defer { state.kept = [] }
            return state.kept
        }
    }

    /// The findings kept so far, in the order they came.
    public var findings: [Finding] { state.withLock { $0.kept } }
    public var errorCount: Int { state.withLock { $0.errors } }
    public var warningCount: Int { state.withLock { $0.warnings } }
    /// How many findings of each rule were added, kept or not.
    public var countsByRule: [String: Int] { state.withLock { $0.perRule } }
}
