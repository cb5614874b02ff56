/// The JSON report of a validation (`--report FILE.json`): a summary (records, valid and invalid
/// records, counts by rule and by field, complete even when examples are capped) and the findings
/// kept (at most `FindingLog.keepPerRule` of each rule, and the summary says how many were left out).
public enum ValidationReport {
    public static func json(summary: ValidationSummary, findings: FindingLog, inputs: [String], schema: String) -> JSONValue {
        let kept = findings.findings
        let counts = findings.countsByRule
        var byField: [String: Int] = [:]
        for finding in kept { byField[finding.field ?? "(record)", default: 0] += 1 }
        let total = counts.values.reduce(0, +)
        func number(_ n: Int) -> JSONValue { .number(String(n)) }
        func object(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, number($0.value)) }))
        }
        let summaryObject = JSONObject([
            ("inputs", .array(inputs.map(JSONValue.string))),
            ("schema", .string(schema)),
            ("records", number(summary.records)),
            ("valid_records", number(summary.validRecords)),
            ("invalid_records", number(summary.invalidRecords)),
            ("unreadable_inputs", number(summary.unreadableInputs)),
            ("errors", number(findings.errorCount)),
            ("warnings", number(findings.warningCount)),
            ("findings", number(total)),
            ("findings_listed", number(kept.count)),
            ("findings_capped", .bool(kept.count < total)),
            ("cap_per_rule", number(findings.keepPerRule)),
            ("by_rule", object(counts)),
            ("by_field_listed", object(byField)),
        ])
        let items: [JSONValue] = kept.map { finding in
            var members: [(key: String, value: JSONValue)] = [
                ("file", .string(finding.file)),
                ("record", finding.record.map(number) ?? .null),
                ("line", finding.line.map(number) ?? .null),
                ("path", finding.path.map(JSONValue.string) ?? .null),
                ("field", finding.field.map(JSONValue.string) ?? .null),
                ("rule", .string(finding.rule)),
                ("severity", .string(finding.severity.rawValue)),
                ("message", .string(finding.message)),
            ]
            if let cell = finding.cell { members.append(("cell", .string(cell))) }
            if let subject = finding.subject { members.append(("subject", .string(subject))) }
            if let hint = finding.hint { members.append(("hint", .string(hint))) }
            if let value = finding.value { members.append(("value", .string(value))) }
            return .object(JSONObject(members))
        }
        return .object(JSONObject([("summary", .object(summaryObject)), ("findings", .array(items))]))
    }

    /// Writes the report to `path` (a file that appears only when it is whole).
    public static func write(_ report: JSONValue, to path: String) throws {
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        JSONText.write(report, to: &buffer, pretty: true)
        buffer.append(0x0A)
        try sink.write(&buffer)
        try sink.commit()
    }
}
