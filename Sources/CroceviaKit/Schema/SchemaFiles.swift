import CEmbeddedSchemas
import Foundation

/// Crocevia's own data files (the HSDS and case schemas, the JSON Schema meta-schemas, the
/// tabular package, the profile schema, the municipality list): the copies embedded in the
/// executable at build time from `Schemas/` (`Sources/CEmbeddedSchemas`), so a binary copied
/// anywhere needs nothing beside it, or a folder named by `CROCEVIA_SCHEMAS` that replaces them.
/// Files are named by their path under `Schemas/` (`hsds/service.json`).
public struct SchemaFiles: Sendable {
    /// A folder laid out like `Schemas/`; nil: the embedded copies.
    public let folder: String?

    /// The embedded files, or `folder`'s.
    public init(folder: String? = nil) {
        self.folder = folder
    }

    /// `CROCEVIA_SCHEMAS` when set, else the embedded files.
    public static func standard() throws -> SchemaFiles {
        guard let explicit = ProcessInfo.processInfo.environment["CROCEVIA_SCHEMAS"], !explicit.isEmpty else {
            return SchemaFiles()
        }
        guard FileManager.default.fileExists(atPath: explicit + "/hsds/service.json") else {
            throw CroceviaError.io("CROCEVIA_SCHEMAS=\(explicit) is not a Crocevia Schemas folder (no hsds/service.json in it)")
        }
        return SchemaFiles(folder: explicit)
    }

    /// The bytes of one file.
    public func data(_ name: String) throws -> Data {
        if let folder {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)") else {
                throw CroceviaError.io("cannot read \(folder)/\(name)")
            }
            return data
        }
        guard let file = Self.embedded[name] else {
            throw CroceviaError.io("Schemas/\(name) is not embedded in this executable")
        }
        return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: file.bytes), count: Int(file.size), deallocator: .none)
    }

    /// Whether the file exists.
    public func contains(_ name: String) -> Bool {
        if let folder { return FileManager.default.fileExists(atPath: "\(folder)/\(name)") }
        return Self.embedded[name] != nil
    }

    /// How messages name a file: its path in the folder, or `Schemas/hsds/service.json (built in)`.
    public func describe(_ name: String) -> String {
        folder.map { "\($0)/\(name)" } ?? "Schemas/\(name) (built in)"
    }

    /// The URI a schema file is known by, against which its relative references resolve.
    public func uri(_ name: String) -> String {
        if let folder { return URL(fileURLWithPath: "\(folder)/\(name)").standardizedFileURL.absoluteString }
        return Self.embeddedBase + name
    }

    /// The base of the embedded files' URIs (never fetched: `.invalid` is a reserved domain).
    static let embeddedBase = "https://schemas.crocevia.invalid/"

    /// The name of the file a URI from `uri(_:)` stands for, or nil.
    func name(ofURI uri: String) -> String? {
        var base = folder.map { URL(fileURLWithPath: $0).standardizedFileURL.absoluteString } ?? Self.embeddedBase
        if !base.hasSuffix("/") { base += "/" }
        guard uri.hasPrefix(base) else { return nil }
        return String(uri.dropFirst(base.count))
    }

    /// The names of the embedded files, sorted.
    public static var embeddedNames: [String] { embedded.keys.sorted() }

    private struct File: @unchecked Sendable {
        let bytes: UnsafePointer<UInt8>
        let size: UInt
    }

    private static let embedded: [String: File] = {
        var count: UInt = 0
        guard let files = crocevia_embedded_files(&count) else { return [:] }
        var byName: [String: File] = [:]
        for file in UnsafeBufferPointer(start: files, count: Int(count)) {
            byName[String(cString: file.name)] = File(bytes: file.bytes, size: file.size)
        }
        return byName
    }()
}
