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

    /// The most addresses remembered; past it the quiet ones are forgotten, and if all are busy
    /// the table starts again (memory stays bounded under a flood from many addresses).
    static let maximumAddresses = 10_000

    /// Whether `address` may report one more now (and counts it). An IPv6 address counts by its
    /// /64, the block one subscriber is given. Behind a reverse proxy every request comes from
    /// the proxy: limit there too (see docs/corrections.md).
    func admit(_ address: String, now: Date = Date()) -> Bool {
        let key = Self.subscriber(address)
        return recent.withLock { recent in
            let hourAgo = now.addingTimeInterval(-3600)
            if recent.count >= Self.maximumAddresses {
                recent = recent.filter { $0.value.last.map { $0 > hourAgo } ?? false }
                if recent.count >= Self.maximumAddresses { recent = [:] }
            }
            var times = (recent[key] ?? []).filter { $0 > hourAgo }
            guard times.count < Self.perHour else {
                recent[key] = times
                return false
            }
            times.append(now)
            recent[key] = times
            return true
        }
    }

    /// An IPv4 address as it is; an IPv6 address as its first 64 bits.
    static func subscriber(_ address: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return bytes.prefix(8).map { String(format: "%02x", $0) }.joined() + "/64"
    }

    /// A request's correction checked and stored: 201 with its id, or what was wrong.
    func take(_ request: CorrectionRequest, snapshot: DirectorySnapshot, save: @Sendable (Corrections.Checked) throws -> Correction) -> Answer {
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
