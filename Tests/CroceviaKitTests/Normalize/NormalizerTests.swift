import Testing
@testable import CroceviaKit

@Suite struct NormalizerTests {
    /// The values and the findings (severity, rule, message) of one normalizer on one text.
    func run(_ normalizer: Normalizer, _ text: String) -> (values: [String], findings: [String]) {
        var findings: [String] = []
        let municipalities = normalizer.needsMunicipalities ? try? Municipalities.standard() : nil
        let values = normalizer.apply(text, municipalities: municipalities) { severity, rule, message in
            findings.append("\(severity) \(rule): \(message)")
        }
        return (values, findings)
    }

    @Test func phonesWrittenFiveWays() {
        for written in ["0111234567", "011-123.45.67", "(011) 123 4567", "tel. 011 1234567", "+39 011 1234567", "0039 011 1234567", "011/1234567"] {
            #expect(Phone.normalize(written) == .init(numbers: ["+390111234567"], unreadable: []), "\(written)")
        }
        #expect(Phone.normalize("333 1234567").numbers == ["+393331234567"])
        #expect(Phone.normalize("800 123 456").numbers == ["+39800123456"])
        #expect(Phone.normalize("+41 22 123 45 67").numbers == ["+41221234567"])
    }

    @Test func twoPhonesInOneCell() {
        #expect(Phone.normalize("011 1234567 / 333 7654321").numbers == ["+390111234567", "+393337654321"])
        #expect(Phone.normalize("011.1234567 - 333.7654321").numbers == ["+390111234567", "+393337654321"])
        #expect(Phone.normalize("tel 011 1234567 oppure cell. 347 1112223").numbers == ["+390111234567", "+393471112223"])
        #expect(Phone.normalize("011 1234567; 011 7654321").numbers == ["+390111234567", "+390117654321"])
    }

    @Test func phonesOfOtherCountriesAndExtensions() throws {
        let canada = try #require(Phone.Country.named("ca"))
        #expect(Phone.normalize("(905) 555-0142 ext. 12", country: canada) == .init(numbers: ["+19055550142"], unreadable: []))
        #expect(Phone.normalize("1-905-555-0199", country: canada).numbers == ["+19055550199"])
        let britain = try #require(Phone.Country.named("GB"))
        #expect(Phone.normalize("01698 123456", country: britain).numbers == ["+441698123456"])
        #expect(Phone.normalize("+44 (0)1698 123456", country: britain).numbers == ["+441698123456"])
        #expect(Phone.normalize("011 4361234 int. 3").numbers == ["+390114361234"])
        #expect(Phone.normalize("011 4361234 int. 3; 333 1234567").numbers == ["+390114361234", "+393331234567"])
        // A foreign number written with + is kept whatever the country.
        #expect(Phone.normalize("+41 22 123 45 67", country: britain).numbers == ["+41221234567"])
        var findings: [String] = []
        _ = Normalizer.phone.apply("555-01", municipalities: nil, country: canada) { _, _, message in findings.append(message) }
        #expect(findings == ["\"555-01\" is not a phone number Crocevia can read (CA); it was kept as written"])
    }

    @Test func unreadablePhoneIsKeptAndReported() {
        let (values, findings) = run(.phone, "chiedere in segreteria 12")
        #expect(values == ["chiedere in segreteria 12"])
        #expect(findings == ["warning normalize.phone: \"chiedere in segreteria 12\" is not a phone number Crocevia can read; it was kept as written"])
    }

    @Test func organizationTaxCodes() {
        #expect(TaxCode.normalize("00743110157") == .organization("00743110157", restoredZeros: 0))
        #expect(TaxCode.normalize("IT 00743110157") == .organization("00743110157", restoredZeros: 0))
        #expect(TaxCode.normalize("P.IVA: 007 4311 0157") == .organization("00743110157", restoredZeros: 0))
        #expect(TaxCode.normalize("743110157") == .organization("00743110157", restoredZeros: 2))
        #expect(TaxCode.normalize("00743110158") == .invalid("00743110158", reason: "fails its check digit (7 expected at the end)"))
        #expect(TaxCode.normalize("00000001234") == .invalid("00000001234", reason: "has a zero company number"))
        #expect(TaxCode.normalize("12345675000") == .invalid("12345675000", reason: "has office code 500, which no tax office uses"))
        #expect(TaxCode.normalize("743110158") == .invalid("743110158", reason: "has 9 digits, not 11 (and does not check with the leading zeros put back)"))
    }

    @Test func personalCodes() {
        #expect(TaxCode.normalize("rccmnl83s18d969h") == .person("RCCMNL83S18D969H"))
        #expect(TaxCode.normalize("CF: CNTCHR83T41D969D") == .person("CNTCHR83T41D969D"))
        #expect(TaxCode.normalize("RCCMNL83S18D969A") == .invalid("RCCMNL83S18D969A", reason: "fails its check letter (H expected at the end)"))
        let (values, findings) = run(.codiceFiscale, "00743110157")
        #expect(values == ["00743110157"])
        #expect(findings == ["error normalize.codice_fiscale: is an organization's number, not a person's codice fiscale; it was kept as written"])
        #expect(run(.taxCode, "743110157").findings == ["info normalize.tax_code: 2 leading zeros lost by a spreadsheet put back: 00743110157"])
    }

    @Test func postalCodes() {
        #expect(PostalCode.normalize(" 10093 ") == .valid("10093", restoredZeros: 0))
        #expect(PostalCode.normalize("184") == .valid("00184", restoredZeros: 2))
        #expect(PostalCode.normalize("1009") == .valid("01009", restoredZeros: 1))
        #expect(run(.postalCode, "TO-10100").findings == ["warning normalize.postal_code: \"TO-10100\" is not a five-digit postal code; it was kept as written"])
    }

    @Test func municipalities() throws {
        let list = try Municipalities.standard()
        func code(_ text: String) -> String? {
            if case .found(let m) = list.find(text) { return m.code }
            return nil
        }
        #expect(code("Torino") == "001272")
        #expect(code("TORINO") == "001272")
        #expect(code("Settimo T.se") == "001265")
        #expect(code("Rivarolo C.se") == "001217")
        #expect(code("Cirie'") == "001086")
        #expect(code("CIRIÈ") == "001086")
        #expect(code("S. Mauro Torinese") == "001249")
        #expect(code("Calliano (TN)") == "022035")
        #expect(code("L219") == "001272")
        if case .ambiguous(let candidates) = list.find("Calliano") {
            #expect(candidates.map(\.province).sorted() == ["AT", "TN"])
        } else {
            Issue.record("Calliano without its province should be ambiguous")
        }
        #expect(run(.istatCode, "Collegno").values == ["001090"])
        #expect(run(.municipality, "settimo t.se").values == ["Settimo Torinese"])
        #expect(run(.municipality, "Calliano").findings == ["warning normalize.municipality: could be any of Calliano (AT), Calliano (TN); add the province, as in \"Calliano (AT)\"; it was kept as written"])
        #expect(run(.istatCode, "Gotham City").findings == ["warning normalize.municipality: is not an Italian municipality in the ISTAT list; it was kept as written"])
    }

    @Test("istat_code reads the municipality of a street address; a street alone names none")
    func addressesToISTATCodes() {
        #expect(run(.istatCode, "Via Roma 3, 10093 Collegno (TO)").values == ["001090"])
        #expect(run(.istatCode, "C.so Vercelli 21 - Torino").values == ["001272"])
        #expect(run(.istatCode, "Piazza Ottinetti 1 Ivrea").values == ["001125"])
        #expect(run(.istatCode, "via Garibaldi 5, Settimo T.se").values == ["001265"])
        #expect(run(.istatCode, "Via Roma, Torino").values == ["001272"])
        #expect(run(.istatCode, "Via Roma 3").findings == ["warning normalize.municipality: is not an Italian municipality in the ISTAT list; it was kept as written"])
        // The municipality normalizer (directory cities) does not read addresses.
        #expect(run(.municipality, "Piazza Ottinetti 1 Ivrea").values == ["Piazza Ottinetti 1 Ivrea"])
    }

    @Test func streets() {
        #expect(Street.normalize("C.so Vittorio Emanuele II, 12/A").text == "Corso Vittorio Emanuele II, 12/A")
        #expect(Street.normalize("VIA GARIBALDI N. 12").text == "Via Garibaldi, 12")
        #expect(Street.normalize("P.zza della Repubblica N° 4").text == "Piazza della Repubblica, 4")
        #expect(Street.normalize("p.le Croce Rossa civ. 7").text == "Piazzale Croce Rossa, 7")
        #expect(Street.normalize("Via Roma 12a").text == "Via Roma, 12/A")
        #expect(Street.normalize("Via Roma 12 bis").text == "Via Roma, 12 bis")
        #expect(Street.normalize("L.go Saluzzo 25").key == "largo saluzzo 25")
        #expect(Street.normalize("Fraz. Pianezza").text == "Frazione Pianezza")
        #expect(Street.normalize("via XX Settembre").text == "Via XX Settembre")
        #expect(Street.normalize("Str. del Drosso, 33 / B").key == Street.normalize("Strada del Drosso 33b").key)
    }

    @Test func organizationNames() {
        let ponte = OrganizationName.normalize("ASS.NE IL PONTE ONLUS")
        #expect(ponte.name == "Associazione il Ponte")
        #expect(ponte.legalForms == ["ONLUS"])
        #expect(ponte.words == ["associazione", "il", "ponte"])
        let coop = OrganizationName.normalize("Porta Aperta Soc. Coop. Soc. a r.l.")
        #expect(coop.name == "Porta Aperta")
        #expect(coop.legalForms == ["s.c.s.", "a r.l."])
        #expect(OrganizationName.normalize("Coop. Soc. Porta Aperta").name == "Cooperativa Sociale Porta Aperta")
        #expect(OrganizationName.normalize("Parr. S. Giuseppe Cafasso").words == ["parrocchia", "san", "giuseppe", "cafasso"])
        #expect(OrganizationName.normalize("Il Riparo A.P.S. - ETS").legalForms == ["APS", "ETS"])
        #expect(OrganizationName.normalize("Il Riparo A.P.S. - ETS").name == "Il Riparo")
        #expect(run(.legalForm, "Banco Alimentare ODV").values == ["ODV"])
        #expect(run(.legalForm, "Banco Alimentare").values == [])
    }

    @Test func emailsAndWebsites() {
        #expect(Email.normalize("mailto:Info@IlPonte.it").addresses == ["info@ilponte.it"])
        #expect(Email.normalize("a@b.it; c@d.org").addresses == ["a@b.it", "c@d.org"])
        #expect(run(.email, "info(at)ilponte.it").findings == ["warning normalize.email: \"info(at)ilponte.it\" is not an e-mail address; it was kept as written"])
        #expect(Website.normalize("www.IlPonte.it/") == .valid("https://www.ilponte.it"))
        #expect(Website.normalize("http://ilponte.it/chi-siamo/") == .valid("http://ilponte.it/chi-siamo"))
        #expect(Website.domain("HTTPS://www.comune.collegno.to.it/servizi") == "comune.collegno.to.it")
        #expect(Website.normalize("ftp://x.it") == .invalid("ftp://x.it"))
    }

    @Test("a whole address in one cell: street and number, postal code, town; floors, stairs and c/o set apart")
    func oneLineAddresses() {
        func parts(_ text: String) -> String {
            let p = Address.split(text)
            return [p.street, p.postalCode ?? "-", p.town ?? "-", p.careOf ?? "-"].joined(separator: " | ")
        }
        #expect(parts("Corso Francia, 285, 10139 Torino (TO)") == "Corso Francia 285 | 10139 | Torino (TO) | -")
        #expect(parts("Via Roma 12 - 10064 Pinerolo TO") == "Via Roma 12 | 10064 | Pinerolo TO | -")
        #expect(parts("Via Roma 12 10064 Pinerolo") == "Via Roma 12 | 10064 | Pinerolo | -")
        #expect(parts("c/o Parrocchia San Remigio, Via Vezzolano 51, 1° piano") == "Via Vezzolano 51 | - | - | Parrocchia San Remigio")
        #expect(parts("c/o Casa del Quartiere Via Morgari 14 int. 3") == "Via Morgari 14 | - | - | Casa del Quartiere")
        #expect(parts("Via Nizza 12, scala B, Turin") == "Via Nizza 12 | - | Turin | -")
        #expect(parts("Via del Piano 5 primo piano") == "Via del Piano 5 | - | - | -")
        #expect(parts("C.so Giulio Cesare n. 48") == "C.so Giulio Cesare n. 48 | - | - | -")
        #expect(parts("V Roma, 134") == "V Roma 134 | - | - | -")
        #expect(parts("Piazza Cavour N° 27 Torino TO") == "Piazza Cavour N° 27 | - | Torino TO | -")
        #expect(parts("Via 4 Novembre") == "Via 4 Novembre | - | - | -")
        #expect(parts("Via Piano 5, primo piano") == "Via Piano 5 | - | - | -")
        #expect(parts("c/o S. Vincenzo de' Paoli - Parrocchia, Largo Montebello civ. 18, 10045, Piossasco, TO")
            == "Largo Montebello civ. 18 | 10045 | Piossasco | S. Vincenzo de' Paoli")
        #expect(parts("V. Borgaro n.115 (c/o Santa Giulia - Parrocchia in Torino), 10147, Torino, TO")
            == "V. Borgaro n.115 | 10147 | Torino | Santa Giulia - Parrocchia in Torino")
        #expect(parts("Vicolo San Lorenzo n.23 bis interno 12, 10088 Volpiano (TO)") == "Vicolo San Lorenzo n.23 bis | 10088 | Volpiano (TO) | -")
        #expect(Street.normalize(Address.split("Corso Francia, n. 285, 10139 Torino").street).key == "corso francia 285")
    }

    @Test("towns in another language or with one typing error; a site on a shared host is its page")
    func townsAndSharedHosts() throws {
        let list = try Municipalities.standard()
        #expect(list.find("Turin") == list.find("Torino") && list.find("TURIN (TO)") == list.find("Torino"))
        guard case .found(let pinerolo) = list.findNear("Pineorlo") else { Issue.record("Pineorlo not found"); return }
        #expect(pinerolo.name == "Pinerolo")
        guard case .found(let moncalieri) = list.findNear("Moncalier (TO)") else { Issue.record("Moncalier not found"); return }
        #expect(moncalieri.name == "Moncalieri")
        #expect(list.findNear("Roam") == .unknown)  // under five letters: not guessed
        #expect(Website.identity("https://www.facebook.com/ilponte.torino/") == "facebook.com/ilponte.torino")
        #expect(Website.identity("m.facebook.com/pages/Il-Ponte/123456") == "facebook.com/pages/il-ponte")
        #expect(Website.identity("https://www.facebook.com/") == nil)
        #expect(Website.identity("instagram.com/ilponte_to?hl=it") == "instagram.com/ilponte_to")
        #expect(Website.identity("http://www.ilponte.it/chi-siamo") == "ilponte.it")
    }

    @Test func foldedText() {
        #expect(TextFold.words("Cirie' PERCHÉ dell'Arco") == ["cirie", "perche", "dell", "arco"])
        #expect(TextFold.titled("CASA DEL QUARTIERE SAN SALVARIO") == "Casa del Quartiere San Salvario")
    }
}
