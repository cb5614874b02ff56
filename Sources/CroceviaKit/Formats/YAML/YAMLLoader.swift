internal import CLibYAML

/// Loads YAML through libyaml into `YAMLNode`s. libyaml is seen only here.
///
/// Anchors and aliases are expanded with a budget on the nodes they may produce (a "billion
/// laughs" file fails fast), and nesting is bounded.
public enum YAMLLoader {
    /// The most nodes a document may expand to.
    public static let nodeBudget = 1_000_000
    /// The deepest nesting accepted.
    public static let maxDepth = 200

    /// Loads the first document of a file; nil when the file holds no document.
    public static func load(path: String) throws -> YAMLNode? {
        let source = try ByteSource(path: path)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk, capacity: 1 << 16)
            if n == 0 { break }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: chunk, count: n))
        }
        return try load(bytes: bytes, name: path)
    }

    /// Loads the first document of YAML text; `name` is used in messages.
    public static func load(text: String, name: String) throws -> YAMLNode? {
        try load(bytes: Array(text.utf8), name: name)
    }

    static func load(bytes: [UInt8], name: String) throws -> YAMLNode? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw CroceviaError.io("libyaml could not start") }
        defer { yaml_parser_delete(parser) }
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var builder = Builder(parser: parser, name: name)
            return try builder.document()
        }
    }

    private struct Builder {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        let name: String
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var produced = 0

        init(parser: UnsafeMutablePointer<yaml_parser_t>, name: String) {
            self.parser = parser
            self.name = name
        }

        mutating func document() throws -> YAMLNode? {
            while true {
                var event = try nextEvent()
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT: return nil
                case YAML_DOCUMENT_START_EVENT:
                    var first = try nextEvent()
                    defer { yaml_event_delete(&first) }
                    return try node(from: &first, depth: 0).node
                default: continue
                }
            }
        }

        mutating func node(from event: inout yaml_event_t, depth: Int) throws -> (node: YAMLNode, size: Int) {
            let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            guard depth <= YAMLLoader.maxDepth else { throw failure("nested deeper than \(YAMLLoader.maxDepth) levels", mark) }
            let result: (node: YAMLNode, size: Int)
            var anchor: String?
            switch event.type {
            case YAML_ALIAS_EVENT:
                let alias = String(cString: event.data.alias.anchor)
                guard let target = anchors[alias] else { throw failure("the alias *\(alias) names no anchor", mark) }
                try count(target.size, mark)
                return target
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
                anchor = scalar.anchor.map { String(cString: $0) }
                try count(1, mark)
                result = (YAMLNode(.scalar(text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), mark: mark), 1)
            case YAML_SEQUENCE_START_EVENT:
                anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
                var items: [YAMLNode] = []
                var size = 1
                try count(1, mark)
                while true {
                    var child = try nextEvent()
                    defer { yaml_event_delete(&child) }
                    if child.type == YAML_SEQUENCE_END_EVENT { break }
                    let item = try node(from: &child, depth: depth + 1)
                    items.append(item.node)
                    size += item.size
                }
                result = (YAMLNode(.sequence(items), mark: mark), size)
            case YAML_MAPPING_START_EVENT:
                anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                var size = 1
                try count(1, mark)
                while true {
                    var keyEvent = try nextEvent()
                    defer { yaml_event_delete(&keyEvent) }
                    if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                    let key = try node(from: &keyEvent, depth: depth + 1)
                    var valueEvent = try nextEvent()
                    defer { yaml_event_delete(&valueEvent) }
                    let value = try node(from: &valueEvent, depth: depth + 1)
                    pairs.append((key.node, value.node))
                    size += key.size + value.size
                }
                result = (YAMLNode(.mapping(pairs), mark: mark), size)
            default:
                throw failure("unexpected YAML structure", mark)
            }
            if let anchor { anchors[anchor] = result }
            return result
        }

        mutating func count(_ n: Int, _ mark: YAMLMark) throws {
            produced += n
            if produced > YAMLLoader.nodeBudget {
                throw failure("the document expands to more than \(YAMLLoader.nodeBudget) nodes (aliases repeating aliases?)", mark)
            }
        }

        func nextEvent() throws -> yaml_event_t {
            var event = yaml_event_t()
            guard yaml_parser_parse(parser, &event) == 1 else {
                let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unreadable YAML"
                let problemMark = parser.pointee.problem_mark
                var message = "YAML syntax error: \(problem)"
                if let context = parser.pointee.context.map({ String(cString: $0) }) {
                    let contextMark = parser.pointee.context_mark
                    message += " (\(context) at line \(contextMark.line + 1), column \(contextMark.column + 1))"
                }
                throw failure(message, YAMLMark(line: Int(problemMark.line) + 1, column: Int(problemMark.column) + 1))
            }
            return event
        }

        func failure(_ message: String, _ mark: YAMLMark) -> CroceviaError {
            .configuration(file: name, line: mark.line, column: mark.column, message: message)
        }
    }
}

extension YAMLLoader {
    /// The libyaml version in use, such as `0.2.5`.
    public static var libraryVersion: String {
        String(cString: yaml_get_version_string())
    }
}
