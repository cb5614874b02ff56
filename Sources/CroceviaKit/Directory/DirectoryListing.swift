import Foundation

/// What the pages for people (`/directory`) show, read from a snapshot with the API's own
/// filters: plain texts, ready to be escaped into a template. No HTML here.
public enum DirectoryListing {
    /// A service in the list of results.
    public struct Card: Sendable {
        public let id: String
        public let name: String
        public let organization: String?
        public let description: String?
        public let temporarilyClosed: Bool
        public let place: String?
        /// Metres from the point asked about, when one was.
        public let metres: Double?
        public let hours: [Hours]
    }

    /// Opening hours of one day: the day (0 = Monday) and its spans (`09:00–13:00`).
    public struct Hours: Sendable, Equatable {
        public let day: Int
        public let spans: [String]
    }

    public struct Place: Sendable {
        public let name: String?
        public let address: String?
        public let municipality: String?
        public let transportation: String?
        public let latitude: Double?
        public let longitude: Double?
        public let hours: [Hours]
        public let phones: [String]
    }

    /// A service's own page.
    public struct Page: Sendable {
        public let id: String
        public let name: String
        public let temporarilyClosed: Bool
        public let organization: String?
        public let description: String?
        public let email: String?
        public let url: String?
        public let ages: String?
        public let phones: [String]
        public let hours: [Hours]
        public let places: [Place]
        public let fees: String?
        public let applicationProcess: String?
    }

    /// A type of activity to choose from: a taxonomy term that some service carries.
    public struct Choice: Sendable {
        public let id: String
        public let name: String
    }

    /// The parameters the form sends besides the API's: the page's language and number.
    public static let formParameters = ["search", "municipality", "postcode", "proximity", "taxonomy_term_id", "age", "day", "time"]

    /// One page of the services the form's filters find, and how many there are in all; services
    /// whose status is inactive or defunct are left out.
    public static func search(_ snapshot: DirectorySnapshot, query: [(name: String, value: String)], page: Int, perPage: Int) throws(DirectoryError) -> (total: Int, cards: [Card]) {
        let parameters = try DirectoryParameters(query, allowed: formParameters, endpoint: "/directory")
        var filter = try ServiceFilter(parameters, snapshot: snapshot)
        filter.byDistance = filter.point != nil
        // People are not sent to a service that has stopped (the API still lists it, with its status).
        let found = DirectoryAPI(snapshot: snapshot).services(filter).leading.filter { index in
            let status = snapshot.services[index].object["status"]?.stringValue
            return status != "inactive" && status != "defunct"
        }
        let start = min(found.count, (page - 1) * perPage)
        let cards = found[start..<min(found.count, start + perPage)].map { index in
            let service = snapshot.services[index]
            let nearest = service.links.compactMap { link -> (Int, Double)? in
                filter.place(link, of: index, in: snapshot).map { (link, $0) }
            }.min { $0.1 < $1.1 }
            let location = nearest.flatMap { snapshot.links[$0.0].place }.map { snapshot.places[$0] }
            return Card(id: service.object["id"]?.stringValue ?? "", name: service.object["name"]?.stringValue ?? "",
                        organization: service.organization.flatMap { snapshot.organizations[$0].object["name"]?.stringValue },
                        description: service.object["description"]?.stringValue,
                        temporarilyClosed: service.object["status"]?.stringValue == "temporarily closed",
                        place: location.map { [Self.address($0.object), $0.object["name"]?.stringValue].compactMap { $0 }.first ?? "" },
                        metres: filter.point == nil ? nil : nearest?.1,
                        hours: hours(nearest.map { snapshot.links[$0.0].hours }, location?.hours, service.hours))
        }
        return (found.count, cards)
    }

    /// The page of the service with `id`, or nil.
    public static func service(_ snapshot: DirectorySnapshot, id: String) -> Page? {
        guard let index = snapshot.serviceByID[id] ?? snapshot.serviceByID[id.lowercased()] else { return nil }
        let service = snapshot.services[index]
        let object = service.object
        let places = service.links.map { link -> Place in
            let location = snapshot.links[link].place.map { snapshot.places[$0] }
            let written = location.flatMap { Self.address($0.object) }
            // The municipality when the address does not already say it.
            var municipality = location?.municipality.flatMap { snapshot.municipalities.municipality(code: $0)?.name }
            if let name = municipality, let written, TextFold.folded(written).contains(TextFold.folded(name)) { municipality = nil }
            return Place(name: location?.object["name"]?.stringValue, address: written, municipality: municipality,
                         transportation: location?.object["transportation"]?.stringValue,
                         latitude: location?.latitude, longitude: location?.longitude,
                         hours: hours(snapshot.links[link].hours, location?.hours, nil),
                         phones: phones(snapshot.links[link].object["phones"]) + phones(location?.object["phones"]))
        }
        var ages: String?
        switch (object["minimum_age"].flatMap(DirectorySnapshot.number), object["maximum_age"].flatMap(DirectorySnapshot.number)) {
        case (let minimum?, let maximum?): ages = "\(whole(minimum))–\(whole(maximum))"
        case (let minimum?, nil): ages = "\(whole(minimum))+"
        case (nil, let maximum?): ages = "0–\(whole(maximum))"
        case (nil, nil): ages = nil
        }
        let organization = service.organization.map { snapshot.organizations[$0].object }
        return Page(id: object["id"]?.stringValue ?? id, name: object["name"]?.stringValue ?? "",
                    temporarilyClosed: object["status"]?.stringValue == "temporarily closed", organization: organization?["name"]?.stringValue,
                    description: object["description"]?.stringValue, email: object["email"]?.stringValue ?? organization?["email"]?.stringValue,
                    url: object["url"]?.stringValue ?? organization?["website"]?.stringValue, ages: ages,
                    phones: phones(object["phones"]) + phones(organization?["phones"]), hours: hours(nil, nil, service.hours), places: places,
                    fees: object["fees_description"]?.stringValue, applicationProcess: object["application_process"]?.stringValue)
    }

    /// The types of activity the directory's services carry, by name.
    public static func choices(_ snapshot: DirectorySnapshot) -> [Choice] {
        snapshot.terms.compactMap { term in
            guard let id = term.object["id"]?.stringValue, let name = term.object["name"]?.stringValue else { return nil }
            return Choice(id: id, name: name)
        }.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// `Via Borgo Dora, 10, 10152 Torino`.
    static func address(_ location: JSONObject) -> String? {
        guard let address = (location["addresses"]?.arrayValue ?? []).compactMap(\.objectValue).first else { return nil }
        let street = [address["address_1"]?.stringValue, address["address_2"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        let town = [address["postal_code"]?.stringValue, address["city"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let parts = street + (town.isEmpty ? [] : [town])
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    private static func phones(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap { $0["number"]?.stringValue }
    }

    /// The first schedule that says anything, day by day.
    private static func hours(_ candidates: OpenHours?...) -> [Hours] {
        guard let hours = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return [] }
        var days: [Int: [String]] = [:]
        for span in hours.spans.sorted(by: { ($0.day, $0.opens) < ($1.day, $1.opens) }) {
            days[span.day, default: []].append(clock(span.opens) + "–" + clock(span.closes))
        }
        return days.keys.sorted().map { Hours(day: $0, spans: days[$0]!) }
    }

    private static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    private static func whole(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}
