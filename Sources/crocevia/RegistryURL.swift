import CroceviaKit
import CroceviaPostgres
import CroceviaSQLite

/// Opens the registry a URL names: `sqlite:PATH` (the default, `sqlite:registry.sqlite`) or
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
enum RegistryURL {
    static let standard = "sqlite:registry.sqlite"
    static let help = "The registry: sqlite:PATH (default sqlite:registry.sqlite) or postgres://USER:PASSWORD@HOST:PORT/DATABASE."

    /// - Parameter create: make a new SQLite file when there is none (imports do; exports do not).
    static func open(_ url: String, create: Bool) throws -> RegistryDatabase {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try PostgresRegistry(url: url)
        }
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw CroceviaError.usage("sqlite: needs a file: sqlite:registry.sqlite") }
            return try SQLiteRegistry(path: path, create: create)
        }
        throw CroceviaError.usage("\(url) is not a registry URL; write sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
    }
}
