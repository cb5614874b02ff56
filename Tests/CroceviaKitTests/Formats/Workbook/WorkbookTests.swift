import Foundation
import Testing
@testable import CroceviaKit

/// The workbooks of Tests/Workbooks (see make-workbooks.py and libreoffice/make.sh for who wrote each).
private func workbook(_ name: String) -> String {
    packageRoot.appendingPathComponent("Tests/Workbooks/\(name)").path
}

/// Each record of a workbook as compact JSON, and the findings reading it gave.
private func read(_ name: String, sheet: String? = nil, headerRow: Int? = nil) throws -> (records: [String], findings: [String]) {
    let findings = FindingLog()
    var options = ReaderOptions()
    options.sheet = sheet
    options.headerRow = headerRow
    let path = workbook(name)
    let reader = try Format.of(path, given: nil).makeReader(path: path, source: "test", options: options, findings: findings)
    var records: [String] = []
    while let record = try reader.next() { records.append(JSONText.compact(record.value)) }
    let root = packageRoot.path + "/Tests/Workbooks/"
    return (records, findings.findings.map { $0.formatted.replacingOccurrences(of: root, with: "") })
}

private func failure(_ name: String) -> String? {
    do {
        _ = try read(name)
        return nil
    } catch {
        return "\(error)".replacingOccurrences(of: packageRoot.path + "/Tests/Workbooks/", with: "")
    }
}

@Suite("Workbooks: xlsx and ods read as records")
struct WorkbookTests {
    @Test("openpyxl's xlsx: title row skipped, merged header named twice, numbers, dates and times by style")
    func openpyxlWorkbook() throws {
        let (records, findings) = try read("servizi-openpyxl.xlsx")
        #expect(records == [
            #"{"Denominazione":"Sportello Aurora","Indirizzo":"Via Cecchi 17","CAP":"10152","Comune":"Torino","Telefono":"011 4367 221","Telefono_2":"","Apertura":"09:30","Dal":"2024-01-15","Aggiornato":"2026-11-30T18:45:00","Note":"Caffè sospeso, \"mercoledì\""}"#,
            #"{"Denominazione":"Emporio Solidale <script>alert(1)</script>","Indirizzo":"Corso Vercelli 15/A","CAP":"10152","Comune":"Torino","Telefono":"+39 011 123 4567","Telefono_2":"333 1234567","Apertura":"14:00","Dal":"1999-12-31","Aggiornato":"2026-01-02","Note":""}"#,
            #"{"Denominazione":"Banco alimentare","Indirizzo":"","CAP":"","Comune":"Ivrea","Telefono":"","Telefono_2":"","Apertura":"","Dal":"","Aggiornato":"","Note":"solo su appuntamento"}"#,
        ])
        #expect(findings == [
            "servizi-openpyxl.xlsx:Servizi!3:3: info: sheet Servizi: the header is row 3; the row above it (\"Elenco servizi - Rete Torino Solidale 20…\") is read as a title, not records (--header-row N names the header row)",
            "servizi-openpyxl.xlsx:Servizi!F3: warning: column F is headed \"Telefono\" too (a merged header, or one typed twice); it is read as \"Telefono_2\" (give each column a name of its own)",
        ])
    }

    @Test("Excel's own parts: shared strings with rich text, inline strings, cached formula values, errors, truth values, cells without a reference")
    func handmadeWorkbook() throws {
        let (records, findings) = try read("handmade.xlsx")
        #expect(records == [
            #"{"Nome":"Doposcuola \"Il Ponte\"","Data":"2025-01-21","Ora":"09:30","Costo":"12.5","Attivo":"true","Calcolo":"Doposcuola \"Il Ponte\"!"}"#,
            #"{"Nome":"Mensa & co.","Data":"","Ora":"","Costo":"25","Attivo":"","Calcolo":""}"#,
            #"{"Nome":"  spazi  ","Data":"1900-01-01","Ora":"","Costo":"0.1","Attivo":"false","Calcolo":""}"#,
            #"{"Nome":"","Data":"","Ora":"","Costo":"","Attivo":"","Calcolo":"","column_8":"oltre"}"#,
        ])
        #expect(findings == [
            "handmade.xlsx:Dati!F4: warning: the cell's formula gives #DIV/0!; the value is left empty (fix the formula in the workbook, or type the value)",
            "handmade.xlsx:Dati!H6: warning: a value in a column with no header is kept as column_8 (give the column a name in the header row)",
        ])
        // The same serial numbers in the 1904 date system: 1,462 days later.
        let later = try read("handmade-1904.xlsx").records
        #expect(later[0].hasPrefix(#"{"Nome":"Doposcuola \"Il Ponte\"","Data":"2029-01-22","Ora":"09:30","#))
        #expect(later[2].hasPrefix(#"{"Nome":"  spazi  ","Data":"1904-01-02","Ora":"","Costo":"0.1","#))
    }

    @Test("odfpy's ods: an empty first sheet passed over, repeated rows and cells, a spanned header, paragraphs and spaces, typed values")
    func odsWorkbook() throws {
        let (records, findings) = try read("punti.ods")
        let second = #"{"Denominazione":"Sportello lavoro","Comune":"Brescia","Telefono":"","Telefono_2":"","Apertura":"dalle 9   alle 12","Dal":"","Attivo":"","Quota":""}"#
        #expect(records == [
            #"{"Denominazione":"Centro d'ascolto\nSan Faustino","Comune":"Brescia","Telefono":"030 1234567","Telefono_2":"030 7654321","Apertura":"09:30","Dal":"2024-01-15","Attivo":"true","Quota":"12.5"}"#,
            second, second,
        ])
        #expect(findings == [
            "punti.ods:'Punti di ascolto'!2:2: info: sheet 'Punti di ascolto': the header is row 2; the row above it (\"Punti di ascolto 2026\") is read as a title, not records (--header-row N names the header row)",
            "punti.ods:'Punti di ascolto'!D2: warning: column D is headed \"Telefono\" too (a merged header, or one typed twice); it is read as \"Telefono_2\" (give each column a name of its own)",
        ])
    }

    @Test("--sheet by name, number or all; --header-row; a sheet that is not there")
    func sheetsAndHeaders() throws {
        #expect(try read("servizi-openpyxl.xlsx", sheet: "sedi").records == [#"{"Sede":"Casa del quartiere","Comune":"Torino"}"#])
        #expect(try read("servizi-openpyxl.xlsx", sheet: "2").records == [#"{"Sede":"Casa del quartiere","Comune":"Torino"}"#])
        let all = try read("servizi-openpyxl.xlsx", sheet: "all")
        #expect(all.records.count == 4)
        #expect(all.findings.filter { $0.contains(": info: sheet") && !$0.contains("header is row") } == [
            "servizi-openpyxl.xlsx:Servizi!3:3: info: sheet Servizi: 3 records under the header on row 3",
            "servizi-openpyxl.xlsx:Sedi!1:1: info: sheet Sedi: 1 record under the header on row 1",
            "servizi-openpyxl.xlsx: info: sheet Vuoto has no data",
        ])
        let second = try read("handmade.xlsx", sheet: "Seconda")
        #expect(second.records == [#"{"column_1":"","Colonna":"7"}"#])
        let named = try read("handmade.xlsx", headerRow: 2)
        #expect(named.findings.first == "handmade.xlsx:Dati!2:2: info: sheet Dati: the header is row 2, as asked; 1 row above it is not read")
        #expect(try read("handmade.xlsx", headerRow: 2).records.first == #"{"Doposcuola \"Il Ponte\"":"Mensa & co.","2025-01-21":"","09:30":"","12.5":"25","true":"","Doposcuola \"Il Ponte\"!":""}"#)
        let path = workbook("servizi-openpyxl.xlsx")
        #expect(throws: CroceviaError.usage("--sheet \"Sportelli\": \(path) has no such sheet; its sheets: \"Servizi\", \"Sedi\", \"Vuoto\"")) {
            try read("servizi-openpyxl.xlsx", sheet: "Sportelli")
        }
        #expect(throws: CroceviaError.usage("--sheet 4: \(path) has 3 sheets (\"Servizi\", \"Sedi\", \"Vuoto\")")) {
            try read("servizi-openpyxl.xlsx", sheet: "4")
        }
    }

    @Test("zip bombs, a lying table of contents, a file cut short: refused with what is wrong; a .xlsx that is CSV is read as CSV")
    func hostileArchives() throws {
        #expect(failure("bomb.xlsx") == "bomb.xlsx: the part xl/worksheets/sheet1.xml would inflate to 104857646 bytes from 101972 (a \"zip bomb\"?); the limits are 2147483648 bytes, and 200 to 1 beyond 64 MiB (a real workbook's sheet is far smaller; ask the sender for the file again, or for a CSV export)")
        #expect(failure("lying.xlsx") == "lying.xlsx: the part xl/worksheets/sheet1.xml inflates to more than the 200 bytes its table of contents declares (a \"zip bomb\"?) (ask the sender for the file again, or for a CSV export)")
        #expect(failure("cut.xlsx") == "cut.xlsx: the workbook is damaged: its table of contents is missing (a file cut short?) (open it in Excel or LibreOffice and save it again)")
        #expect(Format.sheetFormat(of: workbook("really-csv.xlsx")) == .csv)
        #expect(try read("really-csv.xlsx").records == [#"{"Denominazione":"Sportello Aurora","Comune":"Torino"}"#])
        #expect(Format.sheetFormat(of: workbook("punti.ods")) == .ods && Format.sheetFormat(of: workbook("handmade.xlsx")) == .xlsx)
    }

    @Test("a partner's CSV opened in LibreOffice and saved as xlsx and ods gives the same services through the same profile", arguments: [
        ("portinerie-torino", "servizi.csv", "portinerie"), ("sicura-collegno", "attivita.csv", "sicura"), ("case-del-quartiere-torino", "attivita.csv", "case"),
    ])
    func sameServicesAsTheCSV(sample: String, file: String, workbookName: String) throws {
        func convert(_ input: String) throws -> String {
            var options = ConvertOptions(inputs: [input])
            options.profile = packageRoot.appendingPathComponent("Samples/\(sample)/profile.yaml").path
            options.to = .hsdsJSONL
            options.output = try temporaryFile("", name: "out.jsonl")
            _ = try Converter(options: options, findings: FindingLog()).run()
            return try String(contentsOfFile: options.output, encoding: .utf8)
        }
        // LibreOffice keeps a line break inside a cell as LF, where the CSV file had CRLF.
        let fromCSV = try convert(packageRoot.appendingPathComponent("Samples/\(sample)/\(file)").path).replacingOccurrences(of: #"\r\n"#, with: #"\n"#)
        #expect(fromCSV.split(separator: "\n").count >= 5)
        #expect(try convert(workbook("libreoffice/\(workbookName).xlsx")) == fromCSV)
        #expect(try convert(workbook("libreoffice/\(workbookName).ods")) == fromCSV)
    }

    @Test("a profile's findings on a workbook name the cell")
    func mappedFindingsNameTheCell() throws {
        let folder = URL(fileURLWithPath: try temporaryFile("", name: "p.yaml")).deletingLastPathComponent()
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
            crocevia_profile: 1
            source: { name: prova, format: xlsx }
            target: service
            fields:
              name: Nome
              assured_date: { column: Costo, transforms: [{ date: [dd/MM/yyyy] }] }
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        var options = ConvertOptions(inputs: [workbook("handmade.xlsx")])
        options.profile = profile
        options.output = folder.appendingPathComponent("out.jsonl").path
        let findings = FindingLog()
        _ = try Converter(options: options, findings: findings).run()
        #expect(findings.findings.filter { $0.rule == "map.date" }.map { "\($0.cell ?? "-") \($0.message)" } == [
            "Dati!D2 assured_date: not a date in the form dd/MM/yyyy; the value was left out",
            "Dati!D4 assured_date: not a date in the form dd/MM/yyyy; the value was left out",
            "Dati!D5 assured_date: not a date in the form dd/MM/yyyy; the value was left out",
        ])
        let first = try String(contentsOfFile: options.output, encoding: .utf8).split(separator: "\n").first
        #expect(first == #"{"name":"Doposcuola \"Il Ponte\""}"#)
    }

    @Test("cell references, column letters and serial dates")
    func cells() {
        #expect(CellReference.parse("D14")! == (3, 14) && CellReference.parse("XFD1048576")! == (16_383, 1_048_576) && CellReference.parse("$AA$3")! == (26, 3))
        #expect(CellReference.parse("14") == nil && CellReference.parse("ABCD1") == nil && CellReference.parse("A1B") == nil)
        #expect([0, 25, 26, 701, 702, 16_383].map(CellReference.letters) == ["A", "Z", "AA", "ZZ", "AAA", "XFD"])
        #expect(CellReference.isoDate(serial: 59, date1904: false, timeOnly: false) == "1900-02-28")
        #expect(CellReference.isoDate(serial: 60, date1904: false, timeOnly: false) == nil)
        #expect(CellReference.isoDate(serial: 61, date1904: false, timeOnly: false) == "1900-03-01")
        #expect(CellReference.isoDate(serial: 46_356.75, date1904: false, timeOnly: false) == "2026-11-30T18:00:00")
        #expect(CellReference.isoDate(serial: 0.5, date1904: false, timeOnly: true) == "12:00")
        #expect(CellReference.isoDate(serial: 0, date1904: true, timeOnly: false) == "1904-01-01")
        #expect([XLSXWorkbook.kind(ofCode: "dd/mm/yyyy;@"), XLSXWorkbook.kind(ofCode: "[h]:mm"), XLSXWorkbook.kind(ofCode: "\"Tel. \"@"),
                 XLSXWorkbook.kind(ofCode: "[Red]#,##0.00"), XLSXWorkbook.kind(ofCode: "[$-410]mmmm yyyy"), XLSXWorkbook.kind(ofCode: "General")]
                == [.date, .time, .none, .none, .date, .none])
    }
}
