/// The validation report for a partner (`--html FILE.html`): the verdict first, then the problems
/// grouped by field and by kind, with counts and the first rows of each, in Italian or English.
/// One self-contained file (inline style, no scripts, no external assets); every value that comes
/// from the data is escaped.
public enum HTMLReport {
    public enum Language: String, Sendable, CaseIterable {
        case it, en
    }

    /// Rows shown per group; the counts are always complete.
    static let rowsPerGroup = 5

    public static func html(summary: ValidationSummary, findings: FindingLog, inputs: [String], schema: String, language: Language) -> String {
        let words = Words(language)
        let kept = findings.findings
        let total = findings.countsByRule.values.reduce(0, +)
        var page = opening(title: "\(words.title): \(inputs.joined(separator: ", "))", language: language, style: """
            .verdict { padding: 1rem 1.25rem; border-radius: .5rem; font-size: 1.25rem; }
            .ok { background: #e7f6ea; border: 1px solid #52a865; }
            .ko { background: #fdecea; border: 1px solid #d9534f; }
            .warn { background: #fff6e0; border: 1px solid #e0a800; }
            .numbers td { font-size: 1.1rem; }
            .error { color: #b02a26; font-weight: 600; }
            .warning { color: #8a6100; font-weight: 600; }
            """)
        page += """
            <h1>\(escape(words.title))</h1>
            <p>\(escape(words.files)): \(inputs.map { "<code>\(escape($0))</code>" }.joined(separator: ", "))<br>\(escape(words.against)): <code>\(escape(schema))</code></p>

            """
        let errors = findings.errorCount
        let warnings = findings.warningCount
        let verdictClass = errors > 0 ? "ko" : (warnings > 0 ? "warn" : "ok")
        page += "<p class=\"verdict \(verdictClass)\">\(escape(words.verdict(records: summary.records, invalid: summary.invalidRecords, errors: errors, warnings: warnings)))</p>\n"
        page += """
            <table class="numbers">
            <tr><th>\(escape(words.records))</th><th>\(escape(words.valid))</th><th>\(escape(words.invalid))</th><th>\(escape(words.errors))</th><th>\(escape(words.warnings))</th></tr>
            <tr><td>\(summary.records)</td><td>\(summary.validRecords)</td><td>\(summary.invalidRecords)</td><td>\(errors)</td><td>\(warnings)</td></tr>
            </table>

            """
        // Problems by field, then by kind; errors before warnings, larger groups first.
        struct Group {
            var field: String
            var rule: String
            var severity: Finding.Severity
            var rows: [Finding] = []
        }
        var groups: [String: Group] = [:]
        var order: [String] = []
        for finding in kept {
            let field = finding.field ?? words.wholeRecord
            let key = field + "\u{1F}" + finding.rule
            if groups[key] == nil {
                groups[key] = Group(field: field, rule: finding.rule, severity: finding.severity)
                order.append(key)
            }
            groups[key]!.rows.append(finding)
        }
        let sorted = order.compactMap { groups[$0] }.sorted {
            ($0.severity == .error ? 0 : 1, -$0.rows.count, $0.field) < ($1.severity == .error ? 0 : 1, -$1.rows.count, $1.field)
        }
        if !sorted.isEmpty {
            page += "<h2>\(escape(words.problems))</h2>\n<table>\n<tr><th>\(escape(words.field))</th><th>\(escape(words.problem))</th><th>\(escape(words.count))</th><th>\(escape(words.examples))</th></tr>\n"
            for group in sorted {
                let examples = group.rows.prefix(rowsPerGroup).map { finding -> String in
                    var text = finding.cell ?? finding.line.map { "\(words.line) \($0)" } ?? (finding.record.map { "\(words.record) \($0)" } ?? "")
                    if let subject = finding.subject { text += " (\(subject))" }
                    if let value = finding.value { text += ": «\(value)»" }
                    return escape(text)
                }.joined(separator: "<br>")
                let more = group.rows.count > rowsPerGroup ? "<br>… \(escape(words.andMore(group.rows.count - rowsPerGroup)))" : ""
                let description = words.describe(rule: group.rule) ?? group.rows[0].message
                let hint = words.hint(rule: group.rule, given: group.rows[0].hint).map { "<br><small>\(escape($0))</small>" } ?? ""
                page += "<tr><td><code>\(escape(group.field))</code></td><td><span class=\"\(group.severity.rawValue)\">\(escape(words.severity(group.severity)))</span> \(escape(description))\(hint)</td>"
                page += "<td>\(group.rows.count)</td><td>\(examples)\(more)</td></tr>\n"
            }
            page += "</table>\n"
        }
        if kept.count < total {
            page += "<p>\(escape(words.capped(listed: kept.count, total: total, perRule: findings.keepPerRule)))</p>\n"
        }
        page += "<footer>\(escape(words.footer))</footer>\n</body>\n</html>\n"
        return page
    }

    /// A page's start, up to and with `<body>`: the shared look (type, tables, code, footer) and
    /// the page's own `style` rules; `title` is escaped here.
    static func opening(title: String, language: Language, width: String = "60rem", style: String) -> String {
        """
        <!doctype html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: \(width); padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
        th { background: #f4f4f6; }
        code { background: #f4f4f6; padding: 0 .25rem; border-radius: .2rem; word-break: break-all; }
        footer { margin-top: 2rem; color: #666; font-size: .9rem; }
        \(style)
        </style>
        </head>
        <body>

        """
    }

    public static func write(_ html: String, to path: String) throws {
        let sink = try OutputSink(path: path)
        var buffer = ByteBuffer()
        buffer.append(html)
        try sink.write(&buffer)
        try sink.commit()
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The report's words in one language.
    struct Words {
        let language: Language
        init(_ language: Language) { self.language = language }

        private func pick(_ it: String, _ en: String) -> String { language == .it ? it : en }

        var title: String { pick("Verifica dei dati", "Data check") }
        var files: String { pick("File controllati", "Files checked") }
        var against: String { pick("Controllati rispetto a", "Checked against") }
        var records: String { pick("Record", "Records") }
        var valid: String { pick("Validi", "Valid") }
        var invalid: String { pick("Da correggere", "To fix") }
        var errors: String { pick("Errori", "Errors") }
        var warnings: String { pick("Avvisi", "Warnings") }
        var problems: String { pick("Problemi, per campo", "Problems, by field") }
        var field: String { pick("Campo", "Field") }
        var problem: String { pick("Problema", "Problem") }
        var count: String { pick("Quante volte", "How many") }
        var examples: String { pick("Prime righe", "First rows") }
        var line: String { pick("riga", "line") }
        var record: String { pick("record", "record") }
        var wholeRecord: String { pick("(l'intero record)", "(the whole record)") }
        var footer: String {
            pick("Le righe sono quelle del foglio di calcolo: l'intestazione è la riga 1. Rapporto prodotto da Crocevia.",
                 "Lines are spreadsheet lines: the header is line 1. Report made by Crocevia.")
        }

        func andMore(_ n: Int) -> String { pick("e altre \(n)", "and \(n) more") }

        func severity(_ severity: Finding.Severity) -> String {
            switch severity {
            case .error: return pick("Errore:", "Error:")
            case .warning: return pick("Avviso:", "Warning:")
            case .info: return pick("Nota:", "Note:")
            }
        }

        func verdict(records: Int, invalid: Int, errors: Int, warnings: Int) -> String {
            if errors == 0 && warnings == 0 {
                return pick("Tutto a posto: i \(records) record rispettano lo schema.", "All good: the \(records) records meet the schema.")
            }
            if errors == 0 {
                return pick("Nessun errore nei \(records) record; ci sono \(warnings) avvisi da guardare.",
                            "No errors in the \(records) records; there are \(warnings) warnings to look at.")
            }
            return pick("Da correggere: \(invalid) record su \(records) hanno errori (\(errors) in tutto).",
                        "To fix: \(invalid) of \(records) records have errors (\(errors) in all).")
        }

        func capped(listed: Int, total: Int, perRule: Int) -> String {
            pick("Sono elencati \(listed) problemi su \(total) (al massimo \(perRule) per tipo); i conteggi sono completi.",
                 "\(listed) of \(total) problems are listed (at most \(perRule) of each kind); the counts are complete.")
        }

        /// How to fix a kind of problem: the finding's own hint in English, its Italian for the
        /// rules partners meet most (nil for the others in Italian, rather than English words).
        func hint(rule: String, given: String?) -> String? {
            guard language == .it else { return given }
            switch rule {
            case "schema.required", "map.required": return "compilate il campo (o la colonna) indicato"
            case "schema.format": return "controllate la forma del valore: un identificativo UUID, un indirizzo web con https://, un indirizzo e-mail, una data come 2026-11-03"
            case "schema.type": return "controllate che il valore sia del tipo giusto (testo, numero, elenco)"
            case "schema.enum", "schema.const": return "usate uno dei valori ammessi"
            case "schema.pattern": return "controllate la forma del valore"
            case "schema.additionalProperties", "schema.unevaluatedProperties", "hsds.unknown-field": return "togliete il campo, o mappatelo su un campo HSDS"
            case "hsds.unique": return "date a ogni elemento il suo identificativo"
            case "hsds.conflicting-copies": return "lo stesso elemento è scritto in modi diversi: uniformateli, o date a ciascuno il suo identificativo"
            case "hsds.foreign-key": return "aggiungete l'elemento a cui si fa riferimento, o correggete l'identificativo"
            case "hsds.outside-reference": return "controllateli insieme al file che contiene quegli elementi (--package), o dichiarate il file completo (--complete)"
            case "map.date": return "scrivete la data come indica il profilo (per esempio 03/11/2026)"
            case "map.several-values": return "unite i valori (transforms: [join]) o mappateli su un elenco (campo[])"
            case "map.unknown-column": return "controllate il nome nel profilo, o segnate il campo optional: true"
            case "csv.ragged-row": return "un campo che contiene il separatore va tra virgolette doppie"
            case "xsd.invalid": return "vedete l'elemento e la sua riga nel file"
            case "tabular.repeated-id": return "date a ogni riga il suo identificativo"
            case "tabular.row-in-no-record": return "controllate gli identificativi che collegano la riga agli altri file"
            default: return nil
            }
        }

        /// Plain words for the rules partners meet most; nil keeps the finding's own message.
        func describe(rule: String) -> String? {
            switch rule {
            case "schema.required": return pick("campo obbligatorio vuoto o mancante", "a required field is empty or missing")
            case "schema.format": return pick("valore scritto in una forma non valida (identificativo, indirizzo web, e-mail, data)", "a value in the wrong form (identifier, web address, e-mail, date)")
            case "schema.type": return pick("tipo di valore sbagliato (testo, numero, elenco)", "the wrong kind of value (text, number, list)")
            case "schema.enum", "schema.const": return pick("valore non tra quelli ammessi", "a value that is not one of those allowed")
            case "schema.pattern": return pick("valore che non ha la forma richiesta", "a value that does not have the required form")
            case "schema.minimum", "schema.maximum", "schema.exclusiveMinimum", "schema.exclusiveMaximum":
                return pick("numero fuori dall'intervallo ammesso", "a number outside the allowed range")
            case "schema.minLength", "schema.maxLength": return pick("testo troppo corto o troppo lungo", "text too short or too long")
            case "schema.uniqueItems": return pick("elenco con elementi ripetuti", "a list with repeated items")
            case "schema.minItems", "schema.maxItems": return pick("elenco con troppi o troppo pochi elementi", "a list with too many or too few items")
            case "schema.additionalProperties", "schema.unevaluatedProperties", "hsds.unknown-field":
                return pick("campo non previsto dallo schema", "a field the schema does not define")
            case "hsds.unique": return pick("identificativo usato da più record", "an identifier used by more than one record")
            case "hsds.conflicting-copies": return pick("lo stesso elemento è scritto in modi diversi in record diversi", "the same item is written differently in different records")
            case "hsds.foreign-key": return pick("riferimento a un elemento che non c'è nel file", "a reference to an item that is not in the file")
            case "hsds.outside-reference": return pick("riferimenti a elementi di un altro file, non controllati", "references to items in another file, not checked")
            case "map.several-values": return pick("più valori per un campo che ne ha uno solo", "several values for a field that holds one")
            case "map.unknown-column": return pick("colonna del profilo che nessun record ha", "a profile column no record has")
            case "xsd.invalid": return pick("elemento che non rispetta lo schema XML", "an element that does not meet the XML Schema")
            case "tabular.repeated-id": return pick("identificativo usato da più righe della stessa tabella", "an id used by more than one row of a table")
            case "tabular.row-in-no-record": return pick("riga che non fa parte di nessun record", "a row that is in no record")
            case "map.date": return pick("data non leggibile", "a date that cannot be read")
            case "map.required": return pick("colonna obbligatoria vuota", "a required column is empty")
            case "map.unmapped": return pick("valore non previsto dalla tabella di conversione", "a value the conversion table does not list")
            case "csv.ragged-row": return pick("riga con un numero di colonne diverso dall'intestazione", "a row with another number of columns than the header")
            case "input.unreadable": return pick("file non leggibile oltre questo punto", "the file cannot be read past this point")
            default: return nil
            }
        }
    }
}
