import Foundation

/// A profile compiled for mapping: the target object's shape, each field's step (where its value
/// comes from, its transforms), the columns looked up, the key and identifier columns. Made once
/// per run and never changed, so every thread's `Mapper` shares it; what changes while mapping
/// (a field's remembered results, which columns were seen) is the mapper's own.
public final class CompiledProfile: Sendable {
    public let profile: Profile
    let plan: FlatPlan
    let steps: [FieldStep]
    /// Each column the profile reads, once (fields refer to them by index); a mapper works on a
    /// copy, as a lookup remembers where it last found its column.
    let lookups: [ColumnLookup]
    let keyLookups: [Int]
    /// The fields that read the record (the others decorate what these create).
    let dataSteps: [Int]
    /// The network secret, for profiles with `pseudonym` fields.
    let secret: NetworkSecret?
    /// The identifier columns' lookups (see `Profile.identifierColumns`), and their names for messages.
    let identifierLookups: [Int]
    let identifierNames: String

    /// One profile field, compiled: where its value comes from, with everything the hot path
    /// needs at hand (a class, so the per-record loop passes references, not copies).
    final class FieldStep: Sendable {
        enum Source: Sendable {
            case column(Int)
            case columns([Int], separator: String)
            case template(Template, [Int])
            case constant(JSONValue)
            /// Key columns, the object's place split around its `[]`s (one more part than lists),
            /// and for each list the data fields whose values say which element it is.
            case uuid([Int], place: [String], contents: [[Int]])
            /// The field copied, and the data fields whose values make the copied field's object
            /// exist (nil: the record itself).
            case copy(Int, guards: [Int]?)
            case pseudonym(code: Int?, name: [Int], birth: Int?, phone: Int?, dates: [DatePattern])
            case ageBand(birth: Int, at: Int?, dates: [DatePattern])
        }

        let source: Source
        let transforms: [Transform]
        let required: Bool
        /// The lists (`[]`) of the target path: the levels of the field's `ValueTree`.
        let levels: Int
        /// The target path, for messages.
        let label: String
        let columns: [String]
        /// The field reads personal identifiers: its findings quote nothing.
        let withholds: Bool
        /// Whether a mapper remembers the field's results by input text (see `Mapper.transformed`).
        let cachesResults: Bool

        init(source: Source, transforms: [Transform], required: Bool, levels: Int, label: String, columns: [String], withholds: Bool) {
            self.source = source
            self.transforms = transforms
            self.required = required
            self.levels = levels
            self.label = label
            self.columns = columns
            self.withholds = withholds
            cachesResults = transforms.contains(where: \.isCostly) && !withholds
        }
    }

    /// A profile with `pseudonym` fields needs the network secret: `secret`, else the one the
    /// environment gives (`NetworkSecret.resolve`); without one the profile is not compiled.
    /// Free text the profile drops is said here, once.
    public init(profile: Profile, findings: FindingLog, secret: NetworkSecret? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.profile = profile
        let pseudonyms = profile.fields.filter { if case .pseudonym = $0.origin { return true } else { return false } }
        if let first = pseudonyms.first {
            guard let secret = try secret ?? NetworkSecret.resolve(environment: environment) else {
                throw CroceviaError.configuration(
                    file: profile.file, line: first.mark.line, column: first.mark.column,
                    message: "\(first.path) is a pseudonym, made with the network secret, and no secret was given: set CROCEVIA_SECRET, or CROCEVIA_SECRET_FILE to a key file (there is no default secret; every member of the network uses the same one)")
            }
            self.secret = secret
        } else {
            self.secret = nil
        }
        if !profile.droppedFreeText.isEmpty {
            let names = profile.droppedFreeText.joined(separator: ", ")
            findings.add(Finding(.info, rule: "case.free-text-dropped",
                                 message: "\(names) \(profile.droppedFreeText.count == 1 ? "is" : "are") free text, which may name people: dropped on the way in (keep_free_text: true in the profile keeps it)",
                                 file: profile.file))
        }
        plan = FlatPlan(try MappingPlan(fields: profile.fields, file: profile.file))
        dataSteps = profile.fields.indices.filter { !profile.fields[$0].isDecoration }
        var byName: [String: Int] = [:]
        var lookups: [ColumnLookup] = []
        func lookup(_ reference: Profile.ColumnReference) -> Int {
            if let index = byName[reference.name] { return index }
            lookups.append(ColumnLookup(name: reference.name, format: profile.source.format))
            byName[reference.name] = lookups.count - 1
            return lookups.count - 1
        }
        let fields = profile.fields
        let identifiers = profile.identifierColumns
        identifierNames = identifiers.sorted().joined(separator: ", ")
        let steps = fields.map { field in
            let source: FieldStep.Source
            switch field.origin {
            case .column(let c): source = .column(lookup(c))
            case .columns(let cs, let separator): source = .columns(cs.map(lookup), separator: separator)
            case .template(let t): source = .template(t, t.columns.map(lookup))
            case .constant(let value): source = .constant(value)
            case .uuid(let cs):
                source = .uuid(cs.map(lookup), place: Self.objectPlace(of: field.path, root: profile.target.name),
                               contents: Self.elementContents(of: field.path, fields: fields))
            case .copy(let from):
                let copied = fields.firstIndex { $0.path.description == from.description }!
                let object = from.segments.dropLast()
                let guards = object.isEmpty ? nil : fields.indices.filter { f in
                    !fields[f].isDecoration && fields[f].path.segments.count > object.count
                        && Array(fields[f].path.segments.prefix(object.count)) == Array(object)
                }
                source = .copy(copied, guards: guards)
            case .pseudonym(let p):
                source = .pseudonym(code: p.codiceFiscale.map(lookup), name: p.name.map(lookup), birth: p.birthDate.map(lookup),
                                    phone: p.phone.map(lookup), dates: p.dates)
            case .ageBand(let birth, let at, let dates):
                source = .ageBand(birth: lookup(birth), at: at.map(lookup), dates: dates)
            }
            return FieldStep(source: source, transforms: field.transforms, required: field.required,
                             levels: field.path.spreadCount, label: field.path.description, columns: field.columns.map(\.name),
                             withholds: field.columns.contains { identifiers.contains($0.name) })
        }
        keyLookups = profile.source.key.map(lookup)
        identifierLookups = profile.source.identifiers.map(lookup) + profile.fields.flatMap(\.columns).filter { identifiers.contains($0.name) }.map(lookup)
        self.lookups = lookups
        self.steps = steps
        for (index, step) in steps.enumerated() {
            if case .copy(let copied, _) = step.source, case .copy = steps[copied].source {
                let field = fields[index]
                throw CroceviaError.configuration(file: profile.file, line: field.mark.line, column: field.mark.column,
                                                  message: "\(field.path) copies \(steps[copied].label), which is itself a copy; copy the original")
            }
        }
    }

    /// Every column the profile names, with where it names it.
    public var columnReferences: [Profile.ColumnReference] {
        profile.source.key + profile.source.identifiers + profile.fields.flatMap(\.columns)
    }

    /// Checks the profile's columns against a CSV header: a column that is not there is a
    /// profile error (exit 2) at the line that names it.
    public func check(header: [String], inputName: String) throws {
        let known = Set(header)
        for reference in columnReferences where !known.contains(reference.name) {
            throw CroceviaError.configuration(
                file: profile.file, line: reference.mark.line, column: reference.mark.column,
                message: "column \"\(reference.name)\" is not in the header of \(inputName)\(Suggestion.hint(for: reference.name, in: header)) (its columns: \(header.joined(separator: ", ")))")
        }
    }

    /// For each `[]` of an id's path, the data fields that name the element: those of the list
    /// element (for the innermost list, of the object holding the id), outside any further list.
    static func elementContents(of path: TargetPath, fields: [Profile.Field]) -> [[Int]] {
        let objectSegments = Array(path.segments.dropLast())
        let spreads = objectSegments.indices.filter { objectSegments[$0].index == .spread }
        return spreads.enumerated().map { level, position in
            let prefix = level == spreads.count - 1 ? objectSegments : Array(objectSegments[...position])
            return fields.indices.filter { f in
                !fields[f].isDecoration && fields[f].path.spreadCount == level + 1
                    && fields[f].path.segments.count > prefix.count && Array(fields[f].path.segments.prefix(prefix.count)) == prefix
            }
        }
    }

    /// The place of the object holding `path`'s last member, cut at each `[]`: `phones[`, `]`;
    /// `service_at_locations[`, `].location.phones[`, `]`; `service` (no list).
    static func objectPlace(of path: TargetPath, root: String) -> [String] {
        let objectSegments = path.segments.dropLast()
        guard !objectSegments.isEmpty else { return [root] }
        var parts = [""]
        for (n, segment) in objectSegments.enumerated() {
            parts[parts.count - 1] += (n > 0 ? "." : "") + segment.name
            switch segment.index {
            case .fixed(let k)?: parts[parts.count - 1] += "[\(k)]"
            case .spread?:
                parts[parts.count - 1] += "["
                parts.append("]")
            case nil: break
            }
        }
        return parts
    }
}
