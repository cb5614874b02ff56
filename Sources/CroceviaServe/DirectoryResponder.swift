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
            return Self.preflight(methods: "GET, HEAD, OPTIONS", headers: "*")
        default:
            return notAllowed(request, "the directory is read with GET", allow: "GET, HEAD, OPTIONS")
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

    /// Reading and checking a file, or waiting for the registry, takes a while: not on the event loops.
    static func offTheEventLoops<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// A workbook to download.
    static func workbook(_ bytes: [UInt8], named name: String) -> Response {
        var buffer = NIOCore.ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: ResponseBody(byteBuffer: buffer))
    }

    func html(_ answer: OnboardingPages.Answer) -> Response {
        Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: NIOCore.ByteBuffer(string: answer.html)))
    }

    /// A CORS preflight's answer: these methods and request headers, for a day.
    static func preflight(methods: String, headers: String) -> Response {
        var response = Response(status: .noContent)
        response.headers[.accessControlAllowMethods] = methods
        response.headers[.accessControlAllowHeaders] = headers
        response.headers[.accessControlMaxAge] = "86400"
        return response
    }

    /// 405, saying how the path is used, with the methods it takes.
    func notAllowed(_ request: Request, _ how: String, allow: String) -> Response {
        var response = json(DirectoryError(status: 405, "\(request.method.rawValue) is not answered here: \(how)").body, status: 405)
        response.headers[.allow] = allow
        return response
    }

    func json(_ value: JSONValue, status: Int) -> Response {
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
