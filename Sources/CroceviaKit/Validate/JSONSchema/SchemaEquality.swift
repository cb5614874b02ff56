import Foundation

/// Equality as JSON Schema means it for `const`, `enum` and `uniqueItems`: numbers by value
/// (`1` equals `1.0`), objects regardless of member order, nothing else converted.
enum SchemaEquality {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        // Code points, not canonical equivalence: "é" and "e" + U+0301 differ.
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.number(let x), .number(let y)):
            if x == y { return true }
            if let dx = Decimal(string: x), let dy = Decimal(string: y) { return dx == dy }
            return Double(x) == Double(y)
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x.members {
                guard let other = y[member.key], equal(member.value, other) else { return false }
            }
            return true
        default:
            return false
        }
    }
}
