/// The pipeline's run summary: every feed's counts and status, the published directory, and the
/// outcome, as JSON (`summary.json`, for monitoring) and as a page a coordinator reads
/// (`summary.html`, linking each feed's validation report).
struct RunSummaryReport {
    let config: NetworkConfig
    let outcome: PipelineRun.Outcome
    let started: String
    let finished: String

    private static let statusWords = ["succeeded", "data-problems", "feed-unusable", "failed"]

    var json: JSONValue {
        func number(_ n: Int) -> JSONValue { .number(String(n)) }
        let feeds: [JSONValue] = outcome.feeds.map { feed in
            var members: [(key: String, value: JSONValue)] = [
                ("name", .string(feed.name)), ("status", .string(feed.status.rawValue)), ("inputs", .array(feed.inputs.map(JSONValue.string))),
            ]
            if let summary = feed.summary {
                members += [("run_id", .number(String(summary.runID))), ("mode", .string(summary.mode.rawValue)), ("records", number(summary.records)),
                            ("added", number(summary.added)), ("changed", number(summary.changed)), ("unchanged", number(summary.unchanged)),
                            ("removed", number(summary.removed)), ("rejected", number(summary.rejected)),
                            ("report_html", .string(feed.name + ".html")), ("report_json", .string(feed.name + ".json"))]
            }
            members += [("errors", number(feed.errors)), ("warnings", number(feed.warnings))]
            if let message = feed.message { members.append(("message", .string(message))) }
            return .object(JSONObject(members))
        }
        var members: [(key: String, value: JSONValue)] = [
            ("network", .string(config.network)), ("registry", .string(config.registry)), ("started_at", .string(started)),
            ("finished_at", .string(finished)), ("status", .string(Self.statusWords[Int(outcome.exitCode)])),
            ("exit_code", number(Int(outcome.exitCode))), ("feeds", .array(feeds)),
        ]
        if let publish = outcome.publish {
            members.append(("directory", .object(JSONObject([
                ("run_id", .number(String(publish.runID))), ("records", number(publish.records)), ("organizations", number(publish.organizations)),
                ("locations", number(publish.locations)), ("services", number(publish.services)), ("rows", number(publish.rows)),
                ("review_pairs", number(publish.reviewPairs)), ("dangling_keys", number(publish.danglingKeys)),
            ]))))
        }
        members.append(("corrections", .array(outcome.corrections.keys.sorted().map { source in
            let counts = outcome.corrections[source]!
            return .object(JSONObject([("source", .string(source)), ("open", number(counts.open)), ("older_than_30_days", number(counts.stale)),
                                       ("applied", number(counts.applied)), ("rejected", number(counts.rejected))]))
        })))
        if let failure = outcome.failure { members.append(("failure", .string(failure))) }
        return .object(JSONObject(members))
    }

    var html: String {
        let it = config.language == .it
        let e = HTMLReport.escape
        let title = (it ? "Importazione notturna" : "Nightly import") + (config.network.isEmpty ? "" : " — " + config.network)
        let verdicts = it
            ? ["Tutto importato senza errori.", "Importato, con problemi nei dati: vedere i rapporti delle fonti segnate.",
               "Una fonte non è stata importata: il suo profilo o il file di rete non si possono usare.", "Esecuzione fallita: il registro non è stato aggiornato oltre l'ultima fonte riuscita."]
            : ["Everything imported without errors.", "Imported, with data problems: see the reports of the sources marked.",
               "A source was not imported: its profile or the network file cannot be used.", "The run failed: the registry was not updated past the last source that succeeded."]
        var page = HTMLReport.opening(title: title, language: config.language, width: "72rem", style: """
            .ok { color: #1a7f37; } .problem { color: #9a6700; } .failed { color: #cf222e; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            """)
        let verdictClass = outcome.exitCode == 0 ? "ok" : outcome.exitCode == 1 ? "problem" : "failed"
        page += "<h1>\(e(title))</h1>\n<p class=\"\(verdictClass)\"><strong>\(e(verdicts[Int(outcome.exitCode)]))</strong></p>\n"
        page += "<p>\(it ? "Registro" : "Registry"): <code>\(e(config.registry))</code> · \(e(started)) → \(e(finished))</p>\n"
        if let failure = outcome.failure { page += "<p class=\"failed\">\(e(failure))</p>\n" }
        let heads = it ? ["Fonte", "Esito", "Letti", "Nuovi", "Cambiati", "Invariati", "Rimossi", "Scartati", "Errori", "Avvisi"]
                       : ["Source", "Outcome", "Read", "Added", "Changed", "Unchanged", "Removed", "Rejected", "Errors", "Warnings"]
        page += "<h2>\(it ? "Fonti" : "Sources")</h2>\n<table>\n<tr>" + heads.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for feed in outcome.feeds {
            let status: (String, String) = switch feed.status {
            case .succeeded: ("ok", it ? "importata" : "imported")
            case .dataProblems: ("problem", it ? "problemi nei dati" : "data problems")
            case .failed: ("failed", it ? "non importata" : "not imported")
            }
            let name = feed.summary == nil ? e(feed.name) : "<a href=\"\(e(feed.name)).html\">\(e(feed.name))</a>"
            let counts = feed.summary.map { [$0.records, $0.added, $0.changed, $0.unchanged, $0.removed, $0.rejected] } ?? []
            page += "<tr><td>\(name)</td><td class=\"\(status.0)\">\(status.1)\(feed.message.map { "<br><small>\(e($0))</small>" } ?? "")</td>"
            page += (counts.isEmpty ? Array(repeating: "<td></td>", count: 6).joined() : counts.map { "<td class=\"n\">\($0)</td>" }.joined())
            page += "<td class=\"n\">\(feed.errors)</td><td class=\"n\">\(feed.warnings)</td></tr>\n"
        }
        page += "</table>\n"
        if let publish = outcome.publish {
            page += "<h2>\(it ? "Elenco pubblicato" : "Published directory")</h2>\n<table>\n"
            let rows = it
                ? [("Schede attive lette", publish.records), ("Organizzazioni (dopo la deduplicazione)", publish.organizations), ("Sedi", publish.locations),
                   ("Servizi", publish.services), ("Coppie da rivedere", publish.reviewPairs), ("Riferimenti senza destinazione, svuotati", publish.danglingKeys)]
                : [("Active records read", publish.records), ("Organizations (after deduplication)", publish.organizations), ("Locations", publish.locations),
                   ("Services", publish.services), ("Pairs to review", publish.reviewPairs), ("References without a target, emptied", publish.danglingKeys)]
            for (label, value) in rows { page += "<tr><th>\(e(label))</th><td class=\"n\">\(value)</td></tr>\n" }
            page += "</table>\n"
        }
        if !outcome.corrections.isEmpty {
            let heads = it ? ["Fonte", "Aperte", "Di cui da più di 30 giorni", "Applicate", "Respinte"]
                           : ["Source", "Open", "Of which older than 30 days", "Applied", "Rejected"]
            page += "<h2>\(it ? "Correzioni segnalate" : "Corrections reported")</h2>\n<table>\n<tr>" + heads.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
            for source in outcome.corrections.keys.sorted() {
                let counts = outcome.corrections[source]!
                page += "<tr><td>\(e(source))</td>" + [counts.open, counts.stale, counts.applied, counts.rejected].map { "<td class=\"n\">\($0)</td>" }.joined()
                    + "</tr>\n"
            }
            page += "</table>\n"
        }
        page += "<footer>Crocevia · \(it ? "codice di uscita" : "exit code") \(outcome.exitCode)</footer>\n</body>\n</html>\n"
        return page
    }
}
