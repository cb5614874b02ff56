import Foundation

/// A network's nightly job, read from YAML (`crocevia pipeline NETWORK.yaml`):
///
///     network: Rete delle Portinerie di Comunità
///     registry: sqlite:registry.sqlite      # or postgres://USER:PASSWORD@HOST/DATABASE
///     reports: reports                      # a folder: one report per feed, and the run summary
///     language: it                          # of the HTML reports: it or en
///     wait: 600                             # seconds to wait for another run holding the registry
///     dedupe: dedupe.yaml                   # optional: thresholds, trust, survivorship
///     secret_file: /etc/crocevia/network.key  # case data: the network secret (else CROCEVIA_SECRET)
///     feeds:
///       - name: portinerie-torino
///         profile: portinerie-torino/profile.yaml
///         input: portinerie-torino/*.csv    # a path or a glob
///         mode: full                        # or delta
///       - name: locator
///         hsds: service                     # HSDS input, no profile
///         input: locator-south-lanarkshire
///
/// Feed paths (profiles, inputs, dedupe settings) are relative to the YAML file's folder; the
/// registry and the reports folder to the working directory (where cron runs the job).
public struct NetworkConfig: Sendable {
    public struct Feed: Sendable {
        public var name: String
        public var profile: String?
        public var hsdsObject: String
        public var from: Format?
        /// As written (a path or a glob), resolved against the file's folder.
        public var input: String
        public var mode: ImportOptions.Mode
        public var allowInvalid: Bool
    }

    public var network: String
    public var registry: String
    public var reports: String
    public var language: HTMLReport.Language
    public var wait: Double
    public var dedupe: DedupeSettings
    /// The network secret's key file, for case data feeds (else the environment's).
    public var secretFile: String?
    public var feeds: [Feed]

    public static func load(path: String) throws -> NetworkConfig {
        func failure(_ node: YAMLNode, _ message: String) -> CroceviaError {
            .configuration(file: path, line: node.mark.line, column: node.mark.column, message: message)
        }
        guard let root = try YAMLLoader.load(path: path) else {
            throw CroceviaError.configuration(file: path, line: nil, column: nil, message: "the file is empty; it should list the network's feeds")
        }
        let folder = (path as NSString).deletingLastPathComponent
        func resolved(_ relative: String) -> String {
            relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        }
        var top = try YAMLMapping(root, file: path, what: "the network file")
        var config = NetworkConfig(network: "", registry: "sqlite:registry.sqlite", reports: "reports", language: .it, wait: 0,
                                   dedupe: DedupeSettings(), feeds: [])
        if let node = top.take("network") { config.network = try node.text(file: path, what: "network") }
        if let node = top.take("registry") { config.registry = try node.text(file: path, what: "registry") }
        if let node = top.take("reports") { config.reports = try node.text(file: path, what: "reports") }
        if let node = top.take("language") {
            guard let language = node.scalar.flatMap(HTMLReport.Language.init(rawValue:)) else { throw failure(node, "language is it or en") }
            config.language = language
        }
        if let node = top.take("wait") {
            guard let seconds = node.scalar.flatMap(Double.init), seconds >= 0 else { throw failure(node, "wait is a number of seconds") }
            config.wait = seconds
        }
        if let node = top.take("secret_file") { config.secretFile = resolved(try node.text(file: path, what: "secret_file")) }
        if let node = top.take("dedupe") { config.dedupe = try DedupeSettings.load(path: resolved(try node.text(file: path, what: "dedupe"))) }
        let feedsNode = try top.require("feeds", what: "the network file")
        guard case .sequence(let items) = feedsNode.kind, !items.isEmpty else { throw failure(feedsNode, "feeds is a list of the partners' feeds, one item each") }
        var names: Set<String> = []
        for item in items {
            var feed = try YAMLMapping(item, file: path, what: "a feed")
            let nameNode = try feed.require("name", what: "a feed")
            let name = try nameNode.text(file: path, what: "name")
            guard names.insert(name).inserted else { throw failure(nameNode, "the feed name \(name) is used twice; each feed is one source of the registry") }
            let profile = try feed.take("profile").map { resolved(try $0.text(file: path, what: "profile")) }
            let hsds = try feed.take("hsds").map { try $0.text(file: path, what: "hsds") }
            if profile != nil && hsds != nil { throw failure(item, "feed \(name): give profile or hsds, not both") }
            var from: Format?
            if let node = feed.take("from") {
                guard let format = node.scalar.flatMap(Format.init(rawValue:)) else { throw failure(node, "from is one of \(Format.names)") }
                from = format
            }
            let input = resolved(try feed.require("input", what: "feed \(name)").text(file: path, what: "input"))
            var mode = ImportOptions.Mode.full
            if let node = feed.take("mode") {
                guard let value = node.scalar.flatMap(ImportOptions.Mode.init(rawValue:)) else { throw failure(node, "mode is full or delta") }
                mode = value
            }
            let allowInvalid = try feed.take("allow_invalid")?.flag(file: path, what: "allow_invalid") ?? false
            try feed.rejectUnknownKeys(known: ["name", "profile", "hsds", "from", "input", "mode", "allow_invalid"], what: "a feed")
            config.feeds.append(Feed(name: name, profile: profile, hsdsObject: hsds ?? "service", from: from, input: input, mode: mode, allowInvalid: allowInvalid))
        }
        try top.rejectUnknownKeys(known: ["network", "registry", "reports", "language", "wait", "dedupe", "secret_file", "feeds"], what: "the network file")
        return config
    }

    /// The files a feed's input names: the path itself, or the glob's matches in order.
    public static func expand(_ input: String) -> [String] {
        guard input.contains(where: { "*?[".contains($0) }) else { return [input] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(input, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
    }
}
