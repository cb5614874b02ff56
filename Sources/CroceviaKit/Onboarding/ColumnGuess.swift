/// What a column of a partner's file probably holds, from its header (Italian and English words
/// for each HSDS field) and from its values (tax codes, phones, postal codes, e-mails, web
/// addresses, dates, times): the field of a service it fills, the transforms it needs, and how
/// sure the guess is.
struct ColumnGuess: Sendable, Equatable {
    /// The HSDS role, or nil for a column not placed.
    var role: Role?
    /// From 0 to 1.
    var confidence: Double
    /// Why, in words, for the profile's comment.
    var reason: String

    /// The fields of a service a partner's column can fill.
    enum Role: String, Sendable, CaseIterable {
        case key, name, description, email, url, status, minimumAge, maximumAge, assuredDate
        case organizationName, taxID, phone, locationName, address, postalCode, city, province, hours, opensAt, closesAt, byDay, language

        /// The profile's target path.
        var path: String {
            switch self {
            case .key: "id"
            case .name: "name"
            case .description: "description"
            case .email: "email"
            case .url: "url"
            case .status: "status"
            case .minimumAge: "minimum_age"
            case .maximumAge: "maximum_age"
            case .assuredDate: "assured_date"
            case .organizationName: "organization.name"
            case .taxID: "organization.tax_id"
            case .phone: "phones[].number"
            case .locationName: "service_at_locations[0].location.name"
            case .address: "service_at_locations[0].location.addresses[0].address_1"
            case .postalCode: "service_at_locations[0].location.addresses[0].postal_code"
            case .city: "service_at_locations[0].location.addresses[0].city"
            case .province: "service_at_locations[0].location.addresses[0].state_province"
            case .hours: "schedules[0].description"
            case .opensAt: "schedules[0].opens_at"
            case .closesAt: "schedules[0].closes_at"
            case .byDay: "schedules[0].byday"
            case .language: "languages[].name"
            }
        }

        /// Transforms the field needs (normalizers by name, as a profile writes them).
        var transforms: String? {
            switch self {
            case .name: "[squash]"
            case .email: "[email]"
            case .url: "[website]"
            case .minimumAge, .maximumAge: "[integer]"
            case .assuredDate: "[{ date: [dd/MM/yyyy, d/M/yyyy] }]"
            case .organizationName: "[org_name]"
            case .taxID: "[tax_code]"
            case .phone: "[phone]"
            case .address: "[street]"
            case .postalCode: "[postal_code]"
            case .city: "[municipality]"
            case .byDay: "[{ map: { values: { lunedi: MO, \"lunedì\": MO, martedi: TU, \"martedì\": TU, mercoledi: WE, \"mercoledì\": WE, giovedi: TH, \"giovedì\": TH, venerdi: FR, \"venerdì\": FR, sabato: SA, domenica: SU, monday: MO, tuesday: TU, wednesday: WE, thursday: TH, friday: FR, saturday: SA, sunday: SU } } }]"
            case .key, .description, .status, .locationName, .province, .hours, .opensAt, .closesAt, .language: nil
            }
        }

        /// Header words, folded (lower case, no accents, no punctuation but spaces): an exact
        /// match is strong evidence, a header that holds one of them weaker.
        var headers: [String] {
            switch self {
            case .key: ["id", "codice", "cod", "cod servizio", "codice servizio", "n", "nr", "numero", "member id", "codice attivita", "identificativo", "code"]
            case .name: ["servizio", "nome servizio", "denominazione servizio", "attivita", "nome attivita", "titolo", "iniziativa", "service", "service name", "activity", "program", "denominazione", "nome", "name"]
            case .description: ["descrizione", "descrizione servizio", "dettagli", "description", "details", "cosa offre"]
            case .email: ["email", "e mail", "mail", "posta elettronica", "indirizzo email", "e mail contatto"]
            case .url: ["sito", "sito web", "sito internet", "web", "website", "url", "www", "pagina web"]
            case .status: ["stato", "status", "attivo", "stato servizio", "membership status"]
            case .minimumAge: ["eta minima", "eta min", "eta", "dai anni", "minimum age", "min age", "age"]
            case .maximumAge: ["eta massima", "eta max", "fino a anni", "maximum age", "max age"]
            case .assuredDate: ["aggiornato", "aggiornato il", "data aggiornamento", "data agg", "ultimo aggiornamento", "aggiornamento", "updated", "last updated", "last update"]
            case .organizationName: ["ente", "ente gestore", "organizzazione", "associazione", "organizzata da", "organizzato da", "gestore", "ragione sociale", "denominazione ente", "nome ente", "organization", "organisation", "agency", "provider", "legal name"]
            case .taxID: ["cf", "c f", "codice fiscale", "partita iva", "p iva", "piva", "partita iva c f", "cf ente", "c f ente", "c f organizzatore", "cf piva", "tax id", "charity bn", "business number", "ein"]
            case .phone: ["telefono", "tel", "cellulare", "cell", "recapito telefonico", "numero di telefono", "phone", "telephone", "mobile"]
            case .locationName: ["sede", "portineria", "portineria di quartiere", "punto", "luogo", "casa", "struttura", "snodo", "location", "site", "venue"]
            case .address: ["indirizzo", "via", "indirizzo sede", "address", "street", "street address", "address 1"]
            case .postalCode: ["cap", "c a p", "codice postale", "postal code", "postcode", "zip", "zip code"]
            case .city: ["comune", "citta", "localita", "paese", "city", "town", "municipality"]
            case .province: ["provincia", "prov", "province", "state", "county"]
            case .hours: ["orari", "orario", "giorni e orari", "orari di apertura", "hours", "opening hours", "schedule"]
            case .opensAt: ["dalle", "apertura", "ora inizio", "inizio", "ora apertura", "from", "opens", "open", "opens at", "start"]
            case .closesAt: ["alle", "chiusura", "ora fine", "fine", "ora chiusura", "to", "closes", "close", "closes at", "end"]
            case .byDay: ["giorno", "giorni", "giorno settimana", "day", "days", "weekday"]
            case .language: ["lingua", "lingue", "language", "languages"]
            }
        }
    }

    /// The best guess for a column from its header, the member that holds it (`ente` for
    /// `ente.denominazione`: a name inside an organization is the organization's), and some of
    /// its values.
    static func guess(header: String, context: String? = nil, values: [String]) -> ColumnGuess {
        let folded = fold(header)
        if let context, ["nome", "name", "denominazione", "ragione sociale", "nominativo"].contains(folded) {
            let within = fold(context)
            for role in [Role.organizationName, .locationName] where role.headers.contains(within) || role.headers.contains(where: { $0.count >= 4 && contains(within, $0) }) {
                return ColumnGuess(role: role, confidence: 0.9, reason: "its header \"\(header)\" inside \"\(context)\"")
            }
        }
        let byValues = valueKind(values)
        var best = ColumnGuess(role: nil, confidence: 0, reason: "neither its header nor its values say what it holds")
        for role in Role.allCases {
            var score = 0.0
            var reason = ""
            if role.headers.contains(folded) {
                score = 0.9
                reason = "its header \"\(header)\""
            } else if let word = role.headers.first(where: { $0.count >= 3 && contains(folded, $0) }) {
                score = 0.6
                reason = "its header \"\(header)\" holds \"\(word)\""
            }
            if let kind = byValues, kind.roles.contains(role) {
                score = score > 0 ? min(0.98, score + 0.08) : kind.confidence
                reason += (reason.isEmpty ? "" : ", and ") + "its values look like \(kind.words)"
            } else if let kind = byValues, score > 0, kind.excludes(role) {
                score -= 0.3
                reason += ", but its values look like \(kind.words)"
            }
            if score > best.confidence { best = ColumnGuess(role: role, confidence: score, reason: reason) }
        }
        return best
    }

    /// Lower case, accents and punctuation gone, spaces squashed, words of a camel-case name
    /// apart: `C.F. ente` → `c f ente`, `RagioneSociale` → `ragione sociale`.
    static func fold(_ text: String) -> String {
        var spaced = ""
        var previous: Character?
        for character in text {
            if let previous, previous.isLowercase, character.isUppercase { spaced.append(" ") }
            spaced.append(character)
            previous = character
        }
        return TextFold.words(spaced).joined(separator: " ")
    }

    /// Whether the words of `word` appear in `text` as whole words, in order.
    private static func contains(_ text: String, _ word: String) -> Bool {
        (" " + text + " ").contains(" " + word + " ")
    }

    // MARK: Values

    struct ValueKind {
        let words: String
        let roles: [Role]
        let confidence: Double

        /// Values of this kind make these roles unlikely (a header says "Telefono" but the
        /// values are e-mails).
        func excludes(_ role: Role) -> Bool {
            let typed: Set<Role> = [.email, .url, .taxID, .phone, .postalCode, .assuredDate, .minimumAge, .maximumAge]
            return typed.contains(role) && !roles.contains(role)
        }
    }

    /// What most of the values (at least 80% of those not empty) look like, if anything.
    static func valueKind(_ values: [String]) -> ValueKind? {
        let filled = values.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard filled.count >= 2 else { return nil }
        let kinds: [(ValueKind, (String) -> Bool)] = [
            (ValueKind(words: "e-mail addresses", roles: [.email], confidence: 0.85), isEmail),
            (ValueKind(words: "web addresses", roles: [.url], confidence: 0.8), isWebsite),
            (ValueKind(words: "tax codes (codice fiscale or partita IVA)", roles: [.taxID], confidence: 0.8), isTaxCode),
            (ValueKind(words: "postal codes", roles: [.postalCode], confidence: 0.7), isPostalCode),
            (ValueKind(words: "dates (dd/mm/yyyy)", roles: [.assuredDate], confidence: 0.5), isDate),
            (ValueKind(words: "phone numbers", roles: [.phone], confidence: 0.75), isPhone),
            (ValueKind(words: "times of day", roles: [.opensAt, .closesAt, .hours], confidence: 0.4), isTime),
            (ValueKind(words: "ages", roles: [.minimumAge, .maximumAge], confidence: 0.3), isAge),
        ]
        for (kind, test) in kinds where Double(filled.filter(test).count) >= 0.8 * Double(filled.count) {
            return kind
        }
        return nil
    }

    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    private static func isWebsite(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard !lower.contains(" "), !lower.contains("@") else { return false }
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.")
            || [".it", ".org", ".com", ".net", ".eu", ".example"].contains { lower.hasSuffix($0) || lower.contains($0 + "/") }
    }

    private static func isTaxCode(_ text: String) -> Bool {
        var code = text.uppercased().filter { !$0.isWhitespace }
        if code.hasPrefix("IT") && code.count == 13 { code.removeFirst(2) }
        if code.count == 11 { return code.allSatisfy(\.isNumber) }
        // A person's codice fiscale: six letters, two digits, a letter, two digits, a letter, three digits, a letter.
        guard code.count == 16 else { return false }
        let shape = code.map { $0.isLetter ? "A" : $0.isNumber ? "9" : "?" }.joined()
        return shape == "AAAAAA99A99A999A"
    }

    private static func isPostalCode(_ text: String) -> Bool {
        text.count == 5 && text.allSatisfy(\.isNumber)
    }

    private static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        let allowed = text.allSatisfy { $0.isNumber || " +-./()".contains($0) || $0.isLetter }
        let letters = text.filter(\.isLetter).count
        return allowed && letters <= 4 && (6...26).contains(digits) && !isPostalCode(text) && !isTaxCode(text)
    }

    private static func isDate(_ text: String) -> Bool {
        let parts = text.prefix(10).split(separator: "/")
        if parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts[2].count == 4 { return true }
        let iso = text.prefix(10).split(separator: "-")
        return iso.count == 3 && iso[0].count == 4 && iso.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    private static func isTime(_ text: String) -> Bool {
        let parts = text.split(separator: ":")
        return parts.count == 2 && parts.allSatisfy { (1...2).contains($0.count) && $0.allSatisfy(\.isNumber) }
    }

    private static func isAge(_ text: String) -> Bool {
        guard let age = Int(text) else { return false }
        return (0...120).contains(age)
    }
}
