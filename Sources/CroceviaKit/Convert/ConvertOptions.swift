/// What `crocevia convert` was asked to do, as the library takes it.
public struct ConvertOptions: Sendable {
    public var inputs: [String]
    public var output = "-"
    public var from: Format?
    public var to: Format?
    /// A mapping profile: partner records become HSDS objects.
    public var profile: String?
    public var encoding: TextEncoding?
    public var reader = ReaderOptions()
    public var writer = WriterOptions()
    /// The source name for provenance in a plain conversion (default: the file name).
    public var source: String?

    public init(inputs: [String]) {
        self.inputs = inputs
    }
}

/// What a conversion did.
public struct ConvertSummary: Sendable, Equatable {
    public var records = 0
    public var inputs = 0
    /// Inputs that stopped early (their error is a finding); the records before it were written.
    public var unreadableInputs = 0
}
