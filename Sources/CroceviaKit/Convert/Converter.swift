/// Runs a conversion: every input through its reader, the mapper when a profile is given, and
/// one writer. Data problems are findings; an input that cannot be read any further is an error
/// finding too, and the next input still runs. Bad options, profiles and I/O failures throw, and
/// then no output file appears.
public final class Converter {
    public let options: ConvertOptions
    private let findings: FindingLog
    private let progress: ProgressReporter?

    public init(options: ConvertOptions, findings: FindingLog, progress: ProgressReporter? = nil) {
        self.options = options
        self.findings = findings
        self.progress = progress
    }

    public func run() throws -> ConvertSummary {
        var options = self.options
        var request = RunPlan.Request(inputs: options.inputs, from: options.from, encoding: options.encoding, reader: options.reader,
                                      profile: options.profile, source: options.source)
        // HSDS asked for and no profile: JSON inputs are HSDS already (lists, objects, the API's pages).
        request.jsonIsHSDS = options.to?.isHSDS == true
        let plan = try RunPlan(request, findings: findings)
        // The writer thread maps half the batches with a mapper of its own over the same profile.
        let mappers = plan.profile.map { (caller: Mapper(compiled: $0, findings: findings), writer: Mapper(compiled: $0, findings: findings)) }
        if let target = plan.profile?.profile.target.name {
            options.writer.hsdsObject = target
            options.writer.recordElement = options.writer.recordElement ?? target
        }
        let to = try outputFormat(options, mapped: mappers != nil, inputsAreHSDS: plan.formats.allSatisfy(\.isHSDS))
        for input in options.inputs where input != "-" && input == options.output {
            throw CroceviaError.usage("the output \(input) is also an input")
        }
        if mappers == nil && to == .jsonl && !options.writer.provenance && plan.formats.allSatisfy({ $0 == .csv }) {
            return try convertRows(plan)
        }

        let writer = WriterThread(writer: try to.makeWriter(path: options.output, options: options.writer, findings: findings), mappers: mappers)
        var summary = ConvertSummary()
        do {
            for index in plan.inputs.indices {
                summary.inputs += 1
                var records = summary.records
                let whole = try plan.read(index, findings: findings, progress: progress, verb: "converted", mapper: mappers?.caller) { record in
                    try writer.write(record)
                    records += 1
                }
                summary.records = records
                if !whole { summary.unreadableInputs += 1 }
            }
        } catch {
            // Stop the writer; the sink is not committed, so no output file appears.
            try? writer.finish()
            throw error
        }
        try writer.finish()
        if let mappers, plan.from != .csv {
            mappers.caller.reportUnseenColumns(alsoSeenBy: mappers.writer, inputName: options.inputs.joined(separator: ", "))
        }
        try writer.commit()
        return summary
    }

    /// Plain CSV → JSON Lines: each row goes from the reader's buffer to the output's without a
    /// record in between (`JSONLinesRowWriter`), as the same bytes the record path writes.
    private func convertRows(_ plan: RunPlan) throws -> ConvertSummary {
        var rows = JSONLinesRowWriter(sink: try OutputSink(path: options.output))
        var summary = ConvertSummary()
        for index in plan.inputs.indices {
            summary.inputs += 1
            let whole = try plan.readRows(index, findings: findings, progress: progress, verb: "converted") { reader, handled in
                rows.start(columns: reader.key(at:))
                do {
                    while try reader.nextRow(into: &rows) != nil {
                        try rows.flushIfFull()
                        handled += 1
                        summary.records += 1
                        progress?.tick(records: handled, reader: reader)
                    }
                } catch {
                    rows.discardRow()  // the row the reader could not finish
                    throw error
                }
            }
            if !whole { summary.unreadableInputs += 1 }
        }
        try rows.finish()
        try rows.commit()
        return summary
    }

    private func outputFormat(_ options: ConvertOptions, mapped: Bool, inputsAreHSDS: Bool) throws -> Format {
        let to = options.to ?? (options.output == "-" ? nil : Format(fileExtensionOf: options.output)) ?? (mapped || inputsAreHSDS ? .hsdsJSONL : nil)
        guard let to else { throw CroceviaError.usage("say which format to write: --to \(Format.writtenNames)") }
        if mapped && to == .csv {
            throw CroceviaError.usage("a profile produces nested HSDS objects; write them as hsds-json or hsds-jsonl")
        }
        if !mapped && !inputsAreHSDS && to.isHSDS {
            throw CroceviaError.usage("--to \(to.rawValue) needs HSDS records: give --profile, which says how the partner's records become HSDS, or say --from hsds-json, hsds-jsonl or hsds-csv if the input is HSDS already; for a plain conversion use --to json or jsonl")
        }
        return to
    }
}
