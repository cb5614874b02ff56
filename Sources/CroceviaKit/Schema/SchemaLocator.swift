import Foundation

/// Finds Crocevia's `Schemas/` folder: `$CROCEVIA_SCHEMAS`, else beside or above the running
/// executable (`share/crocevia/Schemas` for an installed tool, the package folder for a build),
/// else above the working folder.
public enum SchemaLocator {
    public static func schemasDirectory() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["CROCEVIA_SCHEMAS"], !explicit.isEmpty {
            guard isSchemasFolder(explicit) else {
                throw CroceviaError.io("CROCEVIA_SCHEMAS=\(explicit) is not a Crocevia Schemas folder (no hsds/service.json in it)")
            }
            return explicit
        }
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(executable.deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var folder = start
            for _ in 0..<8 {
                for candidate in [folder.appendingPathComponent("Schemas"), folder.appendingPathComponent("share/crocevia/Schemas")]
                where isSchemasFolder(candidate.path) {
                    return candidate.path
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw CroceviaError.io("cannot find Crocevia's Schemas folder; set CROCEVIA_SCHEMAS to its path")
    }

    static func isSchemasFolder(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/hsds/service.json")
    }
}

/// Reads one whole JSON document from a file (schemas, packages): small files only.
public enum JSONDocument {
    public static func load(path: String) throws -> JSONValue {
        let findings = FindingLog()
        let reader = JSONRecordReader(input: TextInput(source: try ByteSource(path: path), encoding: .utf8, findings: findings), mode: .json, source: "", findings: findings)
        do {
            // A top-level array would be read element by element: take the document whole.
            var values: [JSONValue] = []
            while let record = try reader.next() { values.append(record.value) }
            if let problem = findings.findings.first(where: { $0.severity == .error }) {
                throw CroceviaError.configuration(file: path, line: problem.line, column: nil, message: problem.message)
            }
            guard !values.isEmpty else {
                throw CroceviaError.configuration(file: path, line: nil, column: nil, message: "the file holds no JSON value")
            }
            return values.count == 1 && !isArrayDocument(path) ? values[0] : .array(values)
        } catch CroceviaError.unreadableInput(_, let line, let message, _) {
            throw CroceviaError.configuration(file: path, line: line, column: nil, message: message)
        }
    }

    /// Whether the document's first non-blank byte opens an array.
    private static func isArrayDocument(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path), let head = try? handle.read(upToCount: 4096) else { return false }
        try? handle.close()
        return head.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "[")
    }
}
