/// What `crocevia validate` was asked to do, as the library takes it.
public struct ValidateOptions: Sendable {
    /// What records are checked against.
    public enum Schema: Sendable {
        /// A schema file; every record (any JSON value) is one instance.
        case schema(path: String)
        /// A bundled HSDS object schema.
        case hsds(object: String)
        /// A mapping profile: records are mapped, then checked against the profile's HSDS target,
        /// and findings name the partner's columns.
        case profile(path: String)
        /// An XML Schema for XML inputs, checked as they stream.
        case xsd(path: String)
    }

    public var inputs: [String]
    public var target: Schema
    public var from: Format?
    /// Asserts `format` for a plain schema (HSDS checks always do).
    public var assertFormats = false
    /// HSDS: a field the object's schema does not define is an error.
    public var strict = false
    /// HSDS: a tabular package whose objects references may also name.
    public var package: String?
    /// HSDS: the input is the whole set, so a reference to an object outside it is an error (a
    /// tabular package, or with `package`, always is).
    public var complete = false
    public var encoding: TextEncoding?
    public var reader = ReaderOptions()

    public init(inputs: [String], target: Schema) {
        self.inputs = inputs
        self.target = target
    }
}

/// What a validation found, for the summary and the exit code.
public struct ValidationSummary: Sendable, Equatable {
    public var records = 0
    public var invalidRecords = 0
    public var inputs = 0
    public var unreadableInputs = 0
    public var validRecords: Int { records - invalidRecords }
}

/// Checks every record of the inputs against the schema, one at a time, and reports each failure
/// as a finding on the record's line: rule `schema.KEYWORD`, the JSON Pointer into the record, the
/// partner's field (with a profile, the column the value came from) and the offending value.
public final class Validation {
    public let options: ValidateOptions
    private let findings: FindingLog
    private let progress: ProgressReporter?

    public init(options: ValidateOptions, findings: FindingLog, progress: ProgressReporter? = nil) {
        self.options = options
        self.findings = findings
        self.progress = progress
    }

    public func run() throws -> ValidationSummary {
        try RunPlan.requireInputs(options.inputs)  // the XSD run too
        var request = RunPlan.Request(inputs: options.inputs, from: options.from, encoding: options.encoding, reader: options.reader)
        // One validator for each thread that checks records (see `SchemaLoader.hsds`).
        var validators: [SchemaValidator]?
        switch options.target {
        case .schema(let path):
            validators = try (0..<Parallel.workers).map { _ in try SchemaLoader.file(path, assertFormats: options.assertFormats) }
        case .hsds(let name):
            let object = try Target.named(name)
            validators = try (0..<Parallel.workers).map { _ in try SchemaLoader.hsds(object, shared: false) }
            request.object = object
            // HSDS JSON may be a list, one object or the API's pages: read it as HSDS.
            request.jsonIsHSDS = !object.isCase
        case .xsd(let path):
            return try runXSD(path)
        case .profile(let path):
            request.profile = path
        }
        var plan = try RunPlan(request, findings: findings)
        let hsdsObject = plan.object
        let schemaValidators = try validators ?? (0..<Parallel.workers).map { _ in try SchemaLoader.hsds(hsdsObject!, shared: false) }
        let columns = plan.profile.map { Self.columnsByPath($0.profile) } ?? [:]
        let tabular = plan.from == .hsdsCSV || (plan.from == nil && options.inputs.allSatisfy { Format(guessingFrom: $0) == .hsdsCSV })
        // Case data: each record against its own entity's schema.
        let isCase = hsdsObject?.isCase == true
        let schemas = try HSDSSchemas.standard()
        let checks = hsdsObject.flatMap { $0.isCase ? nil : $0 }.map {
            HSDSChecks(root: $0.name, complete: tabular || options.complete || options.package != nil, findings: findings)
        }
        let recordChecks = try schemaValidators.map { validator in
            RecordCheck(schema: validator, caseValidators: isCase ? try SchemaLoader.validators(for: hsdsObject!, shared: false) : [:],
                        caseChecks: isCase ? CaseChecks(services: nil, today: AgeBand.today) : nil, object: hsdsObject, columns: columns,
                        hsds: checks.map { _ in HSDSWalk(schemas: schemas, root: hsdsObject!.name, strict: options.strict, tabular: tabular) })
        }
        if let package = options.package {
            guard let checks else { throw CroceviaError.usage("--package goes with --hsds or --profile") }
            do {
                try checks.addPackage(package, schemas: schemas)
            } catch CroceviaError.unreadableInput(let file, let line, let message, _) {
                throw CroceviaError.configuration(file: file, line: line, column: nil, message: "the package cannot be read: \(message)")
            }
        }
        let batches = CheckedBatches(checks: recordChecks, findings: findings) { provenance, checked, invalid in
            guard let checks, let facts = checked.facts else { return invalid }
            return checks.check(provenance, subject: checked.subject, facts: facts, invalid: invalid, fields: recordChecks[0].field(at:))
        }
        // Reading and mapping report through the batches, which give their findings out in place.
        let mapper = plan.profile.map { Mapper(compiled: $0, findings: batches.held) }
        // Findings name the line (and, in a package, the file) of the member they are about.
        if mapper == nil { plan.reader.places = true }
        var summary = ValidationSummary()
        do {
            for (index, format) in plan.formats.enumerated() {
                summary.inputs += 1
                // Records before this line were taken the fast way.
                var resume = 1
                if format == .jsonl || format == .hsdsJSONL, mapper == nil, plan.reader.recordsPath.isEmpty,
                   plan.encoding == nil || plan.encoding == .auto || plan.encoding == .utf8 {
                    let input = plan.inputs[index]
                    guard let line = try batches.takeJSONLines(input, source: plan.sourceName(of: input), pages: format == .hsdsJSONL, progress: progress)
                    else { continue }
                    resume = line
                }
                let whole = try plan.read(index, findings: batches.held, progress: progress, verb: "checked", mapper: mapper) { raw in
                    if raw.provenance.line < resume { return }
                    batches.add(mapper?.map(raw) ?? raw)
                }
                if !whole { summary.unreadableInputs += 1 }
            }
        } catch {
            batches.drain()
            throw error
        }
        batches.drain()
        summary.records = batches.records
        summary.invalidRecords = batches.invalidRecords
        // References still open at the end make their records invalid too.
        summary.invalidRecords += checks?.finish() ?? 0
        mapper?.reportUnseenColumns(inputName: options.inputs.joined(separator: ", "))
        batches.drain()
        return summary
    }

    /// XML inputs against an XSD: libxml2 validates while it streams each file.
    private func runXSD(_ path: String) throws -> ValidationSummary {
        let schema = try XSDSchema(path: path)
        var summary = ValidationSummary()
        for input in options.inputs {
            summary.inputs += 1
            do {
                let result = try XSDValidation.validate(path: input, encoding: options.encoding ?? .auto, schema: schema,
                                                        recordElement: options.reader.recordElement, findings: findings)
                summary.records += result.records
                summary.invalidRecords += result.invalid
            } catch CroceviaError.unreadableInput(let file, let line, let message, let hint) {
                summary.unreadableInputs += 1
                findings.add(Finding(.error, rule: "input.unreadable", message: message + "; the rest of the file was not checked", hint: hint, file: file, line: line))
            }
        }
        return summary
    }

    /// A schema failure as a finding on the record's line, with the partner's field and value.
    /// `subject`: name the record by its own name or key and quote the value (never for case data,
    /// whose values may name someone).
    static func finding(for failure: SchemaValidator.Failure, record: Record, columns: [String: String], subject: Bool = true) -> Finding {
        let tokens = JSONPointer.tokens(failure.instancePath) ?? []
        let value = JSONPointer.resolve(tokens, in: record.value)
        let fieldPath = tokens.filter { Int($0) == nil }.joined(separator: ".")
        let field = column(for: tokens, in: columns) ?? (fieldPath.isEmpty ? nil : fieldPath)
        let place = fieldPath.isEmpty ? "the record" : fieldPath
        var shown: String?
        if subject, let value, failure.keyword != "required" {
            switch value {
            case .object, .array: shown = nil
            default: shown = value.cellText
            }
        }
        var finding = Finding(.error, rule: "schema." + failure.keyword, message: "\(place): \(failure.message)",
                              hint: hint(for: failure.keyword), file: record.provenance.file(at: failure.instancePath),
                              line: record.provenance.line(at: failure.instancePath),
                              record: record.provenance.record, field: field, value: shown, path: failure.instancePath)
        finding.subject = subject ? record.subject : nil
        return finding
    }

    /// The partner's columns of each profile field, by its target path as written
    /// (`schedules[1].opens_at`, `phones[].number`) and by its dotted path without positions
    /// (`schedules.opens_at`) when only one field has that path.
    static func columnsByPath(_ profile: Profile) -> [String: String] {
        var columns: [String: String] = [:]
        var plain: [String: String?] = [:]
        for field in profile.fields where !field.columns.isEmpty {
            let names = field.columns.map(\.name).joined(separator: ", ")
            columns[field.path.description] = names
            let key = field.path.segments.map(\.name).joined(separator: ".")
            plain[key] = plain[key] == nil ? names : .some(nil)
        }
        for (key, names) in plain { if let names { columns[key] = names } }
        return columns
    }

    /// The columns that fed the member a JSON Pointer names: the field with that element's
    /// position (`schedules[1].opens_at` for `/schedules/1/opens_at`), else the list's
    /// (`schedules[].opens_at`), else the only field with that path.
    static func column(for tokens: [String], in columns: [String: String]) -> String? {
        var exact: [String] = []
        var spread: [String] = []
        var plain: [String] = []
        for token in tokens {
            if Int(token) != nil, !exact.isEmpty {
                exact[exact.count - 1] += "[\(token)]"
                spread[spread.count - 1] += "[]"
            } else {
                exact.append(token)
                spread.append(token)
                plain.append(token)
            }
        }
        return columns[exact.joined(separator: ".")] ?? columns[spread.joined(separator: ".")] ?? columns[plain.joined(separator: ".")]
    }

    static func hint(for keyword: String) -> String? {
        switch keyword {
        case "required": return "fill in this field"
        case "format": return "check the value's form (a UUID, a web address with https://, an e-mail address, a date-time)"
        case "type": return "check that the value is written in the expected kind (text, number, list)"
        case "enum", "const": return "use one of the allowed values"
        case "pattern": return "check the value's form"
        case "additionalProperties", "unevaluatedProperties": return "remove or rename the field"
        default: return nil
        }
    }
}
