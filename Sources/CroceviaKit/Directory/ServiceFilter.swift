import Foundation

/// The filters of `/services` and `/service_at_locations`, the HSDS ones and Locator's: every
/// one given must hold (AND). Those about a place (municipality, distance, postcode, opening
/// hours, language) hold for a service when they hold at one of its places together.
struct ServiceFilter {
    var search: String?
    var termID: String?
    var taxonomyID: String?
    var organizationID: String?
    var modifiedAfter: Int64?
    /// The ISTAT code, from `municipality` (a code or a name, read as the normalizer reads one).
    var municipality: String?
    var point: (latitude: Double, longitude: Double)?
    /// Metres from `point`.
    var radius: Double?
    var postcode: String?
    var age: Double?
    var minimumAge: Double?
    var maximumAge: Double?
    var day: Int?
    var minute: Int?
    var language: String?
    var serviceArea: String?
    var byDistance = false

    static let parameters = ["search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "postcode", "proximity",
                             "municipality", "lat", "lng", "radius", "sort", "age", "minimum_age", "maximum_age", "day", "time",
                             "language", "service_area"]

    init(_ parameters: DirectoryParameters, snapshot: DirectorySnapshot) throws(DirectoryError) {
        search = parameters.text("search")
        termID = try parameters.uuid("taxonomy_term_id")
        taxonomyID = try parameters.uuid("taxonomy_id")
        organizationID = try parameters.uuid("organization_id")
        if let text = parameters.text("modified_after") {
            guard let seconds = DirectoryTime.seconds(text) else {
                throw DirectoryError("modified_after must be a date or a date and time (2026-11-30 or 2026-11-30T18:00:00Z); it was \(DirectoryParameters.shown(text))",
                                     parameter: "modified_after")
            }
            modifiedAfter = seconds
        }
        if let text = parameters.text("municipality") {
            switch snapshot.municipalities.find(text) {
            case .found(let found): municipality = found.code
            case .ambiguous(let candidates):
                let named = candidates.prefix(4).map { "\($0.name) (\($0.province), \($0.code))" }.joined(separator: ", ")
                throw DirectoryError("municipality \(DirectoryParameters.shown(text)) names more than one: \(named); give its ISTAT code or its province",
                                     parameter: "municipality")
            case .unknown:
                throw DirectoryError("municipality \(DirectoryParameters.shown(text)) is not an Italian municipality; give its name or its ISTAT code (001272 for Torino)",
                                     parameter: "municipality")
            }
        }
        let latitude = try parameters.number("lat", in: -90...90, otherwise: "a latitude in degrees, from -90 to 90")
        let longitude = try parameters.number("lng", in: -180...180, otherwise: "a longitude in degrees, from -180 to 180")
        switch (latitude, longitude) {
        case (let latitude?, let longitude?): point = (latitude, longitude)
        case (nil, nil): break
        case (nil, _): throw DirectoryError("lng needs lat: give both, in degrees", parameter: "lat")
        case (_, nil): throw DirectoryError("lat needs lng: give both, in degrees", parameter: "lng")
        }
        radius = try parameters.number("radius", in: 1...1_000_000, otherwise: "a distance in metres, from 1 to 1000000")
        postcode = parameters.text("postcode").map { String($0.filter { !$0.isWhitespace }) }
        let proximity = try parameters.number("proximity", in: 1...1_000_000, otherwise: "a distance in metres, from 1 to 1000000")
        if let proximity {
            guard let postcode else { throw DirectoryError("proximity is a distance from a postcode: give postcode too", parameter: "proximity") }
            guard point == nil else { throw DirectoryError("give a point either as lat and lng or as postcode and proximity, not both", parameter: "proximity") }
            guard let centroid = snapshot.postcodeCentroids[postcode] else {
                throw DirectoryError("no place in the directory with postcode \(DirectoryParameters.shown(postcode)) has coordinates, so distances from it cannot be measured (no geocoding service is used); give lat and lng instead",
                                     parameter: "postcode")
            }
            point = centroid
            radius = proximity
            self.postcode = nil
        }
        if radius != nil && point == nil { throw DirectoryError("radius is a distance from lat and lng: give them too", parameter: "radius") }
        let ages = "an age in years, from 0 to 150"
        age = try parameters.number("age", in: 0...150, otherwise: ages)
        minimumAge = try parameters.number("minimum_age", in: 0...150, otherwise: ages)
        maximumAge = try parameters.number("maximum_age", in: 0...150, otherwise: ages)
        if let minimumAge, let maximumAge, minimumAge > maximumAge {
            throw DirectoryError("minimum_age (\(minimumAge)) is above maximum_age (\(maximumAge))", parameter: "minimum_age")
        }
        if let text = parameters.text("day") {
            guard let day = OpenHours.day(text) else {
                throw DirectoryError("day must be a day of the week (monday, lunedì, MO…); it was \(DirectoryParameters.shown(text))", parameter: "day")
            }
            self.day = day
        }
        if let text = parameters.text("time") {
            guard let minute = OpenHours.minutes(text) else {
                throw DirectoryError("time must be a time of day as HH:MM (09:30); it was \(DirectoryParameters.shown(text))", parameter: "time")
            }
            self.minute = minute
        }
        language = parameters.text("language").map(TextFold.folded)
        serviceArea = parameters.text("service_area").map(TextFold.folded)
        if try parameters.choice("sort", ["distance", "relevance"]) == "distance" {
            guard point != nil else { throw DirectoryError("sort=distance needs a point: lat and lng, or postcode and proximity", parameter: "sort") }
            byDistance = true
        }
    }

    /// Whether a filter is about the service itself (`admits`).
    var checksService: Bool {
        termID != nil || taxonomyID != nil || organizationID != nil || modifiedAfter != nil || age != nil || minimumAge != nil
            || maximumAge != nil || serviceArea != nil
    }

    /// Whether a filter is about a place (`place`), or distances are asked for.
    var checksPlace: Bool {
        municipality != nil || point != nil || postcode != nil || day != nil || minute != nil || language != nil
    }

    /// Whether the service itself passes the filters that are not about a place.
    func admits(_ index: Int, in snapshot: DirectorySnapshot) -> Bool {
        // Read in place: this runs for every candidate of a request.
        return admits(service: snapshot.services[index], in: snapshot)
    }

    private func admits(service: borrowing DirectorySnapshot.Service, in snapshot: DirectorySnapshot) -> Bool {
        if let termID, !service.terms.contains(termID) { return false }
        if let taxonomyID, !service.taxonomies.contains(taxonomyID) { return false }
        if let organizationID {
            guard let organization = service.organization,
                  snapshot.organizations[organization].object["id"]?.stringValue?.lowercased() == organizationID else { return false }
        }
        if let modifiedAfter {
            guard let modified = service.modified, modified >= modifiedAfter else { return false }
        }
        if let age {
            if let minimum = service.minimumAge, age < minimum { return false }
            if let maximum = service.maximumAge, age > maximum { return false }
        }
        // The service's ages overlap the range asked for.
        if let minimumAge, let maximum = service.maximumAge, maximum < minimumAge { return false }
        if let maximumAge, let minimum = service.minimumAge, minimum > maximumAge { return false }
        if let serviceArea, !service.areas.contains(where: { $0 == serviceArea || $0.hasPrefix(serviceArea + " ") }) { return false }
        return true
    }

    /// The distance from `point` when the service at this link passes the filters about a place
    /// (0 without a point); nil when it does not.
    func place(_ link: Int?, of service: Int, in snapshot: DirectorySnapshot) -> Double? {
        // Service, link and place are read by index, field by field, never copied: this runs for
        // every candidate of a request.
        let place = link.flatMap { snapshot.links[$0].place }
        if let municipality {
            guard let place, snapshot.places[place].municipality == municipality else { return nil }
        }
        if let postcode {
            guard let place, snapshot.places[place].postcode == postcode else { return nil }
        }
        if let language, !snapshot.services[service].languages.contains(language) {
            guard let place, snapshot.places[place].languages.contains(language) else { return nil }
        }
        if day != nil || minute != nil {
            // The link's schedules, else the place's, else the service's.
            let open: Bool
            if let link, !snapshot.links[link].hours.isEmpty {
                open = snapshot.links[link].hours.isOpen(day: day, minute: minute)
            } else if let place, !snapshot.places[place].hours.isEmpty {
                open = snapshot.places[place].hours.isOpen(day: day, minute: minute)
            } else {
                open = snapshot.services[service].hours.isOpen(day: day, minute: minute)
            }
            guard open else { return nil }
        }
        guard let point else { return 0 }
        guard let place, let latitude = snapshot.places[place].latitude, let longitude = snapshot.places[place].longitude else { return nil }
        // No place is nearer than its difference in latitude: most of those outside are left without trigonometry.
        if let radius, abs(latitude - point.latitude) * Self.metresPerDegree > radius { return nil }
        let metres = Self.metres(point.latitude, point.longitude, latitude, longitude)
        if let radius, metres > radius { return nil }
        return metres
    }

    /// Along a meridian, on the sphere `metres` measures.
    static let metresPerDegree = 6_371_000 * Double.pi / 180

    /// Great-circle distance (haversine), in metres.
    static func metres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let rad = Double.pi / 180
        let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
        let a = pow(sin(dLat / 2), 2) + cos(lat1 * rad) * cos(lat2 * rad) * pow(sin(dLon / 2), 2)
        return 2 * 6_371_000 * asin(min(1, a.squareRoot()))
    }
}
