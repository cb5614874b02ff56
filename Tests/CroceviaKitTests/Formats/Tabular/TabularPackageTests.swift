import Foundation
import Testing
@testable import CroceviaKit

@Suite struct TabularPackageTests {
    static let organizationID = "0f0e2c5e-1111-4a6b-9c1d-000000000001"

    /// Two services of one cooperative at two places, with phones, an attribute and a schedule,
    /// as the HSDS API gives them: every nested object carries the key that links it.
    static func services() -> [JSONValue] {
        func object(_ members: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(members)) }
        let organization = object([("id", .string(organizationID)), ("name", .string("Cooperativa Sociale Il Riparo")),
                                   ("description", .string("Casa e lavoro")), ("year_incorporated", .number("1998")),
                                   ("phones", .array([object([("id", .string("p-org")), ("organization_id", .string(organizationID)), ("number", .string("+390111234567"))])]))])
        func service(_ n: Int, latitude: String) -> JSONValue {
            let id = "s-\(n)"
            return object([
                ("id", .string(id)), ("organization_id", .string(organizationID)), ("name", .string("Sportello \(n)")),
                ("status", .string("active")), ("minimum_age", .number("18")),
                ("organization", organization),
                ("phones", .array([object([("id", .string("p-\(n)")), ("service_id", .string(id)), ("number", .string("011 55\(n)")), ("description", .string("riga 1\nriga 2, \"citata\""))])])),
                ("schedules", .array([object([("id", .string("h-\(n)")), ("service_id", .string(id)), ("opens_at", .string("09:00")), ("closes_at", .string("12:30")), ("byday", .string("MO,WE"))])])),
                ("service_at_locations", .array([object([
                    ("id", .string("sal-\(n)")), ("service_id", .string(id)), ("location_id", .string("l-\(n)")),
                    ("location", object([("id", .string("l-\(n)")), ("location_type", .string("physical")), ("name", .string("Sede \(n)")),
                                         ("latitude", .number(latitude)),
                                         ("addresses", .array([object([("id", .string("a-\(n)")), ("location_id", .string("l-\(n)")), ("address_1", .string("Via Roma \(n)")),
                                                                       ("city", .string("Torino")), ("state_province", .string("TO")), ("postal_code", .string("00100")),
                                                                       ("country", .string("IT")), ("address_type", .string("physical"))])]))])),
                ])])),
                ("attributes", .array([object([("id", .string("at-\(n)")), ("link_id", .string(id)), ("link_type", .string("target")), ("link_entity", .string("service")), ("value", .string("anziani"))])])),
            ])
        }
        return [service(1, latitude: "45.0703"), service(2, latitude: "45.1")]
    }

    @Test func jsonToTabularToJSONGivesTheSameObjects() throws {
        let folder = try writePackage(Self.services())
        let back = try readPackage(folder)
        #expect(back.count == 2)
        for (original, read) in zip(Self.services(), back) { #expect(read == original) }
    }

    @Test func tabularToJSONToTabularGivesTheSameFiles() throws {
        let first = try writePackage(Self.services())
        let second = try writePackage(try readPackage(first))
        for file in try FileManager.default.contentsOfDirectory(atPath: first).sorted() {
            #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/" + file)) == Data(contentsOf: URL(fileURLWithPath: second + "/" + file)), "\(file)")
        }
    }

    @Test func theSharedOrganizationIsWrittenOnceAndLinksAreFilled() throws {
        var bare = Self.services()[0].objectValue!
        bare["organization_id"] = nil
        bare["phones"] = .array([.object(JSONObject([("id", .string("p-9")), ("number", .string("011 9"))]))])
        let folder = try writePackage([.object(bare), Self.services()[1]])
        #expect(try String(contentsOfFile: folder + "/organizations.csv", encoding: .utf8) == """
            id,name,alternate_name,description,email,website,tax_status,tax_id,year_incorporated,legal_status,logo,uri,parent_organization_id
            \(Self.organizationID),Cooperativa Sociale Il Riparo,,Casa e lavoro,,,,,1998,,,,

            """)
        #expect(try String(contentsOfFile: folder + "/phones.csv", encoding: .utf8) == """
            id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description
            p-9,,s-1,,,,011 9,,,
            p-org,,,\(Self.organizationID),,,+390111234567,,,
            p-2,,s-2,,,,011 552,,,"riga 1
            riga 2, ""citata\"\"\"

            """)
        let back = try readPackage(folder)
        #expect(back[0]["organization_id"] == .string(Self.organizationID))
        #expect(back[0]["phones"] == .array([.object(JSONObject([("id", .string("p-9")), ("service_id", .string("s-1")), ("number", .string("011 9"))]))]))
    }

    @Test func aFieldThatIsNotAColumnIsAWarning() throws {
        let findings = FindingLog()
        let record = JSONValue.object(JSONObject([("id", .string("s-1")), ("name", .string("A")), ("x_quartiere", .string("Aurora"))]))
        _ = try writePackage([record, record], findings: findings)
        #expect(findings.findings.map(\.message) == ["service field \"x_quartiere\" is not a column of services.csv; it is left out of the package (reported once)"])
    }

    @Test func nestedValuesThatAreNotObjectsAreAWarning() throws {
        let findings = FindingLog()
        let record = JSONValue.object(JSONObject([("id", .string("s-1")), ("name", .string("A")),
                                                  ("phones", .array([.string("011 1"), .object(JSONObject([("id", .string("p-1")), ("number", .string("011 2"))]))])),
                                                  ("organization", .string("Coop"))]))
        let folder = try writePackage([record], findings: findings)
        #expect(findings.findings.map(\.message) == [
            "service field \"phones\" holds values that are not phone objects; they are left out of the package",
            "service field \"organization\" holds values that are not organization objects; they are left out of the package",
        ])
        #expect(try readPackage(folder)[0]["phones"] == .array([.object(JSONObject([("id", .string("p-1")), ("service_id", .string("s-1")), ("number", .string("011 2"))]))]))
    }

    @Test func aDanglingForeignKeyIsAFindingWithItsLine() throws {
        let folder = try writePackage(Self.services())
        try replace(in: folder + "/phones.csv", "p-1,,s-1,", with: "p-1,,s-404,")
        try replace(in: folder + "/services.csv", "s-2,\(Self.organizationID)", with: "s-2,o-404")
        let findings = FindingLog()
        let back = try readPackage(folder, findings: findings)
        #expect(findings.findings.map(\.formatted) == [
            "\(folder)/services.csv:3: error: organization_id \"o-404\" names no row of organizations.csv; its records have no organization object (check the id, or add the missing organization row)",
            "\(folder)/phones.csv:2: error: service_id \"s-404\" names no row of services.csv; this phone is left out of the records that should hold it (check the id, or add the missing service row)",
        ])
        #expect(back.count == 2)
        #expect(back[0]["phones"] == nil)
        #expect(back[1]["organization"] == nil)
    }

    @Test func aMissingCSVIsAFindingAndTheRestIsRead() throws {
        let folder = try writePackage(Self.services())
        try FileManager.default.removeItem(atPath: folder + "/phones.csv")
        let findings = FindingLog()
        let back = try readPackage(folder, findings: findings)
        #expect(findings.findings.map(\.message) == ["the package names phones.csv for its phone rows, but there is no such file in \(folder); the records have no phone objects"])
        #expect(back.map { $0["name"] } == [.string("Sportello 1"), .string("Sportello 2")])
        #expect(back.allSatisfy { $0["phones"] == nil && $0["organization"]?["phones"] == nil })
    }

    @Test func aMissingRootCSVOrDatapackageStopsTheInput() throws {
        let folder = try writePackage(Self.services())
        try FileManager.default.removeItem(atPath: folder + "/services.csv")
        #expect(throws: CroceviaError.unreadableInput(file: folder + "/datapackage.json", line: 1,
                                                      message: "the package names services.csv for its service rows, but there is no such file in \(folder)", hint: nil)) {
            try readPackage(folder)
        }
        try FileManager.default.removeItem(atPath: folder + "/datapackage.json")
        #expect(throws: CroceviaError.unreadableInput(file: folder, line: 1, message: "there is no datapackage.json in \(folder)",
                                                      hint: "an HSDS tabular package is a folder with datapackage.json and one CSV per table")) {
            try readPackage(folder)
        }
    }

    @Test func aRootThatIsNotInThePackageIsNamed() throws {
        let folder = try writePackage(Self.services())
        do {
            _ = try readPackage(folder, root: "servizio")
            Issue.record("an unknown root was accepted")
        } catch CroceviaError.unreadableInput(_, _, let message, let hint) {
            #expect(message.hasPrefix("the package has no servizio resource (its resources: organization, program, service, "))
            #expect(hint == "choose the records with --hsds-object RESOURCE")
        }
    }

    @Test func organizationsCanBeTheRecords() throws {
        let folder = try writePackage(Self.services())
        let organizations = try readPackage(folder, root: "organization")
        #expect(organizations.count == 1)
        #expect(organizations[0]["phones"] == .array([.object(JSONObject([("id", .string("p-org")), ("organization_id", .string(Self.organizationID)), ("number", .string("+390111234567"))]))]))
    }

    @Test func anotherFolderIsNeverReplaced() throws {
        let folder = URL(fileURLWithPath: try temporaryFile("appunti", name: "appunti.txt")).deletingLastPathComponent().path
        #expect(throws: CroceviaError.usage("\(folder) is a folder that holds other files, not a tabular package; name a new or empty folder")) {
            try Format.hsdsCSV.makeWriter(path: folder, options: WriterOptions(), findings: FindingLog())
        }
        #expect(try String(contentsOfFile: folder + "/appunti.txt", encoding: .utf8) == "appunti")
        let package = try writePackage(Self.services())
        let again = try Format.hsdsCSV.makeWriter(path: package, options: WriterOptions(), findings: FindingLog())
        try again.finish()
        try again.commit()
        #expect(try String(contentsOfFile: package + "/services.csv", encoding: .utf8).split(separator: "\n").count == 1)
    }

    // MARK: Helpers

    private func replace(in path: String, _ old: String, with new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
