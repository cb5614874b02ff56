import Testing
@testable import CroceviaKit

@Suite("The directory's search, hours, times and withheld places")
struct DirectoryTests {
    @Test("Italian words are folded and stemmed as Lucene's ItalianLightStemmer does")
    func italianStems() {
        #expect(["anziani", "anziano", "anziane", "ANZIANA"].map { ItalianSearch.terms($0) } == [["anzian"], ["anzian"], ["anzian"], ["anzian"]])
        #expect(ItalianSearch.terms("Caffè sospeso") == ItalianSearch.terms("CAFFE' SOSPESI"))
        #expect(ItalianSearch.stem("farmacie") == "farmac" && ItalianSearch.stem("farmacia") == "farmac")
        #expect(ItalianSearch.stem("banchi") == "banc" && ItalianSearch.stem("spesa") == "spesa")
        #expect(ItalianSearch.terms("Consegna della spesa a domicilio") == ["consegn", "spesa", "domicil"])
    }

    @Test("a search needs every word; a name counts more than a description; a beginning finds a word")
    func searchRanks() {
        var index = ItalianSearch.Index()
        index.add("Consegna spesa", entry: 0, weight: 3)
        index.add("Si consegnano farmaci e spesa a domicilio", entry: 1, weight: 1)
        index.add("Doposcuola", entry: 2, weight: 3)
        index.add("spesa", entry: 2, weight: 1)
        index.seal()
        #expect(index.search("spesa")?.table == [0: 6, 1: 2, 2: 2])
        #expect(index.search("spesa consegna")?.table == [0: 12, 1: 3])
        #expect(index.search("dopo")?.table == [2: 3])
        #expect(index.search("doposc")?.table == [2: 3])
        #expect(index.search("della") == nil)
        #expect(index.search("biciclette")?.table == [:])
    }

    @Test("a page of the nearest or the best is the head of the whole order, ties by entry")
    func ranking() {
        // Distances with ties, in entry order: the heap (a page among many) and the sort agree.
        let items = (0..<500).map { entry in (entry: entry, distance: Double((entry * 7919) % 97)) }
        let less: ((entry: Int, distance: Double), (entry: Int, distance: Double)) -> Bool = {
            $0.distance != $1.distance ? $0.distance < $1.distance : $0.entry < $1.entry
        }
        let sorted = items.sorted(by: less).map(\.entry)
        #expect(Ranking.least(10, of: items, by: less).map(\.entry) == Array(sorted.prefix(10)))
        #expect(Ranking.least(10, of: items, by: less).map(\.entry) == [0, 97, 194, 291, 388, 485, 36, 133, 230, 327])
        #expect(Ranking.least(400, of: items, by: less).map(\.entry) == Array(sorted.prefix(400)))
        #expect(Ranking.least(0, of: items, by: less).isEmpty && Ranking.least(3, of: [(entry: Int, distance: Double)](), by: less).isEmpty)
        #expect(Ranking.byScore([3, 5, 8, 9, 12], scores: [2, 6, 2, 9, 6]) == [9, 5, 12, 3, 8])
        #expect(Ranking.byScore([], scores: []) == [])
    }

    @Test("opening hours from weekly schedules, days named three ways, spans past midnight")
    func openHours() {
        let hours = OpenHours(schedules: [
            .object(JSONObject([("freq", .string("WEEKLY")), ("byday", .string("MO,WE")), ("opens_at", .string("09:00")), ("closes_at", .string("12:30"))])),
            .object(JSONObject([("freq", .string("WEEKLY")), ("byday", .string("FR")), ("opens_at", .string("22:00")), ("closes_at", .string("02:00"))])),
            .object(JSONObject([("freq", .string("MONTHLY")), ("byday", .string("1TU")), ("opens_at", .string("09:00"))])),
        ])
        #expect(hours.isOpen(day: 0, minute: 9 * 60))
        #expect(!hours.isOpen(day: 0, minute: 12 * 60 + 30))
        #expect(hours.isOpen(day: 2, minute: nil) && !hours.isOpen(day: 1, minute: nil))
        #expect(hours.isOpen(day: 4, minute: 23 * 60) && hours.isOpen(day: 5, minute: 60) && !hours.isOpen(day: 4, minute: 60))
        #expect(hours.isOpen(day: nil, minute: 10 * 60))
        #expect([OpenHours.day("lunedì"), OpenHours.day("MO"), OpenHours.day("Sunday"), OpenHours.day("2WE"), OpenHours.day("someday")] == [0, 0, 6, 2, nil])
        #expect([OpenHours.minutes("09:30"), OpenHours.minutes("24:00"), OpenHours.minutes("25:00"), OpenHours.minutes("9:30")] == [570, 1440, nil, nil])
    }

    @Test("dates and RFC 3339 date-times as seconds, zones applied")
    func times() {
        #expect(DirectoryTime.seconds("1970-01-02") == 86_400)
        #expect(DirectoryTime.seconds("2026-10-05T10:22:00+02:00") == DirectoryTime.seconds("2026-10-05T08:22:00Z"))
        #expect(DirectoryTime.seconds("2026-10-05T08:22:00.250Z") == DirectoryTime.seconds("2026-10-05T08:22"))
        #expect(DirectoryTime.seconds("2000-03-01")! - DirectoryTime.seconds("2000-02-28")! == 2 * 86_400)
        #expect(DirectoryTime.seconds("yesterday") == nil && DirectoryTime.seconds("2026-13-01") == nil && DirectoryTime.seconds("2026-10-05T10:22:00+2") == nil)
    }

    @Test("a withheld place loses its street and position and keeps its municipality; a merged one by its id")
    func withholding() {
        let address = JSONValue.object(JSONObject([("id", .string("a")), ("address_1", .string("Via Segreta 7")), ("address_2", .string("int. 3")),
                                                  ("city", .string("Torino")), ("postal_code", .string("10152"))]))
        let shelter = JSONObject([("id", .string("L1")), ("location_type", .string("physical")), ("latitude", .number("45.08")),
                                  ("x_withheld", .string("casa rifugio")), ("addresses", .array([address]))])
        let desk = JSONObject([("id", .string("L2")), ("location_type", .string("physical")), ("latitude", .number("45.07")), ("addresses", .array([address]))])
        let record = JSONValue.object(JSONObject([("id", .string("S")), ("locations", .array([.object(shelter), .object(desk)]))]))
        #expect(Withholding.withheldLocations(in: record) == ["L1"])
        #expect(Withholding.withheldStreets(in: record) == ["Via Segreta 7"])
        let kept = JSONObject([("id", .string("a")), ("address_1", .string("Indirizzo riservato")), ("city", .string("Torino")), ("postal_code", .string("10152"))])
        let published = Withholding.applied(record, ids: ["L2"])
        let places = published["locations"]?.arrayValue ?? []
        #expect(places.map { $0["addresses"]?.arrayValue?.first } == [.object(kept), .object(kept)])
        #expect(places.allSatisfy { $0["latitude"] == nil && $0["x_withheld"] == nil })
        #expect(Withholding.applied(record, ids: [])["locations"]?.arrayValue?.last?["latitude"] == .number("45.07"))
        #expect(!Withholding.isWithheld(JSONObject([("x_withheld", .string("false"))])) && Withholding.isWithheld(JSONObject([("x_withheld", .bool(true))])))
    }
}

extension ItalianSearch.Hits {
    /// Each entry's score.
    var table: [Int: Int] { Dictionary(uniqueKeysWithValues: zip(entries, scores)) }
}
