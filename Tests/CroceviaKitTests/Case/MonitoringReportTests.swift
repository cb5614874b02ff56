import Foundation
import Testing
@testable import CroceviaKit

@Suite struct MonitoringReportTests {
    let report = Monitoring(
        options: .init(from: "2026-10-01", to: "2026-10-31", desk: "portineria-aurora"), registry: "sqlite:rete.sqlite",
        peopleReached: SuppressedValue(3), contacts: SuppressedValue(12),
        tables: [SuppressedTable(name: "contacts_by_channel", counts: ["in_person": 9, "phone": 3], order: ["in_person", "phone", "outreach", "online"])],
        warmHandoffCompleted: SuppressedValue(2), warmHandoffs: SuppressedValue(4), completionRate: nil, medianDaysToFeedback: nil,
        referralsWithFeedback: SuppressedValue(1), volunteerHours: 7.5, hoursByActivity: [("front_desk", 5), ("presence", 2.5)],
        volunteers: SuppressedValue(2))

    @Test("JSON: suppressed counts are the text <5, those hidden to protect them x, rates over fewer than 5 are null")
    func json() throws {
        let value = try #require(JSONText.parse(MonitoringReport.json(report)))
        #expect(value["people_reached"] == .string("<5") && value["contacts"] == .number("12"))
        #expect(value["warm_handoff_completion_rate"] == .null && value["median_days_to_feedback"] == .null)
        #expect(value["volunteer_hours"] == .number("7.5"))
        #expect(JSONText.compact(value["tables"]!) == #"{"contacts_by_channel":{"rows":[{"key":"in_person","count":"x"},{"key":"phone","count":"<5"}],"total":12}}"#)
    }

    @Test("CSV: one file per table with its total, and the headline figures")
    func csv() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monitoring-\(UUID().uuidString)").path
        try MonitoringReport.writeCSV(report, folder: folder)
        #expect(try String(contentsOfFile: folder + "/contacts_by_channel.csv", encoding: .utf8) == "category,count\nin_person,x\nphone,<5\ntotal,12\n")
        #expect(try String(contentsOfFile: folder + "/volunteer_hours_by_activity.csv", encoding: .utf8) == "activity_type,hours\nfront_desk,5\npresence,2.5\ntotal,7.5\n")
        let summary = try String(contentsOfFile: folder + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("people_reached,<5\n") && summary.contains("desk,portineria-aurora\n") && summary.contains("warm_handoff_completion_rate,\n"))
    }

    @Test("HTML: Italian words, inline SVG charts with hatched suppressed bars, nothing fetched from elsewhere")
    func html() {
        let page = MonitoringReport.html(report, language: .it)
        #expect(page.contains("<h2>Contatti per canale</h2>") && page.contains("Persone raggiunte<b>&lt;5</b>"))
        #expect(page.components(separatedBy: "<svg").count - 1 == 2)
        #expect(page.contains(#"fill="url(#hatch)"><title>di persona: x</title>"#))
        for external in ["<script", "<link", " src=", " href=", "@import", "url(http"] { #expect(!page.contains(external), "\(external)") }
        #expect(MonitoringReport.html(report, language: .en).contains("<h2>Contacts by channel</h2>"))
    }
}

@Suite struct MonitoringDaysTests {
    @Test("days between dates, across a leap day and a year, from date-times by their dates")
    func days() {
        #expect(Monitoring.dayNumber("1970-01-01") == 0)
        #expect(Monitoring.dayNumber("2026-11-22") == 20_779)  // Python: (date(2026, 11, 22) - date(1970, 1, 1)).days
        #expect(Monitoring.days(from: "2028-02-28", to: "2028-03-01") == 2)
        #expect(Monitoring.days(from: "2026-12-31T23:00:00+01:00", to: "2027-01-01") == 1)
        #expect(Monitoring.days(from: "2026-09-31", to: "2026-10-01") == nil)
    }
}
