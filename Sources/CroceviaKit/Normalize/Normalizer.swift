/// The normalizers as profile transforms (`transforms: [phone]`). Each gives the canonical form
/// of a value, or keeps the value as written and reports what it could not make sense of.
public enum Normalizer: String, Sendable, CaseIterable {
    case phone
    /// An organization's partita IVA / codice fiscale (11 digits), or a person's 16 characters.
    case taxCode = "tax_code"
    /// A person's codice fiscale only.
    case codiceFiscale = "codice_fiscale"
    case postalCode = "postal_code"
    /// The municipality's official name (`Settimo T.se` → `Settimo Torinese`).
    case municipality
    /// The municipality's ISTAT code (`Settimo T.se` → `001265`).
    case istatCode = "istat_code"
    case street
    /// An organization's name without legal-form suffixes, abbreviations spelt out.
    case organizationName = "org_name"
    /// The legal-form suffixes of an organization's name (`ONLUS, APS`).
    case legalForm = "legal_form"
    case email
    case website

    /// Whether the normalizer needs the municipality list (checked when the profile loads).
    public var needsMunicipalities: Bool { self == .municipality || self == .istatCode }

    /// The normalized values of one text (a cell may hold several phones or e-mails).
    /// `report(severity, rule, message)` names what could not be read.
    func apply(_ text: String, municipalities: Municipalities?, country: Phone.Country = .italy,
               report: (Finding.Severity, String, String) -> Void) -> [String] {
        switch self {
        case .phone:
            let result = Phone.normalize(text, country: country)
            for part in result.unreadable {
                report(.warning, "normalize.phone", "\"\(part)\" is not a phone number Crocevia can read\(country == .italy ? "" : " (\(country.code))"); it was kept as written")
            }
            return result.numbers + result.unreadable
        case .taxCode, .codiceFiscale:
            switch TaxCode.normalize(text) {
            case .organization(let digits, let zeros):
                if self == .codiceFiscale {
                    report(.error, "normalize.codice_fiscale", "is an organization's number, not a person's codice fiscale; it was kept as written")
                    return [text]
                }
                if zeros > 0 { report(.info, "normalize.tax_code", "\(plural(zeros, "leading zero")) lost by a spreadsheet put back: \(digits)") }
                return [digits]
            case .person(let code):
                return [code]
            case .invalid(let cleaned, let reason):
                report(.error, "normalize.\(rawValue)", "\"\(cleaned)\" \(reason); it was kept as written")
                return [text.trimmingWhitespace()]
            }
        case .postalCode:
            switch PostalCode.normalize(text) {
            case .valid(let code, let zeros):
                if zeros > 0 { report(.info, "normalize.postal_code", "\(plural(zeros, "leading zero")) put back: \(code)") }
                return [code]
            case .invalid(let written):
                report(.warning, "normalize.postal_code", "\"\(written)\" is not a five-digit postal code; it was kept as written")
                return [text.trimmingWhitespace()]
            }
        case .municipality, .istatCode:
            guard let municipalities else { return [text] }
            var result = municipalities.find(text)
            // An ISTAT code may be asked of a street address (case data keeps no addresses).
            if self == .istatCode, case .unknown = result { result = municipalities.find(inAddress: text) }
            switch result {
            case .found(let found):
                return [self == .municipality ? found.name : found.code]
            case .ambiguous(let candidates):
                let names = candidates.prefix(5).map { "\($0.name) (\($0.province))" }.joined(separator: ", ")
                report(.warning, "normalize.municipality", "could be any of \(names); add the province, as in \"\(candidates[0].name) (\(candidates[0].province))\"; it was kept as written")
            case .unknown:
                report(.warning, "normalize.municipality", "is not an Italian municipality in the ISTAT list; it was kept as written")
            }
            return [text.trimmingWhitespace()]
        case .street:
            let street = Street.normalize(text)
            return [street.text]
        case .organizationName:
            return [OrganizationName.normalize(text).name]
        case .legalForm:
            let forms = OrganizationName.normalize(text).legalForms
            return forms.isEmpty ? [] : [forms.joined(separator: ", ")]
        case .email:
            let result = Email.normalize(text)
            for part in result.unreadable {
                report(.warning, "normalize.email", "\"\(part)\" is not an e-mail address; it was kept as written")
            }
            return result.addresses + result.unreadable
        case .website:
            switch Website.normalize(text) {
            case .valid(let url): return [url]
            case .invalid(let written):
                report(.warning, "normalize.website", "\"\(written)\" is not a web address; it was kept as written")
                return [written]
            }
        }
    }
}
