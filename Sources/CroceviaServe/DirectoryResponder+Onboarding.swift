import CroceviaKit
import Dispatch
import Foundation
import Hummingbird
import NIOCore

/// A partner's onboarding page: the upload form, the report, the sheets to download, sending a file.
extension DirectoryResponder {
    /// `/onboarding/{token}`: the upload form (GET) and the report on a file posted to it (POST).
    func onboard(_ request: Request) async -> Response {
        let parts = request.uri.path.dropFirst("/onboarding/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let token = parts[0]
        let lang = (try? Self.parameters(request.uri.query ?? ""))?.last { $0.name == "lang" }?.value == "en" ? "en" : "it"
        // A partner's link: a coordinator's opens /coordination, not this.
        let partner = store.partner(token: token).flatMap { $0.role == "partner" ? $0 : nil }
        let answer: OnboardingPages.Answer
        switch request.method {
        case .get where parts.count == 3 && parts[1] == "annotated", .head where parts.count == 3 && parts[1] == "annotated":
            guard let bytes = onboarding.annotatedSheet(partner: partner, name: parts[2]) else {
                let message = lang == "en" ? "This sheet is no longer kept: upload the file again." : "Questo foglio non è più disponibile: carica di nuovo il file."
                return html(OnboardingPages.Answer(status: 404, html: onboarding.refusalPage(404, message, lang: lang)))
            }
            return Self.workbook(bytes, named: "foglio-con-note.xlsx")
        case .get where parts.count == 2 && parts[1] == "corrections.xlsx":
            // The open corrections of the partner's data, in their columns (their stored profile).
            guard let partner else { return html(onboarding.page(token: token, partner: nil, lang: lang)) }
            let store = store
            let made: [UInt8]? = await Self.offTheEventLoops {
                try? store.read { db in
                    let profile = try partner.profile.map { try ProfileLoader.load(text: $0, name: "profile", schemas: try HSDSSchemas.standard()) }
                    let language: CorrectionSheet.Language = lang == "en" ? .en : .it
                    return try CorrectionSheet.make(Corrections.list(in: db, source: partner.name, openOnly: true), profile: profile,
                                                    language: language, in: db).workbook(language: language)
                }
            }
            guard let made else {
                return html(OnboardingPages.Answer(status: 503, html: onboarding.refusalPage(503, lang == "en" ? "The registry is busy: try again later." : "Il registro è occupato: riprova più tardi.", lang: lang)))
            }
            return Self.workbook(made, named: lang == "en" ? "corrections.xlsx" : "correzioni.xlsx")
        case .get where parts.count == 1, .head where parts.count == 1:
            answer = onboarding.page(token: token, partner: partner, lang: lang)
        case .get, .head:
            let message = lang == "en" ? "There is nothing at this address." : "A questo indirizzo non c'è nulla."
            answer = OnboardingPages.Answer(status: 404, html: onboarding.refusalPage(404, message, lang: lang))
        case .post where parts.count == 1:
            let body: NIOCore.ByteBuffer
            do {
                body = try await request.body.collect(upTo: OnboardingPages.maximumUpload + 64 * 1024)
            } catch {
                let labels = lang == "en" ? OnboardingPages.english : OnboardingPages.italian
                return html(OnboardingPages.Answer(status: 413, html: onboarding.refusalPage(413, "\(labels["too_large"]!) (\(OnboardingPages.maximumUpload >> 20) MB)", lang: lang)))
            }
            answer = await onboarding.upload(token: token, partner: partner, lang: lang, contentType: request.headers[.contentType] ?? "",
                                             body: Array(buffer: body), run: Self.offTheEventLoops)
        case .post where parts.count == 3 && parts[1] == "send":
            // The send form carries only its form token.
            let sent = try? await request.body.collect(upTo: 4096)
            let form = sent.flatMap { try? Self.parameters(String(buffer: $0)) } ?? []
            answer = await onboarding.send(token: token, partner: partner, id: parts[2], lang: lang, fields: form, run: Self.offTheEventLoops) {
                [store] upload, bytes in try store.write(wait: 10) { try PartnerUploads.add(upload, bytes: bytes, in: $0) }
            }
        default:
            return notAllowed(request, "the onboarding page is read with GET and sent with POST", allow: "GET, HEAD, POST")
        }
        return html(answer)
    }
}
