import Foundation

/// The published directory as `crocevia serve` answers from it: read from the registry in one
/// statement when a publish has committed, indexed, then only read. A request sees one snapshot
/// from its start to its end, so a pipeline run never shows it half a directory: the server
/// swaps in the next snapshot once the run's publish has committed (`DirectoryStore`).
///
/// Objects are kept as published, without Crocevia's own members (`_provenance`,
/// `_merged_from`), which stay in the registry.
public final class DirectorySnapshot: Sendable {
    struct Service: Sendable {
        let object: JSONObject
        let organization: Int?
        /// Its places' links, as indexes into `links`.
        let links: [Int]
        let modified: Int64?
        let terms: Set<String>
        let taxonomies: Set<String>
        let languages: Set<String>
        let areas: [String]
        let minimumAge: Double?
        let maximumAge: Double?
        let hours: OpenHours
    }

    struct Organization: Sendable {
        let object: JSONObject
        let locations: [String]
        var services: [Int] = []
    }

    struct Location: Sendable {
        let object: JSONObject
        let latitude: Double?
        let longitude: Double?
        let postcode: String?
        /// The ISTAT code of its municipality, when its address names one.
        let municipality: String?
        let languages: Set<String>
        let hours: OpenHours
    }

    /// A service at a location (HSDS `service_at_location`).
    struct Link: Sendable {
        let object: JSONObject
        let service: Int
        let location: String?
        /// Its location in `places`.
        let place: Int?
        let hours: OpenHours
    }

    struct Term: Sendable {
        let object: JSONObject
        let taxonomy: String?
    }

    /// The run that published it (0 for a registry that never published).
    public let publishRun: Int64
    let services: [Service]
    let serviceByID: [String: Int]
    let organizations: [Organization]
    let organizationByID: [String: Int]
    /// The locations, in the order read; the links point into it (the filters read it by index).
    let places: [Location]
    let placeByID: [String: Int]
    let links: [Link]
    let linkByID: [String: Int]
    let terms: [Term]
    let termByID: [String: Int]
    let taxonomies: [JSONObject]
    let taxonomyByID: [String: Int]
    let serviceSearch: ItalianSearch.Index
    let organizationSearch: ItalianSearch.Index
    let termSearch: ItalianSearch.Index
    let taxonomySearch: ItalianSearch.Index
    /// The links whose place is in each municipality (ISTAT code), in order.
    let linksByMunicipality: [String: [Int]]
    /// The services with a place in each municipality, in order.
    let servicesByMunicipality: [String: [Int]]
    /// The links whose place has a position, by grid cell (`cell`), in order.
    let linkGrid: [Int64: [Int]]
    /// The mean position of the geocoded locations with each postal code.
    let postcodeCentroids: [String: (latitude: Double, longitude: Double)]
    let municipalities: Municipalities

    public var serviceCount: Int { services.count }

    /// The last run that published, or 0.
    public static func lastPublish(in db: RegistryDatabase) throws -> Int64 {
        guard try RegistrySchema.tables(in: db).contains("run_log") else { return 0 }
        return try db.scalar("SELECT MAX(run_id) FROM run_log WHERE kind = 'publish' AND status = 'succeeded'").integer ?? 0
    }

    /// Reads the directory the registry last published.
    public convenience init(db: RegistryDatabase, municipalities: Municipalities) throws {
        let run = try Self.lastPublish(in: db)
        var objects: [(type: String, object: JSONObject)] = []
        if run > 0 {
            try db.query("SELECT object_type, content FROM directory_record ORDER BY position", []) { row in
                guard let type = row[0].text, case .object(let object)? = row[1].text.flatMap(JSONText.parse) else { return }
                objects.append((type, Publisher.withoutCroceviaFields(object)))
            }
        }
        self.init(objects, publishRun: run, municipalities: municipalities)
    }

    /// Indexes published objects: organizations (with their `locations` nested) and services.
    init(_ objects: [(type: String, object: JSONObject)], publishRun: Int64, municipalities: Municipalities) {
        self.publishRun = publishRun
        self.municipalities = municipalities
        var organizations: [Organization] = [], organizationByID: [String: Int] = [:]
        var places: [Location] = [], placeByID: [String: Int] = [:]
        var sums: [String: (latitude: Double, longitude: Double, count: Int)] = [:]
        for entry in objects where entry.type == "organization" {
            var object = entry.object
            var ids: [String] = []
            for case .object(let location) in object["locations"]?.arrayValue ?? [] {
                guard let id = location["id"]?.stringValue else { continue }
                let place = Self.location(location, municipalities: municipalities)
                // A place two organizations hold: the later copy, as the published order gives it.
                if let known = placeByID[id] {
                    places[known] = place
                } else {
                    placeByID[id] = places.count
                    places.append(place)
                }
                ids.append(id)
                if let latitude = place.latitude, let longitude = place.longitude, let postcode = place.postcode {
                    let sum = sums[postcode] ?? (0, 0, 0)
                    sums[postcode] = (sum.latitude + latitude, sum.longitude + longitude, sum.count + 1)
                }
            }
            object["locations"] = nil
            guard let id = object["id"]?.stringValue else { continue }
            organizationByID[id] = organizations.count
            organizations.append(Organization(object: object, locations: ids))
        }
        postcodeCentroids = sums.mapValues { ($0.latitude / Double($0.count), $0.longitude / Double($0.count)) }

        var services: [Service] = [], serviceByID: [String: Int] = [:]
        var links: [Link] = [], linkByID: [String: Int] = [:]
        var terms: [Term] = [], termByID: [String: Int] = [:]
        var taxonomies: [JSONObject] = [], taxonomyByID: [String: Int] = [:]
        var serviceSearch = ItalianSearch.Index()
        for entry in objects where entry.type == "service" {
            var object = entry.object
            guard let id = object["id"]?.stringValue, serviceByID[id] == nil else { continue }
            let index = services.count
            let organization = object["organization_id"]?.stringValue.flatMap { organizationByID[$0] }
            var ownLinks: [Int] = []
            for case .object(var link) in object["service_at_locations"]?.arrayValue ?? [] {
                link["location"] = nil
                guard let linkID = link["id"]?.stringValue, linkByID[linkID] == nil else { continue }
                linkByID[linkID] = links.count
                ownLinks.append(links.count)
                let location = link["location_id"]?.stringValue
                links.append(Link(object: link, service: index, location: location, place: location.flatMap { placeByID[$0] },
                                  hours: OpenHours(schedules: link["schedules"]?.arrayValue ?? [])))
            }
            object["service_at_locations"] = nil
            object["organization"] = nil
            var serviceTerms: Set<String> = [], serviceTaxonomies: Set<String> = []
            for case .object(let attribute) in object["attributes"]?.arrayValue ?? [] {
                let nested = attribute["taxonomy_term"]?.objectValue
                guard let termID = nested?["id"]?.stringValue ?? attribute["taxonomy_term_id"]?.stringValue else { continue }
                serviceTerms.insert(termID)
                if termByID[termID] == nil, var term = nested {
                    var taxonomyID = term["taxonomy_id"]?.stringValue
                    var detail = term["taxonomy_detail"]?.objectValue
                    // A term that names its taxonomy only as text (`taxonomy: "AIRS/211"`): the
                    // taxonomy is given an id made of its name, the same in every run.
                    if detail == nil, taxonomyID == nil, let name = term["taxonomy"]?.stringValue, !name.isEmpty {
                        detail = JSONObject([("id", .string(UUIDv5.make(namespace: UUIDv5.defaultNamespace, name: "taxonomy/" + name).text)),
                                             ("name", .string(name)), ("description", .string(name))])
                    }
                    if let detail, let detailID = detail["id"]?.stringValue {
                        taxonomyID = taxonomyID ?? detailID
                        if taxonomyByID[detailID] == nil {
                            taxonomyByID[detailID] = taxonomies.count
                            taxonomies.append(detail)
                        }
                    }
                    term["taxonomy_detail"] = nil
                    if let taxonomyID, term["taxonomy_id"] == nil { term["taxonomy_id"] = .string(taxonomyID) }
                    termByID[termID] = terms.count
                    terms.append(Term(object: term, taxonomy: taxonomyID))
                }
                if let term = termByID[termID], let taxonomy = terms[term].taxonomy { serviceTaxonomies.insert(taxonomy) }
            }
            for field in ["name", "alternate_name"] { serviceSearch.add(object[field]?.stringValue ?? "", entry: index, weight: 3) }
            if let organization { serviceSearch.add(organizations[organization].object["name"]?.stringValue ?? "", entry: index, weight: 2) }
            for term in serviceTerms { serviceSearch.add(termByID[term].flatMap { terms[$0].object["name"]?.stringValue } ?? "", entry: index, weight: 2) }
            serviceSearch.add(object["description"]?.stringValue ?? "", entry: index, weight: 1)
            let languages = Self.languages(object["languages"])
            let areas = (object["service_areas"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.map(TextFold.folded)
            serviceByID[id] = index
            if let organization { organizations[organization].services.append(index) }
            services.append(Service(object: object, organization: organization, links: ownLinks,
                                    modified: object["last_modified"]?.stringValue.flatMap(DirectoryTime.seconds),
                                    terms: serviceTerms, taxonomies: serviceTaxonomies, languages: languages, areas: areas,
                                    minimumAge: object["minimum_age"].flatMap(Self.number), maximumAge: object["maximum_age"].flatMap(Self.number),
                                    hours: OpenHours(schedules: object["schedules"]?.arrayValue ?? [])))
        }
        var organizationSearch = ItalianSearch.Index()
        for (index, organization) in organizations.enumerated() {
            for field in ["name", "alternate_name"] { organizationSearch.add(organization.object[field]?.stringValue ?? "", entry: index, weight: 3) }
            organizationSearch.add(organization.object["description"]?.stringValue ?? "", entry: index, weight: 1)
        }
        var termSearch = ItalianSearch.Index()
        for (index, term) in terms.enumerated() {
            termSearch.add(term.object["name"]?.stringValue ?? "", entry: index, weight: 3)
            termSearch.add(term.object["description"]?.stringValue ?? "", entry: index, weight: 1)
        }
        var taxonomySearch = ItalianSearch.Index()
        for (index, taxonomy) in taxonomies.enumerated() {
            taxonomySearch.add(taxonomy["name"]?.stringValue ?? "", entry: index, weight: 3)
            taxonomySearch.add(taxonomy["description"]?.stringValue ?? "", entry: index, weight: 1)
        }
        var linksByMunicipality: [String: [Int]] = [:], linkGrid: [Int64: [Int]] = [:]
        for (index, link) in links.enumerated() {
            guard let location = link.place.map({ places[$0] }) else { continue }
            if let municipality = location.municipality { linksByMunicipality[municipality, default: []].append(index) }
            if let latitude = location.latitude, let longitude = location.longitude {
                linkGrid[Self.cell(Self.row(latitude), Self.column(longitude)), default: []].append(index)
            }
        }
        self.linksByMunicipality = linksByMunicipality
        servicesByMunicipality = linksByMunicipality.mapValues { indexes in
            var found: [Int] = []
            for index in indexes where found.last != links[index].service { found.append(links[index].service) }
            return found
        }
        self.linkGrid = linkGrid
        self.services = services
        self.serviceByID = serviceByID
        self.organizations = organizations
        self.organizationByID = organizationByID
        self.places = places
        self.placeByID = placeByID
        self.links = links
        self.linkByID = linkByID
        self.terms = terms
        self.termByID = termByID
        self.taxonomies = taxonomies
        self.taxonomyByID = taxonomyByID
        serviceSearch.seal()
        self.serviceSearch = serviceSearch
        organizationSearch.seal()
        self.organizationSearch = organizationSearch
        termSearch.seal()
        self.termSearch = termSearch
        taxonomySearch.seal()
        self.taxonomySearch = taxonomySearch
    }

    /// The location with `id`.
    func location(_ id: String) -> Location? {
        placeByID[id].map { places[$0] }
    }

    /// The grid: cells of a hundredth of a degree (about 1.1 km north to south).
    static func row(_ latitude: Double) -> Int { Int((latitude * 100).rounded(.down)) }
    static func column(_ longitude: Double) -> Int { Int((longitude * 100).rounded(.down)) }
    static func cell(_ row: Int, _ column: Int) -> Int64 { Int64(row) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: column))) }

    /// The links in the grid cells that reach within `radius` metres of the point, cell by
    /// cell (not in order); nil when that would be more cells than links (a radius of hundreds
    /// of kilometres).
    func linksNear(_ latitude: Double, _ longitude: Double, radius: Double) -> [Int]? {
        let degrees = radius / 111_320
        let across = degrees / max(0.01, cos(latitude * .pi / 180))
        let rows = Self.row(latitude - degrees)...Self.row(latitude + degrees)
        let columns = Self.column(longitude - across)...Self.column(longitude + across)
        guard rows.count * columns.count <= max(64, links.count) else { return nil }
        var found: [Int] = []
        for row in rows {
            for column in columns { found += linkGrid[Self.cell(row, column)] ?? [] }
        }
        return found
    }

    private static func location(_ object: JSONObject, municipalities: Municipalities) -> Location {
        let address = (object["addresses"]?.arrayValue ?? []).compactMap(\.objectValue).first
        var municipality: String?
        if let city = address?["city"]?.stringValue, case .found(let found) = municipalities.find(city) {
            municipality = found.code
        } else if let line = address?["address_1"]?.stringValue, case .found(let found) = municipalities.find(inAddress: line) {
            municipality = found.code
        }
        let postcode = address?["postal_code"]?.stringValue.map { String($0.filter { !$0.isWhitespace }) }
        return Location(object: object, latitude: object["latitude"].flatMap(number), longitude: object["longitude"].flatMap(number),
                        postcode: postcode?.isEmpty == false ? postcode : nil, municipality: municipality,
                        languages: languages(object["languages"]), hours: OpenHours(schedules: object["schedules"]?.arrayValue ?? []))
    }

    /// A language's code and name, folded (`it`, `italiano`).
    private static func languages(_ value: JSONValue?) -> Set<String> {
        var found: Set<String> = []
        for case .object(let language) in value?.arrayValue ?? [] {
            for field in ["code", "name"] {
                if let text = language[field]?.stringValue, !text.isEmpty { found.insert(TextFold.folded(text)) }
            }
        }
        return found
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let text), .string(let text): return Double(text)
        default: return nil
        }
    }
}
