/// The typed view of one input record the deduplicator compares: an HSDS organization with its
/// locations, or a service whose `organization` and `service_at_locations` give them. Every text
/// is normalized on the way in (see `Normalize/`); words are interned as numbers.
///
/// A class, so the millions of pair comparisons share each record rather than copy its fields.
/// Its words are set once, on the reading thread, before any comparison; then it is read only.
final class DedupeRecord: @unchecked Sendable {
    /// The input's name for the partner (`--source` or the file's name).
    let source: Int
    let recordID: String
    /// The record's line in its input file (`Deduplicator.paths[source]`).
    let line: Int
    /// The name as the partner wrote it (for the review queue).
    let name: String
    /// The kind of body the name starts with (`associazione`, `cooperativa`, `parrocchia`…).
    let bodyKind: String?
    /// The name's words (interned), common words included, legal forms left out.
    var nameWords: [Int32] = []
    /// The words of the `alternate_name` (another partner's name for the body), or empty.
    var alternateNameWords: [Int32] = []
    /// A valid 11-digit (or 16-character) tax code.
    let taxCode: String?
    let phones: [String]
    let emails: [String]
    /// The e-mail domains that are not free mail providers.
    let emailDomains: [String]
    let webDomain: String?
    var locations: [DedupeLocation]
    /// The municipalities of the locations, sorted, each once.
    var towns: [String]
    /// `last_modified` when the record carries one (ISO 8601 compares as text).
    let lastModified: String?
    /// The record as compact JSON, parsed again only to build merged records (empty unless
    /// the run keeps records).
    let json: [UInt8]

    init(source: Int, recordID: String, line: Int, name: String, bodyKind: String?, taxCode: String?, phones: [String],
         emails: [String], emailDomains: [String], webDomain: String?, locations: [DedupeLocation], towns: [String],
         lastModified: String?, json: [UInt8]) {
        self.source = source
        self.recordID = recordID
        self.line = line
        self.name = name
        self.bodyKind = bodyKind
        self.taxCode = taxCode
        self.phones = phones
        self.emails = emails
        self.emailDomains = emailDomains
        self.webDomain = webDomain
        self.locations = locations
        self.towns = towns
        self.lastModified = lastModified
        self.json = json
    }
}

struct DedupeLocation: Sendable {
    /// The location's `id`, or empty when the input gave none.
    let id: String
    var nameWords: [Int32] = []
    /// Street type and folded name (`corso vittorio emanuele ii`) and the house number.
    let street: String
    var streetWords: [Int32] = []
    let number: String
    /// ISTAT code, else the folded town name.
    var municipality: String
    let postalCode: String
    let phones: [String]
    let latitude: Double?
    let longitude: Double?

    var hasAddress: Bool { !street.isEmpty }
}

/// Interned words with the number of records each occurs in, for weighting rare words.
final class Vocabulary {
    private(set) var ids: [String: Int32] = [:]
    private(set) var words: [String] = []
    private(set) var recordCounts: [Int32] = []

    func id(_ word: String) -> Int32 {
        if let id = ids[word] { return id }
        let id = Int32(words.count)
        ids[word] = id
        words.append(word)
        recordCounts.append(0)
        return id
    }

    func intern(_ words: [String]) -> [Int32] { words.map(id) }

    func count(_ wordsOfRecord: [Int32]) {
        var seen = Set<Int32>()
        for word in wordsOfRecord where seen.insert(word).inserted { recordCounts[Int(word)] += 1 }
    }
}

/// The words of a record before they are interned: records are built on several threads, words
/// are numbered on one, in input order, so every run numbers them alike.
struct PendingWords: Sendable {
    var name: [String]
    var alternateName: [String] = []
    var locations: [(name: [String], street: [String])] = []
    /// What normalizing found wrong (a tax code that fails its check), reported as warnings.
    var problems: [String] = []

    func intern(into record: DedupeRecord, vocabulary: Vocabulary) {
        record.nameWords = vocabulary.intern(name)
        record.alternateNameWords = vocabulary.intern(alternateName)
        for index in record.locations.indices {
            record.locations[index].nameWords = vocabulary.intern(locations[index].name)
            record.locations[index].streetWords = vocabulary.intern(locations[index].street)
        }
    }
}

/// Normalized towns and addresses remembered by text: a feed repeats them (every record of Turin
/// says `Torino`). One per thread; emptied when it grows past `limit` entries.
final class NormalizationMemo {
    static let limit = 100_000
    /// An `address_1` read: the street's folded words and number, the town and postal code it holds.
    struct AddressParts {
        var streetWords: [String]
        var number: String
        var town: String?
        var postalCode: String?
    }

    var towns: [String: String] = [:]
    var addresses: [String: AddressParts] = [:]
}

/// Builds `DedupeRecord`s from HSDS JSON; it keeps no state, so threads may share it (each with
/// its own `NormalizationMemo`).
struct DedupeRecordBuilder: Sendable {
    let municipalities: Municipalities?

    static let kinds: Set<String> = ["associazione", "cooperativa", "fondazione", "parrocchia", "comune", "consorzio", "comitato", "circolo", "asd"]

    static let freeMail: Set<String> = [
        "gmail.com", "libero.it", "yahoo.it", "yahoo.com", "hotmail.it", "hotmail.com", "outlook.it", "outlook.com",
        "alice.it", "tiscali.it", "virgilio.it", "fastwebnet.it", "tin.it", "live.it", "icloud.com", "email.it",
        "pec.it", "legalmail.it", "pec.libero.it", "arubapec.it", "postecert.it", "inwind.it", "cert.legalmail.it",
        "pec.buffetti.it", "pecimprese.it", "sicurezzapostale.it", "pec.aruba.it", "gigapec.it", "registerpec.it",
    ]

    /// The record's features and words, or the reason it is no organization.
    /// - Parameter keepJSON: whether the record is kept (as compact JSON) for merging.
    func build(_ value: JSONValue, source: Int, line: Int, keepJSON: Bool, memo: NormalizationMemo) -> Result<(DedupeRecord, PendingWords), Problem> {
        guard case .object(let object) = value else { return .failure(Problem(text: "is not a JSON object")) }
        let parts = OrganizationParts(object)
        let organization = parts.organization
        guard let recordID = object["id"]?.stringValue, !recordID.isEmpty else { return .failure(Problem(text: "has no id")) }
        let nameText = organization["name"]?.stringValue ?? ""
        let name = OrganizationName.normalize(nameText, isMunicipality: municipalities?.isName, display: false)
        var taxCode: String?
        var taxTexts: [String] = []
        if let tax = organization["tax_id"]?.stringValue { taxTexts.append(tax) }
        if case .array(let identifiers)? = organization["organization_identifiers"] {
            for identifier in identifiers {
                let type = TextFold.folded(identifier["identifier_type"]?.stringValue ?? "")
                if type.contains("fisc") || type.contains("iva") || type.contains("tax") || type.contains("vat") || type == "cf" {
                    if let text = identifier["identifier"]?.stringValue { taxTexts.append(text) }
                }
            }
        }
        var invalidTax: [String] = []
        for text in taxTexts {
            switch TaxCode.normalize(text) {
            case .organization(let digits, _): taxCode = digits
            case .person(let code): taxCode = code
            case .invalid(let cleaned, let reason):
                let alphanumeric = cleaned.uppercased().filter { $0.isLetter || $0.isNumber }
                // Another country's number (a Canadian charity number, a Scottish charity
                // number) is compared as written; an Italian one that fails its check is not.
                let looksItalian = alphanumeric.allSatisfy(\.isNumber) || alphanumeric.count == 16 || alphanumeric.hasPrefix("IT")
                if looksItalian || alphanumeric.count < 5 {
                    invalidTax.append("tax code \"\(cleaned)\" \(reason); it is not used for matching")
                    continue
                }
                taxCode = alphanumeric
            }
            break
        }
        var phones: [String] = []
        for phone in (organization["phones"]?.arrayValue ?? []) + parts.extraPhones {
            if let number = phone["number"]?.stringValue { phones.append(contentsOf: Phone.normalize(number).numbers) }
        }
        var emails: [String] = []
        if let email = organization["email"]?.stringValue { emails = Email.normalize(email).addresses }
        // A certified mailbox (`ilponte@pec.ilponte.it`) is at the body's own domain.
        let emailDomains = emails.compactMap(Email.domain).filter { !Self.freeMail.contains($0) }
            .map { $0.hasPrefix("pec.") ? String($0.dropFirst(4)) : $0 }
        let webDomain = (organization["website"]?.stringValue ?? organization["url"]?.stringValue).flatMap(Website.identity)
        var pending = PendingWords(name: Self.withoutLegalForms(name.words), problems: taxCode == nil ? invalidTax : [])
        if let alternate = organization["alternate_name"]?.stringValue {
            pending.alternateName = Self.withoutLegalForms(OrganizationName.normalize(alternate, isMunicipality: municipalities?.isName, display: false).words)
        }
        let locations = parts.locations.map { place in
            let (location, words) = buildLocation(place, memo: memo)
            pending.locations.append(words)
            return location
        }
        for location in locations { phones.append(contentsOf: location.phones) }
        var json: [UInt8] = []
        if keepJSON {
            var buffer = ByteBuffer()
            JSONText.write(value, to: &buffer, pretty: false)
            json = buffer.withBytes { Array($0) }
        }
        let record = DedupeRecord(
            source: source, recordID: recordID, line: line, name: nameText.squashingWhitespace(), bodyKind: name.words.first.flatMap { Self.kinds.contains($0) ? $0 : nil },
            taxCode: taxCode, phones: Array(Set(phones)).sorted(), emails: emails, emailDomains: emailDomains,
            webDomain: webDomain, locations: locations,
            towns: Array(Set(locations.map(\.municipality).filter { !$0.isEmpty })).sorted(), lastModified: parts.lastModified, json: json)
        return .success((record, pending))
    }

    /// Legal forms written inside the name (`Il Ponte ODV Associazione`), not only at its end.
    static let legalFormWords: Set<String> = ["onlus", "aps", "odv", "ets", "scs", "srl", "arl", "scrl", "scarl"]

    static func withoutLegalForms(_ words: [String]) -> [String] {
        let kept = words.filter { !legalFormWords.contains($0) }
        return kept.isEmpty ? words : kept
    }

    struct Problem: Error {
        let text: String
    }

    /// A street named after a date with its day in Roman numerals (`Via XX Settembre`, `Piazza
    /// IV Novembre`) with the day as a number, so that it meets `Via 20 Settembre`. Only before a
    /// month (even one mistyped: `Settember`, one or two letters off): a ruler's numeral
    /// (`Vittorio Emanuele II`) stays a word, as partners write it so.
    static func datesInFigures(_ words: [String]) -> [String] {
        var words = words
        for index in words.indices.dropLast() where words[index].first.map({ "ivx".contains($0) }) == true && isMonth(words[index + 1]) {
            words[index] = arabic(words[index])
        }
        return words
    }

    static func isMonth(_ word: String) -> Bool {
        months.contains(word) || (word.count >= 4 && months.contains { TextFold.withinEdits(word, $0, limit: $0.count >= 7 ? 2 : 1) })
    }

    static let months: Set<String> = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                                      "ottobre", "novembre", "dicembre"]

    /// A Roman numeral up to 39 (`xx`, `iv`) as its number; any other word as it is.
    static func arabic(_ word: String) -> String {
        let values: [Character: Int] = ["i": 1, "v": 5, "x": 10]
        guard !word.isEmpty, word.count <= 6, word.allSatisfy({ values[$0] != nil }) else { return word }
        var total = 0, previous = 0
        for character in word.reversed() {
            let value = values[character]!
            total += value < previous ? -value : value
            previous = max(previous, value)
        }
        // Only a well-formed numeral: written back the canonical way it is the same word.
        return roman(total) == word ? String(total) : word
    }

    private static func roman(_ number: Int) -> String {
        guard number > 0, number < 40 else { return "" }
        let tens = String(repeating: "x", count: number / 10)
        let units = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][number % 10]
        return tens + units
    }

    private func buildLocation(_ place: JSONObject, memo: NormalizationMemo) -> (DedupeLocation, (name: [String], street: [String])) {
        let address = place["addresses"]?.arrayValue?.first?.objectValue ?? JSONObject()
        // The whole address may be in one cell (`Corso Francia, 285, 10139 Torino (TO)`), the
        // town in another language or with its postal code (`10064 Pinerolo`).
        let text = address["address_1"]?.stringValue ?? ""
        let parts: NormalizationMemo.AddressParts
        if let known = memo.addresses[text] {
            parts = known
        } else {
            let split = Address.split(text)
            let street = split.street.isEmpty ? nil : Street.normalize(split.street, display: false)
            parts = NormalizationMemo.AddressParts(
                streetWords: street.map { ([$0.type] + Self.datesInFigures(TextFold.words($0.name))).filter { !$0.isEmpty } } ?? [],
                number: street?.number.lowercased() ?? "", town: split.town, postalCode: split.postalCode)
            if memo.addresses.count >= NormalizationMemo.limit { memo.addresses.removeAll(keepingCapacity: true) }
            memo.addresses[text] = parts
        }
        let (streetWords, number) = (parts.streetWords, parts.number)
        let cityCell = Address.town(address["city"]?.stringValue ?? "")
        let city = cityCell.town.isEmpty ? parts.town ?? "" : cityCell.town
        var municipality = ""
        if !city.isEmpty {
            if let known = memo.towns[city] {
                municipality = known
            } else {
                if let municipalities, case .found(let found) = municipalities.findNear(city) {
                    municipality = found.code
                } else {
                    municipality = TextFold.folded(city)
                }
                if memo.towns.count >= NormalizationMemo.limit { memo.towns.removeAll(keepingCapacity: true) }
                memo.towns[city] = municipality
            }
        }
        var postal = ""
        if let text = address["postal_code"]?.stringValue, case .valid(let code, _) = PostalCode.normalize(text) { postal = code }
        if postal.isEmpty { postal = cityCell.postalCode ?? parts.postalCode ?? "" }
        var phones: [String] = []
        for phone in place["phones"]?.arrayValue ?? [] {
            if let number = phone["number"]?.stringValue { phones.append(contentsOf: Phone.normalize(number).numbers) }
        }
        let location = DedupeLocation(
            id: place["id"]?.stringValue ?? "",
            street: streetWords.joined(separator: " "),
            number: number, municipality: municipality, postalCode: postal, phones: phones,
            latitude: place["latitude"].flatMap(Self.double), longitude: place["longitude"].flatMap(Self.double))
        let name = place["name"]?.stringValue.map { OrganizationName.normalize($0, display: false).words } ?? []
        return (location, (name, streetWords))
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let text), .string(let text): return Double(text)
        default: return nil
        }
    }
}

/// An organization and its places as the deduplicator sees them, from an organization record or
/// from a service (its `organization`, with the places of its `service_at_locations`).
struct OrganizationParts {
    var organization: JSONObject
    var locations: [JSONObject]
    var extraPhones: [JSONValue] = []
    var lastModified: String?

    init(_ object: JSONObject) {
        organization = object
        locations = []
        lastModified = object["last_modified"]?.stringValue
        var places = object["locations"]?.arrayValue ?? []
        if case .object(let nested)? = object["organization"] {
            organization = nested
            places = nested["locations"]?.arrayValue ?? []
            for link in object["service_at_locations"]?.arrayValue ?? [] {
                if let location = link["location"] { places.append(location) }
            }
            extraPhones = object["phones"]?.arrayValue ?? []
            lastModified = lastModified ?? nested["last_modified"]?.stringValue
        }
        locations = places.compactMap(\.objectValue)
    }
}
