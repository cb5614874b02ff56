import CroceviaKit
import Foundation
import Mustache
import Synchronization

/// The onboarding page (`/onboarding/{token}`): a partner, by the link `crocevia partner add`
/// gave them, uploads a file (CSV, xlsx, ods, JSON, XML) and reads what Crocevia makes of it: the
/// file read through their stored profile or one suggested from it, the bilingual validation
/// report, the findings as CSV and, for a workbook, its sheet with a note on each faulty cell to
/// download. Nothing is imported: the file is deleted from disk once the report is made and kept
/// in memory for half an hour (or until the partner's next upload), during which the partner may
/// send it to the coordinators (`/onboarding/{token}/send/{id}`): then it waits in the registry
/// until one accepts it (`crocevia partner accept`, which imports it) or rejects it. Guarded: the
/// token (only its hash is kept), a form token against cross-site posts, a size limit, a time
/// limit, one report at a time per partner; the file's name is shown, never used as a path.
final class OnboardingPages: Sendable {
    /// The largest upload read.
    static let maximumUpload = 20 << 20
    /// Seconds a report may read the file for; what is past it is said unread.
    static let timeLimit = 60.0

    private let form: MustacheLibrary
    private let sent: MustacheLibrary
    private let problem: MustacheLibrary
    private let result: MustacheLibrary
    /// Drawn when the server starts: a form from before a restart is asked for again.
    private let formKey = PartnerAccess.FormKey()
    /// The partners whose report is being made.
    private let busy = Mutex<Set<String>>([])
    /// Each partner's last upload, with its sheet given back with notes, kept for `keptFor`
    /// seconds (or until their next upload), by the id its links name.
    private let kept = Mutex<[String: Kept]>([:])
    static let keptFor: TimeInterval = 30 * 60

    struct Kept {
        let upload: PartnerUploads.Upload
        let bytes: [UInt8]
        let annotated: [UInt8]?
        let made: Date
    }

    init() throws {
        form = try PageTemplates.library(Self.formTemplate)
        sent = try PageTemplates.library(Self.sentTemplate)
        problem = try PageTemplates.library(PageTemplates.problem)
        var result = MustacheLibrary()
        try result.register(Self.resultTemplate, named: "content")
        self.result = result
    }

    struct Answer {
        let status: Int
        let html: String
    }

    /// The upload form for the partner whose token this is.
    func page(token: String, partner: PartnerAccess.Partner?, lang: String) -> Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        guard let partner else { return refusal(404, labels["unknown"]!, lang: lang) }
        return Answer(status: 200, html: render(form, lang: lang, labels: labels, token: token, extra: [
            "partner": partner.name, "form_token": PartnerAccess.formToken(for: token, key: formKey),
            "limit": "\(Self.maximumUpload >> 20) MB",
        ]))
    }

    /// A form posted: checked, the file read, the report made off the event loops (`run` is
    /// given the work and runs it where waiting is allowed).
    func upload(token: String, partner: PartnerAccess.Partner?, lang: String, contentType: String, body: [UInt8],
                run: (@escaping @Sendable () -> Answer) async -> Answer) async -> Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        guard let partner else { return refusal(404, labels["unknown"]!, lang: lang) }
        guard let boundary = Multipart.boundary(of: contentType), let parts = Multipart.parts(body, boundary: boundary) else {
            return refusal(400, labels["not_form"]!, lang: lang)
        }
        let given = parts.first { $0.name == "form_token" }.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
        guard PartnerAccess.checkFormToken(given, for: token, key: formKey) else { return refusal(403, labels["stale"]!, lang: lang) }
        guard let file = parts.first(where: { $0.name == "file" }), !file.bytes.isEmpty else { return refusal(400, labels["no_file"]!, lang: lang) }
        guard busy.withLock({ $0.insert(partner.name).inserted }) else { return refusal(429, labels["busy"]!, lang: lang) }
        let shown = Self.shownName(file.filename)
        let bytes = file.bytes
        let answer = await run { [self] in
            defer { busy.withLock { _ = $0.remove(partner.name) } }
            return report(bytes, shownAs: shown, partner: partner, lang: lang, labels: labels, token: token)
        }
        return answer
    }

    private func report(_ bytes: [UInt8], shownAs: String, partner: PartnerAccess.Partner, lang: String, labels: [String: String], token: String) -> Answer {
        // A folder of the server's making, a name of its choosing: nothing of the upload's name reaches the file system.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let fileExtension = Self.extensionFor(bytes, shownAs: shownAs)
            let path = folder.appendingPathComponent("upload." + fileExtension).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let made = try UploadReport.make(file: path, shownAs: shownAs, partner: partner.name, language: lang == "en" ? .en : .it,
                                             profile: partner.profile, timeLimit: Self.timeLimit)
            let upload = PartnerUploads.Upload(partner: partner.name, fileName: shownAs, fileExtension: fileExtension, profile: made.profile,
                                               records: made.records, errors: made.errors, warnings: made.warnings)
            kept.withLock { $0[partner.name] = Kept(upload: upload, bytes: bytes, annotated: made.annotated, made: Date()) }
            var links = ["send_href": "/onboarding/\(token)/send/\(upload.id)?lang=\(lang)",
                         "form_token": PartnerAccess.formToken(for: token, key: formKey)]
            if made.annotated != nil { links["annotated_href"] = "/onboarding/\(token)/annotated/\(upload.id).xlsx" }
            if made.errors > 0 { links["with_errors"] = "yes" }
            let block = render(result, template: "content", lang: lang, labels: labels, token: token, extra: links.merging([
                "partner": partner.name, "file": shownAs, "records": "\(made.records)", "invalid": "\(made.invalid)",
                "errors": "\(made.errors)", "warnings": "\(made.warnings)", "profile": made.profile,
                "profile_label": made.storedProfile ? labels["stored_profile"]! : labels["profile"]!,
                "findings_href": "data:text/csv;charset=utf-8," + (made.findingsCSV.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            ]) { $1 })
            // The report's own page, with what the partner needs first above it.
            let html = made.html.replacingOccurrences(of: "<body>", with: "<body>\n<section class=\"onboarding\">" + block + "</section>", options: [],
                                                      range: made.html.range(of: "<body>"))
            return Answer(status: 200, html: html)
        } catch let error as CroceviaError {
            return refusal(422, "\(labels["unreadable"]!) \(error.description.replacingOccurrences(of: folder.path + "/", with: ""))", lang: lang)
        } catch {
            return refusal(500, labels["failed"]!, lang: lang)
        }
    }

    /// The partner's last sheet given back with notes, when `name` (`ID.xlsx`) names it and it is still kept.
    func annotatedSheet(partner: PartnerAccess.Partner?, name: String) -> [UInt8]? {
        guard let partner, name.hasSuffix(".xlsx") else { return nil }
        return keptUpload(partner: partner.name, id: String(name.dropLast(5)))?.annotated
    }

    /// The partner's last upload, when `id` names it and it is still kept.
    private func keptUpload(partner: String, id: String) -> Kept? {
        kept.withLock { kept in
            guard let entry = kept[partner] else { return nil }
            if Date().timeIntervalSince(entry.made) > Self.keptFor {
                kept[partner] = nil
                return nil
            }
            return entry.upload.id == id ? entry : nil
        }
    }

    /// The partner sends their last upload to the coordinators (a form posted from the report):
    /// the form token checked, the file still kept, then `save` (run where waiting is allowed)
    /// keeps it in the registry; true from `save` when it was kept, false when the partner
    /// already has as many files waiting as they may.
    func send(token: String, partner: PartnerAccess.Partner?, id: String, lang: String, fields: [(name: String, value: String)],
              run: (@escaping @Sendable () -> Answer) async -> Answer,
              save: @escaping @Sendable (PartnerUploads.Upload, [UInt8]) throws -> Bool) async -> Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        guard let partner else { return refusal(404, labels["unknown"]!, lang: lang) }
        guard PartnerAccess.checkFormToken(fields.last { $0.name == "form_token" }?.value ?? "", for: token, key: formKey) else {
            return refusal(403, labels["stale"]!, lang: lang)
        }
        guard let entry = keptUpload(partner: partner.name, id: id) else { return refusal(404, labels["gone"]!, lang: lang) }
        return await run { [self] in
            do {
                guard try save(entry.upload, entry.bytes) else {
                    return refusal(429, "\(labels["too_many"]!) (\(PartnerUploads.waitingPerPartner))", lang: lang)
                }
            } catch {
                return refusal(503, labels["not_sent"]!, lang: lang)
            }
            kept.withLock { kept in
                if kept[partner.name]?.upload.id == id { kept[partner.name] = nil }
            }
            return Answer(status: 200, html: render(sent, lang: lang, labels: labels, token: token, extra: [
                "partner": partner.name, "file": entry.upload.fileName,
            ]))
        }
    }

    /// A page that says what is wrong, for an answer the responder makes itself (a body too large).
    func refusalPage(_ status: Int, _ message: String, lang: String) -> String {
        refusal(status, message, lang: lang).html
    }

    private func refusal(_ status: Int, _ message: String, lang: String) -> Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        return Answer(status: status, html: render(problem, lang: lang, labels: labels, token: "", extra: ["title": labels["title"]!, "error": message]))
    }

    private func render(_ library: MustacheLibrary, template: String = "layout", lang: String, labels: [String: String], token: String,
                        extra: [String: String]) -> String {
        var context: [String: Any] = ["lang": lang, "label": labels, "token": token, "switch_lang": lang == "en" ? "it" : "en",
                                      "switch_url": "/onboarding/\(token)?lang=\(lang == "en" ? "it" : "en")", "title": labels["title"]!]
        for (key, value) in extra { context[key] = value }
        return library.render(context, withTemplate: template) ?? ""
    }

    /// The file's name as the partner gave it, for showing only: its last path component, at most 120 characters.
    static func shownName(_ filename: String?) -> String {
        let last = (filename ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.filter { !$0.isNewline && $0 != "\0" }.prefix(120))
        return clean.isEmpty ? "upload" : clean
    }

    /// The extension the upload is saved with: a workbook by its content, else the partner's own
    /// extension when it is one crocevia reads, else csv.
    static func extensionFor(_ bytes: [UInt8], shownAs: String) -> String {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return shownAs.lowercased().hasSuffix(".ods") ? "ods" : "xlsx" }
        let given = shownAs.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return ["csv", "txt", "json", "jsonl", "xml"].contains(given) ? given : "csv"
    }

    static let formTemplate = """
        <h1>{{label.title}}</h1>
        <p>{{label.for}} <strong>{{partner}}</strong></p>
        <p>{{label.intro}}</p>
        <form method="post" enctype="multipart/form-data" action="/onboarding/{{token}}?lang={{lang}}">
        <input type="hidden" name="form_token" value="{{form_token}}">
        <label class="wide">{{label.file}} ({{label.formats}}, {{label.at_most}} {{limit}})<input type="file" name="file" required></label>
        <button type="submit">{{label.send}}</button>
        </form>
        <p class="muted">{{label.nothing_imported}}</p>
        <p><a href="/onboarding/{{token}}/corrections.xlsx?lang={{lang}}">{{label.corrections}}</a></p>
        """

    static let resultTemplate = """
        <h1>{{label.title}}: {{file}}</h1>
        <p>{{label.for}} <strong>{{partner}}</strong>. {{label.read}} {{records}} · {{label.invalid}} {{invalid}} · {{label.errors}} {{errors}} · {{label.warnings}} {{warnings}}</p>
        <p class="muted">{{label.nothing_imported}}</p>
        <p><a href="{{findings_href}}" download="findings.csv">{{label.download}}</a>{{#annotated_href}} · <a href="{{annotated_href}}" download="{{label.annotated_file}}">{{label.annotated}}</a>{{/annotated_href}} · <a href="/onboarding/{{token}}?lang={{lang}}">{{label.again}}</a></p>
        <form method="post" action="{{send_href}}">
        <input type="hidden" name="form_token" value="{{form_token}}">
        <p>{{label.send_intro}}{{#with_errors}} {{label.send_errors}}{{/with_errors}}</p>
        <button type="submit">{{label.send_file}}</button>
        </form>
        <details><summary>{{profile_label}}</summary><pre>{{profile}}</pre></details>
        """

    static let sentTemplate = """
        <h1>{{label.title}}: {{file}}</h1>
        <p>{{label.for}} <strong>{{partner}}</strong>. {{label.sent}}</p>
        <p><a href="/onboarding/{{token}}?lang={{lang}}">{{label.again}}</a></p>
        """

    static let italian: [String: String] = [
        "title": "Caricamento dei dati", "directory": "Rete: elenco dei servizi", "switch": "English", "for": "Per",
        "intro": "Carica il file dei tuoi servizi così com'è (un foglio Excel o LibreOffice, un CSV, JSON o XML): Crocevia propone come leggerlo e dice che cosa va corretto, colonna per colonna.",
        "file": "Il file", "formats": "xlsx, ods, csv, json, xml", "at_most": "al massimo", "send": "Controlla il file",
        "nothing_imported": "Nulla viene importato senza il coordinamento della rete: dopo il controllo il file viene cancellato, a meno che tu non lo invii al coordinamento.",
        "read": "Righe lette:", "invalid": "da correggere:", "errors": "errori:", "warnings": "avvisi:",
        "download": "Scarica le segnalazioni (CSV)", "annotated": "Scarica il foglio con una nota su ogni cella da correggere", "annotated_file": "foglio-con-note.xlsx", "again": "Carica un altro file", "profile": "Come Crocevia legge il file (profilo proposto)",
        "unknown": "Questo collegamento non è valido o è stato revocato: chiedine uno nuovo al coordinamento della rete.",
        "not_form": "La richiesta non è un modulo con un file.", "stale": "Il modulo è scaduto: ricarica la pagina e riprova.",
        "no_file": "Scegli un file da caricare.", "busy": "Un altro tuo file è in controllo: attendi che finisca e riprova.",
        "too_large": "Il file supera il limite.", "unreadable": "Il file non si può leggere:", "failed": "Il controllo non è riuscito; riprova più tardi.",
        "stored_profile": "Come Crocevia legge il file (il profilo concordato con il coordinamento)",
        "corrections": "Scarica le correzioni segnalate sui tuoi dati, nelle tue colonne (xlsx)",
        "send_intro": "Se la lettura è giusta, invia il file al coordinamento della rete: lo importerà dopo averlo guardato.",
        "send_errors": "Le righe con errori non verranno importate finché non sono corrette.",
        "send_file": "Invia il file al coordinamento",
        "sent": "Il file è stato inviato al coordinamento della rete, che lo importerà dopo averlo guardato. Grazie!",
        "gone": "Questo file non è più disponibile: caricalo di nuovo.",
        "too_many": "Hai già troppi file in attesa del coordinamento: aspetta che li guardi.",
        "not_sent": "Il file non è stato inviato: il registro della rete è occupato. Riprova tra qualche minuto.",
    ]

    static let english: [String: String] = [
        "title": "Uploading data", "directory": "Network: directory of services", "switch": "Italiano", "for": "For",
        "intro": "Upload your services' file as it is (an Excel or LibreOffice sheet, a CSV, JSON or XML file): Crocevia suggests how to read it and says what to fix, column by column.",
        "file": "The file", "formats": "xlsx, ods, csv, json, xml", "at_most": "at most", "send": "Check the file",
        "nothing_imported": "Nothing is imported without the network's coordinators: after the check the file is deleted, unless you send it to them.",
        "read": "Rows read:", "invalid": "to fix:", "errors": "errors:", "warnings": "warnings:",
        "download": "Download the findings (CSV)", "annotated": "Download the sheet with a note on each cell to fix", "annotated_file": "sheet-with-notes.xlsx", "again": "Upload another file", "profile": "How Crocevia reads the file (the suggested profile)",
        "unknown": "This link is not valid or was revoked: ask the network's coordinators for a new one.",
        "not_form": "The request is not a form with a file.", "stale": "The form has expired: reload the page and try again.",
        "no_file": "Choose a file to upload.", "busy": "Another of your files is being checked: wait for it to finish and try again.",
        "too_large": "The file is over the limit.", "unreadable": "The file cannot be read:", "failed": "The check failed; try again later.",
        "stored_profile": "How Crocevia reads the file (the profile agreed with the coordinators)",
        "corrections": "Download the corrections reported on your data, in your columns (xlsx)",
        "send_intro": "If it reads right, send the file to the network's coordinators: they will import it once they have looked at it.",
        "send_errors": "Rows with errors will not be imported until they are fixed.",
        "send_file": "Send the file to the coordinators",
        "sent": "The file was sent to the network's coordinators, who will import it once they have looked at it. Thank you!",
        "gone": "This file is no longer kept: upload it again.",
        "too_many": "You already have too many files waiting for the coordinators: wait until they have looked at them.",
        "not_sent": "The file was not sent: the network's registry is busy. Try again in a few minutes.",
    ]
}
