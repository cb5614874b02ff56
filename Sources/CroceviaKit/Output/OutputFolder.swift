import Foundation

/// Where a writer of several files puts them: a folder that appears only when the run finishes.
///
/// The files are written into a temporary folder beside the destination, moved into place by
/// `commit()`; an existing folder there is replaced only then, and only when `replaceable` says
/// it holds an earlier output of the same kind (never someone's other files). An uncommitted
/// folder is removed.
final class OutputFolder {
    let destination: String
    private let temporary: String
    private var committed = false

    /// - Parameters:
    ///   - format: the format's name, for messages (`hsds-csv`).
    ///   - kind: what an earlier output is called in the refusal (`a tabular package`).
    ///   - replaceable: whether an existing folder's file names are an earlier output.
    init(path: String, format: String, kind: String, replaceable: ([String]) -> Bool) throws {
        guard path != "-" else { throw CroceviaError.usage("\(format) is a folder of CSV files; name it with -o FOLDER") }
        destination = path.hasSuffix("/") ? String(path.dropLast()) : path
        temporary = destination + ".crocevia-partial-\(getpid())"
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CroceviaError.usage("\(destination) is a file; \(format) writes a folder") }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
            guard contents.isEmpty || replaceable(contents) else {
                throw CroceviaError.usage("\(destination) is a folder that holds other files, not \(kind); name a new or empty folder")
            }
        }
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw CroceviaError.io("\(destination): cannot create the folder: \(error.localizedDescription)")
        }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// The path, in the folder being written, of the file `name`.
    func path(_ name: String) -> String { temporary + "/" + name }

    /// Moves the finished folder into place, replacing an earlier one.
    func commit() throws {
        let manager = FileManager.default
        do {
            let old = destination + ".crocevia-old-\(getpid())"
            let replacing = manager.fileExists(atPath: destination)
            if replacing { try manager.moveItem(atPath: destination, toPath: old) }
            try manager.moveItem(atPath: temporary, toPath: destination)
            if replacing { try manager.removeItem(atPath: old) }
        } catch {
            throw CroceviaError.io("\(destination): cannot move the finished folder into place: \(error.localizedDescription)")
        }
        committed = true
    }
}
