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
