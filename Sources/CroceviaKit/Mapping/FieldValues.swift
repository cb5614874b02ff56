/// The values a field has in one record: none, one (the usual case, kept without an array), or
/// several (a split cell, a JSON list).
enum FieldValues {
    case none
    case one(JSONValue)
    case many([JSONValue])

    /// A raw value from the input: `null` is none, a list gives its elements.
    init(raw: JSONValue?) {
        switch raw {
        case nil, .null?: self = .none
        case .array(let items)?: self.init(items.filter { $0 != .null })
        case let value?: self = .one(value)
        }
    }

    init(_ items: [JSONValue]) {
        switch items.count {
        case 0: self = .none
        case 1: self = .one(items[0])
        default: self = .many(items)
        }
    }

    var isEmpty: Bool {
        if case .none = self { return true }
        return false
    }

    var count: Int {
        switch self {
        case .none: return 0
        case .one: return 1
        case .many(let items): return items.count
        }
    }

    var first: JSONValue? {
        switch self {
        case .none: return nil
        case .one(let value): return value
        case .many(let items): return items.first
        }
    }

    subscript(index: Int) -> JSONValue? {
        switch self {
        case .none: return nil
        case .one(let value): return index == 0 ? value : nil
        case .many(let items): return index < items.count ? items[index] : nil
        }
    }

    var array: [JSONValue] {
        switch self {
        case .none: return []
        case .one(let value): return [value]
        case .many(let items): return items
        }
    }

    /// Whether some value is not null or empty text (what `droppingEmpty` would keep), without
    /// making the list.
    var hasValue: Bool {
        switch self {
        case .none: return false
        case .one(let value): return !FieldValues.isEmpty(value)
        case .many(let items): return items.contains { !FieldValues.isEmpty($0) }
        }
    }

    /// Without nulls and empty strings: a field with no value is left out, not written empty.
    func droppingEmpty() -> FieldValues {
        switch self {
        case .none: return self
        case .one(let value): return FieldValues.isEmpty(value) ? .none : self
        case .many(let items): return FieldValues(items.filter { !FieldValues.isEmpty($0) })
        }
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let text): return text.isEmpty
        default: return false
        }
    }
}

extension FieldValues {
    /// Every value of a raw value, nested lists flattened, nulls left out.
    init(flattening raw: JSONValue?) {
        // Most raw values are one string: no list to gather.
        switch raw {
        case nil, .null?:
            self = .none
            return
        case .array?:
            break
        case let value?:
            self = .one(value)
            return
        }
        var items: [JSONValue] = []
        func add(_ value: JSONValue) {
            switch value {
            case .null: break
            case .array(let list): list.forEach(add)
            default: items.append(value)
            }
        }
        if let raw { add(raw) }
        self.init(items)
    }
}

/// A field's values in one record, shaped like the target's lists (`locations[].phones[]`): a
/// list level for each `[]` of the field's path, each position one element of the source's
/// repeated element (a hole where that element lacks the value, so nothing shifts), and the
/// values of one element, a `unit`, at the bottom. Transforms run on each unit.
///
/// The source's repetitions meet the target's lists from the outside: `Site/Phone/Number` into
/// `locations[].phones[].number` gives each site its own phones. A source with fewer repetitions
/// than the path has lists (a CSV cell, split) spreads its unit's values over the innermost list.
enum ValueTree {
    case unit(FieldValues)
    /// A unit the input had no value for, filled by a transform (a `map` default): it decorates
    /// an object that data made, it makes none.
    case filled(FieldValues)
    case list([ValueTree])

    /// Shapes a raw value (nested arrays from `ColumnLookup`) for a field with `levels` lists.
    init(raw: JSONValue?, levels: Int) {
        if levels > 0, case .array(let items)? = raw {
            self = .list(items.map { ValueTree(raw: $0, levels: levels - 1) })
        } else {
            self = .unit(FieldValues(flattening: raw))
        }
    }

    private var unitValues: FieldValues? {
        switch self {
        case .unit(let values), .filled(let values): return values
        case .list: return nil
        }
    }

    var isEmpty: Bool {
        switch self {
        case .unit(let values), .filled(let values): return values.isEmpty
        case .list(let items): return items.allSatisfy(\.isEmpty)
        }
    }

    /// The same shape with `change` applied to every unit.
    func mapUnits(_ change: (FieldValues) -> ValueTree) -> ValueTree {
        switch self {
        case .unit(let values), .filled(let values): return change(values)
        case .list(let items): return .list(items.map { $0.mapUnits(change) })
        }
    }

    /// How many elements the list at depth `prefix.count` has under the positions `prefix`, for
    /// a field with `levels` lists.
    func count(under prefix: [Int], levels: Int) -> Int {
        var node = self
        for (depth, index) in prefix.enumerated() {
            if case .list(let items) = node {
                guard index < items.count else { return 0 }
                node = items[index]
                continue
            }
            // A unit above the bottom: one element per outer list, its values in the innermost.
            guard prefix[depth...].allSatisfy({ $0 == 0 }) else { return 0 }
            break
        }
        if case .list(let items) = node { return items.count }
        let values = node.unitValues ?? .none
        return prefix.count == levels - 1 ? values.count : (values.isEmpty ? 0 : 1)
    }

    /// The values at the element `path` names (one index per list of the field's path), and
    /// whether a transform made them from nothing.
    func values(at path: ArraySlice<Int>) -> (values: FieldValues, filled: Bool) {
        var node = self
        for position in path.indices {
            if case .list(let items) = node {
                let index = path[position]
                guard index < items.count else { return (.none, false) }
                node = items[index]
                continue
            }
            guard path[position..<(path.endIndex - 1)].allSatisfy({ $0 == 0 }) else { return (.none, false) }
            let value = (node.unitValues ?? .none)[path[path.endIndex - 1]]
            return (value.map { .one($0) } ?? .none, node.isFilled)
        }
        return (node.unitValues ?? .none, node.isFilled)
    }

    /// A key for the element `path` names: the value of that element when the key repeats with
    /// it (`Taxonomy/Code`), else the record's own (a key column outside the lists).
    func key(at path: [Int]) -> JSONValue? {
        var node = self
        for index in path {
            guard case .list(let items) = node else { break }
            guard index < items.count else { return nil }
            node = items[index]
        }
        return node.unitValues?.first
    }

    private var isFilled: Bool {
        if case .filled = self { return true }
        return false
    }
}
