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
        guard !options.inputs.isEmpty else { throw CroceviaError.usage("name at least one input file (- for standard input)") }
        let mappers = try options.profile.map { try loadMappers(profilePath: $0, options: &options) }
        let mapper = mappers?.caller
        var formats = try options.inputs.map { try Format.of($0, given: options.from) }
        // HSDS asked for and no profile: JSON inputs are HSDS already (lists, objects, the API's pages).
        if mapper == nil, options.from == nil, options.to?.isHSDS == true { formats = formats.map(\.asHSDS) }
        let to = try outputFormat(options, mapped: mapper != nil, inputsAreHSDS: formats.allSatisfy(\.isHSDS))
        for input in options.inputs where input != "-" && input == options.output {
            throw CroceviaError.usage("the output \(input) is also an input")
        }

        let writer = WriterThread(writer: try to.makeWriter(path: options.output, options: options.writer, findings: findings), mappers: mappers)
        var summary = ConvertSummary()
        do {
            for (input, format) in zip(options.inputs, formats) {
                try convert(input, format: format, options: options, mapper: mapper, writer: writer, summary: &summary)
            }
        } catch {
            // Stop the writer; the sink is not committed, so no output file appears.
            try? writer.finish()
            throw error
        }
        try writer.finish()
        if let mappers, options.from != .csv {
            mappers.caller.reportUnseenColumns(alsoSeenBy: mappers.writer, inputName: options.inputs.joined(separator: ", "))
        }
        try writer.commit()
        return summary
    }

    /// Loads the profile and lets it fill in the input options it decides. The writer thread maps
    /// half the batches with a mapper of its own, built from a second reading of the profile:
    /// sharing no objects, the two threads never contend for the same reference counts.
    private func loadMappers(profilePath: String, options: inout ConvertOptions) throws -> (caller: Mapper, writer: Mapper) {
        let schemas = try HSDSSchemas.standard()
        let profile = try ProfileLoader.load(path: profilePath, schemas: schemas)
        try profile.source.apply(to: &options.reader, from: &options.from, encoding: &options.encoding)
        options.writer.hsdsObject = profile.target
        options.writer.recordElement = options.writer.recordElement ?? profile.target
        let caller = try Mapper(profile: profile, findings: findings)
        var twin = try ProfileLoader.load(path: profilePath, schemas: schemas)
        twin.droppedFreeText = []  // the caller's mapper says it once
        let writer = try Mapper(profile: twin, findings: findings)
        return (caller, writer)
    }

    /// Converts one input. An input that cannot be read any further becomes an error finding.
    private func convert(_ input: String, format: Format, options: ConvertOptions, mapper: Mapper?, writer: WriterThread,
                         summary: inout ConvertSummary) throws {
        summary.inputs += 1
        let sourceName = SourceName.of(input, given: options.source, profile: mapper?.profile)
        var records = summary.records
        let whole = try InputRun(findings: findings, progress: progress, verb: "converted")
            .read(input, format: format, encoding: options.encoding, source: sourceName, options: options.reader, mapper: mapper) { record in
                try writer.write(record)
                records += 1
            }
        summary.records = records
        if !whole { summary.unreadableInputs += 1 }
    }

    private func outputFormat(_ options: ConvertOptions, mapped: Bool, inputsAreHSDS: Bool) throws -> Format {
        let to = options.to ?? (options.output == "-" ? nil : Format(fileExtensionOf: options.output)) ?? (mapped || inputsAreHSDS ? .hsdsJSONL : nil)
        guard let to else { throw CroceviaError.usage("say which format to write: --to \(Format.names)") }
        if mapped && to == .csv {
            throw CroceviaError.usage("a profile produces nested HSDS objects; write them as hsds-json or hsds-jsonl")
        }
        if !mapped && !inputsAreHSDS && to.isHSDS {
            throw CroceviaError.usage("--to \(to.rawValue) needs HSDS records: give --profile, which says how the partner's records become HSDS, or say --from hsds-json, hsds-jsonl or hsds-csv if the input is HSDS already; for a plain conversion use --to json or jsonl")
        }
        return to
    }

    /// The file's name without its extension (`stdin` for `-`).
    static func baseName(_ path: String) -> String {
        guard path != "-" else { return "stdin" }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }
}

/// The name a run gives the partner whose records it reads, the same for every command:
/// `--source` when given, else the profile's `source.name`, else the input file's name without
/// its extension (`stdin` for `-`).
enum SourceName {
    static func of(_ input: String, given: String?, profile: Profile?) -> String {
        given ?? profile?.source.name ?? Converter.baseName(input)
    }
}
