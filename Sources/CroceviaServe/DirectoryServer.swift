import CroceviaKit
import Dispatch
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// `crocevia serve`: the registry's published directory over HTTP, on Hummingbird: the HSDS 3.0
/// API (`DirectoryAPI`), its `/openapi.json`, and the pages for people (`/directory`). It reads
/// the registry only to take a new snapshot when a publish has committed (checked every
/// `refreshInterval` seconds); requests are answered from the snapshot held, so a pipeline run
/// never makes one fail or see half a run. SIGTERM and SIGINT stop it gracefully: requests in
/// flight are answered first.
public struct DirectoryServer: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Seconds between two looks at the registry for a newer publish.
    public var refreshInterval = 5.0
    public let store: DirectoryStore
    public var logger: Logger

    public init(store: DirectoryStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Makes NIO's event loops the threads Swift's concurrency runs on, so a request is read,
    /// answered and written on one thread, and the process has one thread per core, not two.
    /// Only before any task has started; false when it is too late.
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Serves until SIGTERM or SIGINT (with `handlingSignals`, as the command does) or until the
    /// task is cancelled; `running` is told the port once the server listens (the port given, or
    /// the one the system chose for port 0).
    public func run(handlingSignals: Bool = true, running: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let responder = try DirectoryResponder(store: store, logger: logger)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "crocevia"),
            services: [SnapshotRefresh(store: store, interval: refreshInterval, logger: logger)],
            onServerRunning: { channel in await running(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        if handlingSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }
}

/// Looks at the registry every `interval` seconds and swaps in the directory a newer publish
/// made. The registry is read on a thread of its own, not on the server's.
struct SnapshotRefresh: Service {
    let store: DirectoryStore
    let interval: Double
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            // A graceful stop ends the wait at once (SIGTERM is answered in a moment, not after it).
            try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            let outcome: Result<DirectorySnapshot?, Error> = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { [store] in continuation.resume(returning: Result { try store.refresh() }) }
            }
            switch outcome {
            case .success(let snapshot?):
                logger.info("directory refreshed", metadata: ["publish_run": "\(snapshot.publishRun)", "services": "\(snapshot.serviceCount)"])
            case .success(nil):
                break
            case .failure(let error):
                logger.error("the registry could not be read; the directory served is the last one read", metadata: ["error": "\(error)"])
            }
        }
    }
}
