import CroceviaKit
import Dispatch
import Foundation
import Hummingbird
import NIOCore

/// Reports of mistakes (`POST /corrections`, a service page's form) and the coordinators' page.
extension DirectoryResponder {
    /// `/directory/services/{id}/correction`: where a service page's form posts.
    static func isCorrectionForm(_ path: String) -> Bool {
        path.hasPrefix("/directory/services/") && path.hasSuffix("/correction")
    }

    /// `POST /corrections` (JSON, answered in JSON) and a service page's form (answered with a page).
    func correct(_ request: Request, from address: String) async -> Response {
        let form = Self.isCorrectionForm(request.uri.path)
        let lang = (try? Self.parameters(request.uri.query ?? ""))?.last { $0.name == "lang" }?.value == "en" ? "en" : "it"
        func answered(_ answer: CorrectionIntake.Answer, serviceID: String = "") -> Response {
            guard form else { return json(answer.body, status: answer.status) }
            let page = pages.correctionAnswer(answer, serviceID: serviceID, lang: lang, snapshot: store.snapshot)
            return Response(status: HTTPResponse.Status(code: page.status), headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: NIOCore.ByteBuffer(string: page.html)))
        }
        switch request.method {
        case .post:
            break
        case .options where !form:
            return Self.preflight(methods: "POST, OPTIONS", headers: "Content-Type")
        default:
            return notAllowed(request, "a correction is sent with POST", allow: form ? "POST" : "POST, OPTIONS")
        }
        let body: NIOCore.ByteBuffer
        do {
            body = try await request.body.collect(upTo: CorrectionIntake.maximumBody)
        } catch {
            return answered(CorrectionIntake.problem(413, "the body is over \(CorrectionIntake.maximumBody / 1024) KiB; a correction is a few fields"))
        }
        let type = (request.headers[.contentType] ?? "").lowercased()
        let parsed: Result<CorrectionRequest, CorrectionRequest.Problem>
        var serviceID = ""
        if form {
            serviceID = String(request.uri.path.dropFirst("/directory/services/".count).dropLast("/correction".count))
            // The form's text fields, read as the API's members are.
            let fields: [(name: String, value: String)]
            do throws(DirectoryError) {
                fields = try Self.parameters(String(buffer: body), limit: CorrectionIntake.maximumBody)
            } catch {
                return answered(CorrectionIntake.problem(400, "the form is not valid: its fields are not percent-encoded UTF-8"), serviceID: serviceID)
            }
            var members: [(key: String, value: JSONValue)] = [("id", .string(serviceID))]
            for name in ["field", "offered", "note", "contact"] {
                if let value = fields.last(where: { $0.name == name })?.value, !value.isEmpty { members.append((name, .string(value))) }
            }
            parsed = Result { () throws(CorrectionRequest.Problem) in try CorrectionRequest.parse(.object(JSONObject(members))) }
        } else if type.hasPrefix("application/json") {
            parsed = CorrectionIntake.request(fromJSON: Array(buffer: body))
        } else {
            return answered(CorrectionIntake.problem(415, "send the correction as JSON (Content-Type: application/json)"))
        }
        guard corrections.admit(address) else {
            var response = answered(CorrectionIntake.problem(429, "this address sent \(CorrectionIntake.perHour) corrections in the last hour; try again later"),
                                    serviceID: serviceID)
            response.headers[.retryAfter] = "3600"
            return response
        }
        let checkedRequest: CorrectionRequest
        switch parsed {
        case .success(let given): checkedRequest = given
        case .failure(let problem): return answered(CorrectionIntake.problem(400, problem.message), serviceID: serviceID)
        }
        let (snapshot, intake, registry) = (self.store.snapshot, corrections, self.store)
        let answer = await Self.offTheEventLoops {
            intake.take(checkedRequest, snapshot: snapshot) { checked in
                try registry.write(wait: 10) { try Corrections.add(checked, reportedBy: form ? "page" : "api", in: $0) }
            }
        }
        return answered(answer, serviceID: serviceID)
    }

    /// `/coordination/{token}`: the open corrections (GET), a decision on one (POST `…/decide`).
    func coordinate(_ request: Request) async -> Response {
        let parts = request.uri.path.dropFirst("/coordination/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let token = parts[0]
        let lang = (try? Self.parameters(request.uri.query ?? ""))?.last { $0.name == "lang" }?.value == "en" ? "en" : "it"
        let coordinator = store.partner(token: token)
        let pages = coordination, store = store
        let read = { @Sendable (body: (RegistryDatabase) throws -> [CoordinationPages.Entry]) throws in try store.read(body) }
        switch request.method {
        case .get where parts.count == 1, .head where parts.count == 1:
            return html(await Self.offTheEventLoops { pages.page(token: token, coordinator: coordinator, lang: lang, read: read) })
        case .post where parts.count == 2 && parts[1] == "decide":
            let sent = try? await request.body.collect(upTo: 4096)
            let fields = sent.flatMap { try? Self.parameters(String(buffer: $0)) } ?? []
            return html(await Self.offTheEventLoops {
                pages.decide(token: token, coordinator: coordinator, lang: lang, fields: fields, decide: { id, state, who in
                    try store.write(wait: 10) { try Corrections.decide(id, state, by: who, in: $0) }
                }, read: read)
            })
        default:
            return notAllowed(request, "the coordinators' page is read with GET and decided with POST", allow: "GET, HEAD, POST")
        }
    }
}
