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

    @Test("content hashes are MurmurHash3 x64 128 (checked against Python's mmh3) and read back as written")
    func contentHash() {
        var text = #"{"id":"1"}"#
        let hash = text.withUTF8(ContentHash.init)
        #expect(hash.hex == "4ec6a43b27a130a3b6d1a1551bd2802e")  // Python: mmh3.hash64(b'{"id":"1"}', signed=False), as hex
        // Every length of the last block, and more than one block: "", "A", "AB"... 32 letters
        // from "A" on, then 1,027 bytes (Python's mmh3 again).
        func murmur(_ bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer(ContentHash.init).hex }
        let byLength = [
            "00000000000000000000000000000000",
            "035fc2b79a29b17a387df29c46dd9937",
            "4a75211b3ce4fd780cb062fcc6fd36f1",
            "8dbe6477a2f82fde9e2bee4f1c5ba64a",
            "6b12f6cbbad52f195ed5fd4947123e73",
            "e27529fd9cd6948d2a20972ff65c1afb",
            "9174e89a43db6790712240d438c0221b",
            "38af65d501cb4e481108a50231c00291",
            "a3a725013dbddba86159afa610f16e6e",
            "98966aa8e255c53bbf1c6a451d2a9dda",
            "9859c195fbe27161c6e03b18fb1919ae",
            "acdbbc62314e9672dbd3146fa77571a0",
            "ef9b9fad55dd1d7eb672e5b446bb933e",
            "8a36b1a411d89d5427fe32cd385ba142",
            "251f5ca561d3c9dd8b9026152da68e1b",
            "909232aad85d17662a9f32df8851107b",
            "67d1ccc2efd7ed8f1a19cf5db1beac91",
            "99f4886afd7ab21110f6c2f976ba0533",
            "5330c5bef53b49794bde6ebeeb936de9",
            "e8e78b387b679e9097f036a55bf9f0a3",
            "dd9a0b5cde565b5cb9a4b6178efec5ab",
            "540c208f064c8a0c62a48fc84d51d2aa",
            "1ff2da33e738e457eac024a30cb65cc5",
            "0dbdb6e58b16f867341c1b4a18464c3a",
            "15c9c335a854f29be459cca1e9d91ff9",
            "1f4fbb86134e416bae3eca2a132f8dba",
            "65e611fed09fced7355e36e45b7fd9e4",
            "a47b6e4efdf62f066ecf98f74cbba81e",
            "d6edab5f0048cec3109171928917a016",
            "4557344a7a62db7a6813c91603006385",
            "98175d468810cb47fb5a57d28f295be1",
            "5f644d658c92cc9672e2f7f4b1a5159a",
            "a55ecae70af04ec088b9c66c9b882d44",
        ]
        #expect((0...32).map { murmur((0..<$0).map { UInt8(65 + $0) }) } == byLength)
        #expect(murmur(Array((0..<4).flatMap { _ in (0...255).map(UInt8.init) }) + Array("xyz".utf8)) == "577421f2edc3970f08f6d57091d4cc1a")
        #expect(ContentHash(hex: hash.hex) == hash)
        #expect(ContentHash(high: 0xF, low: 0xAB00).hex == "000000000000000f000000000000ab00")
        #expect(ContentHash(hex: "000000000000000F000000000000AB00") == ContentHash(high: 0xF, low: 0xAB00))
        #expect(ContentHash(hex: "xyz") == nil)
        #expect(ContentHash(hex: "000000000000000g000000000000ab00") == nil)
    }
}
