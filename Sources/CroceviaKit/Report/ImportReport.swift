/// What an import did, for the terminal and for the JSON report (the validation report's
/// summary and findings, with the run's counts beside them under `import`).
public enum ImportReport {
    public static func line(_ summary: ImportSummary) -> String {
        var text = "run \(summary.runID), \(summary.source) (\(summary.mode.rawValue)): \(plural(summary.records, "record")) read; "
            + "\(summary.added) added, \(summary.changed) changed, \(summary.unchanged) unchanged, \(summary.removed) removed, \(summary.rejected) rejected"
        if summary.removalSkipped { text += " (nothing removed: the feed was not read to its end)" }
        if summary.correctionsApplied > 0 { text += "; \(plural(summary.correctionsApplied, "correction")) applied" }
        return text
    }

    public static func json(_ summary: ImportSummary, findings: FindingLog, inputs: [String], registry: String) -> JSONValue {
        guard case .object(var report) = ValidationReport.json(summary: validationSummary(summary, inputs: inputs), findings: findings,
                                                               inputs: inputs, schema: Target(summary.object)?.isCase == true ? "case" : "hsds") else {
            return .null
        }
        report["import"] = counts(summary, registry: registry)
        report.members.insert(report.members.removeLast(), at: 0)
        return .object(report)
    }

    /// The import as the validation reports see it: rejected records are the invalid ones.
    public static func validationSummary(_ summary: ImportSummary, inputs: [String]) -> ValidationSummary {
        var validation = ValidationSummary()
        validation.records = summary.records
        validation.invalidRecords = summary.rejected
        validation.inputs = inputs.count
        validation.unreadableInputs = summary.unreadableInputs
        return validation
    }

    public static func counts(_ summary: ImportSummary, registry: String) -> JSONValue {
        func number(_ n: Int) -> JSONValue { .number(String(n)) }
        return .object(JSONObject([
            ("registry", .string(registry)),
            ("run_id", .number(String(summary.runID))),
            ("source", .string(summary.source)),
            ("mode", .string(summary.mode.rawValue)),
            ("records", number(summary.records)),
            ("added", number(summary.added)),
            ("changed", number(summary.changed)),
            ("unchanged", number(summary.unchanged)),
            ("removed", number(summary.removed)),
            ("rejected", number(summary.rejected)),
            ("unreadable_inputs", number(summary.unreadableInputs)),
            ("removal_skipped", .bool(summary.removalSkipped)),
        ]))
    }
}
