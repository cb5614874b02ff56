/// The shape of the target object, built once from a profile's target paths: which field fills
/// which member, where lists spread and where fixed elements sit. Its nodes are filled in while
/// it is built, and it is then flattened into the `FlatPlan` that every thread's mapper walks.
final class MappingPlan {
    enum Node {
        case leaf(Int)
        case object(ObjectNode)
        /// `name[]`: one element per value; `dataFields` decide how many.
        case spread(element: Box, dataFields: [Int])
        /// `name[k]`: named elements, in index order.
        case fixed([(index: Int, node: Box)])
    }

    /// Ordered members of an object node.
    final class ObjectNode {
        var members: [(key: String, node: Box)] = []

        func member(_ key: String) -> Box? {
            members.first { $0.key == key }?.node
        }
    }

    /// A mutable slot, so nodes can be filled in as paths are added.
    final class Box {
        var node: Node?
        init(_ node: Node? = nil) { self.node = node }
    }

    let root = ObjectNode()

    init(fields: [Profile.Field], file: String) throws {
        for (index, field) in fields.enumerated() {
            do {
                try insert(field.path.segments[...], field: index, into: root)
            } catch let conflict as Conflict {
                throw CroceviaError.configuration(file: file, line: field.mark.line, column: field.mark.column,
                                                  message: "\(field.path): \(conflict.message)")
            }
        }
        for member in root.members { collectSpreadFields(member.node, fields: fields) }
    }

    private struct Conflict: Error { let message: String }

    private func insert(_ segments: ArraySlice<TargetPath.Segment>, field: Int, into object: ObjectNode) throws {
        let segment = segments.first!
        let rest = segments.dropFirst()
        var box = object.member(segment.name)
        if box == nil {
            box = Box()
            object.members.append((segment.name, box!))
        }
        switch segment.index {
        case nil:
            try place(rest, field: field, in: box!)
        case .spread:
            if box!.node == nil { box!.node = .spread(element: Box(), dataFields: []) }
            guard case .spread(let element, _)? = box!.node else {
                throw Conflict(message: "\(segment.name) is used both with [] and with [k] or as a single value")
            }
            try place(rest, field: field, in: element)
        case .fixed(let k):
            if box!.node == nil { box!.node = .fixed([]) }
            guard case .fixed(var elements)? = box!.node else {
                throw Conflict(message: "\(segment.name) is used both with [\(k)] and with [] or as a single value")
            }
            let element: Box
            if let existing = elements.first(where: { $0.index == k }) {
                element = existing.node
            } else {
                element = Box()
                elements.append((k, element))
                elements.sort { $0.index < $1.index }
                box!.node = .fixed(elements)
            }
            try place(rest, field: field, in: element)
        }
    }

    private func place(_ rest: ArraySlice<TargetPath.Segment>, field: Int, in box: Box) throws {
        if rest.isEmpty {
            guard box.node == nil else { throw Conflict(message: "another field already fills this place") }
            box.node = .leaf(field)
            return
        }
        if box.node == nil { box.node = .object(ObjectNode()) }
        guard case .object(let child)? = box.node else { throw Conflict(message: "a single value is mapped where this path needs an object") }
        try insert(rest, field: field, into: child)
    }

    /// Records, for each spread, the data fields under it: their value counts set its length.
    private func collectSpreadFields(_ box: Box, fields: [Profile.Field]) {
        switch box.node {
        case .spread(let element, _)?:
            var found: [Int] = []
            leaves(element, into: &found)
            box.node = .spread(element: element, dataFields: found.filter { !fields[$0].isDecoration })
            collectSpreadFields(element, fields: fields)
        case .object(let object)?:
            for member in object.members { collectSpreadFields(member.node, fields: fields) }
        case .fixed(let elements)?:
            for element in elements { collectSpreadFields(element.node, fields: fields) }
        case .leaf?, nil:
            break
        }
    }

    private func leaves(_ box: Box, into found: inout [Int]) {
        switch box.node {
        case .leaf(let index)?: found.append(index)
        case .object(let object)?: for member in object.members { leaves(member.node, into: &found) }
        case .spread(let element, _)?: leaves(element, into: &found)
        case .fixed(let elements)?: for element in elements { leaves(element.node, into: &found) }
        case nil: break
        }
    }
}

/// A `MappingPlan` flattened for the per-record loop: nodes by index, their members, list fields
/// and elements as ranges of side arrays, so walking it copies no references (the plan's classes
/// and arrays cost a retain and a release at every step, for every record).
struct FlatPlan: Sendable {
    enum Node: Sendable {
        case empty
        case leaf(Int)
        /// Members: `memberKeys[range]`, `memberNodes[range]`.
        case object(Range<Int>)
        /// The element's node, and the data fields that decide the length: `listFields[range]`.
        case spread(element: Int, dataFields: Range<Int>)
        /// The elements' nodes, in index order: `elements[range]`.
        case fixed(Range<Int>)
    }

    let nodes: [Node]
    let memberKeys: [String]
    let memberNodes: [Int]
    let listFields: [Int]
    let elements: [Int]
    /// The members of the target object.
    let root: Range<Int>

    init(_ plan: MappingPlan) {
        var nodes: [Node] = []
        var memberKeys: [String] = []
        var memberNodes: [Int] = []
        var listFields: [Int] = []
        var elements: [Int] = []
        func add(_ node: Node) -> Int {
            nodes.append(node)
            return nodes.count - 1
        }
        func members(_ object: MappingPlan.ObjectNode) -> Range<Int> {
            let children = object.members.map { ($0.key, box($0.node)) }  // each child's own ranges first
            let start = memberKeys.count
            for (key, node) in children {
                memberKeys.append(key)
                memberNodes.append(node)
            }
            return start..<memberKeys.count
        }
        func box(_ slot: MappingPlan.Box) -> Int {
            switch slot.node {
            case nil: return add(.empty)
            case .leaf(let field)?: return add(.leaf(field))
            case .object(let object)?: return add(.object(members(object)))
            case .spread(let element, let dataFields)?:
                let node = box(element)
                let start = listFields.count
                listFields += dataFields
                return add(.spread(element: node, dataFields: start..<listFields.count))
            case .fixed(let items)?:
                let children = items.map { box($0.node) }
                let start = elements.count
                elements += children
                return add(.fixed(start..<elements.count))
            }
        }
        root = members(plan.root)
        self.nodes = nodes
        self.memberKeys = memberKeys
        self.memberNodes = memberNodes
        self.listFields = listFields
        self.elements = elements
    }
}
