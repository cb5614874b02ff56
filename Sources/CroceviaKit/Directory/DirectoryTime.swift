/// Dates and date-times as seconds since 1970 (UTC), for `modified_after`: `2026-11-30`,
/// `2026-11-30T18:00`, `2026-11-30T18:00:00Z`, `2026-11-30T18:00:00.5+01:00`. A time without
/// a zone is taken as UTC.
enum DirectoryTime {
    static func seconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = days(year: year, month: month, day: day) * 86_400
        guard bytes.count > 10 else { return seconds }
        guard bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, let hours = number(11, 2), bytes.count >= 16, bytes[13] == 58,
              let minutes = number(14, 2), hours < 24, minutes < 60 else { return nil }
        seconds += hours * 3600 + minutes * 60
        var position = 16
        if position < bytes.count, bytes[position] == 58 {
            guard let whole = number(position + 1, 2), whole < 61 else { return nil }
            seconds += whole
            position += 3
            if position < bytes.count, bytes[position] == 46 {
                position += 1
                while position < bytes.count, bytes[position] >= 48 && bytes[position] <= 57 { position += 1 }
            }
        }
        guard position < bytes.count else { return seconds }
        if (bytes[position] == 90 || bytes[position] == 122) && position + 1 == bytes.count { return seconds }
        guard bytes[position] == 43 || bytes[position] == 45, position + 6 == bytes.count, bytes[position + 3] == 58,
              let offsetHours = number(position + 1, 2), let offsetMinutes = number(position + 4, 2) else { return nil }
        let offset = offsetHours * 3600 + offsetMinutes * 60
        return bytes[position] == 43 ? seconds - offset : seconds + offset
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
    /// `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
