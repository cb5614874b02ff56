import CroceviaKit
import Foundation
import Synchronization

/// Reports of mistakes coming in to `crocevia serve`: `POST /corrections` (JSON) and the form on
/// each service's page. Each is checked against the directory served (nothing is stored for bad
/// input: a 400 that says why), limited per address (`perHour`, then 429), and stored by the
/// caller's `save` off the event loops. Notes and contacts are stored only: never logged, never
/// echoed back.
final class CorrectionIntake: Sendable {
    static let maximumBody = 16 * 1024
    static let perHour = 10

    private let recent = Mutex<[String: [Date]]>([:])

    struct Answer {
        let status: Int
        let body: JSONValue
    }

    /// Whether `address` may report one more now (and counts it).
    func admit(_ address: String, now: Date = Date()) -> Bool {
        recent.withLock { recent in
            let hourAgo = now.addingTimeInterval(-3600)
            var times = (recent[address] ?? []).filter { $0 > hourAgo }
            // Forget addresses that went quiet, so the table stays small.
            if recent.count > 10_000 { recent = recent.filter { $0.value.last.map { $0 > hourAgo } ?? false } }
            guard times.count < Self.perHour else {
                recent[address] = times
                return false
            }
            times.append(now)
            recent[address] = times
            return true
        }
    }

    /// A request's correction checked and stored: 201 with its id, or what was wrong.
    func take(_ request: CorrectionRequest, snapshot: DirectorySnapshot, reportedBy: String,
              save: @Sendable (Corrections.Checked) throws -> Correction) -> Answer {
        let checked: Corrections.Checked
        do {
            checked = try Corrections.check(request, snapshot: snapshot)
        } catch let problem as CorrectionRequest.Problem {
            return Self.problem(400, problem.message)
        } catch {
            return Self.problem(500, "the correction could not be checked")
        }
        do {
            let correction = try save(checked)
            return Answer(status: 201, body: .object(JSONObject([
                ("id", .string(correction.id)), ("state", .string(correction.state.rawValue)), ("service_id", .string(correction.serviceID)),
                ("field", .string(correction.field)), ("offered", correction.offered),
            ])))
        } catch {
            return Self.problem(503, "the registry is busy; nothing was stored: try again in a few minutes")
        }
    }

    /// `POST /corrections`'s body read as a correction.
    static func request(fromJSON body: [UInt8]) -> Result<CorrectionRequest, CorrectionRequest.Problem> {
        guard let text = String(validating: body, as: UTF8.self), let value = JSONText.parse(text) else {
            return .failure(CorrectionRequest.Problem("the body is not JSON; send {\"id\": …, \"field\": …, \"offered\": …}"))
        }
        return Result { () throws(CorrectionRequest.Problem) in try CorrectionRequest.parse(value) }
    }

    static func problem(_ status: Int, _ message: String) -> Answer {
        Answer(status: status, body: DirectoryError(status: status, message).body)
    }
}
