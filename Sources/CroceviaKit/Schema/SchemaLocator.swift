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
        let reader = JSONRecordReader(input: TextInput(source: try ByteSource(path: path), encoding: .utf8, findings: findings), mode: .jsonl, source: "", findings: findings)
        guard let first = try reader.next(), findings.errorCount == 0 else {
            let detail = findings.findings.first.map { $0.formatted } ?? "\(path): holds no JSON value"
            throw CroceviaError.configuration(file: path, line: findings.findings.first?.line, column: nil, message: "not valid JSON: \(detail)")
        }
        return first.value
    }
}
