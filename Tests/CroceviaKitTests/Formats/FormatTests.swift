import Testing
@testable import CroceviaKit

@Suite("Formats")
struct FormatTests {
    @Test func eachNameIsOneSyntaxAndOneModel() {
        #expect(Format.allCases.map { "\($0.rawValue)=\($0.syntax)/\($0.model)" } == [
            "csv=csv/partner", "json=json/partner", "jsonl=jsonl/partner", "xml=xml/partner", "xlsx=xlsx/partner", "ods=ods/partner",
            "hsds-json=json/hsds", "hsds-jsonl=jsonl/hsds", "hsds-csv=tables/hsds", "hsds-flat=csv/hsds", "case-csv=tables/caseData",
        ])
        for format in Format.allCases { #expect(Format(syntax: format.syntax, model: format.model) == format) }
        #expect(Format(syntax: .xml, model: .hsds) == nil)
        #expect(Format(syntax: .csv, model: .caseData) == nil)
    }

    @Test func onlyJSONIsReadAgainAsHSDS() {
        #expect(Format.allCases.map(\.asHSDS.rawValue) == ["csv", "hsds-json", "hsds-jsonl", "xml", "xlsx", "ods", "hsds-json", "hsds-jsonl", "hsds-csv", "hsds-flat", "case-csv"])
        #expect(Format.allCases.filter(\.isCanonical).map(\.rawValue) == ["hsds-json", "hsds-jsonl", "hsds-csv", "hsds-flat", "case-csv"])
    }
}
