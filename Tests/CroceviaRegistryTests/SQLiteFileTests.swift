import CroceviaSQLite
import Foundation
import Testing
@testable import CroceviaKit

@Suite("SQLite registry file")
struct SQLiteFileTests {
    @Test("a file that is not a SQLite database is refused, byte for byte untouched")
    func notADatabase() throws {
        let path = try temporaryFolder() + "/registry.sqlite"
        let text = "nome;telefono\nSportello;011 1234567\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let feed = try serviceFeed([(1, "A", "active")], in: try temporaryFolder())
        #expect(throws: CroceviaError.io("sqlite:\(path) is not a SQLite database, so not a registry (file is not a database); name a new file or a registry")) {
            let db = try SQLiteRegistry(path: path)
            try importFeed(feed, into: db)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("an export from a registry that does not exist says so and makes no file")
    func missingRegistry() throws {
        let path = try temporaryFolder() + "/nessuno.sqlite"
        #expect(throws: CroceviaError.io("sqlite:\(path): there is no registry there yet; an import or a pipeline run makes one")) {
            _ = try SQLiteRegistry(path: path, create: false)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("content hashes read back as written")
    func contentHash() {
        var text = #"{"id":"1"}"#
        let hash = text.withUTF8(ContentHash.init)
        #expect(hash.hex == "5811967f540d300d249ab30ae681359a")  // Python: hashlib.sha256(b'{"id":"1"}').hexdigest()[:32]
        #expect(ContentHash(hex: hash.hex) == hash)
        #expect(ContentHash(high: 0xF, low: 0xAB00).hex == "000000000000000f000000000000ab00")
        #expect(ContentHash(hex: "000000000000000F000000000000AB00") == ContentHash(high: 0xF, low: 0xAB00))
        #expect(ContentHash(hex: "xyz") == nil)
        #expect(ContentHash(hex: "000000000000000g000000000000ab00") == nil)
    }
}
