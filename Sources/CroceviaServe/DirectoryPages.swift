import CroceviaKit
import Mustache

/// The directory for people (`/directory`): pages made with swift-mustache.
struct DirectoryPages: Sendable {
    init() throws {}

    func answer(path: String, query: [(name: String, value: String)], snapshot: DirectorySnapshot) -> (status: Int, html: String) {
        (404, "")
    }
}
