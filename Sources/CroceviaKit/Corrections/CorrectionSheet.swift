/// The open corrections of one source in the partner's own terms, by running their profile
/// backwards: for each correction the profile's field that made the HSDS path, so the column it
/// came from (or that a template, a transform or a constant made it, with the HSDS value to
/// give), and the record's key in the partner's key columns and its row in their last file.
/// What `crocevia corrections --source NAME` writes, as CSV or a workbook, for the partner to
/// apply in their spreadsheet. Nothing of a correction's note or contact is in it.
public struct CorrectionSheet: Sendable {
    public enum Language: String, Sendable { case it, en }

    /// The header, then a row per correction.
    public let rows: [[String]]

    /// Where a record sits in the partner's file, as its last import read it.
    struct Place {
        let key: String?
        let file: String?
        let line: Int?
    }

    /// The sheet of `corrections` through `profile` (without one, each row gives the HSDS field and value only).
    public static func make(_ corrections: [Correction], profile: Profile?, language: Language, in db: RegistryDatabase) throws -> CorrectionSheet {
        var places: [String: Place] = [:]
        for correction in corrections where places[correction.route.recordID] == nil {
            let row = try db.rows("SELECT source_key, file, line FROM source_record WHERE source = ? AND id = ?",
                                  [.text(correction.route.source), .text(correction.route.recordID)]).first
            places[correction.route.recordID] = Place(key: row?[0].text, file: row?[1].text, line: row?[2].integer.map { Int($0) })
        }
        let words = language == .it ? italian : english
        let keyColumns = profile?.source.key.map(\.name).joined(separator: " / ") ?? ""
        var rows = [words.header]
        for correction in corrections {
            let place = places[correction.route.recordID]
            let origin = profile.map { Self.origin(of: correction.route.recordField, in: $0, words: words) } ?? (columns: "", how: words.noProfile)
            rows.append([
                correction.id, keyColumns, place?.key ?? "", place?.line.map(String.init) ?? "", origin.columns,
                correction.previous?.plainText ?? "", correction.offered.plainText, origin.how, correction.field,
                String(correction.createdAt.prefix(10)), words.state(correction.state),
            ])
        }
        return CorrectionSheet(rows: rows)
    }

    /// The profile's field that gives `field` (a path in the source's record): its columns, and
    /// how the partner puts the right value in.
    static func origin(of field: String, in profile: Profile, words: Words) -> (columns: String, how: String) {
        guard let path = TargetPath(field), let mapping = profile.fields.first(where: { matches($0.path, path) }) else {
            return ("", words.unmapped)
        }
        let transforms = mapping.transforms.map(\.name).joined(separator: ", ")
        switch mapping.origin {
        case .column(let column):
            return (column.name, transforms.isEmpty ? words.write : words.transformed(transforms))
        case .columns(let columns, let separator):
            return (columns.map(\.name).joined(separator: " + "), words.joined(separator) + (transforms.isEmpty ? "" : "; " + words.transformed(transforms)))
        case .template(let template):
            return (template.columns.map(\.name).joined(separator: " + "), words.template)
        case .constant:
            return ("", words.constant)
        case .uuid, .copy, .pseudonym, .ageBand:
            return (mapping.columns.map(\.name).joined(separator: " + "), words.made)
        }
    }

    /// Whether a profile's path (`phones[].number`) gives a record's path (`phones[1].number`).
    static func matches(_ pattern: TargetPath, _ path: TargetPath) -> Bool {
        guard pattern.segments.count == path.segments.count else { return false }
        return zip(pattern.segments, path.segments).allSatisfy { given, wanted in
            guard given.name == wanted.name else { return false }
            switch (given.index, wanted.index) {
            case (nil, nil), (.spread?, .fixed?): return true
            case (.fixed(let a)?, .fixed(let b)?): return a == b
            default: return false
            }
        }
    }

    /// The rows as CSV. A cell a spreadsheet would take for a formula (`=…`, `@…`, `+` or `-`
    /// before anything but a phone number) gets a leading `'`: the values come from anyone who
    /// reports a mistake, and the partner opens the file in Excel.
    public var csv: String { rows.map { CSVText.line($0.map(Self.inert)) }.joined() }

    static func inert(_ text: String) -> String {
        guard let first = text.first else { return text }
        let phoneLike = text.dropFirst().allSatisfy { $0.isNumber || " ./()-".contains($0) }
        if "=@\t\r".contains(first) || ("+-".contains(first) && !phoneLike) { return "'" + text }
        return text
    }

    public func workbook(language: Language) -> [UInt8] {
        let widths: [Double] = [38, 18, 18, 8, 22, 30, 30, 50, 28, 12, 12]
        return XLSXWriter.workbook([XLSXWriter.Sheet(name: language == .it ? "Correzioni" : "Corrections", rows: rows, widths: widths)])
    }

    struct Words: Sendable {
        let header: [String]
        let write: String
        let transformed: @Sendable (String) -> String
        let joined: @Sendable (String) -> String
        let template: String
        let constant: String
        let made: String
        let unmapped: String
        let noProfile: String
        let state: @Sendable (Correction.State) -> String
    }

    static let italian = Words(
        header: ["correzione", "colonne chiave", "chiave", "riga", "colonna", "valore mostrato", "valore giusto", "come correggere", "campo HSDS",
                 "segnalata il", "stato"],
        write: "scrivi il valore giusto in questa colonna",
        transformed: { "la colonna è letta con \($0): scrivi il valore giusto a modo tuo; l'elenco mostrerà il valore giusto qui accanto" },
        joined: { "valori uniti con \"\($0)\": correggi quello sbagliato" },
        template: "composto dal profilo con queste colonne: correggi la colonna da cui viene il testo sbagliato; il valore HSDS giusto è qui accanto",
        constant: "un valore fisso del profilo, non del tuo file: avvisa il coordinamento della rete",
        made: "un identificativo fatto dal profilo: avvisa il coordinamento della rete",
        unmapped: "nessuna colonna del profilo dà questo campo: aggiungilo o avvisa il coordinamento della rete",
        noProfile: "correggi il dato nel tuo file: il campo HSDS e il valore giusto sono qui accanto",
        state: { $0 == .accepted ? "accolta dal coordinamento" : $0 == .pending ? "da verificare" : $0.rawValue })

    static let english = Words(
        header: ["correction", "key columns", "key", "row", "column", "value shown", "right value", "how to fix it", "HSDS field", "reported on", "state"],
        write: "write the right value in this column",
        transformed: { "the column is read through \($0): write the right value your way; the directory will show the right value given here" },
        joined: { "values joined with \"\($0)\": fix the wrong one" },
        template: "made by the profile from these columns: fix the column the wrong text comes from; the right HSDS value is given here",
        constant: "a fixed value of the profile, not of your file: tell the network's coordinators",
        made: "an identifier the profile makes: tell the network's coordinators",
        unmapped: "no column of the profile gives this field: add one or tell the network's coordinators",
        noProfile: "fix it in your file: the HSDS field and the right value are given here",
        state: { $0 == .accepted ? "accepted by the coordinators" : $0 == .pending ? "to check" : $0.rawValue })
}
