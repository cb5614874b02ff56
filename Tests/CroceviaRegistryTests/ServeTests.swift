import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Testing
@testable import CroceviaKit
@testable import CroceviaServe

extension RegistryTests {
/// `crocevia serve` on the sample network: a real server on a loopback port, over a SQLite file
/// and a PostgreSQL database the pipeline filled, asked over HTTP.
@Suite("The directory served over HTTP")
struct ServeTests {
    /// The requests whose answers `Serve/api-answers.txt` holds, byte for byte. The ids are the
    /// sample network's (UUIDv5 of the feeds' keys, the same every run).
    static let requests = [
        "/",
        "/services?per_page=3",
        "/services?page=16&per_page=3",
        "/services?page=17&per_page=3",
        "/services/309e0076-4453-5688-8efb-62adcead994c",
        "/services?search=spesa&minimal=true",
        "/services?search=SPESA+a+domicilio",
        "/services?search=anziano&minimal=true",
        "/services?search=spesa&municipality=Torino&minimal=true",
        "/service_at_locations?search=money&lat=55.777&lng=-4.04&radius=3000",
        "/services?municipality=001125&minimal=true",
        "/services?taxonomy_term_id=da993b1a-03a7-5cd3-8bb5-16df62ffa86f",
        "/services?taxonomy_id=012a3bce-09b4-535e-850a-2555ddf54807&minimal=true",
        "/services?organization_id=a6b6d756-e516-5639-b8c8-9d84eb5650d3&minimal=true",
        "/services?modified_after=2026-10-06T00:00:00%2B02:00&minimal=true",
        "/services?day=lunedi&time=10:00&minimal=true",
        "/services?day=SA&minimal=true",
        "/services?age=65&municipality=Collegno&minimal=true",
        "/services?format=ndjson&search=spesa&minimal=true",
        "/service_at_locations?lat=55.777&lng=-4.04&radius=3000&sort=distance",
        "/service_at_locations?postcode=10152&per_page=2",
        "/service_at_locations/d3afee77-4030-53bc-b712-6baafc06de95",
        "/organizations?search=porta",
        "/organizations/a6b6d756-e516-5639-b8c8-9d84eb5650d3",
        "/taxonomies",
        "/taxonomies/012a3bce-09b4-535e-850a-2555ddf54807",
        "/taxonomy_terms?taxonomy_id=012a3bce-09b4-535e-850a-2555ddf54807&per_page=2",
        "/taxonomy_terms/da993b1a-03a7-5cd3-8bb5-16df62ffa86f",
        // What the server refuses, with the body that says why.
        "/services?per_page=5000",
        "/services?page=-1",
        "/services?page=1.5",
        "/services?foo=1",
        "/services?search=a&search=b",
        "/services/not-a-uuid",
        "/services/00000000-0000-4000-8000-000000000000",
        "/services?organization_id=xyz",
        "/services?sort=distance",
        "/services?proximity=100",
        "/service_at_locations?postcode=99999&proximity=1000",
        "/services?municipality=Springfield",
        "/services?day=someday",
        "/services?time=25:00",
        "/services?lat=45",
        "/services?modified_after=yesterday",
        "/services?format=ndjson&per_page=2&organization_id=a6b6d756-e516-5639-b8c8-9d84eb5650d3&minimal=true",
        "/services?format=xml",
        "/taxonomies/012a3bce-09b4-535e-850a-2555ddf54807?full=true",
        "/nothing",
    ]

    static let answersFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Serve/api-answers.txt").path

    @Test("every endpoint and filter answers as Serve/api-answers.txt says, byte for byte", arguments: Backend.allCases)
    func answers(backend: Backend) async throws {
        let url = try Self.sampleRegistry(backend)
        let text = try await Self.serving(url, backend: backend) { base in
            var text = ""
            for request in Self.requests {
                let answer = try await Self.get(base + request)
                // The port is the system's choice: the golden says PORT.
                let body = answer.body.replacingOccurrences(of: base, with: "http://127.0.0.1:PORT")
                text += "GET \(request)\n\(answer.status) \(answer.type)\n\(body)\n\n"
            }
            return text
        }
        if ProcessInfo.processInfo.environment["CROCEVIA_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: Self.answersFile, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.answersFile, encoding: .utf8)
        let got = text.components(separatedBy: "\n\n"), wanted = expected.components(separatedBy: "\n\n")
        for (index, answer) in got.enumerated() where index >= wanted.count || wanted[index] != answer {
            Issue.record("the answer differs from Serve/api-answers.txt:\n\(answer)\n--- expected:\n\(index < wanted.count ? wanted[index] : "nothing")")
            break
        }
        #expect(got.count == wanted.count)
    }

    @Test("pages agree with total_pages and with the ndjson stream; every listed id resolves; each answer is valid HSDS", arguments: Backend.allCases)
    func pagesAndSchemas(backend: Backend) async throws {
        let url = try Self.sampleRegistry(backend)
        let service = try SchemaLoader.hsds(.service), organization = try SchemaLoader.hsds(Target("organization")!)
        let link = try SchemaLoader.hsds(Target("service_at_location")!)
        try await Self.serving(url, backend: backend) { base in
            for (list, validator) in [("services", service), ("service_at_locations", link), ("organizations", organization)] {
                let first = try Self.json(try await Self.get(base + "/\(list)?per_page=7").body)
                let pages = Int(first["total_pages"]?.cellText ?? "") ?? 0
                var ids: [String] = []
                for page in 1...pages {
                    let answer = try Self.json(try await Self.get(base + "/\(list)?per_page=7&page=\(page)").body)
                    #expect(answer["page_number"] == .number(String(page)))
                    #expect(answer["last_page"] == .bool(page == pages))
                    for item in answer["contents"]?.arrayValue ?? [] {
                        #expect(validator.isValid(item), "\(list) item \(item["id"]?.stringValue ?? "?")")
                        ids.append(item["id"]?.stringValue ?? "")
                    }
                }
                #expect(ids.count == Int(first["total_items"]?.cellText ?? ""))
                let stream = try await Self.get(base + "/\(list)?format=ndjson")
                #expect(stream.type == "application/x-ndjson")
                let streamed = try stream.body.split(separator: "\n").map { try Self.json(String($0))["id"]?.stringValue ?? "" }
                #expect(streamed == ids, "\(list)")
                for id in ids {
                    let one = try await Self.get(base + "/\(list)/\(id)")
                    #expect(one.status == 200, "\(list)/\(id)")
                    #expect(validator.isValid(try Self.json(one.body)), "\(list)/\(id)")
                }
            }
            #expect(try Self.json(try await Self.get(base + "/services").body)["total_items"] == .number("48"))
        }
    }

    @Test("a pipeline run while the server answers makes no request fail, and its directory is served once it has published", arguments: Backend.allCases)
    func pipelineWhileServing(backend: Backend) async throws {
        let url = try Self.sampleRegistry(backend)
        try await Self.serving(url, backend: backend, refresh: 0.1) { base in
            let before = try Self.json(try await Self.get(base + "/services?per_page=1").body)
            #expect(before["total_items"] == .number("48"))
            // Asked until told to stop, never cancelled: cancelling a request in flight can
            // deadlock FoundationNetworking's URLSession on Linux.
            let stop = StopFlag()
            let asking = Task { () -> [String] in
                var seen: [String] = []
                while !stop.isSet {
                    let answer = try await Self.get(base + "/services?per_page=1")
                    seen.append("\(answer.status) " + (try Self.json(answer.body)["total_items"]?.cellText ?? "?"))
                }
                return seen
            }
            let reports = try temporaryFolder()
            let outcome = try await Task.detached {
                PipelineRun(config: try sampleNetworkConfig(reports: reports, registry: url), open: { _ in try backend.reopen(url) }) { _ in }.run()
            }.value
            #expect(outcome.exitCode == 0)
            // The server takes the new publish within a few looks at the registry.
            let db = try backend.reopen(url)
            let published = try DirectorySnapshot.lastPublish(in: db)
            db.close()
            var served: JSONValue = .null
            for _ in 0..<100 {
                served = try Self.json(try await Self.get(base + "/").body)
                if served["publish_run"] == .number(String(published)) { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            stop.set()
            let seen = try await asking.value
            #expect(!seen.isEmpty)
            #expect(seen.allSatisfy { $0 == "200 48" }, "\(Set(seen))")
            #expect(served["publish_run"] == .number(String(published)))
        }
    }

    @Test("a hostile value is escaped on the pages; the form keeps what was asked; a page per service", arguments: [Backend.sqlite])
    func pagesForPeople(backend: Backend) async throws {
        let url = try Self.sampleRegistry(backend)
        try await Self.serving(url, backend: backend) { base in
            let search = try await Self.get(base + "/directory?search=%3Cscript%3Espesa&municipality=Torino")
            #expect(search.status == 200 && search.type == "text/html; charset=utf-8")
            #expect(search.body.contains(#"value="&lt;script&gt;spesa""#))
            #expect(!search.body.contains("<script"))
            #expect(search.body.contains("Nessun servizio trovato"))
            let found = try await Self.get(base + "/directory?search=spesa&municipality=Torino&lang=en")
            #expect(found.body.contains("<p class=\"muted\" aria-live=\"polite\">3 services found</p>"))
            #expect(found.body.contains(#"<a href="/directory/services/309e0076-4453-5688-8efb-62adcead994c?lang=en">Buoni spesa</a>"#))
            // Spesa sospesa is temporarily closed, and the page says so.
            #expect(found.body.contains(#"<a href="/directory/services/008336b7-3200-5cd2-b5ac-866f0eff3e7c?lang=en">Spesa sospesa</a></h2>"#
                                        + "\n<p class=\"closed\">Temporarily closed</p>"))
            let page = try await Self.get(base + "/directory/services/309e0076-4453-5688-8efb-62adcead994c")
            #expect(page.body.contains("<h1>Buoni spesa</h1>"))
            #expect(page.body.contains("<dt>mercoledì</dt><dd>14:00–17:00</dd>"))
            #expect(page.body.contains(#"<a href="tel:+390112481632">+39 011 248 16 32</a>"#))
            #expect(page.body.contains("<p>Via Cigna 2, 10152 Torino</p>"))
            let one = try await Self.get(base + "/directory?search=bici&lang=en")
            #expect(one.body.contains("<p class=\"muted\" aria-live=\"polite\">1 service found</p>"))
            let bad = try await Self.get(base + "/directory?day=someday")
            #expect(bad.status == 400 && bad.body.contains("day must be a day of the week"))
            #expect(try await Self.get(base + "/directory/services/00000000-0000-4000-8000-000000000000").status == 404)
        }
    }

    @Test("a method other than GET, a 10 KB query string, a query that is not UTF-8: refused with a JSON body; CORS on every answer")
    func badRequests() async throws {
        let url = try Self.sampleRegistry(.sqlite)
        try await Self.serving(url, backend: .sqlite) { base in
            var post = URLRequest(url: URL(string: base + "/services")!)
            post.httpMethod = "POST"
            let (posted, postResponse) = try await URLSession.shared.data(for: post)
            #expect((postResponse as! HTTPURLResponse).statusCode == 405)
            #expect(String(decoding: posted, as: UTF8.self) == #"{"status":405,"error":"method not allowed","message":"POST is not answered here: the directory is read with GET"}"#)
            let long = try await Self.get(base + "/services?search=" + String(repeating: "a", count: 10_000))
            #expect(long.status == 400)
            #expect(long.body == #"{"status":400,"error":"bad request","message":"the query string is 10007 bytes long; at most 2048 are read"}"#)
            var options = URLRequest(url: URL(string: base + "/services")!)
            options.httpMethod = "OPTIONS"
            let (_, preflight) = try await URLSession.shared.data(for: options)
            #expect((preflight as! HTTPURLResponse).statusCode == 204)
            #expect((preflight as! HTTPURLResponse).value(forHTTPHeaderField: "Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS")
            let (_, plain) = try await URLSession.shared.data(for: URLRequest(url: URL(string: base + "/services/not-a-uuid")!))
            #expect((plain as! HTTPURLResponse).value(forHTTPHeaderField: "Access-Control-Allow-Origin") == "*")
        }
        #expect(throws: DirectoryError("the query string is not valid: search=%ZZ is not percent-encoded UTF-8")) {
            try DirectoryResponder.parameters("search=%ZZ")
        }
        #expect(throws: DirectoryError("the query string is not valid: search=%C3 is not percent-encoded UTF-8")) {
            try DirectoryResponder.parameters("search=%C3")
        }
        #expect(try DirectoryResponder.parameters("search=caff%C3%A8+sospeso&day=").map { "\($0.name)=\($0.value)" } == ["search=caffè sospeso", "day="])
    }

    // MARK: Support

    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// The sample network published into an empty registry of `backend`; its URL.
    static func sampleRegistry(_ backend: Backend) throws -> String {
        let (db, url) = try backend.fresh()
        db.close()
        let outcome = PipelineRun(config: try sampleNetworkConfig(reports: try temporaryFolder(), registry: url), open: { _ in try backend.reopen(url) }) { _ in }.run()
        guard outcome.exitCode == 0 else { throw RegistryTestError("the sample pipeline failed (exit \(outcome.exitCode))") }
        return url
    }

    /// A server on a port the system chooses, over the registry at `url`; `body` is given its
    /// base URL (`http://127.0.0.1:PORT`). The server stops when `body` returns.
    static func serving<T: Sendable>(_ url: String, backend: Backend, refresh: Double = 60, log: LogCapture? = nil,
                                     _ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
        let store = try DirectoryStore(db: try backend.reopen(url))
        defer { store.close() }
        var server = DirectoryServer(store: store, logger: Logger(label: "test") { _ in
            log.map { LogCapture.Handler(capture: $0) as LogHandler } ?? SwiftLogNoOpLogHandler()
        })
        server.port = 0
        server.refreshInterval = refresh
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let running = Task { [server] in
            defer { continuation.finish() }
            // No signal handlers in a test process: SIGTERM still ends it.
            try await server.run(handlingSignals: false) { continuation.yield($0) }
        }
        var port = 0
        for await given in ports { port = given; break }
        guard port > 0 else {
            _ = try await running.value
            throw RegistryTestError("the server did not start")
        }
        // The server is stopped, and waited for, before the registry closes.
        let value: T
        do {
            value = try await body("http://127.0.0.1:\(port)")
        } catch {
            running.cancel()
            _ = try? await running.value
            throw error
        }
        running.cancel()
        _ = try? await running.value
        return value
    }

    static func get(_ address: String) async throws -> (status: Int, type: String, body: String) {
        var request = URLRequest(url: URL(string: address)!)
        request.timeoutInterval = 20
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
    }

    static func json(_ text: String) throws -> JSONValue {
        guard let value = JSONText.parse(text) else { throw RegistryTestError("not JSON: \(text.prefix(200))") }
        return value
    }
}
}
