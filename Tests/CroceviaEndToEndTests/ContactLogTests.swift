import Foundation
import Testing

/// A help desk's own contact log as a new user brings it (300 rows, Windows-1252, semicolons,
/// codici fiscali in capitals and not, people known only by name and birth date or by phone,
/// notes that name them), with eight mistakes of the kind operators make, taken through the
/// commands a coordinator runs with the Portinerie's profile from `Samples/`. No output, report,
/// message or registry byte holds a raw identifier, in any of the forms searched.
@Suite struct ContactLogTests {
    static let profile = ConvertEndToEndTests.root.appendingPathComponent("Samples/case-data/portinerie-torino/profile.yaml").path

    /// A person of the generated log and what the desk knows of them.
    struct Person {
        var surname: String, name: String, birth: (day: Int, month: Int, year: Int), female: Bool
        var codiceFiscale: String?, phone: String?, knownByName: Bool
    }

    /// The rows, each as its cells, and every identifying value they hold (lowercased, in the
    /// forms searched for: as typed, the phone's digits and E.164, the birth date in ISO).
    static func log() -> (header: [String], rows: [[String]], identifiers: Set<String>) {
        let surnames = ["Bertolino", "Chiavazza", "Gribaudo", "Audisio", "Bellotti", "Caffaro", "Perotti", "Boero", "Demarchi", "Actis",
                        "Rolando", "Bonino", "Ferrero", "Gianotti", "Casalegno", "Borgogno", "Quaglia", "Tabasso"]
        let names = ["Giuseppe", "Rosalba", "Teresio", "Ornella", "Ottavio", "Ernesta", "Lucrezia", "Bartolomeo", "Pasqualina", "Evaristo"]
        var seed: UInt64 = 20_261_202
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var people: [Person] = []
        for n in 0..<110 {
            let female = n % 2 == 1
            let birth = (day: 1 + next(28), month: 1 + next(12), year: 1930 + next(60))
            let surname = surnames[n % surnames.count], name = names[(n / surnames.count + n) % names.count]
            // Most with a codice fiscale; some only by name and birth date, some only by phone.
            let kind = n % 7
            let phone = kind == 3 || kind == 5 ? nil : "3\(20 + next(80))\(String(format: "%07d", next(10_000_000)))"
            people.append(Person(surname: surname, name: name, birth: birth, female: female,
                                 codiceFiscale: kind >= 5 ? nil : codiceFiscale(surname: surname, name: name, birth: birth, female: female),
                                 phone: phone, knownByName: kind != 6))
        }
        let header = ["N. scheda", "Data", "Ora", "Portineria", "Codice fiscale", "Cognome", "Nome", "Data di nascita", "Sesso",
                      "Comune di residenza", "Indirizzo", "Telefono", "Recapito familiare", "Canale", "Fase", "Bisogni", "Durata (min)",
                      "Operatore", "Servizio inviato", "Tipo invio", "Note"]
        let desks = ["Porta Palazzo", "Aurora", "Borgo San Paolo"]
        let needs = ["spesa", "casa", "lavoro", "sussidi", "salute", "SPID / pratiche", "solitudine", "spesa, solitudine"]
        let services = ["SOS tecnologia", "Consegna spesa a domicilio", "Fila alle Poste", "Sportello ascolto", ""]
        var rows: [[String]] = []
        var identifiers: Set<String> = []
        for n in 0..<300 {
            let person = people[next(people.count)]
            let month = 9 + n / 100, day = 1 + (n % 100) * 30 / 100
            let date = n % 3 == 0 ? "\(day)/\(month)/2026" : String(format: "%02d/%02d/2026", day, month)
            let birth = String(format: "%02d/%02d/%04d", person.birth.day, person.birth.month, person.birth.year)
            let iso = String(format: "%04d-%02d-%02d", person.birth.year, person.birth.month, person.birth.day)
            let cf = person.codiceFiscale.map { n % 4 == 1 ? $0.lowercased() : $0 } ?? ""
            let phone = person.phone.map { digits in
                switch n % 3 {
                case 0: return "\(digits.prefix(3)) \(digits.dropFirst(3))"
                case 1: return "+39 \(digits.prefix(3)) \(digits.dropFirst(3).prefix(3)) \(digits.dropFirst(6))"
                default: return digits
                }
            } ?? ""
            let relative = n % 10 == 0 ? "Nadia (figlia) 347 998 \(String(format: "%04d", n))" : ""
            var row = [String(format: "PP-2026-%03d", n + 1), date, "\(9 + n % 8):\(String(format: "%02d", n % 60))", desks[n % 3], cf,
                       person.knownByName ? person.surname : "", person.knownByName ? person.name : "", person.knownByName ? birth : "",
                       person.female ? "F" : "M", n % 5 == 0 ? "Moncalieri" : "Torino", "Via Cigna \(n % 90 + 1)", phone, relative,
                       ["di persona", "telefono", "uscita sul territorio"][n % 3], ["accoglienza", "orientamento", "offerta"][n % 3],
                       needs[n % needs.count], String(10 + n % 30), ["operatore", "volontaria"][n % 2], services[n % services.count],
                       ["informazione", "invio", "accompagnamento"][n % 3],
                       n % 6 == 0 ? "la sig.ra \(person.surname) chiede di richiamare" : ""]
            if row[18].isEmpty { row[19] = "" }
            for (column, value) in zip(header, row) where ["Codice fiscale", "Cognome", "Nome", "Data di nascita", "Indirizzo", "Telefono", "Recapito familiare"].contains(column) && !value.isEmpty {
                identifiers.insert(value.lowercased())
            }
            if person.knownByName { identifiers.formUnion([iso, person.surname.lowercased()]) }
            if let digits = person.phone { identifiers.formUnion([digits, "+39" + digits]) }
            if !relative.isEmpty { identifiers.insert("nadia") }
            rows.append(row)
        }
        // The eight mistakes, on rows of people known by name, phone and codice fiscale.
        let mistaken = rows.indices.filter { rows[$0][4] != "" && rows[$0][5] != "" && rows[$0][11] != "" && rows[$0][12] == "" }.prefix(8)
        for (mistake, index) in mistaken.enumerated() {
            let row = rows[index]
            let digits = row[11].filter(\.isNumber).suffix(10)
            switch mistake {
            case 0:  // a relative named in the referral column (and in the relative's column)
                rows[index][12] = "Nadia (figlia) 347 9988776"
                rows[index][18] = "ritirato dalla figlia Nadia \(row[5])"
                identifiers.formUnion(["nadia (figlia) 347 9988776", "3479988776"])
            case 1: rows[index][15] = String(digits)  // the phone as bare digits in the needs
            case 2: rows[index][19] = row[5]  // the surname in the kind of referral
            case 3: rows[index][16] = String(digits)  // the phone in the duration
            case 4: rows[index][17] = String(format: "%@-%@-%@", String(row[7].suffix(4)), String(row[7].dropFirst(3).prefix(2)), String(row[7].prefix(2)))
            case 5:  // the birth date as d/M/yyyy in the phase
                let parts = row[7].split(separator: "/").map { Int($0)! }
                rows[index][14] = "\(parts[0])/\(parts[1])/\(parts[2])"
            case 6: rows[index][15] = row[4].lowercased()  // the codice fiscale in the needs
            default: rows[index][18] = "\(row[6]) \(row[5].uppercased())"  // the name in the service
            }
        }
        return (header, rows, identifiers)
    }

    /// The check character of a personal codice fiscale, written here from the decree's tables.
    static func codiceFiscale(surname: String, name: String, birth: (day: Int, month: Int, year: Int), female: Bool) -> String {
        func letters(_ word: String, isName: Bool) -> String {
            let upper = word.uppercased().filter(\.isLetter)
            let consonants = upper.filter { !"AEIOU".contains($0) }, vowels = upper.filter { "AEIOU".contains($0) }
            if isName, consonants.count >= 4 { return String([consonants[consonants.startIndex], consonants.dropFirst(2).first!, consonants.dropFirst(3).first!]) }
            return String((consonants + vowels + "XXX").prefix(3))
        }
        let months = Array("ABCDEHLMPRST")
        let body = letters(surname, isName: false) + letters(name, isName: true) + String(format: "%02d", birth.year % 100)
            + String(months[birth.month - 1]) + String(format: "%02d", birth.day + (female ? 40 : 0)) + "L219"
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var sum = 0
        for (position, character) in body.enumerated() {
            let value = character.isNumber ? Int(String(character))! : Int(character.asciiValue! - 65)
            sum += position % 2 == 0 ? odd[value] : value
        }
        return body + String(UnicodeScalar(UInt8(65 + sum % 26)))
    }

    @Test("a 300-row contact log with eight mistakes: validate, import, re-import and the monitoring report hold no raw identifier")
    func nothingLeaks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crocevia-contact-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (header, rows, identifiers) = Self.log()
        let text = ([header] + rows).map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
        try #require(text.data(using: .windowsCP1252)).write(to: folder.appendingPathComponent("registro.csv"))
        #expect(identifiers.count > 400)
        #expect(identifiers.isSuperset(of: ["nadia", "bellotti", "3479988776"]))
        let environment = ["CROCEVIA_SECRET": "a network secret for the test, 32+"]
        let registry = "sqlite:" + folder.appendingPathComponent("registry.sqlite").path
        var outputs: [(String, Data)] = []
        func run(_ arguments: [String]) throws -> CommandRunner.Result {
            let result = try CommandRunner.run(arguments, in: folder, environment: environment)
            outputs.append(("stdout of \(arguments[0])", result.stdout))
            outputs.append(("stderr of \(arguments[0])", result.stderr))
            return result
        }
        let validation = try run(["validate", "--profile", Self.profile, "registro.csv", "--report", "verifica.json", "--html", "verifica.html"])
        #expect(validation.status == 1)
        let first = try run(["import", "--registry", registry, "--profile", Self.profile, "registro.csv", "--report", "import.json"])
        let second = try run(["import", "--registry", registry, "--profile", Self.profile, "registro.csv", "--report", "import-2.json"])
        let monitoring = try run(["report", "monitoring", "--registry", registry, "--from", "2026-09-01", "--to", "2026-11-30",
                                  "--html", "monitoraggio.html", "--json", "monitoraggio.json", "--csv", "monitoraggio"])
        #expect(monitoring.status == 0)
        let imported = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("import.json"))) as! [String: Any]
        let again = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("import-2.json"))) as! [String: Any]
        let counts = ["added", "changed", "unchanged", "rejected"]
        #expect(counts.map { (imported["import"] as! [String: Any])[$0] as! Int } == [292, 0, 0, 8], "\(String(decoding: first.stderr, as: UTF8.self))")
        #expect(counts.map { (again["import"] as! [String: Any])[$0] as! Int } == [0, 0, 292, 8], "\(String(decoding: second.stderr, as: UTF8.self))")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("monitoraggio.json"))) as! [String: Any]
        #expect(report["contacts"] as? Int == 292)

        for file in FileManager.default.enumerator(atPath: folder.path)!.compactMap({ $0 as? String }) where file != "registro.csv" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path, isDirectory: &isFolder), !isFolder.boolValue {
                outputs.append((file, try Data(contentsOf: folder.appendingPathComponent(file))))
            }
        }
        #expect(outputs.contains { $0.0 == "registry.sqlite" } && outputs.contains { $0.0 == "monitoraggio/needs_by_category.csv" })
        var leaks: [String] = []
        for (name, data) in outputs {
            let lowered = String(decoding: data, as: UTF8.self).lowercased()
            for value in identifiers where lowered.contains(value) { leaks.append("\(name): \(value)") }
        }
        #expect(leaks.sorted() == [])
        // The validation's errors: where and what, never the value.
        let findings = (try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("verifica.json"))) as! [String: Any])["findings"] as! [[String: Any]]
        let errors = findings.filter { $0["severity"] as? String == "error" }.map { "\($0["rule"]!) \($0["field"] ?? "")" }
        // One record rejected for each mistake, each for the identifier (and what its loss leaves
        // missing); the phone in the duration caught as a number too.
        #expect(errors == ["case.identifier-leak referrals.to_service_id", "case.identifier-leak needs.category", "schema.required Bisogni",
                           "case.identifier-leak referrals.kind", "schema.required Tipo invio", "case.identifier-leak duration_min",
                           "case.identifier-leak operator_role", "case.identifier-leak phase", "case.identifier-leak needs.category",
                           "schema.required Bisogni", "case.identifier-leak referrals.to_service_id"])
    }
}
