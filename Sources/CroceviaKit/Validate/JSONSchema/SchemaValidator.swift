import Foundation

/// Validates instances against a compiled schema (JSON Schema draft 2020-12), collecting where
/// and why they fail. Annotations that `unevaluatedItems` and `unevaluatedProperties` need (which
/// items and properties were evaluated by successful subschemas) are carried up as results.
///
/// A validator holds no state of a validation (each has its own `Run`) and its registry is only
/// read once it is made, so one validator is shared by every thread of a run.
public final class SchemaValidator: Sendable {
    public struct Failure: Equatable, Sendable {
        /// Where in the instance (a JSON Pointer).
        public var instancePath: String
        /// The keyword that failed, as a JSON Pointer into the schema document.
        public var schemaPath: String
        public var keyword: String
        public var message: String
    }

    public let root: SchemaNode
    public let registry: SchemaRegistry
    /// Whether `format` is an assertion (off by default, as the specification says).
    public let assertFormats: Bool
    /// The longest chain of subschemas one instance may go through (a schema that refers to
    /// itself without consuming the instance would go on for ever).
    public let maxDepth = 2_000

    public init(root: SchemaNode, registry: SchemaRegistry, assertFormats: Bool = false) {
        self.root = root
        self.registry = registry
        self.assertFormats = assertFormats
        registry.compileDynamicAnchors()
    }

    /// The failures of one instance; empty when it is valid.
    public func validate(_ instance: JSONValue, limit: Int = 100) -> [Failure] {
        var run = Run(limit: limit)
        run.annotate = registry.usesUnevaluated
        var path: [PathToken] = []
        _ = evaluate(root, instance, path: &path, run: &run)
        return run.failures
    }

    public func isValid(_ instance: JSONValue) -> Bool {
        var run = Run(limit: 0)
        run.annotate = registry.usesUnevaluated
        var path: [PathToken] = []
        return evaluate(root, instance, path: &path, run: &run).valid
    }

    // MARK: Evaluation

    enum PathToken {
        case key(String)
        case index(Int)
    }

    struct Run {
        var failures: [Failure] = []
        let limit: Int
        /// Failures are recorded only outside subschemas whose failure is expected (anyOf
        /// branches, `not`, `contains`, `if`).
        var quiet = 0
        var dynamicScope: [Int] = []
        /// Whether to record evaluated properties and items (only `unevaluated*` reads them).
        var annotate = true
        var depth = 0

        init(limit: Int) { self.limit = limit }
    }

    /// What evaluating a subschema gives: its verdict and, when the run annotates, what it
    /// evaluated. Without annotations an outcome is a flag: most schemas have no `unevaluated*`,
    /// and every subschema of every record makes and merges one.
    struct Outcome {
        var valid = true
        private var evaluated: Evaluated?

        struct Evaluated {
            var properties: Set<String> = []
            var allItems = false
            var items: Set<Int> = []
        }

        init(valid: Bool = true) { self.valid = valid }

        var properties: Set<String> {
            get { evaluated?.properties ?? [] }
            set { evaluated = evaluated ?? Evaluated(); evaluated!.properties = newValue }
        }
        var allItems: Bool {
            get { evaluated?.allItems ?? false }
            set { evaluated = evaluated ?? Evaluated(); evaluated!.allItems = newValue }
        }
        var items: Set<Int> {
            get { evaluated?.items ?? [] }
            set { evaluated = evaluated ?? Evaluated(); evaluated!.items = newValue }
        }

        mutating func merge(_ other: Outcome) {
            guard let theirs = other.evaluated else { return }
            var mine = evaluated ?? Evaluated()
            mine.properties.formUnion(theirs.properties)
            mine.allItems = mine.allItems || theirs.allItems
            mine.items.formUnion(theirs.items)
            evaluated = mine
        }
    }

    private func fail(_ node: SchemaNode, _ keyword: String, _ message: String, path: [PathToken], run: inout Run) {
        guard run.quiet == 0, run.failures.count < run.limit else { return }
        let instancePath = path.map { token -> String in
            switch token {
            case .key(let key): return "/" + JSONPointer.escape(key)
            case .index(let index): return "/\(index)"
            }
        }.joined()
        run.failures.append(Failure(instancePath: instancePath, schemaPath: node.location.pointer + "/" + keyword, keyword: keyword, message: message))
    }

    private func quietly(_ run: inout Run, _ body: (inout Run) -> Outcome) -> Outcome {
        run.quiet += 1
        defer { run.quiet -= 1 }
        return body(&run)
    }

    func evaluate(_ node: SchemaNode, _ instance: JSONValue, path: inout [PathToken], run: inout Run) -> Outcome {
        if let boolean = node.boolean {
            if !boolean { fail(node, "false", "no value is allowed here", path: path, run: &run) }
            return Outcome(valid: boolean)
        }
        run.depth += 1
        defer { run.depth -= 1 }
        if run.depth > maxDepth {
            fail(node, "$ref", "the schema refers to itself without end", path: path, run: &run)
            return Outcome(valid: false)
        }
        // Entering another schema resource (at its root or, through a $ref, anywhere inside it)
        // adds it to the dynamic scope that $dynamicRef searches.
        let entering = run.dynamicScope.last != node.baseID
        if entering { run.dynamicScope.append(node.baseID) }
        defer { if entering { run.dynamicScope.removeLast() } }

        var outcome = Outcome()
        for keyword in node.keywords {
            switch keyword {
            case .ref(let target):
                let result = evaluate(target, instance, path: &path, run: &run)
                apply(result, to: &outcome)
            case .dynamicRef(let target, let anchor):
                var destination = target
                if let anchor {
                    for resource in run.dynamicScope {
                        if let location = registry.dynamicAnchors[registry.basesByID[resource]]?[anchor], let node = registry.dynamicNode(at: location) {
                            destination = node
                            break
                        }
                    }
                }
                apply(evaluate(destination, instance, path: &path, run: &run), to: &outcome)
            case .allOf(let nodes):
                for child in nodes { apply(evaluate(child, instance, path: &path, run: &run), to: &outcome) }
            case .anyOf(let nodes):
                var any = false
                let results = quietly(&run) { run in
                    var merged = Outcome(valid: false)
                    for child in nodes {
                        let result = evaluate(child, instance, path: &path, run: &run)
                        if result.valid {
                            any = true
                            merged.merge(result)
                        }
                    }
                    return merged
                }
                if any {
                    outcome.merge(results)
                } else {
                    outcome.valid = false
                    fail(node, "anyOf", "matches none of the \(nodes.count) alternatives", path: path, run: &run)
                }
            case .oneOf(let nodes):
                var matches = 0
                let results = quietly(&run) { run in
                    var merged = Outcome()
                    for child in nodes {
                        let result = evaluate(child, instance, path: &path, run: &run)
                        if result.valid {
                            matches += 1
                            merged.merge(result)
                        }
                    }
                    return merged
                }
                if matches == 1 {
                    outcome.merge(results)
                } else {
                    outcome.valid = false
                    fail(node, "oneOf", matches == 0 ? "matches none of the \(nodes.count) alternatives" : "matches \(matches) of the alternatives; exactly one must match",
                         path: path, run: &run)
                }
            case .not(let child):
                let result = quietly(&run) { run in evaluate(child, instance, path: &path, run: &run) }
                if result.valid {
                    outcome.valid = false
                    fail(node, "not", "matches a schema it must not match", path: path, run: &run)
                }
            case .conditional(let condition, let then, let otherwise):
                let test = quietly(&run) { run in evaluate(condition, instance, path: &path, run: &run) }
                if test.valid {
                    outcome.merge(test)
                    if let then { apply(evaluate(then, instance, path: &path, run: &run), to: &outcome) }
                } else if let otherwise {
                    apply(evaluate(otherwise, instance, path: &path, run: &run), to: &outcome)
                }
            case .dependentSchemas(let dependents):
                guard case .object(let object) = instance else { continue }
                for (name, child) in dependents where object[name] != nil {
                    apply(evaluate(child, instance, path: &path, run: &run), to: &outcome)
                }
            default:
                if !evaluateLocal(keyword, node: node, instance, path: &path, run: &run, outcome: &outcome) {
                    outcome.valid = false
                }
            }
            if !outcome.valid && run.quiet > 0 { return outcome }
        }
        return outcome
    }

    private func apply(_ result: Outcome, to outcome: inout Outcome) {
        if result.valid { outcome.merge(result) } else { outcome.valid = false }
    }

    /// Keywords that look at the instance itself or at its children; false when it fails.
    private func evaluateLocal(_ keyword: SchemaNode.Keyword, node: SchemaNode, _ instance: JSONValue, path: inout [PathToken],
                               run: inout Run, outcome: inout Outcome) -> Bool {
        switch keyword {
        case .type(let types):
            if types.contains(where: { Self.matches(instance, $0) }) { return true }
            fail(node, "type", "expected \(types.map(\.rawValue).joined(separator: " or ")), found \(Self.typeName(instance))", path: path, run: &run)
            return false
        case .enumeration(let values):
            if values.contains(where: { SchemaEquality.equal($0, instance) }) { return true }
            fail(node, "enum", "must be one of \(values.prefix(8).map(\.cellText).joined(separator: ", "))\(values.count > 8 ? ", …" : "")", path: path, run: &run)
            return false
        case .constant(let value):
            if SchemaEquality.equal(value, instance) { return true }
            fail(node, "const", "must be \(value.cellText)", path: path, run: &run)
            return false
        case .multipleOf(let divisor):
            guard case .number(let text) = instance else { return true }
            if Self.isMultiple(text, of: divisor) { return true }
            fail(node, "multipleOf", "must be a multiple of \(divisor)", path: path, run: &run)
            return false
        case .maximum(let limit):
            guard let value = Self.number(instance), value > limit else { return true }
            fail(node, "maximum", "must be at most \(Self.format(limit))", path: path, run: &run)
            return false
        case .exclusiveMaximum(let limit):
            guard let value = Self.number(instance), value >= limit else { return true }
            fail(node, "exclusiveMaximum", "must be less than \(Self.format(limit))", path: path, run: &run)
            return false
        case .minimum(let limit):
            guard let value = Self.number(instance), value < limit else { return true }
            fail(node, "minimum", "must be at least \(Self.format(limit))", path: path, run: &run)
            return false
        case .exclusiveMinimum(let limit):
            guard let value = Self.number(instance), value <= limit else { return true }
            fail(node, "exclusiveMinimum", "must be more than \(Self.format(limit))", path: path, run: &run)
            return false
        case .maxLength(let limit):
            guard case .string(let text) = instance, text.unicodeScalars.count > limit else { return true }
            fail(node, "maxLength", "is longer than \(limit) characters", path: path, run: &run)
            return false
        case .minLength(let limit):
            guard case .string(let text) = instance, text.unicodeScalars.count < limit else { return true }
            fail(node, "minLength", "is shorter than \(limit) characters", path: path, run: &run)
            return false
        case .pattern(let regex, let source):
            guard case .string(let text) = instance else { return true }
            if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { return true }
            fail(node, "pattern", "does not match the pattern \(source)", path: path, run: &run)
            return false
        case .maxItems(let limit):
            guard case .array(let items) = instance, items.count > limit else { return true }
            fail(node, "maxItems", "has more than \(limit) items", path: path, run: &run)
            return false
        case .minItems(let limit):
            guard case .array(let items) = instance, items.count < limit else { return true }
            fail(node, "minItems", "has fewer than \(limit) items", path: path, run: &run)
            return false
        case .uniqueItems:
            guard case .array(let items) = instance else { return true }
            for i in items.indices {
                for j in items.index(after: i)..<items.endIndex where SchemaEquality.equal(items[i], items[j]) {
                    fail(node, "uniqueItems", "items \(i) and \(j) are equal; items must be unique", path: path, run: &run)
                    return false
                }
            }
            return true
        case .maxProperties(let limit):
            guard case .object(let object) = instance, object.count > limit else { return true }
            fail(node, "maxProperties", "has more than \(limit) properties", path: path, run: &run)
            return false
        case .minProperties(let limit):
            guard case .object(let object) = instance, object.count < limit else { return true }
            fail(node, "minProperties", "has fewer than \(limit) properties", path: path, run: &run)
            return false
        case .required(let names):
            guard case .object(let object) = instance else { return true }
            let missing = names.filter { object[$0] == nil }
            if missing.isEmpty { return true }
            for name in missing {
                path.append(.key(name))
                fail(node, "required", "is required but missing", path: path, run: &run)
                path.removeLast()
            }
            return false
        case .dependentRequired(let dependencies):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (name, needed) in dependencies where object[name] != nil {
                for other in needed where object[other] == nil {
                    fail(node, "dependentRequired", "\(other) is required when \(name) is present", path: path, run: &run)
                    valid = false
                }
            }
            return valid
        case .format(let name, let check):
            guard let check, assertFormats || node.assertsFormat, case .string(let text) = instance else { return true }
            if check.accepts(text) { return true }
            fail(node, "format", "is not a valid \(name)", path: path, run: &run)
            return false
        case .prefixItems(let nodes):
            guard case .array(let items) = instance else { return true }
            var valid = true
            for (index, child) in nodes.enumerated() where index < items.count {
                path.append(.index(index))
                if !evaluate(child, items[index], path: &path, run: &run).valid { valid = false }
                path.removeLast()
                if run.annotate { outcome.items.insert(index) }
            }
            if nodes.count >= items.count && run.annotate { outcome.allItems = true }
            return valid
        case .items(let child, let after):
            guard case .array(let items) = instance else { return true }
            var valid = true
            for index in items.indices where index >= after {
                path.append(.index(index))
                if !evaluate(child, items[index], path: &path, run: &run).valid { valid = false }
                path.removeLast()
                if !valid && run.quiet > 0 { return false }
            }
            if run.annotate { outcome.allItems = true }
            return valid
        case .contains(let child, let minimum, let maximum):
            guard case .array(let items) = instance else { return true }
            var found = 0
            _ = quietly(&run) { run in
                for (index, item) in items.enumerated() {
                    path.append(.index(index))
                    if evaluate(child, item, path: &path, run: &run).valid {
                        found += 1
                        if run.annotate { outcome.items.insert(index) }
                    }
                    path.removeLast()
                }
                return Outcome()
            }
            if found < minimum {
                fail(node, "contains", minimum == 1 ? "has no item that matches contains" : "has \(found) items that match contains; at least \(minimum) must",
                     path: path, run: &run)
                return false
            }
            if let maximum, found > maximum {
                fail(node, "maxContains", "has \(found) items that match contains; at most \(maximum) may", path: path, run: &run)
                return false
            }
            return true
        case .properties(let nodes):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (key, value) in object.members {
                guard let child = nodes[key] else { continue }
                path.append(.key(key))
                if !evaluate(child, value, path: &path, run: &run).valid { valid = false }
                path.removeLast()
                if run.annotate { outcome.properties.insert(key) }
                if !valid && run.quiet > 0 { return false }
            }
            return valid
        case .patternProperties(let patterns):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (key, value) in object.members {
                for (regex, child) in patterns where regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil {
                    path.append(.key(key))
                    if !evaluate(child, value, path: &path, run: &run).valid { valid = false }
                    path.removeLast()
                    if run.annotate { outcome.properties.insert(key) }
                }
            }
            return valid
        case .additionalProperties(let child, let known, let patterns):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (key, value) in object.members where !known.contains(key)
                && !patterns.contains(where: { $0.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil }) {
                path.append(.key(key))
                if child.boolean == false {
                    fail(node, "additionalProperties", "is not a field this schema allows", path: path, run: &run)
                    valid = false
                } else if !evaluate(child, value, path: &path, run: &run).valid {
                    valid = false
                }
                path.removeLast()
                if run.annotate { outcome.properties.insert(key) }
                if !valid && run.quiet > 0 { return false }
            }
            return valid
        case .propertyNames(let child):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for key in object.keys {
                path.append(.key(key))
                if !evaluate(child, .string(key), path: &path, run: &run).valid { valid = false }
                path.removeLast()
            }
            return valid
        case .unevaluatedItems(let child):
            guard case .array(let items) = instance, !outcome.allItems else { return true }
            var valid = true
            for index in items.indices where !outcome.items.contains(index) {
                path.append(.index(index))
                if !evaluate(child, items[index], path: &path, run: &run).valid { valid = false }
                path.removeLast()
            }
            outcome.allItems = true
            return valid
        case .unevaluatedProperties(let child):
            guard case .object(let object) = instance else { return true }
            var valid = true
            for (key, value) in object.members where !outcome.properties.contains(key) {
                path.append(.key(key))
                if child.boolean == false {
                    fail(node, "unevaluatedProperties", "is not a field this schema allows", path: path, run: &run)
                    valid = false
                } else if !evaluate(child, value, path: &path, run: &run).valid {
                    valid = false
                }
                path.removeLast()
                outcome.properties.insert(key)
            }
            return valid
        default:
            return true
        }
    }

    // MARK: Values

    static func matches(_ value: JSONValue, _ type: SchemaNode.JSONType) -> Bool {
        switch (type, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.number, .number), (.string, .string): return true
        case (.integer, .number(let text)): return isInteger(text)
        default: return false
        }
    }

    static func isInteger(_ text: String) -> Bool {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return true }
        if let decimal = Decimal(string: text) { return decimal == decimal.rounded() }
        return false
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .object: return "object"
        case .array: return "array"
        case .number(let text): return isInteger(text) ? "integer" : "number"
        case .string: return "string"
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        guard case .number(let text) = value else { return nil }
        return Double(text)
    }

    static func isMultiple(_ text: String, of divisor: Decimal) -> Bool {
        guard let value = Decimal(string: text) else { return true }
        if value.isZero { return true }
        let quotient = value / divisor
        if quotient.isNaN { return false }
        // Beyond Decimal's 38 digits a quotient is no longer exact: fall back to Double.
        if quotient.exponent >= 0 { return true }
        if quotient == quotient.rounded() { return true }
        if let double = Double(text) {
            let divisorDouble = NSDecimalNumber(decimal: divisor).doubleValue
            let q = double / divisorDouble
            if q.isInfinite { return false }
            return q == q.rounded() && abs(q) > 1e17
        }
        return false
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

extension Decimal {
    func rounded() -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, 0, .plain)
        return result
    }
}
