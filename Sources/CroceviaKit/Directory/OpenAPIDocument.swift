/// The `/openapi.json` `crocevia serve` gives: HSDS 3.0's `Schemas/hsds/openapi.json` made
/// whole and true to what is served.
///
/// - Its schemas are HSDS's own files (`Schemas/hsds/*.json`) in `components/schemas`, where the
///   standard points at raw.githubusercontent.com, so a client needs no network to read it.
/// - Its known defects are mended: `/service_at_locations/{id}` answers a `service_at_location`
///   (the standard says a `service`), and the operation ids of `/taxonomy_terms` and
///   `/taxonomy_terms/{id}` are swapped back.
/// - Locator's filters are added to `/services` and `/service_at_locations` as extensions
///   (`x-crocevia-extension: true`), with the limits the server holds to (`page` from 1,
///   `per_page` from 1 to 1000) and the 400 and 404 answers with their body.
public enum OpenAPIDocument {
    public static func served(files: SchemaFiles = SchemaFiles()) throws -> JSONValue {
        guard case .object(var document) = try JSONDocument.load("hsds/openapi.json", from: files) else {
            throw CroceviaError.io("Schemas/hsds/openapi.json is not an object")
        }
        document["info"] = .object(JSONObject([
            ("title", .string("Crocevia: the network's directory")),
            ("version", .string("3.0")),
            ("summary", .string("The published directory of a network of community help desks, as HSDS 3.0, with Locator-style filters")),
            ("description", .string("The HSDS 3.0 read API (Open Referral), served by crocevia serve from the registry the pipeline publishes. Parameters marked x-crocevia-extension are Crocevia's.")),
            ("license", .object(JSONObject([("name", .string("CC-BY-SA-4.0 (the HSDS schemas)")), ("identifier", .string("CC-BY-SA-4.0"))]))),
        ]))
        var components = document["components"]?.objectValue ?? JSONObject()
        var schemas = components["schemas"]?.objectValue ?? JSONObject()
        for name in objectSchemas {
            guard case .object(var schema) = try JSONDocument.load("hsds/\(name).json", from: files) else { continue }
            schema["$id"] = nil
            schema["$schema"] = nil
            schemas[name] = localized(.object(schema))
        }
        schemas["Error"] = errorSchema
        components["schemas"] = .object(schemas)
        var parameters = components["parameters"]?.objectValue ?? JSONObject()
        for (name, description, schema) in extensions {
            parameters[name] = .object(JSONObject([
                ("name", .string(name)), ("in", .string("query")), ("required", .bool(false)),
                ("description", .string(description)), ("schema", schema), ("x-crocevia-extension", .bool(true)),
            ]))
        }
        // The limits the server holds to, so a client (or schemathesis) knows them.
        for name in ["taxonomy_term_id", "taxonomy_id", "organization_id"] { parameters[name]?.setSchema(uuidSchema) }
        parameters["modified_after"]?.setSchema(JSONObject([("type", .string("string")), ("format", .string("date-time"))]))
        parameters["proximity"]?.setSchema(JSONObject([("type", .string("number")), ("minimum", .number("1")), ("maximum", .number("1000000"))]))
        parameters["page"]?.setSchema(JSONObject([("type", .string("integer")), ("minimum", .number("1"))]))
        parameters["per_page"]?.setSchema(JSONObject([("type", .string("integer")), ("minimum", .number("1")), ("maximum", .number(String(DirectoryAPI.maximumPerPage)))]))
        parameters["format"]?.setSchema(JSONObject([("type", .string("string")), ("enum", .array([.string("json"), .string("ndjson")]))]))
        components["parameters"] = .object(parameters)
        document["components"] = .object(components)

        var paths = document["paths"]?.objectValue ?? JSONObject()
        for index in paths.members.indices {
            let path = paths.members[index].key
            guard case .object(var item) = localized(paths.members[index].value) else { continue }
            guard case .object(var get)? = item["get"] else { continue }
            // Ids are UUIDs, in the path and in the filters of taxonomy_terms.
            if case .array(let shared)? = item["parameters"] {
                item["parameters"] = .array(shared.map { parameter in
                    guard parameter["in"]?.stringValue == "path" else { return parameter }
                    var parameter = parameter
                    parameter.setSchema(uuidSchema)
                    return parameter
                })
            }
            if case .array(let own)? = get["parameters"] {
                get["parameters"] = .array(own.map { parameter in
                    guard parameter["name"]?.stringValue == "parent_id" else { return parameter }
                    var parameter = parameter
                    parameter.setSchema(uuidSchema)
                    return parameter
                })
            }
            // minimal=true gives a service's id and last_modified only.
            if path == "/services" { get.setItemSchema(minimalOrService) }
            // A list's results as a stream with format=ndjson.
            if case .object(var responses)? = get["responses"], case .object(var ok)? = responses["200"], case .object(var content)? = ok["content"],
               let json = content["application/json"], path.hasSuffix("s") {
                content["application/x-ndjson"] = .object(JSONObject([("schema", json["schema"]?["properties"]?["contents"]?["items"] ?? .object(JSONObject()))]))
                ok["content"] = .object(content)
                responses["200"] = .object(ok)
                get["responses"] = .object(responses)
            }
            if path == "/services" || path == "/service_at_locations" {
                var list = get["parameters"]?.arrayValue ?? []
                let present = Set(list.compactMap { $0["$ref"]?.stringValue })
                // /services takes postcode and proximity as well, as service_at_locations does.
                for name in extensions.map(\.0) + ["postcode", "proximity"] where !present.contains("#/components/parameters/\(name)") {
                    list.append(.object(JSONObject([("$ref", .string("#/components/parameters/\(name)"))])))
                }
                get["parameters"] = .array(list)
            }
            if path == "/service_at_locations/{id}" {
                get.setResponseSchema(JSONObject([("$ref", .string("#/components/schemas/service_at_location"))]))
            }
            if path == "/taxonomy_terms" { get["operationId"] = .string("getPaginatedListOfTaxonomyTerms") }
            if path == "/taxonomy_terms/{id}" { get["operationId"] = .string("getTaxonomyTermById") }
            var responses = get["responses"]?.objectValue ?? JSONObject()
            let error = JSONObject([("$ref", .string("#/components/schemas/Error"))])
            responses["400"] = response("The request is malformed: an unknown parameter, a value of the wrong kind", error)
            if path.hasSuffix("{id}") { responses["404"] = response("The directory holds no object with this id", error) }
            get["responses"] = .object(responses)
            item["get"] = .object(get)
            paths.members[index].value = .object(item)
        }
        paths["/corrections"] = correctionsPath
        document["paths"] = .object(paths)
        return .object(document)
    }

    /// `POST /corrections`, Crocevia's own: a report that a value the directory shows is wrong.
    static var correctionsPath: JSONValue {
        func text(_ limit: Int, _ description: String) -> JSONValue {
            .object(JSONObject([("type", .string("string")), ("maxLength", .number(String(limit))), ("description", .string(description))]))
        }
        let request = JSONObject([
            ("type", .string("object")), ("required", .array([.string("id"), .string("field"), .string("offered")])), ("additionalProperties", .bool(false)),
            ("properties", .object(JSONObject([
                ("id", .object(JSONObject([("type", .string("string")), ("format", .string("uuid")), ("description", .string("The published service's id"))]))),
                ("field", text(300, "An HSDS path into the service as /services/{id} gives it: phones[0].number, organization.email")),
                ("seen", text(CorrectionRequest.maximumValue, "The value shown, as the reporter saw it")),
                ("offered", .object(JSONObject([("type", .array([.string("string"), .string("number"), .string("boolean")])),
                                                ("description", .string("The right value: one the field's schema takes"))]))),
                ("note", text(CorrectionRequest.maximumNote, "Free text: stored, never published")),
                ("contact", text(CorrectionRequest.maximumContact, "Free text: stored, never published, deleted when the correction closes")),
            ]))),
        ])
        let made = JSONObject([
            ("type", .string("object")), ("required", .array(["id", "state", "service_id", "field", "offered"].map(JSONValue.string))),
            ("properties", .object(JSONObject([
                ("id", .object(JSONObject([("type", .string("string")), ("format", .string("uuid"))]))),
                ("state", .object(JSONObject([("type", .string("string")), ("enum", .array([.string("pending")]))]))),
                ("service_id", .object(JSONObject([("type", .string("string"))]))), ("field", .object(JSONObject([("type", .string("string"))]))),
                ("offered", .object(JSONObject([("type", .array([.string("string"), .string("number"), .string("boolean")]))]))),
            ]))),
        ])
        let error = JSONObject([("$ref", .string("#/components/schemas/Error"))])
        var responses = JSONObject()
        responses["201"] = response("Stored as pending and routed to the source whose feed carries the field", made)
        for (status, description) in [("400", "Not a correction: the message says which member and why"), ("413", "The body is over 16 KiB"),
                                      ("415", "The body is not JSON"), ("429", "Ten corrections from this address in the last hour"),
                                      ("503", "The registry is busy; nothing was stored")] {
            responses[status] = response(description, error)
        }
        return .object(JSONObject([("post", .object(JSONObject([
            ("operationId", .string("reportCorrection")), ("summary", .string("Report a mistake in the directory")),
            ("x-crocevia-extension", .bool(true)),
            ("requestBody", .object(JSONObject([("required", .bool(true)),
                                                ("content", .object(JSONObject([("application/json", .object(JSONObject([("schema", .object(request))])))])))]))),
            ("responses", .object(responses)),
        ])))]))
    }

    /// The HSDS object schemas the API's answers are made of.
    static let objectSchemas = [
        "accessibility", "address", "attribute", "contact", "cost_option", "funding", "language", "location", "metadata",
        "organization", "organization_identifier", "phone", "program", "required_document", "schedule", "service",
        "service_area", "service_at_location", "taxonomy", "taxonomy_term",
    ]

    /// Where HSDS points: the compiled list and nested schemas, and the object schemas' own files.
    static func target(_ reference: String) -> String? {
        let base = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
        var name = reference.hasPrefix(base) ? String(reference.dropFirst(base.count)) : reference
        if name.hasPrefix("compiled/") { name = String(name.dropFirst("compiled/".count)) }
        guard name.hasSuffix(".json"), !name.contains("/"), !name.contains("#") else { return nil }
        name = String(name.dropLast(".json".count))
        // A list's items are the object with its one-to-one fields: valid against the object's schema.
        if name.hasSuffix("_list") { name = String(name.dropLast("_list".count)) }
        return objectSchemas.contains(name) ? "#/components/schemas/" + name : nil
    }

    /// The value with each `$ref` to an HSDS file pointed at its copy in `components/schemas`.
    static func localized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var object):
            for index in object.members.indices {
                if object.members[index].key == "$ref", let reference = object.members[index].value.stringValue, let local = target(reference) {
                    object.members[index].value = .string(local)
                } else {
                    object.members[index].value = localized(object.members[index].value)
                }
            }
            return .object(object)
        case .array(let items):
            return .array(items.map(localized))
        default:
            return value
        }
    }

    static func response(_ description: String, _ schema: JSONObject) -> JSONValue {
        .object(JSONObject([
            ("description", .string(description)),
            ("content", .object(JSONObject([("application/json", .object(JSONObject([("schema", .object(schema))])))]))),
        ]))
    }

    static let errorSchema = JSONValue.object(JSONObject([
        ("type", .string("object")),
        ("required", .array([.string("status"), .string("error"), .string("message")])),
        ("properties", .object(JSONObject([
            ("status", .object(JSONObject([("type", .string("integer"))]))),
            ("error", .object(JSONObject([("type", .string("string"))]))),
            ("parameter", .object(JSONObject([("type", .string("string")), ("description", .string("The parameter at fault"))]))),
            ("message", .object(JSONObject([("type", .string("string")), ("description", .string("What is wrong and what to give instead"))]))),
        ]))),
    ]))

    /// A service, or (`minimal=true`) its id and last_modified.
    static let minimalOrService = JSONObject([("anyOf", .array([
        .object(JSONObject([("$ref", .string("#/components/schemas/service"))])),
        .object(JSONObject([
            ("type", .string("object")), ("required", .array([.string("id")])),
            ("properties", .object(JSONObject([
                ("id", .object(JSONObject([("type", .string("string"))]))),
                ("last_modified", .object(JSONObject([("type", .string("string")), ("format", .string("date-time"))]))),
            ]))),
        ])),
    ]))])

    static let uuidSchema = JSONObject([
        ("type", .string("string")), ("format", .string("uuid")),
        ("pattern", .string("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")),
    ])
    static func number(_ minimum: String, _ maximum: String) -> JSONValue {
        .object(JSONObject([("type", .string("number")), ("minimum", .number(minimum)), ("maximum", .number(maximum))]))
    }
    static let text = JSONValue.object(JSONObject([("type", .string("string"))]))
    static let days = JSONValue.object(JSONObject([
        ("type", .string("string")),
        ("enum", .array((OpenHours.dayNames.flatMap { $0.sorted() } + ["MO", "TU", "WE", "TH", "FR", "SA", "SU", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì"]).map { .string($0) })),
    ]))
    static let clock = JSONValue.object(JSONObject([("type", .string("string")), ("pattern", .string("^([01][0-9]|2[0-3]):[0-5][0-9]$"))]))

    /// Crocevia's parameters (name, description, schema).
    static let extensions: [(String, String, JSONValue)] = [
        ("municipality", "The municipality of the place: its ISTAT code (001272) or its name (Torino, Turin), read as the normalizer reads one.", text),
        ("lat", "Latitude of a point, in degrees, for radius and sort=distance (with lng).", number("-90", "90")),
        ("lng", "Longitude of a point, in degrees (with lat).", number("-180", "180")),
        ("radius", "Only places within this many metres of lat and lng.", number("1", "1000000")),
        ("sort", "distance: nearest first (needs lat and lng, or postcode and proximity); relevance: best search match first (the default with search).",
         .object(JSONObject([("type", .string("string")), ("enum", .array([.string("distance"), .string("relevance")]))]))),
        ("age", "Only services for a person of this age: between the service's minimum_age and maximum_age, where given.", number("0", "150")),
        ("minimum_age", "Only services whose ages reach this age or above it.", number("0", "150")),
        ("maximum_age", "Only services whose ages reach this age or below it.", number("0", "150")),
        ("day", "Only services open on this day of the week (monday, lunedì, MO), from their schedules.", days),
        ("time", "Only services open at this time of day (HH:MM), on day when given, from their schedules.", clock),
        ("language", "Only services in this language, by code (it, en) or name (italiano, arabo).", text),
        ("service_area", "Only services whose service area has this name (a municipality, a district).", text),
    ]
}

extension JSONValue {
    fileprivate mutating func setSchema(_ schema: JSONObject) {
        guard case .object(var object) = self else { return }
        object["schema"] = .object(schema)
        self = .object(object)
    }
}

extension JSONObject {
    /// Sets the schema of the items of the 200 answer's `contents`.
    fileprivate mutating func setItemSchema(_ schema: JSONObject) {
        guard case .object(var responses)? = self["responses"], case .object(var ok)? = responses["200"],
              case .object(var content)? = ok["content"], case .object(var json)? = content["application/json"],
              case .object(var page)? = json["schema"], case .object(var properties)? = page["properties"],
              case .object(var contents)? = properties["contents"] else { return }
        contents["items"] = .object(schema)
        properties["contents"] = .object(contents)
        page["properties"] = .object(properties)
        json["schema"] = .object(page)
        content["application/json"] = .object(json)
        ok["content"] = .object(content)
        responses["200"] = .object(ok)
        self["responses"] = .object(responses)
    }

    /// Sets the schema of the 200 answer's JSON.
    fileprivate mutating func setResponseSchema(_ schema: JSONObject) {
        guard case .object(var responses)? = self["responses"], case .object(var ok)? = responses["200"],
              case .object(var content)? = ok["content"], case .object(var json)? = content["application/json"] else { return }
        json["schema"] = .object(schema)
        content["application/json"] = .object(json)
        ok["content"] = .object(content)
        responses["200"] = .object(ok)
        self["responses"] = .object(responses)
    }
}
