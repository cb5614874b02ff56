/// Reads a mapping profile from YAML and checks it: every key known, every target path a real
/// field of the HSDS object, every transform well formed. Errors name the profile's line and
/// column and exit with code 2. Column names are checked against the input when it is opened.
public enum ProfileLoader {
    public static let version = 1
    static let topKeys = ["crocevia_profile", "description", "source", "target", "namespace", "keep_free_text", "fields"]
    static let sourceKeys = ["name", "format", "encoding", "delimiter", "records", "record_element", "sheet", "header_row", "key", "identifiers"]
    static let fieldKeys = ["column", "columns", "separator", "template", "const", "uuid", "copy", "pseudonym", "age_band", "transforms", "required", "optional"]
    static let originKeys = ["column", "columns", "template", "const", "uuid", "copy", "pseudonym", "age_band"]
    static let transformNames = ["trim", "upper", "lower", "title", "squash", "number", "decimal_comma", "integer",
                                 "split", "join", "replace", "map", "date", "drop", "age_band"] + Normalizer.allCases.map(\.rawValue)

    /// A profile kept as text (a partner's stored profile), named `name` in messages.
    public static func load(text: String, name: String, schemas: HSDSSchemas?) throws -> Profile {
        guard let root = try YAMLLoader.load(text: text, name: name) else {
            throw CroceviaError.configuration(file: name, line: nil, column: nil, message: "the profile is empty")
        }
        return try decode(root, file: name, schemas: schemas)
    }

    public static func load(path: String, schemas: HSDSSchemas?) throws -> Profile {
        guard let root = try YAMLLoader.load(path: path) else {
            throw CroceviaError.configuration(file: path, line: nil, column: nil, message: "the profile is empty")
        }
        return try decode(root, file: path, schemas: schemas)
    }

    public static func decode(_ root: YAMLNode, file: String, schemas: HSDSSchemas?) throws -> Profile {
        func failure(_ node: YAMLNode, _ message: String) -> CroceviaError {
            .configuration(file: file, line: node.mark.line, column: node.mark.column, message: message)
        }
        var top = try YAMLMapping(root, file: file, what: "the profile")
        let versionNode = try top.require("crocevia_profile", what: "the profile (crocevia_profile: \(version) on the first line)")
        guard try versionNode.text(file: file, what: "crocevia_profile") == String(version) else {
            throw failure(versionNode, "this Crocevia reads profiles of version \(version)")
        }
        let description = try top.take("description")?.text(file: file, what: "description")

        let source = try decodeSource(try top.require("source", what: "the profile"), file: file)

        let targetNode = try top.require("target", what: "the profile")
        let targetName = try targetNode.text(file: file, what: "target")
        guard let target = Target(targetName) else {
            throw failure(targetNode, "\"\(targetName)\" is not an HSDS object or a case data object\(Suggestion.hint(for: targetName, in: Target.names))")
        }
        let keepFreeText = try top.take("keep_free_text")?.flag(file: file, what: "keep_free_text") ?? false

        var namespace = UUIDv5.defaultNamespace.map { $0 }  // a buffer of this profile's own
        if let node = top.take("namespace") {
            guard let bytes = UUIDv5.parse(try node.text(file: file, what: "namespace")) else {
                throw failure(node, "namespace must be a UUID such as 6f1c2b0e-4d4f-4a8e-9c53-0f2a1d7e9b11")
            }
            namespace = bytes
        }

        let fieldsNode = try top.require("fields", what: "the profile")
        let fieldsMapping = try YAMLMapping(fieldsNode, file: file, what: "fields")
        var fields: [Profile.Field] = []
        var dropped: [String] = []
        for entry in fieldsMapping.entries {
            guard let path = TargetPath(entry.key) else {
                throw failure(entry.keyNode, "\"\(entry.key)\" is not a target path; write it like name, phones[].number or locations[0].addresses[0].city")
            }
            if let schemas, let problem = try schemas.problem(with: path, root: target) {
                throw failure(entry.keyNode, problem)
            }
            let field = try decodeField(entry.value, path: path, file: file)
            if target.isCase, let schemas, !keepFreeText, try schemas.isFreeText(path, root: target) {
                dropped.append(path.description)
                continue
            }
            fields.append(field)
        }
        guard !fields.isEmpty else { throw failure(fieldsNode, "fields is empty: map at least one target field") }
        for field in fields {
            if case .copy(let from) = field.origin {
                guard from.description != field.path.description else { throw failure(fieldsNode, "\(field.path) copies itself") }
                guard !from.spreads else {
                    throw CroceviaError.configuration(file: file, line: field.mark.line, column: field.mark.column, message: "copy: \(from) must name one value, without []")
                }
                guard fields.contains(where: { $0.path.description == from.description }) else {
                    throw CroceviaError.configuration(file: file, line: field.mark.line, column: field.mark.column,
                                                      message: "copy: \(from) is not a field of this profile\(Suggestion.hint(for: from.description, in: fields.map(\.path.description).filter { $0 != field.path.description }))")
                }
            }
        }
        try top.rejectUnknownKeys(known: topKeys, what: "the profile")
        var profile = Profile(file: file, description: description, source: source, target: target, namespace: namespace, fields: fields)
        profile.source.readsEnclosing = source.format == .xml && (source.key + fields.flatMap(\.columns)).contains { $0.name.hasPrefix("../") }
        profile.keepFreeText = keepFreeText
        profile.droppedFreeText = dropped
        let usesIdentifiers = fields.contains { if case .pseudonym = $0.origin { return true } else { return false } }
        if !source.identifiers.isEmpty || usesIdentifiers, !target.isCase {
            throw failure(targetNode, "identifiers and pseudonym fields are for case data (target: case/contact…), not for \(target)")
        }
        return profile
    }

    static func decodeSource(_ node: YAMLNode, file: String) throws -> Profile.Source {
        var mapping = try YAMLMapping(node, file: file, what: "source")
        let nameNode = try mapping.require("name", what: "source")
        let name = try nameNode.text(file: file, what: "source name")
        let formatNode = try mapping.require("format", what: "source")
        let formatName = try formatNode.text(file: file, what: "source format")
        guard let format = Format(rawValue: formatName), [.csv, .json, .jsonl, .xml, .xlsx, .ods].contains(format) else {
            throw CroceviaError.configuration(file: file, line: formatNode.mark.line, column: formatNode.mark.column,
                                              message: "source format \"\(formatName)\" is not one of csv, json, jsonl, xml, xlsx, ods")
        }
        var encoding: TextEncoding?
        if let node = mapping.take("encoding") {
            let text = try node.text(file: file, what: "encoding")
            guard let value = TextEncoding(name: text) else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column,
                                                  message: "unknown encoding \"\(text)\" (known: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            encoding = value
        }
        var delimiter: UInt8?
        if let node = mapping.take("delimiter") {
            let text = try node.text(file: file, what: "delimiter")
            guard let value = Delimiter.byte(text) else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column,
                                                  message: "delimiter must be one character such as \";\" or \"tab\"")
            }
            delimiter = value
        }
        var records: [String] = []
        if let node = mapping.take("records") {
            records = try node.text(file: file, what: "records").split(separator: ".").map(String.init)
            guard format == .json else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "records goes with format: json")
            }
        }
        var recordElement: String?
        if let node = mapping.take("record_element") {
            recordElement = try node.text(file: file, what: "record_element")
            guard format == .xml else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "record_element goes with format: xml")
            }
        }
        var sheet: String?, headerRow: Int?
        if let node = mapping.take("sheet") {
            sheet = try node.text(file: file, what: "sheet")
            guard format == .xlsx || format == .ods else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "sheet goes with format: xlsx or ods")
            }
        }
        if let node = mapping.take("header_row") {
            guard let row = Int(try node.text(file: file, what: "header_row")), row >= 1 else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "header_row is a row number, from 1")
            }
            guard format == .xlsx || format == .ods else {
                throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column, message: "header_row goes with format: xlsx or ods")
            }
            headerRow = row
        }
        let key = try mapping.take("key").map { node in
            try node.textList(file: file, what: "key").map { Profile.ColumnReference(name: $0.text, mark: $0.mark) }
        } ?? []
        let identifiers = try mapping.take("identifiers").map { node in
            try node.textList(file: file, what: "identifiers").map { Profile.ColumnReference(name: $0.text, mark: $0.mark) }
        } ?? []
        try mapping.rejectUnknownKeys(known: sourceKeys, what: "source")
        var decoded = Profile.Source(name: name, format: format, encoding: encoding, delimiter: delimiter, records: records, recordElement: recordElement,
                                     key: key, identifiers: identifiers)
        decoded.sheet = sheet
        decoded.headerRow = headerRow
        return decoded
    }

    static func decodeField(_ node: YAMLNode, path: TargetPath, file: String) throws -> Profile.Field {
        func failure(_ node: YAMLNode, _ message: String) -> CroceviaError {
            .configuration(file: file, line: node.mark.line, column: node.mark.column, message: message)
        }
        if case .scalar = node.kind {
            let column = try node.text(file: file, what: "the column of \(path)")
            return Profile.Field(path: path, origin: .column(.init(name: column, mark: node.mark)), transforms: [], required: false, mark: node.mark)
        }
        var mapping = try YAMLMapping(node, file: file, what: "field \"\(path)\"")
        try mapping.rejectKeys(notIn: fieldKeys, what: "field \"\(path)\"")
        let given = originKeys.filter { key in mapping.entries.contains { $0.key == key } }
        guard given.count == 1 else {
            throw failure(node, given.isEmpty
                ? "field \"\(path)\" needs one of \(originKeys.joined(separator: ", ")) to say where its value comes from"
                : "field \"\(path)\" has \(given.joined(separator: " and ")); give only one")
        }
        let origin: Profile.Origin
        let originNode = mapping.take(given[0])!
        switch given[0] {
        case "column":
            origin = .column(.init(name: try originNode.text(file: file, what: "column"), mark: originNode.mark))
        case "columns":
            let columns = try originNode.textList(file: file, what: "columns").map { Profile.ColumnReference(name: $0.text, mark: $0.mark) }
            let separator = try mapping.take("separator")?.text(file: file, what: "separator") ?? " "
            origin = .columns(columns, separator: separator)
        case "template":
            origin = .template(try Template.parse(try originNode.text(file: file, what: "template"), file: file, mark: originNode.mark))
        case "const":
            guard case .scalar = originNode.kind else { throw failure(originNode, "const must be a single value") }
            origin = .constant(originNode.jsonValue)
        case "uuid":
            let columns = try originNode.textList(file: file, what: "uuid").map { Profile.ColumnReference(name: $0.text, mark: $0.mark) }
            origin = .uuid(columns)
        case "pseudonym":
            origin = .pseudonym(try decodePseudonym(originNode, file: file))
        case "age_band":
            var spec = try YAMLMapping(originNode, file: file, what: "age_band")
            let birthNode = try spec.require("birth_date", what: "age_band")
            let birth = Profile.ColumnReference(name: try birthNode.text(file: file, what: "birth_date"), mark: birthNode.mark)
            let at = try spec.take("at").map { Profile.ColumnReference(name: try $0.text(file: file, what: "at"), mark: $0.mark) }
            let dates = try spec.take("date").map { try datePatterns($0, file: file) } ?? []
            try spec.rejectUnknownKeys(known: ["birth_date", "at", "date"], what: "age_band")
            origin = .ageBand(birthDate: birth, at: at, dates: dates)
        default:
            let text = try originNode.text(file: file, what: "copy")
            guard let from = TargetPath(text) else { throw failure(originNode, "copy: \"\(text)\" is not a target path") }
            origin = .copy(from)
        }
        if case .columns = origin {} else if let separator = mapping.take("separator") {
            throw failure(separator, "separator goes with columns")
        }
        var transforms: [Transform] = []
        if let node = mapping.take("transforms") {
            guard case .sequence(let items) = node.kind else { throw failure(node, "transforms must be a list, such as [trim, upper]") }
            transforms = try items.map { try decodeTransform($0, file: file) }
        }
        let required = try mapping.take("required")?.flag(file: file, what: "required") ?? false
        var field = Profile.Field(path: path, origin: origin, transforms: transforms, required: required, mark: node.mark)
        field.optional = try mapping.take("optional")?.flag(file: file, what: "optional") ?? false
        return field
    }

    static func decodeTransform(_ node: YAMLNode, file: String) throws -> Transform {
        func failure(_ node: YAMLNode, _ message: String) -> CroceviaError {
            .configuration(file: file, line: node.mark.line, column: node.mark.column, message: message)
        }
        func pattern(_ node: YAMLNode) throws -> Transform.Pattern {
            let text = try node.text(file: file, what: "regex")
            do { return try Transform.Pattern(text) } catch { throw failure(node, "\"\(text)\" is not a valid regular expression") }
        }
        let name: String
        var argument: YAMLNode?
        switch node.kind {
        case .scalar(let text, _):
            name = text
        case .mapping(let pairs) where pairs.count == 1:
            name = pairs[0].key.scalar ?? ""
            argument = pairs[0].value
        default:
            throw failure(node, "a transform is a name (trim) or a name with its setting (split: \";\")")
        }
        guard transformNames.contains(name) else {
            throw failure(node, "unknown transform \"\(name)\"\(Suggestion.hint(for: name, in: transformNames)) (known: \(transformNames.joined(separator: ", ")))")
        }
        let takesArgument = ["split", "join", "replace", "map", "date", "drop"].contains(name)
        if takesArgument && argument == nil { throw failure(node, "\(name) needs a setting, such as \(name): …") }
        if name == "phone", let argument {
            // `phone: { country: GB }`: the country of numbers written without `+`.
            var mapping = try YAMLMapping(argument, file: file, what: "phone")
            let node = try mapping.require("country", what: "phone")
            try mapping.rejectUnknownKeys(known: ["country"], what: "phone")
            guard let code = node.scalar, let country = Phone.Country.named(code) else {
                throw failure(node, "phone's country is one of \(Phone.Country.known.map(\.code).joined(separator: ", "))")
            }
            return .normalize(.phone, nil, country)
        }
        if !takesArgument && argument != nil { throw failure(node, "\(name) takes no setting") }
        switch name {
        case "trim": return .trim
        case "upper": return .upper
        case "lower": return .lower
        case "title": return .title
        case "squash": return .squash
        case "number": return .number(decimalComma: false)
        case "decimal_comma": return .number(decimalComma: true)
        case "integer": return .integer
        case let name where Normalizer(rawValue: name) != nil:
            let normalizer = Normalizer(rawValue: name)!
            guard normalizer.needsMunicipalities else { return .normalize(normalizer, nil) }
            do {
                return .normalize(normalizer, try Municipalities.standard())
            } catch {
                throw failure(node, "\(name) needs the municipality list: \(error)")
            }
        case "join": return .join(try argument!.text(file: file, what: "join"))
        case "drop":
            return .drop(Set(try argument!.textList(file: file, what: "drop").map { $0.text.trimmingWhitespace().lowercased() }))
        case "date":
            return .date(try datePatterns(argument!, file: file))
        case "age_band": return .ageBand
        case "split":
            if case .scalar = argument!.kind { return .split(.text(try argument!.text(file: file, what: "split"))) }
            var mapping = try YAMLMapping(argument!, file: file, what: "split")
            let regex = try pattern(try mapping.require("regex", what: "split"))
            try mapping.rejectUnknownKeys(known: ["regex"], what: "split")
            return .split(.pattern(regex))
        case "replace":
            var mapping = try YAMLMapping(argument!, file: file, what: "replace")
            let regex = try pattern(try mapping.require("regex", what: "replace"))
            let with = mapping.take("with")?.scalar ?? ""
            try mapping.rejectUnknownKeys(known: ["regex", "with"], what: "replace")
            return .replace(regex, with: with)
        default:  // map
            var mapping = try YAMLMapping(argument!, file: file, what: "map")
            let ignoreCase = try mapping.take("ignore_case")?.flag(file: file, what: "ignore_case") ?? true
            let valuesNode = try mapping.require("values", what: "map")
            let values = try YAMLMapping(valuesNode, file: file, what: "map values")
            var entries: [String: JSONValue] = [:]
            let map = Transform.ValueMap(entries: [:], fallback: nil, ignoreCase: ignoreCase)
            for entry in values.entries { entries[map.key(entry.key)] = entry.value.jsonValue }
            let fallback = mapping.take("default").map(\.jsonValue)
            try mapping.rejectUnknownKeys(known: ["values", "default", "ignore_case"], what: "map")
            return .map(Transform.ValueMap(entries: entries, fallback: fallback, ignoreCase: ignoreCase))
        }
    }
}

extension ProfileLoader {
    static func datePatterns(_ node: YAMLNode, file: String) throws -> [DatePattern] {
        try node.textList(file: file, what: "date").map { item in
            guard let pattern = DatePattern(item.text) else {
                throw CroceviaError.configuration(file: file, line: item.mark.line, column: item.mark.column,
                                                  message: "date pattern \"\(item.text)\" needs dd, MM and yyyy (or d, M, yy)")
            }
            return pattern
        }
    }

    /// `pseudonym: { codice_fiscale: CF, name: [Nome, Cognome], birth_date: Nato il, phone: Tel, date: [dd/MM/yyyy] }`
    static func decodePseudonym(_ node: YAMLNode, file: String) throws -> Profile.Pseudonym {
        var spec = try YAMLMapping(node, file: file, what: "pseudonym")
        func column(_ key: String) throws -> Profile.ColumnReference? {
            try spec.take(key).map { Profile.ColumnReference(name: try $0.text(file: file, what: key), mark: $0.mark) }
        }
        let code = try column("codice_fiscale")
        let name = try spec.take("name").map { node in
            try node.textList(file: file, what: "name").map { Profile.ColumnReference(name: $0.text, mark: $0.mark) }
        } ?? []
        let birth = try column("birth_date")
        let phone = try column("phone")
        let dates = try spec.take("date").map { try datePatterns($0, file: file) } ?? []
        try spec.rejectUnknownKeys(known: ["codice_fiscale", "name", "birth_date", "phone", "date"], what: "pseudonym")
        guard code != nil || phone != nil || (!name.isEmpty && birth != nil) else {
            throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column,
                                              message: "pseudonym needs codice_fiscale, or name with birth_date, or phone")
        }
        if !name.isEmpty && birth == nil || name.isEmpty && birth != nil {
            throw CroceviaError.configuration(file: file, line: node.mark.line, column: node.mark.column,
                                              message: "pseudonym's name and birth_date go together (a name alone is not one person)")
        }
        return Profile.Pseudonym(codiceFiscale: code, name: name, birthDate: birth, phone: phone, dates: dates)
    }
}

/// Delimiter names as options and profiles write them.
public enum Delimiter {
    /// `;` `,` `|`, `tab` or `\t`: the byte, or nil.
    public static func byte(_ text: String) -> UInt8? {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else { return nil }
            return byte
        }
    }
}
