import CroceviaKit
import Dispatch
import Hummingbird
import Logging
import NIOCore

/// What a request carries beside itself: the address it came from (corrections are limited per
/// address).
struct DirectoryContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Answers each request: the method and the query string checked, then the API, its OpenAPI
/// document or a page; reports of mistakes (`POST /corrections`, a service page's form) taken.
/// Every answer but the onboarding page's carries `Access-Control-Allow-Origin: *` (the
/// directory is public) and is logged with its status and time (never a body).
struct DirectoryResponder: HTTPResponder {
    typealias Context = DirectoryContext

    let store: DirectoryStore
    let logger: Logger
    let openAPI: NIOCore.ByteBuffer
    let pages: DirectoryPages
    let onboarding: OnboardingPages
    let corrections = CorrectionIntake()
    let coordination: CoordinationPages

    init(store: DirectoryStore, logger: Logger) throws {
        self.store = store
        self.logger = logger
        openAPI = NIOCore.ByteBuffer(string: JSONText.compact(try OpenAPIDocument.served()))
        pages = try DirectoryPages()
        onboarding = try OnboardingPages()
        coordination = try CoordinationPages()
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        var response: Response
        if request.uri.path.hasPrefix("/onboarding/") || request.uri.path.hasPrefix("/coordination/") {
            // A partner's or a coordinator's own page: not for other sites (no CORS), not kept by caches.
            response = request.uri.path.hasPrefix("/onboarding/") ? await onboard(request) : await coordinate(request)
            response.headers[.cacheControl] = "no-store"
            response.headers[.init("Referrer-Policy")!] = "no-referrer"
        } else if request.uri.path == "/corrections" || Self.isCorrectionForm(request.uri.path) {
            response = await correct(request, from: context.remoteAddress)
            response.headers[.accessControlAllowOrigin] = "*"
        } else {
            response = answer(request)
            response.headers[.accessControlAllowOrigin] = "*"
        }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        logger.info("request", metadata: [
            // An onboarding link's token is a secret: never logged.
            "method": "\(request.method.rawValue)", "path": "\(Self.logged(request.uri.path))",
            "status": "\(response.status.code)",
            "ms": "\((milliseconds * 100).rounded() / 100)",
        ])
        return response
    }

    private func answer(_ request: Request) -> Response {
        switch request.method {
        case .get, .head:
            break
        case .options:
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, HEAD, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "*"
            response.headers[.accessControlMaxAge] = "86400"
            return response
        default:
            var response = json(DirectoryError(status: 405, "\(request.method.rawValue) is not answered here: the directory is read with GET").body, status: 405)
            response.headers[.allow] = "GET, HEAD, OPTIONS"
            return response
        }
        let path = request.uri.path
        let query: [(name: String, value: String)]
        do throws(DirectoryError) {
            query = try Self.parameters(request.uri.query ?? "")
        } catch {
            return json(error.body, status: error.status)
        }
        if path == "/openapi.json" {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: openAPI))
        }
        if path == "/directory" || path.hasPrefix("/directory/") {
            let page = pages.answer(path: path, query: query, snapshot: store.snapshot)
            return Response(status: HTTPResponse.Status(code: page.status), headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: NIOCore.ByteBuffer(string: page.html)))
        }
        var api = DirectoryAPI(snapshot: store.snapshot)
        if let host = request.head.authority, !host.contains(where: { $0 == "/" || $0 == " " }) {
            api.baseURL = "http://" + host
        }
        switch api.answer(path: path, query: query) {
        case .json(let status, let value):
            return json(value, status: status)
        case .lines(let count, let line):
            let body = ResponseBody { writer in
                var buffer = NIOCore.ByteBuffer()
                for index in 0..<count {
                    buffer.writeString(JSONText.compact(line(index)))
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    if buffer.readableBytes >= 65_536 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
        }
    }

    /// The path as the log shows it: a link's token is a secret.
    static func logged(_ path: String) -> String {
        for prefix in ["/onboarding/", "/coordination/"] where path.hasPrefix(prefix) { return prefix + "…" }
        return path
    }

    /// `/coordination/{token}`: the open corrections (GET), a decision on one (POST `…/decide`).
    private func coordinate(_ request: Request) async -> Response {
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
            var response = json(DirectoryError(status: 405, "\(request.method.rawValue) is not answered here").body, status: 405)
            response.headers[.allow] = "GET, HEAD, POST"
            return response
        }
    }

    /// `/directory/services/{id}/correction`: where a service page's form posts.
    static func isCorrectionForm(_ path: String) -> Bool {
        path.hasPrefix("/directory/services/") && path.hasSuffix("/correction")
    }

    /// `POST /corrections` (JSON, answered in JSON) and a service page's form (answered with a page).
    private func correct(_ request: Request, from address: String) async -> Response {
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
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "POST, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Content-Type"
            response.headers[.accessControlMaxAge] = "86400"
            return response
        default:
            var response = json(DirectoryError(status: 405, "\(request.method.rawValue) is not answered here: a correction is sent with POST").body, status: 405)
            response.headers[.allow] = form ? "POST" : "POST, OPTIONS"
            return response
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

    /// `/onboarding/{token}`: the upload form (GET) and the report on a file posted to it (POST).
    private func onboard(_ request: Request) async -> Response {
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
            var response = json(DirectoryError(status: 405, "\(request.method.rawValue) is not answered here: the onboarding page is read with GET and sent with POST").body, status: 405)
            response.headers[.allow] = "GET, HEAD, POST"
            return response
        }
        return html(answer)
    }

    /// Reading and checking a file, or waiting for the registry, takes a while: not on the event loops.
    private static func offTheEventLoops<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// A workbook to download.
    private static func workbook(_ bytes: [UInt8], named name: String) -> Response {
        var buffer = NIOCore.ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: ResponseBody(byteBuffer: buffer))
    }

    private func html(_ answer: OnboardingPages.Answer) -> Response {
        Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: NIOCore.ByteBuffer(string: answer.html)))
    }

    private func json(_ value: JSONValue, status: Int) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: NIOCore.ByteBuffer(string: JSONText.compact(value))))
    }

    /// The query string's parameters, decoded as a form sends them (`+` a space, `%XX` a byte);
    /// one too long, or not UTF-8 once decoded, is a 400.
    /// A form's body is read the same way, up to `limit` bytes.
    static func parameters(_ query: String, limit: Int = DirectoryAPI.maximumQueryLength) throws(DirectoryError) -> [(name: String, value: String)] {
        guard query.utf8.count <= limit else {
            throw DirectoryError("the query string is \(query.utf8.count) bytes long; at most \(limit) are read")
        }
        var pairs: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decoded(halves[0]), let value = decoded(halves.count > 1 ? halves[1] : "") else {
                throw DirectoryError("the query string is not valid: \(String(part.prefix(60))) is not percent-encoded UTF-8")
            }
            pairs.append((name, value))
        }
        return pairs
    }

    private static func decoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
