#!/usr/bin/env python3
"""Writes the workbooks the tests read (Tests/Workbooks/*.xlsx, *.ods), each from another writer:
openpyxl (as Python tools write xlsx), odfpy (OpenDocument), and raw XML parts zipped by hand
(what Excel writes that openpyxl cannot: formulas with cached values, inline strings, rich text,
the 1904 date system), plus damaged and hostile archives. Run it again only to change them:

    pip install openpyxl odfpy && python3 Tests/Workbooks/make-workbooks.py
"""
import datetime, os, zipfile, zlib

here = os.path.dirname(os.path.abspath(__file__))
out = lambda name: os.path.join(here, name)

HEADER = ["Denominazione", "Indirizzo", "CAP", "Comune", "Telefono", "Telefono", "Apertura", "Dal", "Aggiornato", "Note"]
ROWS = [
    ["Sportello Aurora", "Via Cecchi 17", "10152", "Torino", "011 4367 221", "", "09:30", datetime.date(2024, 1, 15),
     datetime.datetime(2026, 11, 30, 18, 45), "Caffè sospeso, \"mercoledì\""],
    ["Emporio Solidale <script>alert(1)</script>", "Corso Vercelli 15/A", "10152", "Torino", "+39 011 123 4567", "333 1234567",
     "14:00", datetime.date(1999, 12, 31), datetime.datetime(2026, 1, 2, 0, 0), ""],
    ["Banco alimentare", "", "", "Ivrea", "", "", "", None, None, "solo su appuntamento"],
]


def openpyxl_workbook():
    import openpyxl
    from openpyxl.styles import Alignment
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Servizi"
    sheet["A1"] = "Elenco servizi - Rete Torino Solidale 2026"
    sheet.merge_cells("A1:J1")
    for column, name in enumerate(HEADER, start=1):
        if column != 6:
            sheet.cell(row=3, column=column, value=name)
    sheet.merge_cells("E3:F3")  # one "Telefono" over two columns
    for r, row in enumerate(ROWS, start=4):
        for c, value in enumerate(row, start=1):
            if value in ("", None):
                continue
            cell = sheet.cell(row=r, column=c)
            if c == 7:
                hours, minutes = map(int, value.split(":"))
                cell.value = datetime.time(hours, minutes)
                cell.number_format = "hh:mm"
            elif c == 8:
                cell.value = value
                cell.number_format = "dd/mm/yyyy"
            elif c == 9:
                cell.value = value
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif c == 3:
                cell.value = int(value)  # a CAP typed as a number
            else:
                cell.value = value
    sheet.cell(row=4, column=1).alignment = Alignment(wrap_text=True)
    sedi = book.create_sheet("Sedi")
    sedi.append(["Sede", "Comune"])
    sedi.append(["Casa del quartiere", "Torino"])
    book.create_sheet("Vuoto")
    book.save(out("servizi-openpyxl.xlsx"))


def raw_xlsx(name, sheet_xml, shared, styles, date1904=False, extra_sheets=()):
    sheets = [("Dati", sheet_xml)] + list(extra_sheets)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        + ('<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>') + '<sheets>'
        + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 10}"/>' for i, (n, _) in enumerate(sheets)) + '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i + 10}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/s{i + 1}.xml"/>' for i in range(len(sheets)))
        + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        + '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + shared + '</sst>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + styles + '</styleSheet>',
    }
    for i, (_, xml) in enumerate(sheets):
        files[f"xl/worksheets/s{i + 1}.xml"] = '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + xml + '</sheetData></worksheet>'
    with zipfile.ZipFile(out(name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in files.items():
            z.writestr(path, text)


STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="&quot;Tel. &quot;@"/></numFmts>'
          '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="20"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs>')
SHARED = ('<si><t>Nome</t></si><si><t>Data</t></si><si><t>Ora</t></si><si><t>Costo</t></si><si><t>Attivo</t></si><si><t>Calcolo</t></si>'
          '<si><r><rPr><b/></rPr><t>Doposcuola </t></r><r><t>"Il Ponte"</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>'
          '<si><t xml:space="preserve">  spazi  </t></si>')
# Row 1 the header; row 2 full; row 4 sparse (row 3 missing); cells of row 5 without r.
HANDMADE = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>'
            '<c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" s="1"><v>45678</v></c><c r="C2" s="2"><v>0.395833333333333</v></c>'
            '<c r="D2"><v>12.5</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="str"><f>CONCATENATE(A2,"!")</f><v>Doposcuola "Il Ponte"!</v></c></row>'
            '<row r="4"><c r="A4" t="inlineStr"><is><t>Mensa &amp; co.</t></is></c><c r="D4"><f>D2*2</f><v>25</v></c><c r="F4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
            '<row r="5"><c t="s"><v>7</v></c><c s="4"><v>1</v></c><c/><c><v>0.1</v></c><c t="b"><v>0</v></c></row>'
            '<row r="6"><c r="H6" t="inlineStr"><is><t>oltre</t></is></c></row>')


def handmade():
    raw_xlsx("handmade.xlsx", HANDMADE, SHARED, STYLES,
             extra_sheets=[("Seconda", '<row r="2"><c r="B2" t="inlineStr"><is><t>Colonna</t></is></c></row><row r="3"><c r="B3"><v>7</v></c></row>')])
    # The same serials in the 1904 system are four years and a day later.
    raw_xlsx("handmade-1904.xlsx", HANDMADE, SHARED, STYLES, date1904=True)


def ods():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell, CoveredTableCell
    from odf.text import P, S, LineBreak
    doc = OpenDocumentSpreadsheet()
    def cell(shown=None, kind="string", repeat=1, span=1, **attributes):
        value = shown
        args = {}
        if repeat > 1: args["numbercolumnsrepeated"] = repeat
        if span > 1: args["numbercolumnsspanned"] = span
        if value is None:
            return TableCell(**args)
        c = TableCell(valuetype=kind, **args, **attributes)
        if isinstance(value, list):
            for paragraph in value: c.addElement(paragraph)
        else:
            c.addElement(P(text=value))
        return c
    empty = Table(name="Copertina")
    empty.addElement(TableRow(numberrowsrepeated=3))
    doc.spreadsheet.addElement(empty)
    table = Table(name="Punti di ascolto")
    title = TableRow(); title.addElement(cell("Punti di ascolto 2026")); table.addElement(title)
    header = TableRow()
    for name in ["Denominazione", "Comune"]: header.addElement(cell(name))
    header.addElement(cell("Telefono", span=2)); header.addElement(CoveredTableCell())
    for name in ["Apertura", "Dal", "Attivo", "Quota"]: header.addElement(cell(name))
    table.addElement(header)
    spaced = P(text="dalle 9"); spaced.addElement(S(c=3)); spaced.addText("alle 12")
    row = TableRow()
    row.addElement(cell([P(text="Centro d'ascolto"), P(text="San Faustino")]))
    row.addElement(cell("Brescia"))
    row.addElement(cell("030 1234567")); row.addElement(cell("030 7654321"))
    row.addElement(cell("09:30", kind="time", timevalue="PT09H30M00S"))
    row.addElement(cell("15/01/2024", kind="date", datevalue="2024-01-15"))
    row.addElement(cell("VERO", kind="boolean", booleanvalue="true"))
    row.addElement(cell("12,50", kind="float", value="12.5"))
    table.addElement(row)
    twice = TableRow(numberrowsrepeated=2)
    twice.addElement(cell("Sportello lavoro")); twice.addElement(cell("Brescia"))
    twice.addElement(cell(None, repeat=2)); twice.addElement(cell([spaced]))  # opening hours, spaced out
    table.addElement(twice)
    table.addElement(TableRow(numberrowsrepeated=1048000))
    doc.spreadsheet.addElement(table)
    doc.save(out("punti.ods"))


def hostile():
    # Honest about its size, but 100 MiB from about 100 KiB: refused by its ratio.
    with zipfile.ZipFile(out("bomb.xlsx"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + " " * (100 << 20) + "</sheetData></worksheet>")
    # Its table of contents says 200 bytes; the part inflates to 5 MiB.
    body = zlib.compress(b"<worksheet><sheetData>" + b" " * (5 << 20) + b"</sheetData></worksheet>", 9)[2:-4]
    with zipfile.ZipFile(out("lying.xlsx"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_STORED
        z.writestr(info, b"")
    data = bytearray(open(out("lying.xlsx"), "rb").read())
    # Rewrite the last member by hand: deflated, 200 bytes declared.
    local = data.rfind(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02" , local)
    name_length = int.from_bytes(data[local + 26:local + 28], "little")
    head = bytearray(data[local:local + 30 + name_length])
    head[8:10] = (8).to_bytes(2, "little"); head[18:22] = len(body).to_bytes(4, "little"); head[22:26] = (200).to_bytes(4, "little")
    rest = bytearray(data[central:])
    entries = rest.split(b"PK\x01\x02")
    last = bytearray(b"PK\x01\x02" + entries[-1])
    last[10:12] = (8).to_bytes(2, "little"); last[20:24] = len(body).to_bytes(4, "little"); last[24:28] = (200).to_bytes(4, "little")
    end = last.find(b"PK\x05\x06")
    tail = bytearray(last[end:]); last = last[:end]
    directory = b"".join(b"PK\x01\x02" + e for e in entries[1:-1]) + last
    tail[12:16] = len(directory).to_bytes(4, "little"); tail[16:20] = (local + len(head) + len(body)).to_bytes(4, "little")
    open(out("lying.xlsx"), "wb").write(bytes(data[:local]) + bytes(head) + body + directory + bytes(tail))
    # Cut short: the first half of a real workbook.
    whole = open(out("servizi-openpyxl.xlsx"), "rb").read()
    open(out("cut.xlsx"), "wb").write(whole[: len(whole) // 2])
    # A CSV file saved with a workbook's name.
    open(out("really-csv.xlsx"), "w", encoding="utf-8").write("Denominazione;Comune\nSportello Aurora;Torino\n")


def flat():
    """An hsds-flat sheet as a partner fills it: one service at two places (two rows, the second
    naming it differently), one service with no id, a column the layout does not have."""
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Servizi"
    sheet.append(["organization.name", "service.id", "service.name", "service.status", "phones[0].number", "location.name",
                  "location.address_1", "location.city", "location.postal_code", "location.latitude", "Referente"])
    sheet.append(["Cooperativa Il Ponte", "3f1e8c52-7a0b-4c1d-9e2f-5a6b7c8d9e0f", "Sportello lavoro", "active", "011 436 1234",
                  "Portineria Porta Palazzo", "Piazza della Repubblica 14/A", "Torino", "10152", 45.0762, "Anna"])
    sheet.append(["Cooperativa Il Ponte", "3f1e8c52-7a0b-4c1d-9e2f-5a6b7c8d9e0f", "Sportello Lavoro", "active", "011 436 1234",
                  "Casa del quartiere Aurora", "Via Cecchi 17", "Torino", "10152", None, "Marco"])
    sheet.append(["Associazione Porta Aperta", None, "SOS tecnologia", "active", None, None, None, "Collegno", None, None, None])
    book.save(out("flat.xlsx"))


openpyxl_workbook()
flat()
handmade()
ods()
hostile()
