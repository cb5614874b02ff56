import Testing
@testable import CroceviaKit

@Suite struct ProfileLoaderTests {
    static let head = """
        crocevia_profile: 1
        source:
          name: prova
          format: csv
        target: service
        fields:

        """

    @Test func samplesLoad() throws {
        for sample in ["portinerie-torino", "punti-comunita-brescia"] {
            let path = packageRoot.appendingPathComponent("Samples/\(sample)/profile.yaml").path
            let loaded = try ProfileLoader.load(path: path, schemas: HSDSSchemas(directory: packageRoot.appendingPathComponent("Schemas").path))
            #expect(loaded.source.name == sample)
            #expect(loaded.target == .service)
            #expect(loaded.fields.count > 20)
        }
    }

    @Test func unknownFieldKeyIsNamedWithASuggestion() {
        #expect(profileError(Self.head + "  name: { colum: Nome }\n")
                == "profile.yaml:7:11: unknown key \"colum\" in field \"name\"; did you mean \"column\"? (known keys: column, columns, separator, template, const, uuid, copy, pseudonym, age_band, transforms, required, optional)")
    }

    @Test func unknownTargetField() {
        #expect(profileError(Self.head + "  organization.nome: Ente\n")
                == "profile.yaml:7:3: \"nome\" is not a field of the HSDS organization; did you mean \"name\"?")
    }

    @Test func listWithoutBrackets() {
        #expect(profileError(Self.head + "  phones.number: Telefono\n")
                == "profile.yaml:7:3: \"phones\" is a list in the HSDS service: write phones[] (one element per value) or phones[0]")
    }

    @Test func phoneCountryMustBeKnown() {
        #expect(profileError(Self.head + "  phones[].number: { column: Tel, transforms: [{ phone: { country: XX } }] }\n")
                == "profile.yaml:7:68: phone's country is one of IT, SM, VA, CH, FR, DE, AT, ES, GB, IE, US, CA")
        #expect(profileError(Self.head + "  phones[].number: { column: Tel, transforms: [{ phone: { nation: GB } }] }\n")
                == "profile.yaml:7:57: phone needs \"country\"")
    }

    @Test func unknownTopLevelKey() {
        #expect(profileError(Self.head + "  name: Nome\ntarghet: x\n")
                == "profile.yaml:8:1: unknown key \"targhet\" in the profile; did you mean \"target\"? (known keys: crocevia_profile, description, source, target, namespace, keep_free_text, fields)")
    }

    @Test func unknownObject() {
        #expect(profileError(Self.head.replacingOccurrences(of: "target: service", with: "target: servizio") + "  name: Nome\n")
                == "profile.yaml:5:9: \"servizio\" is not an HSDS object or a case data object; did you mean \"service\"?")
    }

    @Test func copyOfAMissingField() {
        #expect(profileError(Self.head + "  organization_id: { copy: organization.id }\n")
                == "profile.yaml:7:20: copy: organization.id is not a field of this profile")
    }

    @Test func badDatePatternAndRegex() {
        #expect(profileError(Self.head + "  assured_date: { column: D, transforms: [{ date: dd/yyyy }] }\n")
                == "profile.yaml:7:51: date pattern \"dd/yyyy\" needs dd, MM and yyyy (or d, M, yy)")
        #expect(profileError(Self.head + "  name: { column: N, transforms: [{ replace: { regex: \"(\", with: x } }] }\n")
                == "profile.yaml:7:55: \"(\" is not a valid regular expression")
    }

    @Test func twoOriginsInOneField() {
        #expect(profileError(Self.head + "  name: { column: N, const: x }\n")
                == "profile.yaml:7:9: field \"name\" has column and const; give only one")
    }

    @Test func templateWithAnOpenBrace() {
        #expect(profileError(Self.head + "  name: { template: \"{Via {Civico}\" }\n")
                == "profile.yaml:7:21: template \"{Via {Civico}\": a '{' is not closed before the next '{'")
    }

    @Test func wrongVersion() {
        #expect(profileError(Self.head.replacingOccurrences(of: "crocevia_profile: 1", with: "crocevia_profile: 2") + "  name: N\n")
                == "profile.yaml:1:19: this Crocevia reads profiles of version 1")
    }
}
