/// One input read for a run (`convert`, `validate`): the reader opened, a CSV header checked
/// against the profile's columns, each record handed on, progress shown. Input that cannot be
/// read any further is an error finding that says how many of the file's records were handled
/// (the next input still runs); bad profiles and I/O failures throw.
struct InputRun {
    let findings: FindingLog
    let progress: ProgressReporter?
    /// What was done to the records, for the message: "converted", "checked".
    let verb: String

    /// Reads `input`; returns false when it stopped early.
    func read(_ input: String, format: Format, encoding: TextEncoding?, source: String, options: ReaderOptions,
              mapper: Mapper?, handle: (Record) throws -> Void) throws -> Bool {
        try guarded(input) { handled in
            let reader = try format.makeReader(path: input, encoding: encoding ?? .auto, source: source, options: options, findings: findings)
            if let csv = reader as? CSVRecordReader, let mapper {
                let header = try csv.readHeader()
                if !header.isEmpty { try mapper.check(header: header, inputName: input) }
            }
            while let record = try reader.next() {
                try handle(record)
                handled += 1
                progress?.tick(records: handled, reader: reader)
                if let deadline = options.deadline, deadline.isPast {
                    throw CroceviaError.unreadableInput(file: record.provenance.file, line: record.provenance.line,
                                                        message: "reading stopped here, at the limit of \(Self.seconds(deadline.seconds)) for the input",
                                                        hint: "a smaller file, or the same split in parts, is read whole")
                }
            }
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// Runs `body` over one input, which counts what it handled: progress started and finished,
    /// and input that cannot be read any further an error finding that says how much was handled.
    /// Returns false when it stopped early.
    func guarded(_ input: String, _ body: (inout Int) throws -> Void) throws -> Bool {
        var handled = 0
        progress?.start(input: input)
        defer { progress?.finish() }
        do {
            try body(&handled)
            return true
        } catch CroceviaError.unreadableInput(let file, let line, let message, let hint) {
            let consequence = handled == 0 ? "nothing of the file was \(verb)"
                : "\(plural(handled, "record")) of the file \(handled == 1 ? "was" : "were") \(verb), the rest was not"
            findings.add(Finding(.error, rule: "input.unreadable", message: message + "; " + consequence, hint: hint, file: file, line: line))
            return false
        }
    }
}
