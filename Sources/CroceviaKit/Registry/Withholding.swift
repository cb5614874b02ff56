/// Withheld addresses: a shelter's or a safe house's address never leaves the registry.
///
/// A profile marks a location withheld with the extension field `x_withheld`, a constant or a
/// column, whose value says why (`{ const: "casa rifugio" }`, or `true`), as AIRS marks a site
/// `Confidential` with a `ReasonWithheld`. The registry keeps what the partner sent; everything
/// published from it (the directory, and so `export`, the tabular package and `serve`) gives
/// such a location without its address lines and exact coordinates, keeping the municipality
/// (city, province, postal code, country), and without the reason. A merged location is
/// withheld when any partner withholds one of the places it merged. HSDS has not settled this
/// (Open Referral issues #166 and #487); HSDS requires `address_1`, so it says
/// `Indirizzo riservato` instead of the street.
public enum Withholding {
    public static let marker = "x_withheld"
    public static let notice = "Indirizzo riservato"

    /// The fields of an address that locate the place within its municipality.
    static let addressLines = ["address_1", "address_2", "attention"]

    /// Whether a location is marked withheld: a marker that is `true` or a reason.
    public static func isWithheld(_ location: JSONObject) -> Bool {
        switch location[marker] {
        case .bool(let flag)?: return flag
        case .string(let reason)?: return !reason.trimmingSpaces.isEmpty && reason.lowercased() != "false"
        default: return false
        }
    }

    /// The ids of the locations a record marks withheld, wherever they are nested.
    public static func withheldLocations(in value: JSONValue) -> [String] {
        var ids: [String] = []
        forEachWithheld(in: value) { object in
            if let id = object["id"]?.stringValue { ids.append(id) }
        }
        return ids
    }

    /// The street lines (`address_1`) of the locations a record marks withheld, for the check
    /// that an output carries none of them.
    public static func withheldStreets(in value: JSONValue) -> [String] {
        var streets: [String] = []
        forEachWithheld(in: value) { object in
            for case .object(let address) in object["addresses"]?.arrayValue ?? [] {
                if let street = address["address_1"]?.stringValue, !street.trimmingSpaces.isEmpty { streets.append(street) }
            }
        }
        return streets
    }

    /// Each object marked withheld in `value`, wherever it is nested, in order.
    private static func forEachWithheld(in value: JSONValue, _ body: (JSONObject) -> Void) {
        switch value {
        case .object(let object):
            if isWithheld(object) { body(object) }
            for member in object.members { forEachWithheld(in: member.value, body) }
        case .array(let items):
            for item in items { forEachWithheld(in: item, body) }
        default:
            break
        }
    }

    /// The value with every location whose id is in `ids`, or that is marked, withheld, and
    /// every marker removed.
    public static func applied(_ value: JSONValue, ids: Set<String>) -> JSONValue {
        switch value {
        case .object(var object):
            let isLocation = object["location_type"] != nil || object["addresses"] != nil
            if isWithheld(object) || (isLocation && object["id"]?.stringValue.map(ids.contains) == true) {
                object = withheld(object)
            }
            object[marker] = nil
            for index in object.members.indices { object.members[index].value = applied(object.members[index].value, ids: ids) }
            return .object(object)
        case .array(let items):
            return .array(items.map { applied($0, ids: ids) })
        default:
            return value
        }
    }

    /// A location without its street and exact position: the municipality stays.
    static func withheld(_ location: JSONObject) -> JSONObject {
        var location = location
        location["latitude"] = nil
        location["longitude"] = nil
        location[marker] = nil
        if case .array(let addresses)? = location["addresses"] {
            location["addresses"] = .array(addresses.map { item in
                guard case .object(var address) = item else { return item }
                for line in addressLines { address[line] = nil }
                address.members.insert(("address_1", .string(notice)), at: min(address.members.count, address["id"] == nil ? 0 : 1))
                return .object(address)
            })
        }
        return location
    }
}
