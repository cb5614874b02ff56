import Foundation
import Synchronization

/// Loads the schema a validation checks against: a partner-given schema file (checked against the
/// draft 2020-12 meta-schema first, so a broken schema is a clear exit 2 and not a confusing
/// verdict on the data), or one of the bundled HSDS object schemas. `$ref`s with bare file names
/// resolve against the schema's folder; the meta-schemas are bundled; nothing is fetched.
public enum SchemaLoader {
    /// A validator for the schema in `path`.
    public static func file(_ path: String, assertFormats: Bool) throws -> SchemaValidator {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        if let head = FileManager.default.contents(atPath: path)?.prefix(512),
           JSONDocument.firstSignificantByte(head) == UInt8(ascii: "<") {
            throw CroceviaError.usage("\(path) is XML, not a JSON Schema: an XML Schema (XSD) goes with --xsd \(path)")
        }
        let document = try JSONDocument.load(path: path)
        let files = try SchemaFiles.standard()
        try checkAgainstMetaSchema(document, file: path, files: files)
        let registry = SchemaRegistry.standard(files: files, folder: absolute.deletingLastPathComponent().path)
        do {
            let root = try registry.add(document, uri: absolute.absoluteString)
            return SchemaValidator(root: root, registry: registry, assertFormats: assertFormats)
        } catch let error as SchemaError {
            throw CroceviaError.configuration(file: path, line: nil, column: nil, message: error.description)
        }
    }

    /// A validator for a bundled object (`service`, `organization`…, or case data's
    /// `case/contact`…), formats asserted. Compiled once per process and shared (validators hold
    /// no state of a validation), unless `shared` is false: the threads that check a
    /// validation's records each compile their own (some 6 ms each), so that no two cores retain
    /// and release the same schema nodes for every value they check. On a 2-core machine the
    /// difference was within the noise; it is meant for machines with many cores.
    public static func hsds(_ object: Target, shared: Bool = true) throws -> SchemaValidator {
        let files = try SchemaFiles.standard()
        let key = (files.folder ?? "") + "\u{0}" + object.name
        if shared, let compiled = bundled.withLock({ $0[key] }) { return compiled }
        let file = object.schemaFile
        let registry = SchemaRegistry.standard(files: files)
        do {
            let root = try registry.add(try JSONDocument.load(file, from: files), uri: files.uri(file))
            let validator = SchemaValidator(root: root, registry: registry, assertFormats: true)
            if shared { bundled.withLock { $0[key] = validator } }
            return validator
        } catch let error as SchemaError {
            throw CroceviaError.configuration(file: files.describe(file), line: nil, column: nil, message: error.description)
        }
    }

    /// The bundled objects' validators compiled so far, by schema folder ("" embedded) and object.
    private static let bundled = Mutex<[String: SchemaValidator]>([:])

    /// The validators a feed of `object` needs, by object: its own, or for case data every
    /// entity's (records say which they are: see `CaseEntities.objectType`).
    public static func validators(for object: Target, shared: Bool = true) throws -> [Target: SchemaValidator] {
        Dictionary(uniqueKeysWithValues: try object.feedTargets.map { ($0, try hsds($0, shared: shared)) })
    }

    /// Refuses a document that is not a draft 2020-12 schema, naming the first place that is wrong.
    static func checkAgainstMetaSchema(_ document: JSONValue, file: String, files: SchemaFiles) throws {
        let registry = SchemaRegistry.standard(files: files)
        let meta = try registry.resolve(SchemaRegistry.draft202012, base: SchemaRegistry.draft202012)
        let failures = SchemaValidator(root: meta, registry: registry).validate(document, limit: 1)
        guard let first = failures.first else { return }
        let place = first.instancePath.isEmpty ? "its root" : first.instancePath
        throw CroceviaError.configuration(file: file, line: nil, column: nil,
                                          message: "not a valid JSON Schema (draft 2020-12): at \(place), \(first.keyword): \(first.message)")
    }
}
