/// The shapes the HSDS 3.0 API gives its objects in (the compiled schemas of
/// `Schemas/hsds/compiled/`): a list's items carry their one-to-one fields only (`service_list`,
/// `organization_list`, `service_at_location_list`), a single object comes fully nested.
extension DirectorySnapshot {
    /// The members that are neither arrays nor objects.
    static func oneToOne(_ object: JSONObject) -> JSONObject {
        JSONObject(object.members.filter { member in
            switch member.value {
            case .array, .object: return false
            default: return true
            }
        })
    }

    func organizationList(_ index: Int) -> JSONObject {
        Self.oneToOne(organizations[index].object)
    }

    /// A service as a list gives it: its one-to-one fields and its organization's.
    func serviceList(_ index: Int, withOrganization: Bool = true) -> JSONObject {
        var object = Self.oneToOne(services[index].object)
        if withOrganization, let organization = services[index].organization { object["organization"] = .object(organizationList(organization)) }
        return object
    }

    /// `/services/{id}`: the service with its organization and each place nested.
    func serviceFull(_ index: Int, withLinks: Bool = true) -> JSONObject {
        let service = services[index]
        var object = service.object
        if let organization = service.organization { object["organization"] = .object(organizations[organization].object) }
        if withLinks && !service.links.isEmpty {
            object["service_at_locations"] = .array(service.links.map { link in
                var linked = links[link].object
                if let location = links[link].place.map({ places[$0] }) { linked["location"] = .object(location.object) }
                return .object(linked)
            })
        }
        return object
    }

    /// A service at a location as a list gives it: its own fields, its place's and its service's.
    func linkList(_ index: Int) -> JSONObject {
        let link = links[index]
        var object = Self.oneToOne(link.object)
        if object["service_id"] == nil, let id = services[link.service].object["id"] { object["service_id"] = id }
        if let location = link.place.map({ places[$0] }) { object["location"] = .object(Self.oneToOne(location.object)) }
        object["service"] = .object(serviceList(link.service))
        return object
    }

    /// `/service_at_locations/{id}`: the link with its place and its service nested.
    func linkFull(_ index: Int) -> JSONObject {
        let link = links[index]
        var object = link.object
        if object["service_id"] == nil, let id = services[link.service].object["id"] { object["service_id"] = id }
        if let location = link.place.map({ places[$0] }) { object["location"] = .object(location.object) }
        object["service"] = .object(serviceFull(link.service, withLinks: false))
        return object
    }

    /// `/organizations/{id}`: the organization with its places and its services (each as a list
    /// gives it, or whole with `full_service`).
    func organizationFull(_ index: Int, fullServices: Bool) -> JSONObject {
        let organization = organizations[index]
        var object = organization.object
        let places = organization.locations.compactMap { location($0).map { JSONValue.object($0.object) } }
        if !places.isEmpty { object["locations"] = .array(places) }
        if !organization.services.isEmpty {
            object["services"] = .array(organization.services.map { .object(fullServices ? serviceFull($0) : serviceList($0, withOrganization: false)) })
        }
        return object
    }

    /// `minimal`: a service's id and when it last changed.
    func serviceMinimal(_ index: Int) -> JSONObject {
        var object = JSONObject([("id", services[index].object["id"] ?? .null)])
        if let modified = services[index].object["last_modified"] { object["last_modified"] = modified }
        return object
    }
}
