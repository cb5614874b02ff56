import Foundation
import Testing
@testable import CroceviaKit

/// XSD validation counts problems against the records whose lines hold them, names things
/// without their namespaces, and says when a problem is the root element's.
@Suite struct XSDValidationTests {
    static let schema = """
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:rete:1" xmlns="urn:rete:1" elementFormDefault="qualified">
          <xs:element name="rete">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="servizio" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:sequence>
                      <xs:element name="titolo" type="xs:string"/>
                      <xs:element name="posti" type="xs:integer" minOccurs="0"/>
                    </xs:sequence>
                    <xs:attribute name="cap">
                      <xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{5}"/></xs:restriction></xs:simpleType>
                    </xs:attribute>
                  </xs:complexType>
                </xs:element>
              </xs:sequence>
              <xs:attribute name="versione" type="xs:string" use="required"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """

    @Test func problemsGoToTheirRecordsOrToTheRoot() throws {
        let xml = """
            <?xml version="1.0"?>
            <rete xmlns="urn:rete:1">
              <servizio cap="1014">
                <titolo>Pacchi</titolo>
              </servizio>
              <servizio cap="10141">
                <titolo>Mensa</titolo>
                <posti>molti</posti>
              </servizio>
              <servizio>
                <titolo>Doposcuola</titolo>
              </servizio>
            </rete>

            """
        let schemaPath = try temporaryFile(Self.schema, name: "rete.xsd")
        let input = try temporaryFile(xml, name: "rete.xml")
        let findings = FindingLog()
        let result = try XSDValidation.validate(path: input, encoding: .auto, schema: XSDSchema(path: schemaPath), recordElement: nil, findings: findings)
        #expect(result.records == 3)
        #expect(result.invalid == 2)
        #expect(findings.findings.map(\.record) == [nil, 1, 2])
        #expect(findings.findings.map(\.line) == [2, 3, 8])
        #expect(findings.findings.map(\.message) == [
            "<rete>, outside the records: <rete>: the attribute versione is required but missing.",
            "<servizio>, attribute cap: the value '1014' does not match the pattern [0-9]{5}.",
            "<posti>: 'molti' is not a valid xs:integer.",
        ])
    }

    @Test func plainWords() {
        #expect(XSDMessage.plain("Element '{urn:torino-solidale:export:1}descrizione': This element is not expected. Expected is ( {urn:torino-solidale:export:1}titolo ).")
                == "<descrizione>: this element is not expected here; expected titolo.")
        #expect(XSDMessage.plain("Element '{http://example.org/a}x': Missing child element(s). Expected is one of ( {http://example.org/a}y, {http://example.org/a}z ).")
                == "<x>: a child element is missing: expected one of y, z.")
        #expect(XSDMessage.plain("Element 'x': [facet 'enumeration'] The value 'q' is not an element of the set {'a', 'b'}.")
                == "<x>: the value 'q' is not one of 'a', 'b'.")
    }
}
