/// Reads `hsds-flat` rows (from a CSV file or a workbook's sheet, whichever the file is) and
/// gives HSDS services: the rows of one `service.id` gathered into one service, each row a place
/// (see `FlatHSDS`). A sheet's rows are all read before the first service is given, since a
/// service's rows need not be next to each other. A column the layout does not have is an error
/// finding once; its values are not read.
public final class FlatHSDSReader: RecordReader {
    public var name: String { inner.name }
    public var progress: (done: Int, total: Int?) { inner.progress }
    private let inner: RecordReader
    private let findings: FindingLog
    private let source: String
    private var services: [Record]?
    private var position = 0

    init(_ inner: RecordReader, source: String, findings: FindingLog) {
        self.inner = inner
        self.source = source
        self.findings = findings
    }

    public func next() throws -> Record? {
        if services == nil { services = try readAll() }
        guard position < services!.count else { return nil }
        defer { position += 1 }
        var record = services![position]
        record.provenance.source = source
        return record
    }

    private func readAll() throws -> [Record] {
        var assembler = FlatHSDS.Assembler(file: inner.name, findings: findings)
        var warned = false
        let known = Set(FlatHSDS.names)
        while let row = try inner.next() {
            guard let object = row.value.objectValue else { continue }
            if !warned {
                warned = true
                let unknown = object.keys.filter { !known.contains($0) }
                if !unknown.isEmpty {
                    findings.add(Finding(.error, rule: "flat.unknown-column",
                                         message: "hsds-flat has no column \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); its values are not read",
                                         hint: "its columns are in docs/formats.md, \"hsds-flat\"" + Suggestion.hint(for: unknown[0], in: FlatHSDS.names),
                                         file: inner.name, line: 1, field: unknown[0], cell: row.provenance.sheet.map { "\($0.name)!1:1" }))
                }
            }
            let provenance = row.provenance
            assembler.add(FlatHSDS.names.map { object[$0]?.cellText ?? "" }, line: provenance.line, record: provenance.record,
                          cell: { provenance.cell(of: $0) })
        }
        return assembler.finish()
    }
}

/// Writes HSDS services as `hsds-flat` CSV: a row per service at a location, every column of
/// the layout in its order. What a service holds that the layout does not carry (a third phone,
/// service areas, a place's own phones) is said once per field at the end, with how many
/// services had it.
public final class FlatHSDSWriter: RecordWriter {
    private let csv: CSVRecordWriter
    private let findings: FindingLog
    private var uncarried: [String: (count: Int, first: Provenance)] = [:]
    private var order: [String] = []

    init(sink: OutputSink, delimiter: UInt8, findings: FindingLog) {
        csv = CSVRecordWriter(sink: sink, delimiter: delimiter, columns: FlatHSDS.names, findings: findings)
        self.findings = findings
    }

    public func write(_ record: Record) throws {
        guard let service = record.value.objectValue else { return }
        let rows = FlatHSDS.rows(of: service)
        // A list beyond its slots is one part (`schedules`), a field with no column another.
        var parts: [String] = []
        for field in FlatHSDS.uncarried(service, rows: rows) {
            let part = FlatHSDS.slots(of: field).map { "\($0.list)[]" } ?? field
            if !parts.contains(part) { parts.append(part) }
        }
        for part in parts {
            if uncarried[part] == nil { order.append(part) }
            uncarried[part] = (count: (uncarried[part]?.count ?? 0) + 1, first: uncarried[part]?.first ?? record.provenance)
        }
        for row in rows {
            try csv.write(Record(value: .object(JSONObject(zip(FlatHSDS.names, row).map { ($0.0, .string($0.1)) })), provenance: record.provenance))
        }
    }

    public func finish() throws {
        for part in order {
            let (count, first) = uncarried[part]!
            let services = "\(count) service\(count == 1 ? "" : "s")"
            // A list the sheet holds the first elements of (`phones[0]`, `phones[1]`), or a field it has no column for.
            let message = FlatHSDS.slots(of: part + ".").map { "hsds-flat holds the first \($0.count) of \($0.list) only; \(services) had more, which were not written" }
                ?? "hsds-flat has no column for \(part), which \(services) had; it was not written"
            findings.add(Finding(.warning, rule: "flat.not-carried", message: message,
                                 hint: "write hsds-json or hsds-csv to keep every field", file: first.file, line: first.line, record: first.record))
        }
        try csv.finish()
    }

    public func commit() throws { try csv.commit() }
}
