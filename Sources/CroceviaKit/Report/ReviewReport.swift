/// The deduplicator's review queue as one HTML page for a coordinator: the run's figures, then
/// each uncertain pair with the two records side by side and the evidence for and against.
public enum ReviewReport {
    /// Pairs shown on the page; the CSV queue (`--review-csv`) holds them all.
    public static let limit = 1000

    public static func html(_ result: DedupeResult, inputs: [String], language: HTMLReport.Language) -> String {
        func pick(_ it: String, _ en: String) -> String { language == .it ? it : en }
        let escape = HTMLReport.escape
        let summary = result.summary
        let settings = result.deduplicator.settings
        var page = HTMLReport.opening(title: pick("Coppie da verificare", "Pairs to review"), language: language, width: "64rem", style: """
            .pair { border: 1px solid #ccc; border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
            .for { color: #1e6b30; } .against { color: #b02a26; }
            .score { font-weight: 600; font-size: 1.1rem; }
            .note { background: #fff6e0; padding: .25rem .5rem; border-radius: .25rem; }
            """)
        page += """
            <h1>\(pick("Coppie da verificare", "Pairs to review"))</h1>
            <p>\(pick("File", "Files")): \(inputs.map { "<code>\(escape($0))</code>" }.joined(separator: ", "))</p>
            <table>
            <tr><th>\(pick("Record", "Records"))</th><th>\(pick("Organizzazioni", "Organizations"))</th><th>\(pick("Sedi", "Locations"))</th><th>\(pick("Coppie confrontate", "Pairs compared"))</th><th>\(pick("Unite", "Merged"))</th><th>\(pick("Da verificare", "To review"))</th></tr>
            <tr><td>\(summary.records)</td><td>\(summary.organizationClusters)</td><td>\(summary.locationClusters)</td><td>\(summary.blocking.candidatePairs)</td><td>\(summary.merged)</td><td>\(summary.reviewPairs)</td></tr>
            </table>
            <p>\(pick("Soglie: unione da", "Thresholds: merge at")) \(Deduplicator.format(settings.mergeThreshold)), \(pick("verifica da", "review from")) \(Deduplicator.format(settings.reviewThreshold)). \(pick("Ogni coppia ha un punteggio: la somma dei punti a favore (verde) e contro (rosso).", "Each pair's score is the sum of the points for (green) and against (red)."))</p>

            """
        let pairs = result.reviewPairs(limit: limit)
        if pairs.isEmpty {
            page += "<p>\(pick("Nessuna coppia incerta.", "No uncertain pairs."))</p>\n"
        } else if summary.reviewPairs > pairs.count {
            page += "<p>\(pick("Qui le prime \(pairs.count) coppie su \(summary.reviewPairs), dal punteggio più alto; l'elenco completo è nel CSV (--review-csv).", "The first \(pairs.count) of \(summary.reviewPairs) pairs, highest score first; the CSV (--review-csv) has them all."))</p>\n"
        }
        for (number, pair) in pairs.enumerated() {
            page += "<section class=\"pair\">\n<p class=\"score\">\(number + 1). \(pick("Punteggio", "Score")) \(Deduplicator.format(pair.score))</p>\n"
            if let note = pair.note { page += "<p class=\"note\">\(escape(note))</p>\n" }
            page += "<table>\n<tr><th></th><th>\(pick("Fonte", "Source"))</th><th>\(pick("Nome", "Name"))</th><th>id</th><th>\(pick("Riga", "Line"))</th></tr>\n"
            for (label, side) in [("A", pair.left), ("B", pair.right)] {
                page += "<tr><td>\(label)</td><td>\(escape(side.source))</td><td>\(escape(side.name))</td><td><code>\(escape(side.recordID))</code></td><td><code>\(escape(side.origin))</code></td></tr>\n"
            }
            page += "</table>\n<ul>\n"
            for evidence in pair.evidence {
                let kind = evidence.points > 0 ? "for" : "against"
                let sign = evidence.points > 0 ? "+" : ""
                page += "<li class=\"\(kind)\">\(escape(evidence.field)) \(sign)\(Deduplicator.format(evidence.points)): \(escape(evidence.detail))</li>\n"
            }
            page += "</ul>\n</section>\n"
        }
        page += "<footer>Crocevia · \(pick("comuni: Fonte ISTAT", "municipalities: source ISTAT"))</footer>\n</body>\n</html>\n"
        return page
    }
}
