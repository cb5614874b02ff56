import Foundation

/// Reads an HSDS tabular package (a folder with `datapackage.json` and one CSV per resource) as
/// nested HSDS objects: one record per row of the root resource (`service` unless asked), with
/// its nested objects gathered by following the foreign keys (see `TabularSchema` for the links).
///
/// Strategy, for memory that stays bounded whatever the package's size: every CSV is streamed
/// once into a scratch SQLite database in the temporary folder (one table per resource, an index
/// on each foreign key that holds values), then the root rows are walked in file order and each
/// object's children are fetched by index. Memory is SQLite's page cache (16 MiB) plus one
/// record; disk use is about the package's size; the scratch file is removed at the end.
/// Tables and links that hold no values are never queried.
///
/// A cycle of links is not followed twice on one path. A foreign key that names no row is an
/// error finding at its CSV line (the row it belongs to is not in any record); a row that no
/// record came to hold (an attribute whose `link_id` names nothing, an organization no service
/// names) is a warning at its line after the last record; an id used twice in one table is an
/// error at the second row; a resource whose CSV is missing is an error finding and its rows are
/// left out; a missing root CSV stops the input.
public final class TabularPackageReader: RecordReader {
    public let name: String
    public var progress: (done: Int, total: Int?) {
        guard rootRows > 0 else { return (0, nil) }
        return (totalBytes * rowsDone / rootRows, totalBytes)
    }

    private let folder: String
    private let packagePath: String
    private let rootName: String
    private let source: String
    private let findings: FindingLog
    private let schemas: HSDSSchemas
    private let maxFieldBytes: Int
    /// Records say which file and line each nested object comes from (`Provenance.places`).
    private let places: Bool
    private var schema: TabularSchema?
    private var database: SQLiteScratch?
    private var tables: [String: Table] = [:]
    private var rootStatement: SQLiteScratch.Statement?
    private var rootPlan: PlanNode?
    /// Attached objects remembered per link (see `PlanLink.cache`); a cache emptied when full,
    /// so memory stays bounded.
    private static let attachedCacheLimit = 4096
    private var rootRows = 0
    private var rowsDone = 0
    private var totalBytes = 0
    private var finished = false
    /// The lines of the rows some record holds, per resource, and of those already reported.
    private var used: [String: Set<Int>] = [:]
    private var reported: [String: Set<Int>] = [:]

    /// One loaded resource (a class: the per-record walk passes it around without copying).
    private final class Table {
        var resource: TabularSchema.Resource
        var sqlName: String
        var file: String
        /// The CSV's columns, in order, with the type each takes.
        var columns: [String]
        var types: [String?]
        /// Columns that hold at least one value: links through the others are never queried.
        var filled: Set<String>

        init(resource: TabularSchema.Resource, sqlName: String, file: String, columns: [String], types: [String?], filled: Set<String>) {
            self.resource = resource
            self.sqlName = sqlName
            self.file = file
            self.columns = columns
            self.types = types
            self.filled = filled
        }

        func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
    }

    /// - Parameters:
    ///   - path: the package folder, or its `datapackage.json`.
    ///   - root: the resource whose rows become records.
    public init(path: String, root: String = "service", source: String, findings: FindingLog, schemas: HSDSSchemas, maxFieldBytes: Int = 64 << 20,
                places: Bool = false) {
        self.places = places
        if path.hasSuffix("datapackage.json") {
            packagePath = path
            folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        } else {
            folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            packagePath = folder + "/datapackage.json"
        }
        name = path
        rootName = root
        self.source = source
        self.findings = findings
        self.schemas = schemas
        self.maxFieldBytes = maxFieldBytes
    }

    public func next() throws -> Record? {
        guard !finished else { return nil }
        if rootStatement == nil { try load() }
        guard let rootStatement, let root = tables[rootName] else { return nil }
        guard try rootStatement.step() else {
            finished = true
            try reportRowsInNoRecord()
            database?.close()
            return nil
        }
        let (line, row) = Self.cells(of: rootStatement)
        rowsDone += 1
        var rowPlaces: [String: SourcePlaces.Place]? = places ? [:] : nil
        let object = try self.object(rootPlan!, line: line, row: row, at: "", places: &rowPlaces)
        var provenance = Provenance(source: source, file: root.file, line: line, record: rowsDone)
        provenance.places = rowPlaces.map(SourcePlaces.init)
        return Record(value: .object(object), provenance: provenance)
    }

    // MARK: Loading

    private func load() throws {
        guard FileManager.default.fileExists(atPath: packagePath) else {
            throw CroceviaError.unreadableInput(file: name, line: 1, message: "there is no datapackage.json in \(folder)",
                                                hint: "an HSDS tabular package is a folder with datapackage.json and one CSV per table")
        }
        let document: JSONValue
        do {
            document = try JSONDocument.load(path: packagePath)
        } catch CroceviaError.configuration(_, let line, _, let message) {
            throw CroceviaError.unreadableInput(file: packagePath, line: line ?? 1, message: message, hint: nil)
        }
        let schema = try TabularSchema(datapackage: document, file: packagePath, schemas: schemas, fallback: try TabularSchema.bundled(schemas: schemas))
        self.schema = schema
        guard let rootResource = schema.resource(rootName) else {
            throw CroceviaError.unreadableInput(file: packagePath, line: 1, message: "the package has no \(rootName) resource (its resources: \(schema.resources.map(\.name).joined(separator: ", ")))",
                                                hint: "choose the records with --hsds-object RESOURCE")
        }
        let database = try SQLiteScratch()
        self.database = database
        try database.execute("BEGIN")
        for (index, resource) in schema.resources.enumerated() {
            let file = folder + "/" + resource.path
            guard FileManager.default.fileExists(atPath: file) else {
                if resource.name == rootResource.name {
                    throw CroceviaError.unreadableInput(file: packagePath, line: 1, message: "the package names \(resource.path) for its \(resource.name) rows, but there is no such file in \(folder)", hint: nil)
                }
                findings.add(Finding(.error, rule: "tabular.missing-file",
                                     message: "the package names \(resource.path) for its \(resource.name) rows, but there is no such file in \(folder); the records have no \(resource.name) objects",
                                     file: packagePath))
                continue
            }
            tables[resource.name] = try loadTable(resource, file: file, sqlName: "t\(index)", database: database)
        }
        try database.execute("COMMIT")
        try createIndexes(schema, database: database)
        try checkRepeatedIDs(database: database)
        try checkForeignKeys(schema, database: database)
        let root = tables[rootName]!
        let count = try database.prepare("SELECT count(*) FROM \(root.sqlName)")
        rootRows = try count.step() ? count.integer(at: 0) : 0
        rootStatement = try database.prepare("SELECT * FROM \(root.sqlName) ORDER BY rowid")
        var statements: [String: SQLiteScratch.Statement] = [:]
        rootPlan = try plan(for: root, path: [rootName], statements: &statements)
    }

    private func loadTable(_ resource: TabularSchema.Resource, file: String, sqlName: String, database: SQLiteScratch) throws -> Table {
        let bytes = try ByteSource(path: file)
        totalBytes += bytes.size ?? 0
        let reader = CSVRecordReader(input: TextInput(source: bytes, findings: findings), options: .init(maxFieldBytes: maxFieldBytes, warnsWhenEmpty: false),
                                     source: source, findings: findings)
        let header = try reader.readHeader()
        let columnList = header.indices.map { ", c\($0) TEXT" }.joined()
        try database.execute("CREATE TABLE \(sqlName) (line INTEGER\(columnList))")
        let table = Table(resource: resource, sqlName: sqlName, file: file, columns: header,
                          types: header.map { resource.field($0)?.type }, filled: [])
        let placeholders = String(repeating: ", ?", count: header.count)
        let insert = try database.prepare("INSERT INTO \(sqlName) VALUES (?\(placeholders))")
        var filled = Array(repeating: false, count: header.count)
        do {
            while let record = try reader.next() {
                guard case .object(let row) = record.value else { continue }
                insert.bind(record.provenance.line, at: 0)
                for (index, column) in header.enumerated() {
                    let cell = row[column]?.stringValue
                    let value = cell?.isEmpty == false ? cell : nil
                    if value != nil { filled[index] = true }
                    insert.bind(value, at: index + 1)
                }
                _ = try insert.step()
                insert.reset()
            }
        } catch CroceviaError.unreadableInput(let file, let line, let message, let hint) {
            findings.add(Finding(.error, rule: "input.unreadable", message: message + "; the rows before it were read, the rest of the file was not",
                                 hint: hint, file: file, line: line))
        }
        table.filled = Set(header.indices.filter { filled[$0] }.map { header[$0] })
        return table
    }

    /// An index on every column a link or a foreign-key check looks rows up by, when it holds
    /// values.
    private func createIndexes(_ schema: TabularSchema, database: SQLiteScratch) throws {
        var wanted: Set<String> = []
        func want(_ resource: String, _ column: String) {
            guard let table = tables[resource], table.filled.contains(column), let index = table.column(column) else { return }
            wanted.insert("CREATE INDEX IF NOT EXISTS \(table.sqlName)_c\(index) ON \(table.sqlName)(c\(index))")
        }
        // Foreign-key checks look every filled key up in its target's ids.
        for resource in schema.resources {
            for key in resource.foreignKeys where tables[resource.name]?.filled.contains(key.field) == true {
                want(key.resource, "id")
            }
        }
        for (_, nested) in schema.nesting {
            for link in nested {
                switch link.link {
                case .children(let key): want(link.resource, key)
                case .attached: want(link.resource, "id")
                case .tagged(let idField, _): want(link.resource, idField)
                }
            }
        }
        for statement in wanted.sorted() { try database.execute(statement) }
    }

    /// Every foreign key that names no row: an error finding at the row's line.
    private func checkForeignKeys(_ schema: TabularSchema, database: SQLiteScratch) throws {
        for resource in schema.resources {
            guard let table = tables[resource.name] else { continue }
            for key in resource.foreignKeys {
                guard table.filled.contains(key.field), let column = table.column(key.field),
                      let target = tables[key.resource], let id = target.column("id") else { continue }
                let query = try database.prepare("""
                    SELECT line, c\(column) FROM \(table.sqlName) WHERE c\(column) IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM \(target.sqlName) WHERE c\(id) = \(table.sqlName).c\(column)) ORDER BY rowid
                    """)
                let attached = schema.nesting[resource.name]?.contains { nested in
                    if case .attached(let field) = nested.link { return field == key.field }
                    return false
                } ?? false
                let consequence = attached ? "its records have no \(key.resource) object"
                    : "this \(resource.name) is left out of the records that should hold it"
                while try query.step() {
                    let value = query.text(at: 1) ?? ""
                    reported[resource.name, default: []].insert(query.integer(at: 0))
                    findings.add(Finding(.error, rule: "tabular.foreign-key",
                                         message: "\(key.field) \"\(value)\" names no row of \(target.resource.path); \(consequence)",
                                         hint: "check the id, or add the missing \(key.resource) row",
                                         file: table.file, line: query.integer(at: 0), field: key.field, value: value))
                }
            }
        }
    }

    /// An id that two rows of one table share: an error at the second (a package row is one
    /// object; records would get the first).
    private func checkRepeatedIDs(database: SQLiteScratch) throws {
        for (_, table) in tables.sorted(by: { $0.key < $1.key }) {
            guard let id = table.column("id"), table.filled.contains("id") else { continue }
            let query = try database.prepare("""
                SELECT line, c\(id) FROM \(table.sqlName) WHERE c\(id) IN
                (SELECT c\(id) FROM \(table.sqlName) WHERE c\(id) IS NOT NULL GROUP BY c\(id) HAVING count(*) > 1) ORDER BY c\(id), line
                """)
            var first: (id: String, line: Int)?
            while try query.step() {
                let value = query.text(at: 1) ?? ""
                let line = query.integer(at: 0)
                guard let earlier = first, earlier.id == value else {
                    first = (value, line)
                    continue
                }
                reported[table.resource.name, default: []].insert(line)
                findings.add(Finding(.error, rule: "tabular.repeated-id",
                                     message: "id \"\(value)\" is also the id of the row on line \(earlier.line); each row of \(table.resource.path) is one object, named by its own id",
                                     hint: "give each row its own id", file: table.file, line: line, field: "id", value: value))
            }
        }
    }

    /// After the last record: each row of another table that no record held, said at its line
    /// (unless a finding named it already).
    private func reportRowsInNoRecord() throws {
        guard let schema, let database else { return }
        for resource in schema.resources where resource.name != rootName {
            guard let table = tables[resource.name] else { continue }
            let idColumn = table.column("id").map { ", c\($0)" } ?? ""
            let query = try database.prepare("SELECT line\(idColumn) FROM \(table.sqlName) ORDER BY rowid")
            let used = used[resource.name] ?? []
            let reported = reported[resource.name] ?? []
            while try query.step() {
                let line = query.integer(at: 0)
                guard !used.contains(line), !reported.contains(line) else { continue }
                let id = idColumn.isEmpty ? nil : query.text(at: 1)
                findings.add(Finding(.warning, rule: "tabular.row-in-no-record",
                                     message: "this \(resource.name) row\(id.map { " (id \($0))" } ?? "") is in no \(rootName) record, so it is left out",
                                     hint: Self.linkHint(for: resource, in: schema), file: table.file, line: line, value: id))
            }
        }
    }

    /// How a resource's rows come into records, for the hint of a row that did not.
    private static func linkHint(for resource: TabularSchema.Resource, in schema: TabularSchema) -> String {
        let own = schema.linkFields(of: resource)
        let naming = schema.attachments(of: resource)
        var ways: [String] = []
        if !own.isEmpty { ways.append("its \(own.joined(separator: ", ")) \(own.count == 1 ? "names" : "name") an object that is in one") }
        if !naming.isEmpty { ways.append("a row in one names it (\(naming.joined(separator: ", ")))") }
        guard !ways.isEmpty else { return "\(resource.path) describes the package; records do not carry it" }
        return "a row is in a record when " + ways.joined(separator: " or ") + "; check the ids, or read the package with another --hsds-object"
    }

    // MARK: Building objects

    private static func cells(of statement: SQLiteScratch.Statement) -> (line: Int, cells: [String?]) {
        (statement.integer(at: 0), (1..<statement.columnCount).map { statement.text(at: $0) })
    }

    /// How one resource's rows become objects along one path from the root: the links that can
    /// hold values there, each with its statement and, for attached objects, the ones already
    /// built. Made once, before the first record; a resource already on the path is not linked
    /// again (no cycles).
    private final class PlanNode {
        let table: Table
        let idIndex: Int?
        var links: [PlanLink] = []

        init(table: Table) {
            self.table = table
            idIndex = table.column("id")
        }
    }

    private final class PlanLink {
        enum Kind {
            /// Rows whose column matches the parent's id.
            case children
            /// The row whose id the parent's column `parentKey` names.
            case attached(parentKey: Int)
            /// Rows whose column matches the parent's id and whose type column (if filled)
            /// names the parent's resource.
            case tagged(typeIndex: Int?, parentType: String)
        }

        let property: String
        let isList: Bool
        let kind: Kind
        let statement: SQLiteScratch.Statement
        let child: PlanNode
        /// Attached objects by id (an organization or a location shared by many records).
        var cache: [String: JSONObject] = [:]

        init(property: String, isList: Bool, kind: Kind, statement: SQLiteScratch.Statement, child: PlanNode) {
            self.property = property
            self.isList = isList
            self.kind = kind
            self.statement = statement
            self.child = child
        }
    }

    private func plan(for table: Table, path: [String], statements: inout [String: SQLiteScratch.Statement]) throws -> PlanNode {
        let node = PlanNode(table: table)
        guard let schema, let database else { return node }
        for nested in schema.nesting[table.resource.name] ?? [] where !path.contains(nested.resource) {
            guard let child = tables[nested.resource] else { continue }
            let column: String
            let kind: PlanLink.Kind
            switch nested.link {
            case .children(let key):
                guard node.idIndex != nil else { continue }
                column = key
                kind = .children
            case .attached(let key):
                guard let parentKey = table.column(key), table.filled.contains(key) else { continue }
                column = "id"
                kind = .attached(parentKey: parentKey)
            case .tagged(let idField, let typeField):
                guard node.idIndex != nil else { continue }
                column = idField
                kind = .tagged(typeIndex: child.filled.contains(typeField) ? child.column(typeField) : nil, parentType: table.resource.name)
            }
            guard child.filled.contains(column), let index = child.column(column) else { continue }
            let key = "\(child.sqlName).c\(index)"
            let statement: SQLiteScratch.Statement
            if let shared = statements[key] {
                statement = shared
            } else {
                statement = try database.prepare("SELECT * FROM \(child.sqlName) WHERE c\(index) = ? ORDER BY rowid")
                statements[key] = statement
            }
            let childPlan = try plan(for: child, path: path + [nested.resource], statements: &statements)
            node.links.append(PlanLink(property: nested.property, isList: nested.isList, kind: kind, statement: statement, child: childPlan))
        }
        return node
    }

    /// `places`, when asked for, gets the file and line of each nested object, by its pointer
    /// under `pointer` (attached objects are then not taken from the cache, which keeps no places).
    private func object(_ node: PlanNode, line: Int, row: [String?], at pointer: String = "",
                        places: inout [String: SourcePlaces.Place]?) throws -> JSONObject {
        let table = node.table
        used[table.resource.name, default: []].insert(line)
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(row.count + node.links.count)
        for (index, cell) in row.enumerated() {
            if let cell { members.append((table.columns[index], TabularSchema.value(cell, type: table.types[index]))) }
        }
        let id = node.idIndex.flatMap { row[$0] }
        for link in node.links {
            switch link.kind {
            case .children:
                guard let id else { continue }
                let rows = try Self.rows(link.statement, matching: id)
                guard !rows.isEmpty else { continue }
                let objects = try children(rows, link: link, at: pointer, places: &places)
                members.append((link.property, link.isList ? .array(objects) : objects[0]))
            case .tagged(let typeIndex, let parentType):
                guard let id else { continue }
                let rows = try Self.rows(link.statement, matching: id).filter { row in
                    guard let typeIndex, let type = row.cells[typeIndex] else { return true }
                    return type == parentType
                }
                guard !rows.isEmpty else { continue }
                let objects = try children(rows, link: link, at: pointer, places: &places)
                members.append((link.property, link.isList ? .array(objects) : objects[0]))
            case .attached(let parentKey):
                guard let key = row[parentKey] else { continue }
                if places == nil, let cached = link.cache[key] {
                    members.append((link.property, .object(cached)))
                    continue
                }
                guard let attachedRow = try Self.rows(link.statement, matching: key).first else { continue }
                let place = pointer + "/" + JSONPointer.escape(link.property)
                places?[place] = SourcePlaces.Place(file: link.child.table.file, line: attachedRow.line)
                let attached = try object(link.child, line: attachedRow.line, row: attachedRow.cells, at: place, places: &places)
                if link.cache.count >= Self.attachedCacheLimit { link.cache.removeAll(keepingCapacity: true) }
                link.cache[key] = attached
                members.append((link.property, .object(attached)))
            }
        }
        return JSONObject(members)
    }

    /// The objects of a link's rows, each with its place.
    private func children(_ rows: [(line: Int, cells: [String?])], link: PlanLink, at pointer: String,
                          places: inout [String: SourcePlaces.Place]?) throws -> [JSONValue] {
        try rows.enumerated().map { index, row in
            var place = pointer + "/" + JSONPointer.escape(link.property)
            if link.isList { place += "/\(index)" }
            places?[place] = SourcePlaces.Place(file: link.child.table.file, line: row.line)
            return .object(try object(link.child, line: row.line, row: row.cells, at: place, places: &places))
        }
    }

    /// The rows a statement gives for one value, in file order.
    private static func rows(_ statement: SQLiteScratch.Statement, matching value: String) throws -> [(line: Int, cells: [String?])] {
        statement.bind(value, at: 0)
        defer { statement.reset() }
        var rows: [(line: Int, cells: [String?])] = []
        while try statement.step() { rows.append(cells(of: statement)) }
        return rows
    }
}
