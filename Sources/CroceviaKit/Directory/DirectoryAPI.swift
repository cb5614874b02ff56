/// What the directory answers to a request.
public enum DirectoryAnswer: Sendable {
    /// A JSON document with its status.
    case json(status: Int, JSONValue)
    /// `format=ndjson`: every result, one JSON document per line, made as they are written.
    case lines(count: Int, line: @Sendable (Int) -> JSONValue)
}

/// The HSDS 3.0 read API over one snapshot of the published directory, with Locator's filters
/// as extensions (docs/serve.md): the paths, their parameters, the `Page` envelope. It knows
/// nothing of HTTP: `crocevia serve` hands it each request's path and query, and the tests
/// call it directly as well as over a socket.
public struct DirectoryAPI: Sendable {
    public let snapshot: DirectorySnapshot
    /// Where the server is reached (`http://127.0.0.1:8080`), for the absolute `openapi_url` of `/`.
    public var baseURL = ""

    public static let defaultPerPage = 50
    public static let maximumPerPage = 1000
    /// The longest query string read, in bytes.
    public static let maximumQueryLength = 2048

    public init(snapshot: DirectorySnapshot) {
        self.snapshot = snapshot
    }

    /// The answer to a GET of `path` (without its query) with its decoded query parameters.
    public func answer(path: String, query: [(name: String, value: String)]) -> DirectoryAnswer {
        do throws(DirectoryError) {
            return try route(path, query)
        } catch {
            return .json(status: error.status, error.body)
        }
    }

    private static let pageParameters = ["page", "per_page", "format"]

    private func route(_ path: String, _ query: [(name: String, value: String)]) throws(DirectoryError) -> DirectoryAnswer {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        func parameters(_ allowed: [String]) throws(DirectoryError) -> DirectoryParameters {
            try DirectoryParameters(query, allowed: allowed, endpoint: path)
        }
        switch (parts.first, parts.count) {
        case (nil, 0):
            _ = try parameters([])
            return .json(status: 200, .object(JSONObject([
                ("version", .string("3.0")),
                ("profile", .string("https://docs.openreferral.org/en/v3.0/")),
                ("openapi_url", .string(baseURL + "/openapi.json")),
                // Crocevia's: the pipeline run whose directory this is, and its size.
                ("publish_run", .number(String(snapshot.publishRun))),
                ("services", .number(String(snapshot.services.count))),
            ])))
        case ("services", 1):
            let given = try parameters(Self.pageParameters + ServiceFilter.parameters + ["minimal", "full"])
            let filter = try ServiceFilter(given, snapshot: snapshot)
            let minimal = try given.flag("minimal"), full = try given.flag("full")
            let paging = try Paging(given)
            let found = services(filter, first: paging.needed)
            return paging.answer(count: found.count) { [snapshot] position in
                let index = found.leading[position]
                return .object(minimal ? snapshot.serviceMinimal(index) : full ? snapshot.serviceFull(index) : snapshot.serviceList(index))
            }
        case ("services", 2):
            _ = try parameters([])
            return .json(status: 200, .object(snapshot.serviceFull(try Self.find(parts[1], in: snapshot.serviceByID, what: "service"))))
        case ("service_at_locations", 1):
            let given = try parameters(Self.pageParameters + ServiceFilter.parameters + ["full"])
            let filter = try ServiceFilter(given, snapshot: snapshot)
            let full = try given.flag("full")
            let paging = try Paging(given)
            let found = links(filter, first: paging.needed)
            return paging.answer(count: found.count) { [snapshot] position in
                .object(full ? snapshot.linkFull(found.leading[position]) : snapshot.linkList(found.leading[position]))
            }
        case ("service_at_locations", 2):
            _ = try parameters([])
            return .json(status: 200, .object(snapshot.linkFull(try Self.find(parts[1], in: snapshot.linkByID, what: "service at location"))))
        case ("organizations", 1):
            let given = try parameters(Self.pageParameters + ["search", "full", "full_service"])
            let full = try given.flag("full"), fullServices = try given.flag("full_service")
            let found = Self.ranked(snapshot.organizations.count, search: given.text("search"), index: snapshot.organizationSearch)
            return try Paging(given).answer(count: found.count) { [snapshot] position in
                .object(full || fullServices ? snapshot.organizationFull(found[position], fullServices: fullServices) : snapshot.organizationList(found[position]))
            }
        case ("organizations", 2):
            let given = try parameters(["full_service"])
            let index = try Self.find(parts[1], in: snapshot.organizationByID, what: "organization")
            return .json(status: 200, .object(snapshot.organizationFull(index, fullServices: try given.flag("full_service"))))
        case ("taxonomies", 1):
            let given = try parameters(Self.pageParameters + ["search"])
            let found = Self.ranked(snapshot.taxonomies.count, search: given.text("search"), index: snapshot.taxonomySearch)
            return try Paging(given).answer(count: found.count) { [snapshot] in .object(snapshot.taxonomies[found[$0]]) }
        case ("taxonomies", 2):
            _ = try parameters([])
            return .json(status: 200, .object(snapshot.taxonomies[try Self.find(parts[1], in: snapshot.taxonomyByID, what: "taxonomy")]))
        case ("taxonomy_terms", 1):
            let given = try parameters(Self.pageParameters + ["search", "taxonomy_id", "top_only", "parent_id"])
            let taxonomy = try given.uuid("taxonomy_id"), parent = try given.uuid("parent_id"), topOnly = try given.flag("top_only")
            let found = Self.ranked(snapshot.terms.count, search: given.text("search"), index: snapshot.termSearch).filter { index in
                let term = snapshot.terms[index]
                let parentID = term.object["parent_id"]?.stringValue?.lowercased()
                return (taxonomy == nil || term.taxonomy?.lowercased() == taxonomy) && (parent == nil || parentID == parent) && (!topOnly || parentID == nil)
            }
            return try Paging(given).answer(count: found.count) { [snapshot] in .object(snapshot.terms[found[$0]].object) }
        case ("taxonomy_terms", 2):
            _ = try parameters([])
            return .json(status: 200, .object(snapshot.terms[try Self.find(parts[1], in: snapshot.termByID, what: "taxonomy term")].object))
        default:
            throw DirectoryError(status: 404, "there is nothing at \(DirectoryParameters.shown(path)); the paths are /, /services, /service_at_locations, /organizations, /taxonomies, /taxonomy_terms (each with /{id}), /openapi.json and /directory")
        }
    }

    /// The index of the object with `id`: a 400 for a text that is not a UUID, a 404 for one the
    /// directory does not hold.
    private static func find(_ id: String, in table: [String: Int], what: String) throws(DirectoryError) -> Int {
        let decoded = id.removingPercentEncodingOrSelf
        guard DirectoryParameters.isUUID(decoded) else {
            throw DirectoryError("a \(what)'s id is a UUID (such as 3f1e8c52-7a0b-4c1d-9e2f-5a6b7c8d9e0f); \(DirectoryParameters.shown(decoded)) is not one", parameter: "id")
        }
        guard let index = table[decoded] ?? table[decoded.lowercased()] else {
            throw DirectoryError(status: 404, "the directory has no \(what) \(decoded)", parameter: "id")
        }
        return index
    }

    /// Entries in published order, or, with a search, those that hold every word of it, best first.
    private static func ranked(_ count: Int, search: String?, index: ItalianSearch.Index) -> [Int] {
        guard let search, let hits = index.search(search) else { return Array(0..<count) }
        return zip(hits.entries, hits.scores).sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
    }

    /// The services that pass `filter`, best first: nearest with `sort=distance`, best matching
    /// with a search, else in published order; how many there are, and the `first` of them in
    /// order (all of them without `first`). Only the candidates an index gives are looked at:
    /// the search's words, the municipality's places, the grid cells within the radius.
    func services(_ filter: ServiceFilter, first: Int? = nil) -> Ranked {
        let hits = filter.search.flatMap { snapshot.serviceSearch.search($0) }
        let checksService = filter.checksService, checksPlace = filter.checksPlace
        // The candidates, in order, with their search scores (none without a search).
        var candidates: [Int], scores: [Int] = []
        if let hits, let municipality = filter.municipality {
            (candidates, scores) = Self.intersection(hits, snapshot.servicesByMunicipality[municipality] ?? [])
        } else if let hits, let links = candidateLinks(filter, ordered: false) {
            var near = [Bool](repeating: false, count: snapshot.services.count)
            for link in links { near[snapshot.links[link].service] = true }
            candidates = []
            for (entry, score) in zip(hits.entries, hits.scores) where near[entry] {
                candidates.append(entry)
                scores.append(score)
            }
        } else if let hits {
            (candidates, scores) = (hits.entries, hits.scores)
        } else if let links = candidateLinks(filter, ordered: false) {
            candidates = Self.unique(links.map { snapshot.links[$0].service })
        } else if !checksService && !checksPlace {
            return Ranked(count: snapshot.services.count, leading: Array(snapshot.services.indices.prefix(first ?? .max)))
        } else {
            candidates = Array(snapshot.services.indices)
        }
        var found: [Found] = []
        for (position, index) in candidates.enumerated() {
            if checksService && !filter.admits(index, in: snapshot) { continue }
            var nearest = 0.0
            if checksPlace {
                var best: Double?
                if snapshot.services[index].links.isEmpty {
                    best = filter.place(nil, of: index, in: snapshot)
                } else {
                    for link in snapshot.services[index].links {
                        if let distance = filter.place(link, of: index, in: snapshot), distance < (best ?? .infinity) { best = distance }
                    }
                }
                guard let best else { continue }
                nearest = best
            }
            found.append(Found(index: index, score: hits == nil ? 0 : scores[position], distance: nearest))
        }
        return Self.order(found, byScore: hits != nil, byDistance: filter.byDistance, first: first)
    }

    /// The services at locations that pass `filter`, in the same orders as `services`.
    func links(_ filter: ServiceFilter, first: Int? = nil) -> Ranked {
        let hits = filter.search.flatMap { snapshot.serviceSearch.search($0) }
        let checksService = filter.checksService
        // Each service's search score, -1 for one the search did not find.
        var scoreOf: [Int] = []
        if let hits {
            scoreOf = [Int](repeating: -1, count: snapshot.services.count)
            for (entry, score) in zip(hits.entries, hits.scores) { scoreOf[entry] = score }
        }
        // In order, unless they are to be sorted by distance.
        let candidates: [Int]
        if let links = candidateLinks(filter, ordered: !filter.byDistance) {
            candidates = hits == nil ? links : links.filter { scoreOf[snapshot.links[$0].service] >= 0 }
        } else if let hits {
            candidates = hits.entries.flatMap { snapshot.services[$0].links }
        } else {
            candidates = Array(snapshot.links.indices)
        }
        var found: [Found] = []
        for link in candidates {
            let service = snapshot.links[link].service
            if checksService && !filter.admits(service, in: snapshot) { continue }
            guard let distance = filter.place(link, of: service, in: snapshot) else { continue }
            found.append(Found(index: link, score: hits == nil ? 0 : scoreOf[service], distance: distance))
        }
        return Self.order(found, byScore: hits != nil, byDistance: filter.byDistance, first: first)
    }

    /// How many results there are, and the leading ones in order.
    struct Ranked {
        let count: Int
        let leading: [Int]
    }

    /// The hits whose entry is in `entries` (both in order), with their scores.
    private static func intersection(_ hits: ItalianSearch.Hits, _ entries: [Int]) -> ([Int], [Int]) {
        var both: [Int] = [], scores: [Int] = []
        both.reserveCapacity(min(hits.count, entries.count))
        scores.reserveCapacity(min(hits.count, entries.count))
        var a = 0, b = 0
        while a < hits.count && b < entries.count {
            let hit = hits.entries[a], entry = entries[b]
            if hit < entry { a += 1 } else if hit > entry { b += 1 } else {
                both.append(entry)
                scores.append(hits.scores[a])
                a += 1
                b += 1
            }
        }
        return (both, scores)
    }

    /// The links an index says may pass: those in the municipality, or in the grid cells within
    /// the radius (in order when `ordered`); nil when no index applies.
    private func candidateLinks(_ filter: ServiceFilter, ordered: Bool) -> [Int]? {
        if let municipality = filter.municipality { return snapshot.linksByMunicipality[municipality] ?? [] }
        if let point = filter.point, let radius = filter.radius {
            return snapshot.linksNear(point.latitude, point.longitude, radius: radius).map { ordered ? $0.sorted() : $0 }
        }
        return nil
    }

    struct Found {
        let index: Int
        let score: Int
        let distance: Double
    }

    /// `found` (in index order) counted, and its `first` put in order: by distance, by score
    /// (best first), else as they are; ties by index.
    private static func order(_ found: [Found], byScore: Bool, byDistance: Bool, first: Int?) -> Ranked {
        let wanted = min(found.count, first ?? found.count)
        if byDistance {
            let nearest = Ranking.least(wanted, of: found) { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
            return Ranked(count: found.count, leading: nearest.map(\.index))
        }
        if byScore {
            return Ranked(count: found.count, leading: Ranking.byScore(found.map(\.index), scores: found.map(\.score)).prefix(wanted).map { $0 })
        }
        return Ranked(count: found.count, leading: found.prefix(wanted).map(\.index))
    }

    /// Sorted, without repeats.
    private static func unique(_ values: [Int]) -> [Int] {
        var sorted = values.sorted()
        var last = -1
        sorted.removeAll { value in
            defer { last = value }
            return value == last
        }
        return sorted
    }

    /// `page`, `per_page` and `format` read: which results a list answers with.
    private struct Paging {
        let lines: Bool
        let perPage: Int
        let number: Int

        init(_ given: DirectoryParameters) throws(DirectoryError) {
            lines = try given.choice("format", ["json", "ndjson"]) == "ndjson"
            perPage = try given.integer("per_page", in: 1...DirectoryAPI.maximumPerPage, otherwise: "a whole number from 1 to \(DirectoryAPI.maximumPerPage)")
                ?? DirectoryAPI.defaultPerPage
            number = try given.integer("page", in: 1...Int(Int32.max), otherwise: "a whole number from 1 (the first page)") ?? 1
        }

        /// How many leading results the answer shows: up to the end of its page, or every one.
        var needed: Int? { lines ? nil : number * perPage }

        /// One page of `count` results in HSDS's `Page` envelope, or all of them as lines with
        /// `format=ndjson` (every result, as the standard says: page and per_page, checked, do
        /// not apply).
        func answer(count: Int, item: @escaping @Sendable (Int) -> JSONValue) -> DirectoryAnswer {
            if lines { return .lines(count: count, line: item) }
            let pages = max(1, (count + perPage - 1) / perPage)
            let start = min(count, (number - 1) * perPage)
            let end = min(count, start + perPage)
            let contents = (start..<end).map(item)
            return .json(status: 200, .object(JSONObject([
                ("total_items", .number(String(count))),
                ("total_pages", .number(String(pages))),
                ("page_number", .number(String(number))),
                ("size", .number(String(contents.count))),
                ("first_page", .bool(number == 1)),
                ("last_page", .bool(number >= pages)),
                ("empty", .bool(contents.isEmpty)),
                ("contents", .array(contents)),
            ])))
        }
    }
}

extension String {
    /// `%20` and the like decoded; the text itself when it is not valid percent-encoding.
    var removingPercentEncodingOrSelf: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return self }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }
}
