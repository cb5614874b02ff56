import Foundation
import Synchronization

/// A source's records as the registry held them when the import began, each in a slot: read
/// once, then only read (the preparing threads share it as it is).
struct RegistrySnapshot: Sendable {
    private(set) var ids: [String] = []
    private(set) var hashes: [ContentHash] = []
    private(set) var active: [Bool] = []
    /// The slot of each active record by its hash (a JSON Lines line is looked up by its
    /// bytes' hash).
    private(set) var activeByHash: [ContentHash: Int] = [:]
    private let byID = SlotsByID()

    /// A source the registry does not hold yet.
    init() {}

    /// The source's records, read through the covering index source_record_hash: a fraction of
    /// the table's pages.
    init(_ db: RegistryDatabase, source: String) throws {
        let count = Int(try db.scalar("SELECT COUNT(*) FROM source_record WHERE source = ?", [.text(source)]).integer ?? 0)
        ids.reserveCapacity(count)
        hashes.reserveCapacity(count)
        active.reserveCapacity(count)
        try db.queryText("SELECT id, content_hash, status FROM source_record WHERE source = ?", [.text(source)]) { row in
            guard let hash = ContentHash(hex: row.bytes(1)) else { return }
            ids.append(row.text(0))
            hashes.append(hash)
            active.append(row.bytes(2).elementsEqual("active".utf8))
        }
        activeByHash.reserveCapacity(ids.count)
        for slot in ids.indices where active[slot] { activeByHash[hashes[slot]] = slot }
    }

    var count: Int { ids.count }

    /// Whether the registry holds the record in `slot` active with this content.
    func isUnchanged(slot: Int, hash: ContentHash) -> Bool { active[slot] && hashes[slot] == hash }

    /// The slot of each record by its id, made the first time a thread asks: a re-import whose
    /// lines all match by their hash never does.
    func slots() -> [String: Int] { byID.slots(of: ids) }

    private final class SlotsByID: Sendable {
        private let made = Mutex<[String: Int]?>(nil)

        func slots(of ids: [String]) -> [String: Int] {
            made.withLock { made in
                if let made { return made }
                var slots: [String: Int] = [:]
                slots.reserveCapacity(ids.count)
                for (slot, id) in ids.enumerated() { slots[id] = slot }
                made = slots
                return slots
            }
        }
    }
}

/// The ids the feed has had so far, each with the line it was first on: a second record with an
/// id is rejected, and a full import removes the snapshot's records the feed never had.
/// Known ids are marked by slot and new ones by id, so that a re-import, whose records are all
/// known, never hashes an id on the importing thread.
struct SeenIDs {
    /// The line on which the feed had each known record (by slot; -1: not yet).
    var known: [Int]
    var new: [String: Int] = [:]

    init(known count: Int) { known = Array(repeating: -1, count: count) }

    /// Marks the id as seen on `line`; returns the line on which the feed first had it, when it
    /// already had (that line stays marked).
    mutating func mark(_ id: String, slot: Int?, line: Int) -> Int? {
        if let slot {
            if known[slot] >= 0 { return known[slot] }
            known[slot] = line
            return nil
        }
        guard let first = new.updateValue(line, forKey: id) else { return nil }
        new[id] = first
        return first
    }

    /// The snapshot's active records the feed did not have, by id.
    func unseen(in snapshot: RegistrySnapshot) -> [String] {
        snapshot.ids.indices.filter { snapshot.active[$0] && known[$0] < 0 }.map { snapshot.ids[$0] }.sorted()
    }
}
