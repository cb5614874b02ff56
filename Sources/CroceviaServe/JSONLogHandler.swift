import CroceviaKit
import Foundation
import Logging

/// `--log-format json`: one JSON object per line on standard error, for a log collector
/// (`{"time": "2026-12-03T14:50:01.123Z", "level": "info", "label": "crocevia.serve",
/// "message": "request", "method": "GET", "path": "/services", "status": "200", "ms": "0.42"}`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object = JSONObject([
            ("time", .string(Self.timestamp())), ("level", .string(event.level.rawValue)), ("label", .string(label)),
            ("message", .string(event.message.description)),
        ])
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() where object[key] == nil { object[key] = .string(merged[key]!.description) }
        var line = JSONText.compact(.object(object)) + "\n"
        // One write per line: lines from two threads never interleave.
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
