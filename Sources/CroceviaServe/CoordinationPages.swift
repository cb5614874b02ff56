import CroceviaKit
import Foundation
import Mustache

/// The coordinators' page (`/coordination/{token}`, for a link made with `crocevia partner add
/// NAME --role coordinator`): the open corrections, each with where it goes, what is shown and
/// offered, and its note and contact (this page only: no cache, no CORS, the token kept out of
/// the logs), to accept or reject. A decision is posted with the page's form token and recorded
/// under the coordinator's name, as `crocevia correction accept|reject` does.
final class CoordinationPages: Sendable {
    /// An open correction with its note and contact, as this page shows it.
    typealias Entry = (correction: Correction, note: String?, contact: String?)
    /// Reads the registry off the event loops.
    typealias Reader = ((RegistryDatabase) throws -> [Entry]) throws -> [Entry]

    private let list: MustacheLibrary
    private let problem: MustacheLibrary
    private let formKey = PartnerAccess.FormKey()

    init() throws {
        list = try PageTemplates.library(Self.listTemplate)
        problem = try PageTemplates.library(PageTemplates.problem)
    }

    /// The page: the open corrections as the registry holds them now (`read` runs off the event loops).
    func page(token: String, coordinator: PartnerAccess.Partner?, lang: String, notice: String? = nil,
              read: Reader) -> OnboardingPages.Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        guard let coordinator, coordinator.role == "coordinator" else { return refusal(404, labels["unknown"]!, lang: lang) }
        let open: [Entry]
        do {
            open = try read { db in
                try Corrections.list(in: db, openOnly: true).map { correction in
                    let text = try Corrections.privateText(correction.id, in: db)
                    return (correction, text.note, text.contact)
                }
            }
        } catch {
            return refusal(503, labels["busy"]!, lang: lang)
        }
        let rows: [[String: Any]] = open.map { entry in
            let correction = entry.correction
            return [
                "id": correction.id, "source": correction.route.source, "service": correction.serviceID, "field": correction.field,
                "shown": correction.previous?.plainText ?? "", "offered": correction.offered.plainText, "state": labels[correction.state.rawValue] ?? "",
                "pending": correction.state == .pending, "note": entry.note ?? false, "contact": entry.contact ?? false,
                "reported": String(correction.createdAt.prefix(10)) + " · " + correction.reportedBy,
            ]
        }
        let context: [String: Any] = [
            "lang": lang, "label": labels, "title": labels["title"]!, "switch_lang": lang == "en" ? "it" : "en",
            "switch_url": "/coordination/\(token)?lang=\(lang == "en" ? "it" : "en")", "coordinator": coordinator.name, "rows": rows,
            "none": rows.isEmpty, "action": "/coordination/\(token)/decide?lang=\(lang)", "form_token": PartnerAccess.formToken(for: token, key: formKey),
            "notice": notice ?? false,
        ]
        return OnboardingPages.Answer(status: 200, html: list.render(context, withTemplate: "layout") ?? "")
    }

    /// A decision posted: checked, then `decide` (off the event loops) records it; the page again, with what was done.
    func decide(token: String, coordinator: PartnerAccess.Partner?, lang: String, fields: [(name: String, value: String)],
                decide: (String, Correction.State, String) throws -> Correction,
                read: Reader) -> OnboardingPages.Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        guard let coordinator, coordinator.role == "coordinator" else { return refusal(404, labels["unknown"]!, lang: lang) }
        func field(_ name: String) -> String { fields.last { $0.name == name }?.value ?? "" }
        guard PartnerAccess.checkFormToken(field("form_token"), for: token, key: formKey) else { return refusal(403, labels["stale"]!, lang: lang) }
        let state: Correction.State
        switch field("decision") {
        case "accept": state = .accepted
        case "reject": state = .rejected
        default: return refusal(400, labels["no_decision"]!, lang: lang)
        }
        let id = field("id")
        do {
            let decided = try decide(id, state, coordinator.name)
            return page(token: token, coordinator: coordinator, lang: lang,
                        notice: "\(labels[decided.state.rawValue]!): \(decided.field) → \(decided.offered.plainText)", read: read)
        } catch CroceviaError.usage(let message) {
            // Decided already, or no such correction.
            return refusal(409, message, lang: lang)
        } catch {
            return refusal(503, labels["busy"]!, lang: lang)
        }
    }

    private func refusal(_ status: Int, _ message: String, lang: String) -> OnboardingPages.Answer {
        let labels = lang == "en" ? Self.english : Self.italian
        let context: [String: Any] = ["lang": lang, "label": labels, "title": labels["title"]!, "error": message,
                                      "switch_lang": lang == "en" ? "it" : "en", "switch_url": "?lang=\(lang == "en" ? "it" : "en")"]
        return OnboardingPages.Answer(status: status, html: problem.render(context, withTemplate: "layout") ?? "")
    }

    static let listTemplate = """
        <h1>{{label.title}}</h1>
        <p>{{label.for}} <strong>{{coordinator}}</strong>. {{label.intro}}</p>
        {{#notice}}<p class="ok" role="status">{{notice}}</p>{{/notice}}
        {{#none}}<p>{{label.none}}</p>{{/none}}
        {{#rows}}
        <section class="correction">
        <h2>{{field}} <small>({{state}})</small></h2>
        <p>{{label.source}}: <strong>{{source}}</strong> · <a href="/directory/services/{{service}}?lang={{lang}}">{{label.service}}</a> · {{reported}}</p>
        <p>{{label.shown}}: <code>{{shown}}</code> → {{label.offered}}: <code>{{offered}}</code></p>
        {{#note}}<p>{{label.note}}: {{note}}</p>{{/note}}
        {{#contact}}<p>{{label.contact}}: {{contact}}</p>{{/contact}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="form_token" value="{{form_token}}"><input type="hidden" name="id" value="{{id}}">
        {{#pending}}<button type="submit" name="decision" value="accept">{{label.accept}}</button> {{/pending}}<button type="submit" name="decision" value="reject">{{label.reject}}</button>
        </form>
        </section>
        {{/rows}}
        """

    static let italian: [String: String] = [
        "title": "Correzioni segnalate", "directory": "Rete: elenco dei servizi", "switch": "English", "for": "Per",
        "intro": "Le correzioni aperte. Accoglierne una la mostra nell'elenco finché la fonte non la riporta nei suoi dati; respingerla la chiude. Note e contatti sono solo qui.",
        "none": "Nessuna correzione aperta.", "source": "Va a", "service": "il servizio", "shown": "Mostrato", "offered": "proposto",
        "note": "Nota", "contact": "Contatto", "accept": "Accogli", "reject": "Respingi",
        "pending": "da verificare", "accepted": "accolta", "rejected": "respinta", "applied": "applicata",
        "unknown": "Questo collegamento non è valido o è stato revocato.", "stale": "Il modulo è scaduto: ricarica la pagina e riprova.",
        "no_decision": "Scegli se accogliere o respingere.", "busy": "Il registro della rete è occupato: riprova tra qualche minuto.",
    ]

    static let english: [String: String] = [
        "title": "Corrections reported", "directory": "Network: directory of services", "switch": "Italiano", "for": "For",
        "intro": "The open corrections. Accepting one shows it in the directory until its source's data carry it; rejecting closes it. Notes and contacts are on this page only.",
        "none": "No open correction.", "source": "Goes to", "service": "the service", "shown": "Shown", "offered": "offered",
        "note": "Note", "contact": "Contact", "accept": "Accept", "reject": "Reject",
        "pending": "to check", "accepted": "accepted", "rejected": "rejected", "applied": "applied",
        "unknown": "This link is not valid or was revoked.", "stale": "The form has expired: reload the page and try again.",
        "no_decision": "Choose to accept or to reject.", "busy": "The network's registry is busy: try again in a few minutes.",
    ]
}
