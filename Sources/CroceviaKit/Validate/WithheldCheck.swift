/// The check that no withheld address (`Withholding`) appears in an output: the streets of the
/// places the registry's partners marked withheld, looked for in every line of the files given
/// (any format: JSON Lines, CSV, a tabular package's address.csv, HTML), folded as names are
/// (case, accents, punctuation), so `VIA SEGRETA, 7` is found where `Via Segreta 7` was withheld.
/// A hit is an error on its file and line.
public struct WithheldCheck {
    /// The withheld streets, folded.
    let streets: [String]

    public init(streets: [String]) {
        self.streets = Array(Set(streets.map(TextFold.folded).filter { !$0.isEmpty })).sorted()
    }

    /// The streets of every withheld place the registry holds (its partners' records as they sent them).
    public init(registry db: RegistryDatabase) throws {
        var streets: [String] = []
        guard try RegistrySchema.tables(in: db).contains("source_record") else {
            throw CroceviaError.io("\(db.location) is not a Crocevia registry; name the registry the pipeline writes")
        }
        try db.query("SELECT content FROM source_record WHERE content LIKE ?", [.text("%" + Withholding.marker + "%")]) { row in
            guard let value = row[0].text.flatMap(JSONText.parse) else { return }
            streets += Withholding.withheldStreets(in: value)
        }
        self.init(streets: streets)
    }

    public var count: Int { streets.count }

    /// Reads `path` line by line; returns the number of lines that hold a withheld street, each
    /// an error in `findings`.
    @discardableResult
    public func check(_ path: String, findings: FindingLog) throws -> Int {
        guard !streets.isEmpty else { return 0 }
        let source = try ByteSource(path: path)
        var hits = 0
        var line = 0
        var pending: [UInt8] = []
        func look(_ bytes: [UInt8]) {
            line += 1
            let folded = " " + TextFold.folded(String(decoding: bytes, as: UTF8.self)) + " "
            for street in streets where folded.contains(" " + street + " ") {
                hits += 1
                findings.add(Finding(.error, rule: "withheld.address-published",
                                     message: "the withheld address \"\(street)\" is in this output; a withheld place's street must not leave the registry",
                                     file: path, line: line))
                break
            }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0.baseAddress!, capacity: $0.count) }
            if count == 0 { break }
            for byte in chunk[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    look(pending)
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        }
        if !pending.isEmpty { look(pending) }
        return hits
    }
}
