/// What a command reads, resolved once: each input with its format, how to read it (the command
/// line's options with the profile's filled in where the command line left them open), the
/// compiled profile, the object the records are or become, and the source's name. `convert`,
/// `validate` and `import` are loops over a plan (the pipeline imports each feed), so they read
/// inputs the same way.
public struct RunPlan: Sendable {
    /// What a command asks to read.
    public struct Request: Sendable {
        public var inputs: [String]
        public var from: Format?
        public var encoding: TextEncoding?
        public var reader = ReaderOptions()
        /// A mapping profile's path.
        public var profile: String?
        /// `--source`.
        public var source: String?
        /// The object the records are, when the command says (`--hsds service`) and there is no
        /// profile (whose target it then is).
        public var object: Target?
        /// Without a profile or `--from`, JSON and JSON Lines inputs hold HSDS records (lists,
        /// single objects, the API's pages).
        public var jsonIsHSDS = false
        /// The network secret's key file, for profiles of case data (else the environment's).
        public var secretFile: String?

        public init(inputs: [String], from: Format? = nil, encoding: TextEncoding? = nil, reader: ReaderOptions = ReaderOptions(),
                    profile: String? = nil, source: String? = nil) {
            self.inputs = inputs
            self.from = from
            self.encoding = encoding
            self.reader = reader
            self.profile = profile
            self.source = source
        }
    }

    public let inputs: [String]
    /// Each input's format, in order.
    public let formats: [Format]
    /// `--from`, or the profile's format.
    public let from: Format?
    public let encoding: TextEncoding?
    public var reader: ReaderOptions
    public let profile: CompiledProfile?
    /// The object the records are (the profile's target, or the request's), nil for plain records.
    public let object: Target?
    private let source: String?

    /// Loads and compiles the profile (findings about it go to `findings`), then decides each
    /// input's format. A bad request or profile throws: no input has been opened yet.
    public init(_ request: Request, findings: FindingLog) throws {
        try Self.requireInputs(request.inputs)
        var reader = request.reader
        var from = request.from
        var encoding = request.encoding
        var object = request.object
        var compiled: CompiledProfile?
        if let path = request.profile {
            let profile = try ProfileLoader.load(path: path, schemas: try HSDSSchemas.standard())
            try profile.source.apply(to: &reader, from: &from, encoding: &encoding)
            let secret = profile.target.isCase ? try NetworkSecret.resolve(file: request.secretFile) : nil
            compiled = try CompiledProfile(profile: profile, findings: findings, secret: secret)
            object = profile.target
        } else if let object {
            reader.hsdsObject = reader.hsdsObject ?? object.name
        }
        let readsJSONAsHSDS = compiled == nil && from == nil && request.jsonIsHSDS
        formats = try request.inputs.map { input in
            let format = try Format.of(input, given: from)
            return readsJSONAsHSDS ? format.asHSDS : format
        }
        inputs = request.inputs
        self.from = from
        self.encoding = encoding
        self.reader = reader
        self.object = object
        profile = compiled
        source = request.source
    }

    /// A command given no input file is a usage error.
    static func requireInputs(_ inputs: [String]) throws {
        guard !inputs.isEmpty else { throw CroceviaError.usage("name at least one input file (- for standard input)") }
    }

    /// The name of the source whose records `input` holds (see `SourceName`).
    public func sourceName(of input: String) -> String {
        SourceName.of(input, given: source, profile: profile?.profile)
    }

    /// Reads input number `index` through `mapper` (one made from `profile`, or none for records
    /// as they are), handing on each record; returns false when it stopped early (see `InputRun`).
    func read(_ index: Int, findings: FindingLog, progress: ProgressReporter?, verb: String, mapper: Mapper?,
              source: String? = nil, handle: (Record) throws -> Void) throws -> Bool {
        let input = inputs[index]
        return try InputRun(findings: findings, progress: progress, verb: verb)
            .read(input, format: formats[index], encoding: encoding, source: source ?? sourceName(of: input), options: reader, mapper: mapper, handle: handle)
    }

    /// Reads CSV input number `index` row by row, without records: `body` gets the reader (for
    /// `nextRow(into:)`) and counts the rows it handled, and progress is its to tick. Returns
    /// false when the input stopped early (see `InputRun`).
    func readRows(_ index: Int, findings: FindingLog, progress: ProgressReporter?, verb: String,
                  body: (CSVRecordReader, inout Int) throws -> Void) throws -> Bool {
        let input = inputs[index]
        precondition(formats[index] == .csv, "readRows reads CSV")
        return try InputRun(findings: findings, progress: progress, verb: verb).guarded(input) { handled in
            let reader = try formats[index].makeReader(path: input, encoding: encoding ?? .auto, source: sourceName(of: input), options: reader, findings: findings)
            try body(reader as! CSVRecordReader, &handled)
        }
    }
}

/// The name a run gives the partner whose records it reads, the same for every command:
/// `--source` when given, else the profile's `source.name`, else the input file's name without
/// its extension (`stdin` for `-`).
enum SourceName {
    static func of(_ input: String, given: String?, profile: Profile?) -> String {
        given ?? profile?.source.name ?? baseName(input)
    }

    /// The file's name without its extension (`stdin` for `-`).
    static func baseName(_ path: String) -> String {
        guard path != "-" else { return "stdin" }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }
}

extension Profile.Source {
    /// Fills in how to read the input as the profile says, where the command line left it open;
    /// a `--from` that contradicts the profile is a usage error.
    public func apply(to reader: inout ReaderOptions, from: inout Format?, encoding: inout TextEncoding?) throws {
        // A sheet's formats stand for each other: the file's content tells them apart (`Format.of`).
        let sheets: Set<Format> = [.csv, .xlsx, .ods]
        if let from, from != format, !(sheets.contains(from) && sheets.contains(format)) {
            throw CroceviaError.usage("--from \(from.rawValue) contradicts the profile, which reads \(format.rawValue)")
        }
        from = format
        encoding = encoding ?? self.encoding
        reader.delimiter = reader.delimiter ?? delimiter
        if reader.recordsPath.isEmpty { reader.recordsPath = records }
        reader.recordElement = reader.recordElement ?? recordElement
        reader.sheet = reader.sheet ?? sheet
        reader.headerRow = reader.headerRow ?? headerRow
        reader.enclosing = reader.enclosing || readsEnclosing
    }
}
