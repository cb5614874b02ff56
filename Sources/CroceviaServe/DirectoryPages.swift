import CroceviaKit
import Foundation
import Mustache

/// The directory for people (`/directory`, Italian; `?lang=en` for English): a search form with
/// the API's filters (municipality, distance from a postcode, type of activity, age, open on a
/// day and at a time), the results as a list, and a page per service with its places, hours,
/// phones and how to get there. Plain HTML, no JavaScript, made with swift-mustache; every value
/// is escaped by the templates.
struct DirectoryPages: Sendable {
    private let search: MustacheLibrary
    private let service: MustacheLibrary
    private let problem: MustacheLibrary
    private let corrected: MustacheLibrary

    static let perPage = 20

    init() throws {
        search = try PageTemplates.library(PageTemplates.search)
        service = try PageTemplates.library(PageTemplates.service)
        problem = try PageTemplates.library(PageTemplates.problem)
        corrected = try PageTemplates.library(PageTemplates.corrected)
    }

    func answer(path: String, query: [(name: String, value: String)], snapshot: DirectorySnapshot) -> (status: Int, html: String) {
        let lang = query.last { $0.name == "lang" }?.value == "en" ? "en" : "it"
        let labels = lang == "en" ? Self.english : Self.italian
        var form = query.filter { $0.name != "lang" && $0.name != "page" }
        // An empty field of the form is no filter.
        form.removeAll { $0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        var context: [String: Any] = ["lang": lang, "label": labels, "switch_lang": lang == "en" ? "it" : "en",
                                      "switch_url": Self.url(path, form + [("lang", lang == "en" ? "it" : "en")])]
        if path == "/directory" || path == "/directory/" {
            let pageText = query.last { $0.name == "page" }?.value ?? "1"
            let page = Int(pageText).flatMap { $0 >= 1 && $0 <= 100_000 ? $0 : nil } ?? 1
            // A distance only with a postcode: the form always sends one.
            if !form.contains(where: { $0.name == "postcode" }) { form.removeAll { $0.name == "proximity" } }
            context["title"] = labels["heading"]
            context["form"] = Dictionary(form.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let proximity = form.last { $0.name == "proximity" }?.value ?? "2000"
            context["distances"] = ["1000", "2000", "5000", "10000", "25000"].map { value in
                ["value": value, "text": "\(Int(value)! / 1000) km", "selected": value == proximity] as [String: Any]
            }
            let term = form.last { $0.name == "taxonomy_term_id" }?.value
            context["choices"] = DirectoryListing.choices(snapshot).map { ["id": $0.id, "name": $0.name, "selected": $0.id == term] as [String: Any] }
            let day = form.last { $0.name == "day" }?.value
            let days = labels["days"] as! [String]
            context["days"] = Self.dayValues.enumerated().map { index, value in
                ["value": value, "text": days[index], "selected": day.flatMap(OpenHours.day) == index] as [String: Any]
            }
            var status = 200
            do throws(DirectoryError) {
                let asked = form.contains { $0.name == "postcode" } && !form.contains { $0.name == "proximity" } ? form + [("proximity", proximity)] : form
                let (total, cards) = try DirectoryListing.search(snapshot, query: asked, page: page, perPage: Self.perPage)
                context["summary"] = total == 0 ? labels["none"] as! String : total == 1 ? labels["found_one"] as! String : String(format: labels["found"] as! String, total)
                context["cards"] = cards.map { card in Self.card(card, labels: labels) }
                if page > 1 { context["previous"] = Self.url(path, form + [("lang", lang), ("page", String(page - 1))]) }
                if page * Self.perPage < total { context["next"] = Self.url(path, form + [("lang", lang), ("page", String(page + 1))]) }
            } catch {
                status = error.status
                context["error"] = Self.translated(error, labels: labels)
            }
            return (status, search.render(context, withTemplate: "layout") ?? "")
        }
        let parts = path.split(separator: "/").map(String.init)
        if parts.count == 3, parts[1] == "services", let page = DirectoryListing.service(snapshot, id: parts[2]) {
            context["title"] = page.name
            context["page"] = Self.page(page)
            context["hours"] = Self.hours(page.hours, labels: labels)
            context["has_hours"] = !page.hours.isEmpty
            context["phones"] = page.phones.map(Self.phone)
            context["has_phones"] = !page.phones.isEmpty
            context["website"] = page.url.flatMap(Self.website) ?? false
            context["places"] = page.places.map { place in
                [
                    "name": place.name ?? place.address ?? "", "address": place.address ?? false, "municipality": place.municipality ?? false,
                    "transportation": place.transportation ?? false, "hours": Self.hours(place.hours, labels: labels), "has_hours": !place.hours.isEmpty,
                    "phones": place.phones.map(Self.phone),
                    "map": place.latitude.flatMap { latitude in
                        place.longitude.map { "https://www.openstreetmap.org/?mlat=\(latitude)&mlon=\($0)#map=17/\(latitude)/\($0)" }
                    } ?? false,
                ] as [String: Any]
            }
            context["correction_action"] = "/directory/services/\(parts[2])/correction?lang=\(lang)"
            context["fields"] = Corrections.correctableFields(snapshot, serviceID: parts[2]).map { field in
                ["path": field.path, "shown": field.path + ": " + String(field.value.prefix(60))]
            }
            return (200, service.render(context, withTemplate: "layout") ?? "")
        }
        context["title"] = labels["not_found"]
        context["error"] = labels["not_found_text"]
        return (404, problem.render(context, withTemplate: "layout") ?? "")
    }

    /// The page a service page's "report a mistake" form gets back: thanks, or what was wrong.
    func correctionAnswer(_ answer: CorrectionIntake.Answer, serviceID: String, lang: String, snapshot: DirectorySnapshot) -> (status: Int, html: String) {
        let labels = lang == "en" ? Self.english : Self.italian
        var context: [String: Any] = ["lang": lang, "label": labels, "switch_lang": lang == "en" ? "it" : "en", "service_id": serviceID,
                                      "switch_url": Self.url("/directory/services/\(serviceID)", [("lang", lang == "en" ? "it" : "en")])]
        if answer.status == 201 {
            context["title"] = labels["report_thanks_title"]
            context["thanks"] = labels["report_thanks"]
            return (200, corrected.render(context, withTemplate: "layout") ?? "")
        }
        context["title"] = labels["report_refused"]
        context["error"] = (labels["problem_report"] as? String ?? "") + (answer.body.objectValue?["message"]?.stringValue ?? "")
        return (answer.status, corrected.render(context, withTemplate: "layout") ?? "")
    }

    private static func card(_ card: DirectoryListing.Card, labels: [String: any Sendable]) -> [String: Any] {
        let days = labels["days"] as! [String]
        let hours = card.hours.map { days[$0.day] + " " + $0.spans.joined(separator: ", ") }.joined(separator: " · ")
        return [
            "id": card.id, "name": card.name, "organization": card.organization ?? false, "description": card.description ?? false,
            "closed": card.temporarilyClosed, "place": card.place ?? false, "hours_text": hours.isEmpty ? false : hours,
            "distance": card.metres.map { $0 < 1000 ? "\(Int($0.rounded())) m" : String(format: "%.1f km", $0 / 1000) } ?? false,
        ]
    }

    private static func page(_ page: DirectoryListing.Page) -> [String: Any] {
        [
            "name": page.name, "closed": page.temporarilyClosed, "organization": page.organization ?? false, "description": page.description ?? false,
            "ages": page.ages ?? false, "fees": page.fees ?? false, "applicationProcess": page.applicationProcess ?? false,
            "email": page.email ?? false, "url": page.url ?? false,
        ]
    }

    private static func hours(_ hours: [DirectoryListing.Hours], labels: [String: any Sendable]) -> [[String: Any]] {
        let days = labels["days"] as! [String]
        return hours.map { ["day": days[$0.day], "spans": $0.spans.joined(separator: ", ")] }
    }

    /// A phone as shown and as dialled (`tel:` takes digits and a leading +).
    private static func phone(_ number: String) -> [String: Any] {
        ["number": number, "dial": String(number.filter { $0.isNumber || $0 == "+" })]
    }

    /// A website as a link: only http and https (a `javascript:` address is shown as text).
    private static func website(_ text: String) -> String? {
        let lower = text.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return text }
        if lower.hasPrefix("www.") { return "https://" + text }
        return nil
    }

    /// A path with its query, each part percent-encoded.
    static func url(_ path: String, _ query: [(name: String, value: String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let parts = query.map { ($0.name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + ($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    /// The API's message, in English; the Italian page says what the parameter is in Italian and
    /// gives the message after it.
    private static func translated(_ error: DirectoryError, labels: [String: any Sendable]) -> String {
        guard let prefix = labels["problem"] as? String else { return error.message }
        return prefix + error.message
    }

    static let dayValues = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    static let italian: [String: any Sendable] = [
        "directory": "Rete: elenco dei servizi", "switch": "English", "heading": "Trova un servizio",
        "search": "Cosa cerchi", "search_example": "spesa, anziani, compiti, SPID…", "municipality": "Comune",
        "postcode": "CAP", "within": "Entro", "activity": "Tipo di attività", "any": "Qualsiasi", "age": "Età",
        "day": "Aperto il giorno", "time": "Alle ore", "find": "Cerca", "previous": "Precedenti", "next": "Successivi",
        "none": "Nessun servizio trovato: prova con meno filtri.", "found": "%d servizi trovati", "found_one": "1 servizio trovato", "back": "Torna alla ricerca",
        "ages": "Età", "fees": "Costi", "how_to_apply": "Come accedere", "hours": "Orari", "phones": "Telefoni",
        "email": "E-mail", "website": "Sito", "getting_there": "Come arrivare", "map": "Vedi sulla mappa",
        "closed": "Temporaneamente chiuso", "not_found": "Pagina non trovata", "not_found_text": "Questo servizio non è (più) nell'elenco.",
        "problem": "La ricerca non è valida (in inglese): ",
        "report": "Segnala un errore", "report_intro": "Un dato è sbagliato o è cambiato? La segnalazione va a chi gestisce questi dati. La nota e il contatto non vengono pubblicati.",
        "report_field": "Il dato sbagliato", "report_offered": "Il valore giusto", "report_note": "Nota (facoltativa)",
        "report_contact": "Un contatto per chiarimenti (facoltativo)", "report_send": "Invia la segnalazione",
        "report_thanks_title": "Grazie", "report_thanks": "La segnalazione è stata registrata e va a chi gestisce questi dati.",
        "report_refused": "La segnalazione non è stata registrata", "problem_report": "La segnalazione non è valida (in inglese): ",
        "back_to_service": "Torna al servizio",
        "days": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    ]

    static let english: [String: any Sendable] = [
        "directory": "Network: directory of services", "switch": "Italiano", "heading": "Find a service",
        "search": "What are you looking for", "search_example": "shopping, elderly, homework, SPID…", "municipality": "Municipality",
        "postcode": "Postcode", "within": "Within", "activity": "Type of activity", "any": "Any", "age": "Age",
        "day": "Open on", "time": "At", "find": "Search", "previous": "Previous", "next": "Next",
        "none": "No service found: try fewer filters.", "found": "%d services found", "found_one": "1 service found", "back": "Back to the search",
        "ages": "Ages", "fees": "Fees", "how_to_apply": "How to apply", "hours": "Opening hours", "phones": "Phones",
        "email": "E-mail", "website": "Website", "getting_there": "Getting there", "map": "See on the map",
        "closed": "Temporarily closed", "not_found": "Page not found", "not_found_text": "This service is not (or no longer) in the directory.",
        "report": "Report a mistake", "report_intro": "Is something wrong or out of date? The report goes to whoever keeps these data. The note and the contact are not published.",
        "report_field": "What is wrong", "report_offered": "The right value", "report_note": "Note (optional)",
        "report_contact": "A contact for questions (optional)", "report_send": "Send the report",
        "report_thanks_title": "Thank you", "report_thanks": "The report was recorded and goes to whoever keeps these data.",
        "report_refused": "The report was not recorded", "problem_report": "The report is not valid: ",
        "back_to_service": "Back to the service",
        "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    ]
}
