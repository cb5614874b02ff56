import ArgumentParser
import Dispatch
import CroceviaKit
import CroceviaServe
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry's published directory: the HSDS 3.0 API and pages for people.",
        discussion: """
            Answers from the directory the last pipeline run published, and takes the next one \
            when a run publishes again (looked for every --refresh seconds), so the nightly job \
            never makes a request fail or see half a run. Listens on loopback unless told \
            otherwise; stops gracefully on SIGTERM or Ctrl-C.

              crocevia serve
              crocevia serve --registry postgres://crocevia@localhost/rete --port 8080
              crocevia serve --host 0.0.0.0 --log-format json

            Then: http://127.0.0.1:8080/services?search=anziani&municipality=Torino, \
            /service_at_locations?lat=45.07&lng=7.68&radius=2000&sort=distance, \
            /openapi.json, /directory for people, and /onboarding/TOKEN for partners \
            (links from crocevia partner add).
            """
    )

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: ArgumentHelp(RegistryURL.help))
    var registry = RegistryURL.standard

    @Option(help: "The address to listen on: 127.0.0.1 (loopback, the default), or 0.0.0.0 for every interface.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: one the system chooses, said on standard error).")
    var port = 8080

    @Option(help: "Seconds between two looks at the registry for a newer publish.")
    var refresh = 5.0

    @Option(help: "Logs on standard error: text (the default) or json (one object per line).")
    var logFormat: LogFormat = .text

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535; it was \(port)") }
        guard refresh >= 0.1 else { throw ValidationError("--refresh must be at least 0.1 seconds; it was \(refresh)") }
    }

    /// The registry is opened and first read here, on the main thread; the server then runs on
    /// NIO's event loops, which also run Swift's tasks (one thread per core), while the main
    /// thread waits for it. Nothing that waits on the registry runs on an event loop: the
    /// PostgreSQL client answers on them.
    func run() throws {
        let format = logFormat
        LoggingSystem.bootstrap { label in
            format == .json ? JSONLogHandler(label: label) as LogHandler : StreamLogHandler.standardError(label: label)
        }
        let logger = Logger(label: "crocevia.serve")
        let db = try RegistryURL.open(registry, create: false)
        let store = try DirectoryStore(db: db)
        defer { store.close() }
        var server = DirectoryServer(store: store, logger: logger)
        server.host = host
        server.port = port
        server.refreshInterval = refresh
        let snapshot = store.snapshot, location = db.location, host = host
        _ = DirectoryServer.runTasksOnEventLoops()
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task { [server] in
            do {
                try await server.run { port in
                    logger.info("serving", metadata: ["registry": "\(location)", "address": "http://\(host):\(port)",
                                                       "services": "\(snapshot.serviceCount)", "publish_run": "\(snapshot.publishRun)"])
                }
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    private final class Outcome: @unchecked Sendable {
        var error: Error?
    }
}
