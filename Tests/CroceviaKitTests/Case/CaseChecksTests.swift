import Testing
@testable import CroceviaKit

@Suite struct CaseChecksTests {
    let checks = CaseChecks(services: ["a9a7a6f0-0000-5000-8000-000000000001"], today: "2026-11-22")

    func problems(_ json: String, entity: String = "referral") -> [String] {
        checks.check(JSONText.parse(json)!, entity: entity).map { "\($0.severity.rawValue) \($0.rule) \($0.field): \($0.message)" }
    }

    @Test("a referral that follows the lifecycle in time order, to a known service, has no problem")
    func legal() {
        #expect(problems(#"{"id":"r","kind":"warm_handoff","status":"completed","to_service_id":"a9a7a6f0-0000-5000-8000-000000000001","proposed_at":"2026-09-01","sent_at":"2026-09-02","accepted_at":"2026-09-05","completed_at":"2026-09-20","feedback_at":"2026-09-21"}"#) == [])
        // A feed may skip recording a step: sent straight to completed.
        #expect(problems(#"{"id":"r","kind":"referral","status":"completed","sent_at":"2026-09-02","completed_at":"2026-09-20"}"#) == [])
        #expect(problems(#"{"id":"r","kind":"referral","status":"cancelled","proposed_at":"2026-09-02","cancelled_at":"2026-09-03"}"#) == [])
    }

    @Test("impossible transitions, times out of order, a wrong current status, a missing time")
    func illegal() {
        #expect(problems(#"{"id":"r","kind":"referral","status":"completed","sent_at":"2026-09-02","declined_at":"2026-09-04","completed_at":"2026-09-20"}"#) == [
            "error case.status-transition completed_at: a referral ends once, and this one has declined_at and completed_at",
            "error case.status-transition completed_at: a referral cannot go from declined to completed",
        ])
        #expect(problems(#"{"id":"r","kind":"referral","status":"completed","sent_at":"2026-09-10","accepted_at":"2026-09-12","completed_at":"2026-09-11"}"#) == [
            "error case.status-order completed_at: completed_at (2026-09-11) is before accepted_at (2026-09-12); the status changes must be in time order",
        ])
        #expect(problems(#"{"id":"r","kind":"referral","status":"accepted","proposed_at":"2026-09-10","sent_at":"2026-09-12"}"#) == [
            "error case.status-current status: status is accepted, but the last status reached is sent (sent_at 2026-09-12)",
        ])
        #expect(problems(#"{"id":"r","kind":"referral","status":"sent"}"#) == [
            "warning case.status-time sent_at: status is sent with no sent_at: each change of status needs its time",
        ])
        #expect(problems(#"{"id":"r","kind":"referral","status":"sent","sent_at":"2026-09-12","feedback_at":"2026-09-01"}"#) == [
            "error case.status-order feedback_at: feedback_at (2026-09-01) is before the referral was sent (2026-09-12)",
        ])
    }

    @Test("future dates, and a service the directory does not have, in a contact's nested referral")
    func futureAndUnknown() {
        #expect(problems(#"{"id":"c","desk_id":"d","datetime":"2062-10-12T10:00:00+02:00","channel":"phone","referrals":[{"id":"r","kind":"referral","status":"sent","sent_at":"2026-10-12","to_service_id":"0b6f7c1e-1111-5aaa-9bbb-222233334444"}]}"#, entity: "contact") == [
            "error case.future-date datetime: datetime is 2062-10-12, in the future: a record tells what happened, so its dates are past (a mistyped year?)",
            "warning case.unknown-service referrals[0].to_service_id: to_service_id 0b6f7c1e-1111-5aaa-9bbb-222233334444 is not a service of the registry's directory; check the id, or import the directory feed that has it",
        ])
        // A posting may be valid until a future day.
        #expect(problems(#"{"id":"p","kind":"offer","skill_code":"cucina","status":"open","valid_to":"2027-06-30"}"#, entity: "posting") == [])
    }
}

@Suite struct SuppressionTests {
    func shown(_ table: SuppressedTable) -> String {
        table.rows.map { "\($0.key)=\($0.text)" }.joined(separator: " ") + " total=\(table.totalText)"
    }

    @Test("counts from 1 to 4 are hidden; zero and 5 are shown")
    func primary() {
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 12, "b": 5, "c": 0], order: ["a", "b", "c"])) == "a=12 b=5 c=0 total=17")
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 3], order: ["a"])) == "a=<5 total=<5")
    }

    @Test("a single hidden cell takes the smallest shown one with it, so the total cannot give it away; that one is marked x, not <5")
    func complementary() {
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 10, "b": 3, "c": 7], order: ["a", "b", "c"])) == "a=10 b=<5 c=x total=20")
        // Two hidden cells whose sum is under 5 could still be worked out: one more goes.
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 1, "b": 1, "c": 20, "d": 30], order: ["a", "b", "c", "d"])) == "a=<5 b=<5 c=x d=30 total=52")
        // Nothing else to hide: the total goes instead.
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 4, "b": 0, "c": 0], order: ["a", "b", "c"])) == "a=<5 b=0 c=0 total=<5")
        #expect(shown(SuppressedTable(name: "t", counts: ["a": 2, "b": 9], order: ["a", "b"])) == "a=<5 b=x total=11")
    }

    @Test("rows: the given order first, then the rest by count; months by key")
    func order() {
        #expect(SuppressedTable(name: "t", counts: ["x": 6, "y": 9, "offerta": 7], order: ["offerta"]).rows.map(\.key) == ["offerta", "y", "x"])
        #expect(SuppressedTable(name: "t", counts: ["2026-10": 6, "2026-09": 9], sortedByKey: true).rows.map(\.key) == ["2026-09", "2026-10"])
    }
}
