import Foundation

/// The monitoring figures written out: JSON (for other tools), one CSV per table (for a
/// spreadsheet) and HTML with bar charts in inline SVG (for a coordinator; no external assets).
/// Suppressed counts are written "<5" everywhere, and counts hidden to protect them "x"; the
/// underlying counts never leave `Monitoring`.
public enum MonitoringReport {
    public static func json(_ report: Monitoring) -> String {
        func value(_ v: SuppressedValue) -> JSONValue { v.suppressed ? .string(v.text) : .number(String(v.count)) }
        func number(_ x: Double?) -> JSONValue { x.map { .number(format($0)) } ?? .null }
        var period = JSONObject([("from", .string(report.options.from)), ("to", .string(report.options.to))])
        if let desk = report.options.desk { period["desk"] = .string(desk) }
        let tables = report.tables.map { table -> (String, JSONValue) in
            let rows = table.rows.map { row in
                JSONValue.object(JSONObject([("key", .string(row.key)), ("count", row.suppressed ? .string(row.text) : .number(String(row.count)))]))
            }
            return (table.name, .object(JSONObject([("rows", .array(rows)),
                                                     ("total", table.totalSuppressed ? .string(table.totalText) : .number(String(table.total)))])))
        }
        let hours = report.hoursByActivity.map { ($0.0, JSONValue.number(format($0.1))) }
        let object = JSONObject([
            ("report", .string("monitoring")), ("registry", .string(report.registry)), ("period", .object(period)),
            ("suppression", .string("counts from 1 to \(Monitoring.threshold - 1) are shown as <\(Monitoring.threshold); the cells or totals that would reveal them are hidden too and shown as \(SuppressedTable.protectingMark) (they may hold any count); rates and medians over fewer than \(Monitoring.threshold) are null")),
            ("people_reached", value(report.peopleReached)), ("contacts", value(report.contacts)),
            ("warm_handoffs", value(report.warmHandoffs)), ("warm_handoffs_completed", value(report.warmHandoffCompleted)),
            ("warm_handoff_completion_rate", number(report.completionRate)),
            ("referrals_with_feedback", value(report.referralsWithFeedback)), ("median_days_to_feedback", number(report.medianDaysToFeedback)),
            ("volunteers", value(report.volunteers)), ("volunteer_hours", .number(format(report.volunteerHours))),
            ("volunteer_hours_by_activity", .object(JSONObject(hours))),
            ("tables", .object(JSONObject(tables))),
        ])
        return JSONText.pretty(.object(object)) + "\n"
    }

    /// One CSV per table (`category,count`, a last `total` row), and `summary.csv` with the
    /// headline figures.
    public static func writeCSV(_ report: Monitoring, folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func write(_ name: String, _ lines: [[String]]) throws {
            let text = lines.map { $0.map(CSVText.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
            try HTMLReport.write(text, to: "\(folder)/\(name).csv")
        }
        for table in report.tables {
            try write(table.name, [["category", "count"]] + table.rows.map { [$0.key, $0.text] } + [["total", table.totalText]])
        }
        try write("volunteer_hours_by_activity", [["activity_type", "hours"]] + report.hoursByActivity.map { [$0.0, format($0.1)] }
            + [["total", format(report.volunteerHours)]])
        try write("summary", [["measure", "value"],
                              ["period_from", report.options.from], ["period_to", report.options.to], ["desk", report.options.desk ?? ""],
                              ["people_reached", report.peopleReached.text], ["contacts", report.contacts.text],
                              ["warm_handoffs", report.warmHandoffs.text], ["warm_handoffs_completed", report.warmHandoffCompleted.text],
                              ["warm_handoff_completion_rate", report.completionRate.map(format) ?? ""],
                              ["median_days_to_feedback", report.medianDaysToFeedback.map(format) ?? ""],
                              ["volunteers", report.volunteers.text], ["volunteer_hours", format(report.volunteerHours)]])
    }

    public static func html(_ report: Monitoring, language: HTMLReport.Language) -> String {
        let words = MonitoringWords(language)
        let period = "\(report.options.from) – \(report.options.to)" + (report.options.desk.map { " · \(words.desk) \($0)" } ?? "")
        var page = HTMLReport.opening(title: "\(words.title) \(period)", language: language, style: """
            .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; margin: 1rem 0 2rem; }
            .card { background: #f4f4f6; border-radius: .5rem; padding: .75rem 1rem; }
            .card b { display: block; font-size: 1.8rem; }
            .note { color: #555; font-size: .95rem; }
            svg text { font: 13px system-ui, sans-serif; }
            """)
        page += "<h1>\(HTMLReport.escape(words.title))</h1>\n<p>\(HTMLReport.escape(period)) · \(HTMLReport.escape(report.registry))</p>\n"
        let rate = report.completionRate.map { String(format: "%.0f%%", $0 * 100) } ?? "–"
        let median = report.medianDaysToFeedback.map { format($0) } ?? "–"
        let cards = [
            (words.people, report.peopleReached.text), (words.contacts, report.contacts.text),
            (words.completion, rate), (words.median, median),
            (words.volunteerHours, format(report.volunteerHours)), (words.volunteers, report.volunteers.text),
        ]
        page += "<div class=\"cards\">\n" + cards.map { "<div class=\"card\">\(HTMLReport.escape($0.0))<b>\(HTMLReport.escape($0.1))</b></div>" }.joined(separator: "\n") + "\n</div>\n"
        page += "<p class=\"note\">\(HTMLReport.escape(words.suppression))</p>\n"
        page += "<p class=\"note\">\(HTMLReport.escape(words.completionNote(completed: report.warmHandoffCompleted.text, of: report.warmHandoffs.text)))</p>\n"
        for table in report.tables {
            page += "<h2>\(HTMLReport.escape(words.tableTitle(table.name)))</h2>\n"
            page += chart(table.rows.map { (words.label($0.key), Double($0.count), $0.suppressed ? $0.text : nil) })
            page += "<table><tr><th>\(HTMLReport.escape(words.category))</th><th>\(HTMLReport.escape(words.count))</th></tr>\n"
            for row in table.rows { page += "<tr><td>\(HTMLReport.escape(words.label(row.key)))</td><td>\(HTMLReport.escape(row.text))</td></tr>\n" }
            page += "<tr><th>\(HTMLReport.escape(words.total))</th><th>\(HTMLReport.escape(table.totalText))</th></tr></table>\n"
        }
        page += "<h2>\(HTMLReport.escape(words.tableTitle("volunteer_hours_by_activity")))</h2>\n"
        page += chart(report.hoursByActivity.map { (words.label($0.0), $0.1, nil) })
        page += "<footer>crocevia report monitoring · \(HTMLReport.escape(words.generated))</footer>\n</body>\n</html>\n"
        return page
    }

    /// A horizontal bar chart; a suppressed bar is drawn hatched at a fixed short length with
    /// its "<5", so its size tells nothing.
    static func chart(_ bars: [(label: String, value: Double, suppressed: String?)]) -> String {
        guard !bars.isEmpty else { return "" }
        let labelWidth = 190.0, barWidth = 420.0, height = 24.0
        let largest = max(bars.filter { $0.suppressed == nil }.map(\.value).max() ?? 1, 1)
        var svg = "<svg role=\"img\" width=\"\(Int(labelWidth + barWidth + 60))\" height=\(quotedNumber(Double(bars.count) * height + 8)) xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#b9b9c3\"/></pattern></defs>\n"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * height + 4
            let width = bar.suppressed == nil ? max(bar.value / largest * barWidth, bar.value > 0 ? 2 : 0) : 24
            let fill = bar.suppressed == nil ? "#3b6fb6" : "url(#hatch)"
            let shown = bar.suppressed ?? format(bar.value)
            svg += "<text x=\"0\" y=\(quotedNumber(y + 15))>\(HTMLReport.escape(String(bar.label.prefix(28))))</text>"
            svg += "<rect x=\(quotedNumber(labelWidth)) y=\(quotedNumber(y)) width=\(quotedNumber(width)) height=\"18\" fill=\"\(fill)\"><title>\(HTMLReport.escape(bar.label)): \(HTMLReport.escape(shown))</title></rect>"
            svg += "<text x=\(quotedNumber(labelWidth + width + 6)) y=\(quotedNumber(y + 15))>\(HTMLReport.escape(shown))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func quotedNumber(_ value: Double) -> String { "\"\(format(value))\"" }

    /// A number without a useless ".0", at most two decimals.
    static func format(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.2f", value).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}

/// The monitoring report's words, Italian or English.
struct MonitoringWords {
    let language: HTMLReport.Language
    init(_ language: HTMLReport.Language) { self.language = language }
    private func pick(_ it: String, _ en: String) -> String { language == .it ? it : en }

    var title: String { pick("Monitoraggio della rete", "Network monitoring") }
    var desk: String { pick("sportello", "desk") }
    var people: String { pick("Persone raggiunte", "People reached") }
    var contacts: String { pick("Contatti", "Contacts") }
    var completion: String { pick("Accompagnamenti conclusi", "Warm hand-offs completed") }
    var median: String { pick("Giorni mediani al riscontro", "Median days to feedback") }
    var volunteerHours: String { pick("Ore di volontariato", "Volunteer hours") }
    var volunteers: String { pick("Volontari", "Volunteers") }
    var category: String { pick("Categoria", "Category") }
    var count: String { pick("Numero", "Count") }
    var total: String { pick("Totale", "Total") }
    var generated: String { pick("dati pseudonimizzati: nessun nome, indirizzo o data di nascita", "pseudonymized data: no names, addresses or birth dates") }
    var suppression: String {
        pick("Per proteggere le persone, i numeri da 1 a 4 sono mostrati come «<5»; le celle o i totali che permetterebbero di ricavarli sono nascosti anch'essi e mostrati come «x» (possono contenere qualsiasi numero); tassi e mediane su meno di 5 casi non sono mostrati (–).",
             "To protect people, counts from 1 to 4 are shown as \"<5\"; the cells or totals that would reveal them are hidden too and shown as \"x\" (they may hold any count); rates and medians over fewer than 5 are not shown (–).")
    }

    func completionNote(completed: String, of total: String) -> String {
        pick("Accompagnamenti (warm hand-off) conclusi: \(completed) su \(total) avviati nel periodo.",
             "Warm hand-offs completed: \(completed) of \(total) started in the period.")
    }

    func tableTitle(_ name: String) -> String {
        switch name {
        case "contacts_by_phase": return pick("Contatti per fase", "Contacts by phase")
        case "contacts_by_channel": return pick("Contatti per canale", "Contacts by channel")
        case "contacts_by_desk": return pick("Contatti per sportello", "Contacts by desk")
        case "contacts_by_month": return pick("Contatti per mese", "Contacts by month")
        case "needs_by_category": return pick("Bisogni per categoria", "Needs by category")
        case "referrals_by_kind": return pick("Invii per tipo", "Referrals by kind")
        case "referrals_by_status": return pick("Invii per stato", "Referrals by status")
        case "benefits_by_type": return pick("Benefici consegnati", "Benefits handed over")
        case "volunteer_beneficiaries_by_activity": return pick("Persone aiutate dai volontari, per attività", "People helped by volunteers, by activity")
        case "volunteer_hours_by_activity": return pick("Ore di volontariato per attività", "Volunteer hours by activity")
        default: return name
        }
    }

    func label(_ key: String) -> String {
        guard language == .it else { return key.replacingOccurrences(of: "_", with: " ") }
        let italian = [
            "in_person": "di persona", "phone": "telefono", "outreach": "sul territorio", "online": "online",
            "food": "cibo", "housing": "casa", "work": "lavoro", "income_benefits": "reddito e sussidi", "health": "salute", "care": "assistenza",
            "digital_bureaucratic": "digitale e pratiche", "legal": "legale", "isolation": "solitudine", "education_skills": "formazione",
            "family_minors": "famiglia e minori", "information": "informazione", "referral": "invio", "warm_handoff": "accompagnamento",
            "proposed": "proposto", "sent": "inviato", "accepted": "accettato", "declined": "rifiutato", "completed": "concluso",
            "no_show": "non presentato", "cancelled": "annullato", "food_parcel": "pacco alimentare", "voucher": "buono spesa", "meal": "pasto",
            "psychological_support": "supporto psicologico", "front_desk": "sportello", "presence": "presenza", "accompaniment": "accompagnamento",
            "side_project": "progetti", "training": "formazione", "": "(non indicato)",
        ]
        return italian[key] ?? key
    }
}
