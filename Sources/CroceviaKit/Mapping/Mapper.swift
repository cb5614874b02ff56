import Foundation

/// Applies a compiled profile to raw records: each input record becomes one HSDS object (with
/// the nested objects the profile maps), keeping the input's provenance and the partner's key.
///
/// Values are trimmed of surrounding white space before the field's transforms run; a field
/// with no value is left out rather than written empty. Problems with a value (a date that is not
/// a date, a value outside a map) are findings on the record's line, and the record is still
/// produced with the rest of its fields.
///
/// A mapper belongs to one thread; threads that map the same feed each make their own from the
/// one `CompiledProfile`. Making one is cheap: besides references to the compiled profile's
/// arrays (kept at hand for the per-record loop), it holds only what mapping changes.
public final class Mapper {
    public let compiled: CompiledProfile
    public let profile: Profile
    private let findings: FindingLog
    private let plan: FlatPlan
    private let steps: [FieldStep]
    private let dataSteps: [Int]
    private let keyLookups: [Int]
    private let identifierLookups: [Int]
    private let secret: NetworkSecret?
    /// Case data: findings never quote a value.
    private let isCaseData: Bool
    /// The profile's column lookups, this mapper's copies (each remembers where it last found
    /// its column, and whether it ever did).
    private var lookups: [ColumnLookup]
    /// For each field whose results are remembered, input text → values; emptied when full.
    private var caches: [[String: FieldValues]]
    static let cacheLimit = 4096

    typealias FieldStep = CompiledProfile.FieldStep

    public init(compiled: CompiledProfile, findings: FindingLog) {
        self.compiled = compiled
        profile = compiled.profile
        self.findings = findings
        plan = compiled.plan
        steps = compiled.steps
        dataSteps = compiled.dataSteps
        keyLookups = compiled.keyLookups
        identifierLookups = compiled.identifierLookups
        secret = compiled.secret
        isCaseData = compiled.profile.target.isCase
        lookups = compiled.lookups
        caches = Array(repeating: [:], count: compiled.steps.count)
    }

    /// Compiles `profile` for this mapper alone (see `CompiledProfile.init`).
    public convenience init(profile: Profile, findings: FindingLog, secret: NetworkSecret? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.init(compiled: try CompiledProfile(profile: profile, findings: findings, secret: secret, environment: environment), findings: findings)
    }

    /// Checks the profile's columns against a CSV header (see `CompiledProfile.check`).
    public func check(header: [String], inputName: String) throws {
        try compiled.check(header: header, inputName: inputName)
    }

    /// Columns (JSON member paths, XML paths) that no record had, here or in `other` (the mapper
    /// that shared the work): likely misspelt in the profile. Said once each, at the profile line
    /// that names it, with the closest name the records have; columns of `optional` fields are
    /// not looked for.
    public func reportUnseenColumns(alsoSeenBy other: Mapper? = nil, inputName: String) {
        let optional = Set(profile.fields.filter(\.optional).flatMap(\.columns).map(\.name))
            .subtracting(profile.fields.filter { !$0.optional }.flatMap(\.columns).map(\.name))
        let known = seenPaths.union(other?.seenPaths ?? [])
        let columnReferences = compiled.columnReferences
        for (index, lookup) in lookups.enumerated() where !lookup.seen && !(other?.lookups[index].seen ?? false) && !optional.contains(lookup.name) {
            let mark = columnReferences.first { $0.name == lookup.name }?.mark
            let place = mark.map { "\(profile.file):\($0.line):\($0.column)" } ?? profile.file
            let suggestion = Suggestion.hint(for: lookup.name, in: known.sorted())
            findings.add(Finding(.warning, rule: "map.unknown-column",
                                 message: "\"\(lookup.name)\" was not found in any record, so the fields that read it stayed empty\(suggestion)",
                                 hint: "check the name at \(place), or mark the field optional: true if the records may lack it",
                                 file: inputName, field: lookup.name))
        }
    }

    /// The member paths the first records hold (`Phone/PhoneNumber`, `ente.nome`), for "did you
    /// mean" when a column is never found.
    private(set) var seenPaths: Set<String> = []
    private var recordsLookedAt = 0

    private func notePaths(of row: JSONObject) {
        let separator = profile.source.format == .xml ? "/" : "."
        func walk(_ value: JSONValue, prefix: String, depth: Int) {
            switch value {
            case .object(let object):
                for member in object.members {
                    let path = prefix.isEmpty ? member.key : prefix + separator + member.key
                    seenPaths.insert(path)
                    if depth < 4 { walk(member.value, prefix: path, depth: depth + 1) }
                }
            case .array(let items):
                for item in items.prefix(4) { walk(item, prefix: prefix, depth: depth) }
            default:
                break
            }
        }
        walk(.object(row), prefix: "", depth: 0)
    }

    /// Adds a finding about the record being mapped, counting its errors.
    private func note(_ finding: Finding) {
        if finding.severity == .error { errorsInRecord += 1 }
        findings.add(finding)
    }

    private var errorsInRecord = 0
    /// Where the record being mapped came from, for findings (kept here rather than passed down,
    /// which copied it into every transform's closure).
    private var current = Provenance(source: "", file: "", line: 0, record: 0)

    /// Maps one raw record. The mapped record's `provenance.mappingErrors` counts the error
    /// findings its mapping gave (a field left out), so an import can refuse it as `validate`
    /// counts it invalid.
    public func map(_ record: Record) -> Record {
        errorsInRecord = 0
        current = record.provenance
        let row = record.value.objectValue ?? JSONObject()
        if recordsLookedAt < 20 {
            recordsLookedAt += 1
            notePaths(of: row)
        }
        var context = RowContext(row: row, values: Array(repeating: .unit(.none), count: steps.count))
        for index in dataSteps {
            context.values[index] = dataValues(index, row: row)
        }
        var spread: [Int] = []
        spread.reserveCapacity(4)
        var object = build(members: plan.root, spread: &spread, context: &context) ?? JSONObject()
        if !identifierLookups.isEmpty { object = withholdingIdentifiers(object, row: row, provenance: record.provenance) }
        var provenance = record.provenance
        provenance.source = profile.source.name
        provenance.places = nil  // they were the source record's members, not the mapped object's
        provenance.mappingErrors = errorsInRecord
        if !keyLookups.isEmpty {
            provenance.key = keyLookups.map { text(lookups[$0].value(in: row)) }.joined(separator: "/")
        }
        return Record(value: .object(object), provenance: provenance)
    }

    // MARK: Source values

    /// The field's values in this record, each unit through the field's transforms.
    private func dataValues(_ index: Int, row: JSONObject) -> ValueTree {
        let step = steps[index]
        let tree = sourceValues(step, row: row).mapUnits { transformed($0, step: step, index: index) }
        if tree.isEmpty && step.required {
            note(Finding(.error, rule: "map.required", message: "\(step.label) is required but has no value",
                                 hint: step.columns.isEmpty ? nil : "fill in \(step.columns.joined(separator: ", "))",
                                 file: current.file, line: current.line, record: current.record, field: step.columns.first, cell: current.cell(of: step.columns.first)))
        }
        return tree
    }

    /// One unit's values through the field's transforms. A value made from nothing (a `map`
    /// default) is marked filled: it decorates an object, it does not make one.
    private func transformed(_ input: FieldValues, step: FieldStep, index: Int) -> ValueTree {
        var values = input
        let hadValue = input.hasValue
        // Directory values repeat (the same body, town, website on many rows): a costly
        // pipeline's result for a single text is remembered when it reported nothing.
        var cacheKey: String?
        if step.cachesResults, case .one(.string(let text)) = values {
            if let cached = caches[index][text] { return .unit(cached) }
            cacheKey = text
        }
        var reported = false
        for transform in step.transforms {
            transform.apply(&values) { severity, rule, message, value in
                reported = true
                if step.withholds {
                    withheld(step, severity, rule: rule, message: "the value could not be read as the profile says", provenance: current)
                    return
                }
                if isCaseData {
                    // Case data: the kind of problem and the column, never the value (it may name
                    // someone even outside the identifier columns).
                    note(Finding(severity, rule: rule, message: "\(step.label): \(Self.withoutValues(message)) (the value, \(value.count) characters, is not shown: case data)",
                                         file: current.file, line: current.line, record: current.record, field: step.columns.first, cell: current.cell(of: step.columns.first)))
                    return
                }
                note(Finding(severity, rule: rule, message: "\(step.label): \(message)", file: current.file,
                                     line: current.line, record: current.record, field: step.columns.first, value: value, cell: current.cell(of: step.columns.first)))
            }
        }
        values = values.droppingEmpty()
        if !hadValue && !values.isEmpty { return .filled(values) }
        if let cacheKey, !reported {
            if caches[index].count >= Self.cacheLimit { caches[index].removeAll(keepingCapacity: true) }
            caches[index][cacheKey] = values
        }
        return .unit(values)
    }

    /// A finding about a field that reads personal identifiers: it names the columns, never a value.
    private func withheld(_ step: FieldStep, _ severity: Finding.Severity, rule: String, message: String, provenance: Provenance) {
        let columns = step.columns.joined(separator: ", ")
        note(Finding(severity, rule: rule, message: "\(step.label): \(message) (the value is not shown: \(columns) \(step.columns.count == 1 ? "holds" : "hold") personal identifiers)",
                             file: provenance.file, line: provenance.line, record: provenance.record, field: step.columns.first, cell: provenance.cell(of: step.columns.first)))
    }

    private func sourceValues(_ step: FieldStep, row: JSONObject) -> ValueTree {
        if case .column(let column) = step.source {
            return ValueTree(raw: Self.trimmed(lookups[column].value(in: row)), levels: step.levels)
        }
        return .unit(unitValues(step, row: row))
    }

    /// Strings trimmed, at any depth of a list.
    private static func trimmed(_ raw: JSONValue?) -> JSONValue? {
        switch raw {
        case .string(let text)?: return .string(text.trimmingWhitespace())
        case .array(let items)?: return .array(items.map { trimmed($0) ?? .null })
        default: return raw
        }
    }

    /// The values of a field made from several columns or by a rule (one unit).
    private func unitValues(_ step: FieldStep, row: JSONObject) -> FieldValues {
        switch step.source {
        case .pseudonym(let code, let name, let birth, let phone, let dates):
            let text = PersonIdentifier.text(codiceFiscale: code.map { self.text(lookups[$0].value(in: row)) },
                                             name: name.map { self.text(lookups[$0].value(in: row)) },
                                             birthDate: birth.map { self.text(lookups[$0].value(in: row)) },
                                             phone: phone.map { self.text(lookups[$0].value(in: row)) }, dates: dates) { problem in
                withheld(step, .warning, rule: "case.identifier", message: "\(problem); the next identifier was tried", provenance: current)
            }
            guard let text, let secret else { return .none }
            return .one(.string(secret.key(for: text)))
        case .ageBand(let birth, let at, let dates):
            let written = self.text(lookups[birth].value(in: row))
            guard !written.isEmpty else { return .none }
            let on = at.map { self.text(lookups[$0].value(in: row)) }.flatMap { AgeBand.isoDate($0, dates: dates) } ?? AgeBand.today
            guard let iso = AgeBand.isoDate(written, dates: dates), let age = AgeBand.age(birth: iso, at: on), let band = AgeBand.band(age: age) else {
                withheld(step, .error, rule: "case.age_band", message: "the birth date is not a date in the profile's forms, or is after the record's date; no age band", provenance: current)
                return .none
            }
            return .one(.string(band))
        case .columns(let columns, let separator):
            let parts = columns.flatMap { FieldValues(flattening: lookups[$0].value(in: row)).array }
                .map { $0.cellText.trimmingWhitespace() }.filter { !$0.isEmpty }
            return parts.isEmpty ? .none : .one(.string(parts.joined(separator: separator)))
        case .template(let template, let columns):
            var text = ""
            var filled = false
            var next = 0
            for part in template.parts {
                switch part {
                case .literal(let literal): text += literal
                case .column:
                    let value = self.text(lookups[columns[next]].value(in: row))
                    next += 1
                    if !value.isEmpty { filled = true }
                    text += value
                }
            }
            guard filled else { return .none }
            return .one(.string(text.squashingWhitespace()))
        case .column, .constant, .uuid, .copy:
            return .none
        }
    }

    /// How Italian partners write dates, for finding a birth date again in ISO form.
    static let identifierDates = ["dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "dd.MM.yyyy"].compactMap(DatePattern.init)

    /// A message with the values it quotes (`"011…"`, `«…»`) taken out.
    static func withoutValues(_ message: String) -> String {
        message.replacingOccurrences(of: #""[^"]*"|«[^»]*»"#, with: "the value", options: .regularExpression)
    }

    /// A date (`yyyy-MM-dd`) as partners write it: ISO, `dd/MM/yyyy`, `d/M/yyyy`, with dashes
    /// or dots, and run together.
    static func dateForms(_ iso: String) -> [String] {
        let parts = iso.split(separator: "-").map(String.init)
        guard parts.count == 3, let day = Int(parts[2]), let month = Int(parts[1]) else { return [iso] }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        return [iso, "\(d)/\(m)/\(y)", "\(day)/\(month)/\(y)", "\(d)-\(m)-\(y)", "\(d).\(m).\(y)", "\(d)\(m)\(y)", "\(day)/\(month)/\(y.suffix(2))"]
    }

    static func digits(_ text: String) -> String { String(text.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init)) }

    /// The mapped object without any string that holds a value of the row's identifier columns
    /// or a person's codice fiscale: such a field is left out, with an error that quotes nothing.
    /// This is what keeps an identifier from leaking through a column the profile did not expect
    /// to hold one (a note, a desk code).
    private func withholdingIdentifiers(_ object: JSONObject, row: JSONObject, provenance: Provenance) -> JSONObject {
        // What would identify someone if it showed up elsewhere, compared in normalised forms so
        // that neither length nor spelling hides it: a value with digits or a long one as it is;
        // each word of a name (folded case and accents) in free text, or a whole value equal to
        // it; a phone by its digits, with or without +39; a birth date in every form partners
        // write dates (and the profile's); a codice fiscale anywhere.
        var secrets: [String] = []
        var digitRuns: [String] = []
        var nameWords: Set<String> = []
        var names: Set<String> = []
        let datePatterns = Self.identifierDates + steps.flatMap { step -> [DatePattern] in
            switch step.source {
            case .pseudonym(_, _, _, _, let dates), .ageBand(_, _, let dates): return dates
            default: return []
            }
        }
        for index in identifierLookups {
            for value in FieldValues(flattening: lookups[index].value(in: row)).array {
                let text = value.cellText.trimmingWhitespace().lowercased()
                if text.count >= 12 || text.count >= 6 && text.contains(where: \.isNumber) { secrets.append(text) }
                let digits = Self.digits(text)
                if digits.count >= 8 {
                    digitRuns.append(digits)
                    for prefix in ["0039", "39"] where digits.hasPrefix(prefix) && digits.count - prefix.count >= 8 {
                        digitRuns.append(String(digits.dropFirst(prefix.count)))
                    }
                }
                if let iso = AgeBand.isoDate(text, dates: datePatterns) { secrets += Self.dateForms(iso) }
                let words = TextFold.words(text)
                if !words.isEmpty, words.allSatisfy({ $0.allSatisfy(\.isLetter) }) {
                    names.insert(words.joined(separator: " "))
                    for word in words where word.count >= 3 { nameWords.insert(word) }
                }
            }
        }
        for step in steps {
            guard case .pseudonym(_, let name, _, _, _) = step.source, name.count > 1 else { continue }
            let parts = name.map { self.text(lookups[$0].value(in: row)).lowercased() }.filter { !$0.isEmpty }
            if parts.count > 1 {
                secrets.append(parts.joined(separator: " "))
                secrets.append(parts.reversed().joined(separator: " "))
            }
        }
        func leaks(_ text: String) -> Bool {
            let lowered = text.lowercased()
            if secrets.contains(where: { lowered.contains($0) }) { return true }
            // Ids and keys Crocevia made (UUIDs, 64 hex digits) hold digits by chance: not looked
            // into; a run of bare digits is (a phone typed without spaces).
            let croceviaKey = (lowered.count == 36 || lowered.count == 64) && lowered.allSatisfy { $0.isHexDigit || $0 == "-" }
            if !digitRuns.isEmpty, !croceviaKey {
                let digits = Self.digits(lowered)
                if digitRuns.contains(where: { digits.contains($0) }) { return true }
            }
            if !nameWords.isEmpty {
                let words = TextFold.words(text)
                // A code (`portineria-aurora`, a map's value) is one token: only a whole match
                // counts there; free text is looked into word by word.
                if names.contains(words.joined(separator: " ")) { return true }
                if text.contains(" "), words.contains(where: nameWords.contains) { return true }
            }
            return PersonIdentifier.containsCodiceFiscale(text)
        }
        func clean(_ value: JSONValue, path: String) -> JSONValue? {
            switch value {
            case .string(let text), .number(let text):  // a phone read as a number is one too
                guard leaks(text) else { return value }
                note(Finding(.error, rule: "case.identifier-leak",
                                     message: "\(path) holds a personal identifier (a value of an identifier column, \(compiled.identifierNames), or a codice fiscale); the field was left out",
                                     hint: "keep identifiers out of other columns, or leave the column unmapped",
                                     file: provenance.file, line: provenance.line, record: provenance.record, field: path))
                return nil
            case .array(let items):
                return .array(items.compactMap { clean($0, path: path) })
            case .object(let members):
                return .object(JSONObject(members.members.compactMap { member in
                    clean(member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)").map { (member.key, $0) }
                }))
            default:
                return value
            }
        }
        return clean(.object(object), path: "")?.objectValue ?? object
    }

    /// The first value of a raw value, as trimmed text.
    private func text(_ raw: JSONValue?) -> String {
        FieldValues(flattening: raw).first?.cellText.trimmingWhitespace() ?? ""
    }

    // MARK: Building the object

    private struct RowContext {
        let row: JSONObject
        /// Each field's values; for an id outside lists, the id once made (it may be copied).
        var values: [ValueTree]
        /// Ids left out for want of a key, reported if their object turns out to exist.
        var missingIDs: [Int] = []
    }

    /// Builds an object node from its members; nil when no data field under it has a value. An
    /// id whose key columns are empty is an error only when its object exists. `spread` holds the
    /// position in each list the node sits in.
    private func build(members: Range<Int>, spread: inout [Int], context: inout RowContext) -> JSONObject? {
        var built: [(key: String, value: JSONValue)] = []
        built.reserveCapacity(members.count)
        var hasData = false
        let missingBefore = context.missingIDs.count
        for member in members {
            if let (value, data) = build(plan.memberNodes[member], spread: &spread, context: &context) {
                built.append((plan.memberKeys[member], value))
                if data { hasData = true }
            }
        }
        if hasData {
            for index in context.missingIDs[missingBefore...] {
                let step = steps[index]
                note(Finding(.error, rule: "map.id", message: "\(step.label): the id is made from \(step.columns.joined(separator: ", ")), empty in this record",
                                     hint: "fill in the key columns", file: current.file, line: current.line,
                                     record: current.record, field: step.columns.first, cell: current.cell(of: step.columns.first)))
            }
        }
        context.missingIDs.removeSubrange(missingBefore...)
        return hasData ? JSONObject(built) : nil
    }

    /// `spread` is one position longer inside each list and back as it was on return.
    private func build(_ node: Int, spread: inout [Int], context: inout RowContext) -> (JSONValue, Bool)? {
        switch plan.nodes[node] {
        case .leaf(let index):
            return leaf(index, spread: spread, context: &context)
        case .object(let members):
            return build(members: members, spread: &spread, context: &context).map { (.object($0), true) }
        case .spread(let element, let dataFields):
            var count = 0
            for position in dataFields {
                let field = plan.listFields[position]
                count = max(count, context.values[field].count(under: spread, levels: steps[field].levels))
            }
            var items: [JSONValue] = []
            spread.append(0)
            for i in 0..<count {
                spread[spread.count - 1] = i
                if let (value, data) = build(element, spread: &spread, context: &context), data {
                    items.append(value)
                }
            }
            spread.removeLast()
            return items.isEmpty ? nil : (.array(items), true)
        case .fixed(let elements):
            var items: [JSONValue] = []
            for position in elements {
                if let (value, data) = build(plan.elements[position], spread: &spread, context: &context), data {
                    items.append(value)
                }
            }
            return items.isEmpty ? nil : (.array(items), true)
        case .empty:
            return nil
        }
    }

    private func leaf(_ index: Int, spread: [Int], context: inout RowContext) -> (JSONValue, Bool)? {
        let step = steps[index]
        switch step.source {
        case .constant(let value):
            return (value, false)
        case .copy(let copied, let guards):
            if let guards, !guards.contains(where: { !context.values[$0].isEmpty }) { return nil }
            guard let (value, _) = leaf(copied, spread: [], context: &context) else { return nil }
            return (value, false)
        case .uuid(let columns, let place, let contents):
            if spread.isEmpty, case .unit(.one(let id)) = context.values[index] { return (id, false) }
            var keys: [String] = []
            keys.reserveCapacity(columns.count)
            var anyKey = false
            for column in columns {
                // A key read inside a repeated element is that element's own.
                let raw = lookups[column].value(in: context.row)
                let key = spread.isEmpty ? text(raw) : ValueTree(raw: Self.trimmed(raw), levels: spread.count).key(at: spread)?.cellText ?? ""
                if !key.isEmpty { anyKey = true }
                keys.append(key)
            }
            guard anyKey else {
                context.missingIDs.append(index)
                return nil
            }
            // The name: source "/" object place, each list element named by its own values (not
            // its position, which changes when the partner reorders), "/" keys joined by U+001F.
            let id = UUIDv5.text(namespace: profile.namespace) { name in
                name.add(profile.source.name)
                name.add(byte: UInt8(ascii: "/"))
                for (level, part) in place.enumerated() {
                    name.add(part)
                    guard level < contents.count else { continue }
                    for (n, field) in contents[level].enumerated() {
                        if n > 0 { name.add(byte: 0x1F) }
                        switch context.values[field].values(at: spread.prefix(level + 1)).values {
                        case .none: break
                        case .one(let value): name.add(value.cellText)
                        case .many(let items):
                            for (m, value) in items.enumerated() {
                                if m > 0 { name.add(byte: 0x1E) }
                                name.add(value.cellText)
                            }
                        }
                    }
                }
                name.add(byte: UInt8(ascii: "/"))
                for (n, key) in keys.enumerated() {
                    if n > 0 { name.add(byte: 0x1F) }
                    name.add(key)
                }
            }
            if spread.isEmpty { context.values[index] = .unit(.one(.string(id))) }
            return (.string(id), false)
        case .column, .columns, .template, .pseudonym, .ageBand:
            let (values, filled) = context.values[index].values(at: spread[...])
            switch values {
            case .none: return nil
            case .one(let value): return (value, !filled)
            case .many(let items):
                // Copies of one value (`18` in two elements) are that value; different values are
                // never joined behind the profile's back.
                if items.dropFirst().allSatisfy({ $0 == items[0] }) { return (items[0], !filled) }
                listInSingleField(step, count: items.count, values: items, provenance: current)
                return nil
            }
        }
    }

    /// A field that holds one value received several: a finding, and the field left out.
    private func listInSingleField(_ step: FieldStep, count: Int, values: [JSONValue], provenance: Provenance) {
        let message = "\(step.label) holds one value, and this record gives \(count); the field was left out"
        let hint = "join them (transforms: [join]) or map them to a list (\(step.label.split(separator: ".").first ?? "")[] …)"
        if step.withholds || isCaseData {
            note(Finding(.error, rule: "map.several-values", message: message + " (the values are not shown)", hint: hint,
                                 file: provenance.file, line: provenance.line, record: provenance.record, field: step.columns.first, cell: provenance.cell(of: step.columns.first)))
            return
        }
        note(Finding(.error, rule: "map.several-values", message: message, hint: hint, file: provenance.file, line: provenance.line,
                             record: provenance.record, field: step.columns.first, value: values.map(\.cellText).joined(separator: " | "),
                             cell: provenance.cell(of: step.columns.first)))
    }

}

/// Finds a column's values in a raw record. CSV columns are exact names. For JSON sources a name
/// may also be a path of members (`ente.nome`); for XML sources a path of elements relative to the
/// record element (`Sede/Indirizzo`, `@id`, `../Nome`, `Telefono[*]/Numero`). An XML element with
/// attributes gives its text (`#text`).
///
/// A step marked `[*]` is a repeated element: one list position per element, a single one
/// counting as a list of one and a missing one as none, so `Site[*]/Phone[*]/PhoneNumber` has the
/// same shape whether a record has one site or five. Repetitions at unmarked steps of such a path
/// are merged into the marked list below them. A path with no `[*]` takes its lists from the
/// record as it comes (an XML element that occurs once is then no list).
struct ColumnLookup {
    let name: String
    let path: [String]?
    /// Which steps of `path` are marked `[*]` (nil: none is).
    private let marked: [Bool]?
    private let xml: Bool
    private var cachedIndex = 0
    private(set) var seen = false

    init(name: String, format: Format) {
        self.name = name
        xml = format == .xml
        let separator: Character? = switch format {
        case .csv, .xlsx, .ods: nil
        case .xml: "/"
        default: "."
        }
        if let separator, name.contains(separator) || name.hasSuffix("[*]") {
            let steps = name.split(separator: separator)
            path = steps.map { step in String(step.hasSuffix("[*]") ? step.dropLast(3) : step) }
            let marks = steps.map { $0.hasSuffix("[*]") }
            marked = marks.contains(true) ? marks : nil
        } else {
            path = nil
            marked = nil
        }
    }

    /// The column's raw value in the record (for a path through lists, a list of the values
    /// found), or nil.
    mutating func value(in row: JSONObject) -> JSONValue? {
        let members = row.members
        if cachedIndex < members.count && members[cachedIndex].key == name {
            seen = true
            return text(members[cachedIndex].value)
        }
        if let index = members.firstIndex(where: { $0.key == name }) {
            cachedIndex = index
            seen = true
            return text(members[index].value)
        }
        guard let path else { return nil }
        if let marked {
            let found = declared(.object(row), path[...], marked[...])
            guard Self.holdsValue(found) else { return nil }
            seen = true
            return found
        }
        // Most paths go through single objects: walk them without gathering lists.
        var object = row
        for (depth, step) in path.enumerated() {
            guard let child = object[step] else { return nil }
            if depth == path.count - 1 {
                if case .array(let items) = child {
                    seen = true
                    return .array(items.map(text))
                }
                seen = true
                return text(child)
            }
            guard case .object(let next) = child else {
                if case .array = child { break }
                return nil
            }
            object = next
        }
        // Through repeated elements: a list per repetition, a hole (null) where an element lacks
        // the rest of the path, so values of one element stay together (see `ValueTree`).
        let found = grouped(.object(row), path[...])
        guard Self.holdsValue(found) else { return nil }
        seen = true
        return found
    }

    /// The lists the `[*]` steps declare (see the type's comment).
    private func declared(_ value: JSONValue, _ steps: ArraySlice<String>, _ marks: ArraySlice<Bool>) -> JSONValue {
        guard let step = steps.first, let mark = marks.first else { return text(value) }
        let child: JSONValue?
        if case .object(let object) = value { child = object[step] } else { child = nil }
        let elements: [JSONValue]
        switch child {
        case .array(let items)?: elements = items
        case let single?: elements = [single]
        case nil: elements = []
        }
        let below = elements.map { declared($0, steps.dropFirst(), marks.dropFirst()) }
        if mark { return .array(below) }
        // An unmarked step that repeats: its elements' lists are one list.
        guard below.count != 1 else { return below[0] }
        if below.isEmpty { return .null }
        return .array(below.flatMap { item -> [JSONValue] in
            if case .array(let items) = item { return items }
            return [item]
        })
    }

    private func grouped(_ value: JSONValue, _ steps: ArraySlice<String>) -> JSONValue {
        if case .array(let items) = value { return .array(items.map { grouped($0, steps) }) }
        guard let step = steps.first else { return text(value) }
        guard case .object(let object) = value, let child = object[step] else { return .null }
        return grouped(child, steps.dropFirst())
    }

    private static func holdsValue(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .array(let items): return items.contains(where: holdsValue)
        default: return true
        }
    }

    /// XML: an element that has attributes as well as text stands for its text.
    private func text(_ value: JSONValue) -> JSONValue {
        guard xml, case .object(let object) = value, let text = object["#text"] else { return value }
        return text
    }
}
