/// Writes a small workbook (`.xlsx`) of text sheets: each sheet's rows as inline strings, its
/// header row bold and frozen, column widths given, and notes on cells (a comment each, the
/// cell filled yellow); what `crocevia template` hands a partner to fill in, and their sheet
/// given back with a note on each faulty cell. Excel, LibreOffice and Crocevia's own reader open it.
struct XLSXWriter {
    struct Sheet {
        let name: String
        /// Row 1 first; an empty row where the sheet has none.
        let rows: [[String]]
        /// Widths in characters, by column.
        let widths: [Double]
        /// The bold, frozen row (1-based).
        var headerRow = 1
        /// Notes by cell reference (`D14`).
        var comments: [String: String] = [:]
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
            <Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            \(sheets.indices.filter { !sheets[$0].comments.isEmpty }.map { "<Override PartName=\"/xl/comments\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>" }.joined())\
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
            <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
            <fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/><bgColor indexed="64"/></patternFill></fill></fills>\
            <borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="3"><xf numFmtId="49" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"><alignment vertical="top" wrapText="1"/></xf>\
            <xf numFmtId="49" fontId="1" fillId="0" borderId="0" applyFont="1" applyNumberFormat="1"><alignment vertical="top" wrapText="1"/></xf>\
            <xf numFmtId="49" fontId="0" fillId="2" borderId="0" applyFill="1" applyNumberFormat="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """))
        for (index, sheet) in sheets.enumerated() {
            let frozen = sheet.headerRow
            var text = "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(relations)\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(frozen)\" topLeftCell=\"A\(frozen + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            if !sheet.widths.isEmpty {
                text += "<cols>" + sheet.widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\" style=\"0\"/>" }.joined() + "</cols>"
            }
            text += "<sheetData>"
            for (number, row) in sheet.rows.enumerated() {
                text += "<row r=\"\(number + 1)\">"
                for (column, value) in row.enumerated() {
                    let reference = "\(CellReference.letters(column))\(number + 1)"
                    let noted = sheet.comments[reference] != nil
                    guard !value.isEmpty || noted else { continue }
                    let style = number + 1 == sheet.headerRow ? 1 : noted ? 2 : 0
                    text += "<c r=\"\(reference)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
                }
                text += "</row>"
            }
            text += "</sheetData>"
            if !sheet.comments.isEmpty {
                // Excel shows notes through a legacy drawing; LibreOffice and readers take the comments part.
                text += "<legacyDrawing r:id=\"rId2\"/>"
                zip.add("xl/worksheets/_rels/sheet\(index + 1).xml.rels", xml("<Relationships xmlns=\"\(package)\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relations)/comments\" Target=\"../comments\(index + 1).xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"\(relations)/vmlDrawing\" Target=\"../drawings/vmlDrawing\(index + 1).vml\"/></Relationships>"))
                let notes = sheet.comments.sorted { $0.key < $1.key }
                zip.add("xl/comments\(index + 1).xml", xml("<comments xmlns=\"\(main)\"><authors><author>Crocevia</author></authors><commentList>"
                    + notes.map { "<comment ref=\"\($0.key)\" authorId=\"0\"><text><t xml:space=\"preserve\">\(escape($0.value))</t></text></comment>" }.joined()
                    + "</commentList></comments>"))
                zip.add("xl/drawings/vmlDrawing\(index + 1).vml", Array(vml(notes.compactMap { CellReference.parse($0.key) }).utf8))
            }
            text += "</worksheet>"
            zip.add("xl/worksheets/sheet\(index + 1).xml", xml(text))
        }
        return zip.finish()
    }

    /// The legacy drawing Excel shows notes with: one hidden note shape per commented cell.
    private static func vml(_ cells: [(column: Int, row: Int?)]) -> String {
        var text = """
            <xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">\
            <o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>\
            <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>\
            <v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
            """
        for (offset, cell) in cells.enumerated() {
            let row = (cell.row ?? 1) - 1
            text += """
                <v:shape id="_x0000_s\(1025 + offset)" type="#_x0000_t202" style="position:absolute;margin-left:60pt;margin-top:2pt;width:220pt;height:80pt;z-index:\(offset + 1);visibility:hidden" \
                fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>\
                <v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>\
                <x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>\
                <x:Row>\(row)</x:Row><x:Column>\(cell.column)</x:Column></x:ClientData></v:shape>
                """
        }
        return text + "</xml>"
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
