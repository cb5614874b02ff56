/// A mapping profile: how one partner's file becomes HSDS objects. Written in YAML (see
/// `Schemas/profile.schema.json` and the samples); loaded by `ProfileLoader`.
public struct Profile: Sendable {
    /// The profile file, for messages.
    public var file: String
    public var description: String?
    public var source: Source
    /// What each input record becomes (`service`, `organization`, `case/contact`...).
    public var target: Target
    /// The network namespace for deterministic ids (16 bytes).
    public var namespace: [UInt8]
    public var fields: [Field]
    /// Case data: keep the schema's free-text fields (`notes`…), which are otherwise dropped.
    public var keepFreeText = false
    /// The free-text fields the profile maps and the loader dropped, for a note.
    public var droppedFreeText: [String] = []

    /// The columns holding personal identifiers: named in `source.identifiers` or read by a
    /// `pseudonym` or `age_band` field. Their values never appear in an output or a finding.
    public var identifierColumns: Set<String> {
        var names = Set(source.identifiers.map(\.name))
        for field in fields {
            switch field.origin {
            case .pseudonym: names.formUnion(field.columns.map(\.name))
            case .ageBand(let birthDate, _, _): names.insert(birthDate.name)
            default: break
            }
        }
        return names
    }

    public struct Source: Sendable {
        /// The partner's short name: provenance and ids carry it.
        public var name: String
        public var format: Format
        /// Nil: detect.
        public var encoding: TextEncoding?
        /// Nil: detect.
        public var delimiter: UInt8?
        /// JSON: the member path to the records array inside the document; empty for a top-level
        /// array or one record per value.
        public var records: [String]
        /// XML: the local name of the record element; nil takes the root element's children.
        public var recordElement: String?
        /// Workbooks: the sheet to read (name, 1-based number, or `all`); nil for the first with data.
        public var sheet: String?
        /// Workbooks: the header's row number; nil to find it.
        public var headerRow: Int?
        /// The partner's own key columns, for provenance.
        public var key: [ColumnReference]
        /// Case data: columns with personal identifiers (names, codice fiscale, birth date,
        /// phone, street address), withheld from every output and finding.
        public var identifiers: [ColumnReference] = []
        /// XML: a column reads an enclosing element of the record (`../Name`).
        public var readsEnclosing = false
    }

    /// A column (or JSON member path, or XML path) named in the profile, with where it was named.
    public struct ColumnReference: Sendable {
        public var name: String
        public var mark: YAMLMark
    }

    public struct Field: Sendable {
        public var path: TargetPath
        public var origin: Origin
        public var transforms: [Transform]
        /// A missing value is an error finding.
        public var required: Bool
        public var mark: YAMLMark
        /// Its columns may be absent from every record without a warning.
        public var optional = false

        /// Every column the field reads.
        public var columns: [ColumnReference] {
            switch origin {
            case .column(let c): return [c]
            case .columns(let cs, _): return cs
            case .template(let t): return t.columns
            case .uuid(let cs): return cs
            case .pseudonym(let p): return [p.codiceFiscale, p.birthDate, p.phone].compactMap { $0 } + p.name
            case .ageBand(let birthDate, let at, _): return [birthDate] + (at.map { [$0] } ?? [])
            case .constant, .copy: return []
            }
        }

        /// Constants, ids and copies decorate objects that data fields created; they never create
        /// an object (or a list element) on their own.
        public var isDecoration: Bool {
            switch origin {
            case .constant, .uuid, .copy: return true
            case .column, .columns, .template, .pseudonym, .ageBand: return false
            }
        }
    }

    public enum Origin: Sendable {
        case column(ColumnReference)
        /// Several columns joined with a separator.
        case columns([ColumnReference], separator: String)
        case template(Template)
        case constant(JSONValue)
        /// A UUIDv5 from the namespace, the source name, the object's place and these columns.
        case uuid([ColumnReference])
        /// The value another target path has in the same record (`organization.id`).
        case copy(TargetPath)
        /// A person's key: HMAC-SHA256, with the network secret, of their identifier (see
        /// `PersonIdentifier`).
        case pseudonym(Pseudonym)
        /// The age band at the date in `at` (else today) of the birth date in `birthDate`.
        case ageBand(birthDate: ColumnReference, at: ColumnReference?, dates: [DatePattern])
    }

    /// The identifier columns a `pseudonym` field reads, in order of trust.
    public struct Pseudonym: Sendable {
        public var codiceFiscale: ColumnReference?
        public var name: [ColumnReference]
        public var birthDate: ColumnReference?
        public var phone: ColumnReference?
        /// How the birth date is written.
        public var dates: [DatePattern]
    }
}

/// Text with `{column}` placeholders: `"{Via} {Civico}"`. Write `{{` and `}}` for braces.
public struct Template: Sendable {
    enum Part: Sendable {
        case literal(String)
        case column(String)
    }

    let parts: [Part]
    public let columns: [Profile.ColumnReference]

    /// Parses a template written at `mark` of `file`.
    public static func parse(_ text: String, file: String, mark: YAMLMark) throws -> Template {
        func failure(_ message: String) -> CroceviaError {
            .configuration(file: file, line: mark.line, column: mark.column, message: "template \"\(text)\": \(message)")
        }
        var parts: [Part] = []
        var columns: [Profile.ColumnReference] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "{" || character == "}", next < text.endIndex, text[next] == character {
                literal.append(character)
                index = text.index(after: next)
                continue
            }
            if character == "}" { throw failure("a '}' has no '{' before it (write }} for a brace)") }
            if character == "{" {
                guard let close = text[next...].firstIndex(of: "}") else { throw failure("a '{' is not closed") }
                let name = String(text[next..<close]).trimmingWhitespace()
                guard !name.contains("{") else { throw failure("a '{' is not closed before the next '{'") }
                guard !name.isEmpty else { throw failure("'{}' names no column") }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.column(name))
                columns.append(Profile.ColumnReference(name: name, mark: mark))
                index = text.index(after: close)
                continue
            }
            literal.append(character)
            index = next
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard !columns.isEmpty else { throw failure("a template needs at least one {column}; use const for fixed text") }
        return Template(parts: parts, columns: columns)
    }
}
