/// One row of a sheet as a workbook holds it: its number and its cells that have a value, by
/// column (0 for A), as text: strings as written, numbers with the text the file stores,
/// dates as ISO dates, formulas by their cached value.
struct SheetRow {
    struct Cell {
        let column: Int
        let text: String
        /// A string, not a number, date or truth value (headers are strings).
        let isText: Bool
        /// How many columns the cell covers, when it is merged across them (ODS says so in the
        /// row; for xlsx the sheet's list of merged ranges does).
        var span = 1
    }

    let number: Int
    var cells: [Cell]
}

/// The rows of one sheet, in order.
protocol SheetRows: AnyObject {
    func next() throws -> SheetRow?
    /// Bytes of the sheet read so far and its size: for progress.
    var progress: (done: Int, total: Int?) { get }
}

/// Cell references (`D14`), columns by letters, and the dates workbooks store as numbers.
enum CellReference {
    /// Excel's last column, XFD.
    static let maximumColumns = 16_384

    /// `A` → 0, `AA` → 26; `D14` → (3, 14). Nil when it is not a reference.
    static func parse(_ reference: String) -> (column: Int, row: Int?)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 8 { return nil }
            case UInt8(ascii: "$"):
                continue
            default:
                return nil
            }
            if letters > 3 { return nil }
        }
        guard letters > 0 else { return nil }
        return (column - 1, digits > 0 ? row : nil)
    }

    /// 0 → `A`, 26 → `AA`.
    static func letters(_ column: Int) -> String {
        var n = column + 1
        var bytes: [UInt8] = []
        while n > 0 {
            let digit = (n - 1) % 26
            bytes.insert(UInt8(ascii: "A") + UInt8(digit), at: 0)
            n = (n - 1) / 26
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A serial date-time as a workbook stores it, as ISO text: `2026-03-09`, `2026-03-09T14:30:00`,
    /// or `14:30` for a time of day alone (`timeOnly`). The 1900 system counts days from
    /// 1899-12-31 and has Lotus's 29 February 1900 (serial 60); the 1904 system counts from
    /// 1904-01-01. Nil for a serial no calendar holds.
    static func isoDate(serial: Double, date1904: Bool, timeOnly: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time = String(format: "%02d:%02d", seconds / 3600, seconds / 60 % 60) + (seconds % 60 == 0 ? "" : String(format: ":%02d", seconds % 60))
        if timeOnly && days == 0 { return time }
        // Days since 1970-01-01.
        let epochDays: Int
        if date1904 {
            epochDays = days - 24_107
        } else {
            if days == 60 { return nil }  // 1900-02-29, which never was
            epochDays = days - (days < 60 ? 25_568 : 25_569)
        }
        let (year, month, day) = civil(epochDays)
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        if seconds == 0 { return date }
        return date + "T" + String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// Year, month and day of a count of days since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
