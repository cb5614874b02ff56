/// Writes a small workbook (`.xlsx`) of text sheets: each sheet's rows as inline strings, the
/// first row bold and frozen, column widths given; what `crocevia template` hands a partner to
/// fill in. Excel, LibreOffice and Crocevia's own reader open it.
struct XLSXWriter {
    struct Sheet {
        let name: String
        let rows: [[String]]
        /// Widths in characters, by column.
        let widths: [Double]
    }

    static func workbook(_ sheets: [Sheet]) -> [UInt8] {
        var zip = ZipWriter()
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let package = "http://schemas.openxmlformats.org/package/2006/relationships"
        zip.add("[Content_Types].xml", xml("""
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            </Types>
            """))
        zip.add("_rels/.rels", xml("<Relationships xmlns=\"\(package)\"><Relationship Id=\"rId1\" Type=\"\(relations)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"))
        zip.add("xl/workbook.xml", xml("<workbook xmlns=\"\(main)\" xmlns:r=\"\(relations)\"><sheets>"
            + sheets.enumerated().map { "<sheet name=\"\(escape($1.name))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined()
            + "</sheets></workbook>"))
        zip.add("xl/_rels/workbook.xml.rels", xml("<Relationships xmlns=\"\(package)\">"
            + sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relations)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
            + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(relations)/styles\" Target=\"styles.xml\"/></Relationships>"))
        // Style 0: plain, wrapped; style 1: bold (the header).
        zip.add("xl/styles.xml", xml("""
            <styleSheet xmlns="\(main)"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"><alignment vertical="top" wrapText="1"/></xf>\
            <xf numFmtId="49" fontId="1" fillId="0" borderId="0" applyFont="1" applyNumberFormat="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """))
        for (index, sheet) in sheets.enumerated() {
            var text = "<worksheet xmlns=\"\(main)\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            if !sheet.widths.isEmpty {
                text += "<cols>" + sheet.widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\" style=\"0\"/>" }.joined() + "</cols>"
            }
            text += "<sheetData>"
            for (number, row) in sheet.rows.enumerated() {
                text += "<row r=\"\(number + 1)\">"
                for (column, value) in row.enumerated() where !value.isEmpty {
                    text += "<c r=\"\(CellReference.letters(column))\(number + 1)\" s=\"\(number == 0 ? 1 : 0)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
                }
                text += "</row>"
            }
            text += "</sheetData></worksheet>"
            zip.add("xl/worksheets/sheet\(index + 1).xml", xml(text))
        }
        return zip.finish()
    }

    private static func xml(_ body: String) -> [UInt8] {
        Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + body).utf8)
    }

    /// Text as XML character data: the five markup characters escaped, the control characters XML
    /// cannot hold left out.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
