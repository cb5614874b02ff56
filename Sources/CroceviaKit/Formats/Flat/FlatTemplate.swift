/// The empty `hsds-flat` sheet a partner fills in (`crocevia template`): the columns in a first
/// sheet, and a second that says, in Italian and English, what goes in each, with an example.
public enum FlatTemplate {
    /// What goes in each field, by its name after the prefix (`name` for `service.name`).
    private static let words: [String: [String: (it: String, en: String, example: String)]] = [
        "organization": [
            "id": ("Identificativo dell'ente (UUID); vuoto: lo crea Crocevia", "The organization's id (a UUID); empty: Crocevia makes one", ""),
            "name": ("Nome dell'ente che gestisce il servizio", "Name of the organization running the service", "Cooperativa Sociale Il Ponte"),
            "alternate_name": ("Altro nome o sigla dell'ente", "Another name or acronym", "Il Ponte"),
            "description": ("Che cosa fa l'ente, in breve", "What the organization does, briefly", "Cooperativa di servizi alla persona"),
            "email": ("E-mail dell'ente", "The organization's e-mail", "info@ilponte-coop.it"),
            "website": ("Sito web dell'ente", "The organization's website", "https://www.ilponte-coop.it"),
            "tax_id": ("Codice fiscale o partita IVA", "Tax code (codice fiscale or partita IVA)", "09123450018"),
            "legal_status": ("Forma giuridica", "Legal form", "cooperativa sociale"),
        ],
        "service": [
            "id": ("Identificativo del servizio (UUID), uguale su tutte le sue righe; vuoto: lo crea Crocevia dai nomi",
                   "The service's id (a UUID), the same on each of its rows; empty: Crocevia makes one from the names", ""),
            "name": ("Nome del servizio (obbligatorio)", "The service's name (required)", "Consegna spesa a domicilio"),
            "alternate_name": ("Altro nome del servizio", "Another name for the service", ""),
            "description": ("Che cosa offre, a chi, come", "What it offers, to whom, how", "Spesa consegnata a casa per chi non può uscire"),
            "url": ("Pagina web del servizio", "The service's web page", ""),
            "email": ("E-mail del servizio", "The service's e-mail", "spesa@ilponte-coop.it"),
            "status": ("Stato: active, inactive, defunct o temporarily closed", "Status: active, inactive, defunct or temporarily closed", "active"),
            "application_process": ("Come si accede (prenotazione, invio dei servizi sociali…)", "How to get it (booking, referral…)", "Telefonare dal lunedì al venerdì"),
            "fees_description": ("Costi", "Fees", "2,50 € a consegna"),
            "eligibility_description": ("Chi può usarlo", "Who can use it", "Over 65 residenti a Torino"),
            "minimum_age": ("Età minima, in anni", "Minimum age, in years", "65"),
            "maximum_age": ("Età massima, in anni", "Maximum age, in years", ""),
            "assured_date": ("Data dell'ultima verifica (AAAA-MM-GG)", "Date last checked (YYYY-MM-DD)", "2026-11-30"),
            "alert": ("Avviso temporaneo (chiusura estiva…)", "A temporary notice (summer closure…)", ""),
        ],
        "phones": [
            "id": ("Identificativo del telefono; vuoto: lo crea Crocevia", "The phone's id; empty: Crocevia makes one", ""),
            "number": ("Numero di telefono", "Phone number", "011 436 1234"),
            "extension": ("Interno", "Extension", ""),
            "type": ("Tipo: voice, cell, fax, text, video", "Type: voice, cell, fax, text, video", "voice"),
            "description": ("Quando chiamare, chi risponde", "When to call, who answers", "Mattino 9-12"),
        ],
        "schedules": [
            "id": ("Identificativo dell'orario; vuoto: lo crea Crocevia", "The schedule's id; empty: Crocevia makes one", ""),
            "freq": ("Ricorrenza: WEEKLY (ogni settimana) o MONTHLY", "Recurrence: WEEKLY or MONTHLY", "WEEKLY"),
            "byday": ("Giorni, in sigla inglese separati da virgola: MO,TU,WE,TH,FR,SA,SU", "Days, comma-separated: MO,TU,WE,TH,FR,SA,SU", "MO,WE,FR"),
            "opens_at": ("Apre alle (HH:MM)", "Opens at (HH:MM)", "09:00"),
            "closes_at": ("Chiude alle (HH:MM)", "Closes at (HH:MM)", "12:30"),
            "description": ("Orari a parole, se non stanno nelle colonne", "Hours in words, when the columns cannot say them", "Su appuntamento"),
        ],
        "service_at_location": [
            "id": ("Identificativo del servizio in questa sede; vuoto: lo crea Crocevia", "The id of the service at this place; empty: Crocevia makes one", ""),
        ],
        "location": [
            "id": ("Identificativo della sede; vuoto: lo crea Crocevia", "The place's id; empty: Crocevia makes one", ""),
            "name": ("Nome della sede (una riga per ogni sede del servizio)", "The place's name (a row for each of the service's places)", "Portineria di Comunità Porta Palazzo"),
            "alternate_name": ("Altro nome della sede", "Another name for the place", ""),
            "description": ("Come arrivarci, a che piano", "How to get there, which floor", "Ingresso dal cortile"),
            "location_type": ("Tipo: physical (un luogo), virtual (online), postal", "Type: physical, virtual (online), postal", "physical"),
            "latitude": ("Latitudine, in gradi (punto decimale)", "Latitude, in degrees", "45.0762"),
            "longitude": ("Longitudine, in gradi (punto decimale)", "Longitude, in degrees", "7.6841"),
            "address_id": ("Identificativo dell'indirizzo; vuoto: lo crea Crocevia", "The address's id; empty: Crocevia makes one", ""),
            "address_1": ("Via e numero civico", "Street and number", "Piazza della Repubblica 14/A"),
            "address_2": ("Scala, piano, interno, presso", "Staircase, floor, flat, care of", ""),
            "city": ("Comune", "Municipality", "Torino"),
            "region": ("Regione", "Region", "Piemonte"),
            "state_province": ("Provincia (sigla)", "Province (its code)", "TO"),
            "postal_code": ("CAP", "Postal code", "10152"),
            "country": ("Paese (codice a due lettere)", "Country (two-letter code)", "IT"),
            "address_type": ("Tipo di indirizzo: physical o postal", "Address type: physical or postal", "physical"),
        ],
    ]

    /// A column's explanation and example.
    static func guide(_ column: String) -> (it: String, en: String, example: String) {
        let group = column.prefix { $0 != "." && $0 != "[" }
        let field = column.split(separator: ".").last.map(String.init) ?? column
        var entry = words[String(group)]?[field] ?? ("", "", "")
        if column.hasPrefix("phones[1]") {
            entry = ("Secondo telefono: " + entry.it.prefix(1).lowercased() + entry.it.dropFirst(), "Second phone: " + entry.en.prefix(1).lowercased() + entry.en.dropFirst(), "")
        }
        return entry
    }

    /// The header row and the guide as rows: column, Italian, English, example.
    static var guideRows: [[String]] {
        [["Colonna / Column", "Che cosa scrivere", "What to write", "Esempio / Example"]]
            + FlatHSDS.names.map { name in
                let entry = guide(name)
                return [name, entry.it, entry.en, entry.example]
            }
    }

    /// The template as a workbook: sheet `Servizi` (the header), sheet `Guida` (the guide).
    public static func xlsx() -> [UInt8] {
        XLSXWriter.workbook([
            XLSXWriter.Sheet(name: "Servizi", rows: [FlatHSDS.names], widths: FlatHSDS.names.map { max(14, Double($0.count) + 2) }),
            XLSXWriter.Sheet(name: "Guida", rows: guideRows, widths: [30, 60, 60, 34]),
        ])
    }

    /// The template as CSV: the header only.
    public static func csv() -> String {
        FlatHSDS.names.joined(separator: ",") + "\n"
    }
}
