/// A failure that stops a run. Each case maps to one exit code of the command-line contract.
public enum CroceviaError: Error, Equatable, CustomStringConvertible {
    /// Bad invocation: wrong or missing options (exit 2).
    case usage(String)
    /// A profile, configuration or schema that cannot be used, with its place in that file (exit 2).
    case configuration(file: String, line: Int?, column: Int?, message: String)
    /// Input that cannot be read any further, with its place (exit 1: the data is at fault).
    case unreadableInput(file: String, line: Int?, message: String, hint: String?)
    /// The system failed: a file cannot be opened or written (exit 3).
    case io(String)

    public var exitCode: Int32 {
        switch self {
        case .usage, .configuration: return 2
        case .unreadableInput: return 1
        case .io: return 3
        }
    }

    public var description: String {
        switch self {
        case .usage(let message):
            return message
        case .configuration(let file, let line, let column, let message):
            return "\(Self.place(file, line, column)): \(message)"
        case .unreadableInput(let file, let line, let message, let hint):
            return "\(Self.place(file, line, nil)): \(message)" + (hint.map { " (\($0))" } ?? "")
        case .io(let message):
            return message
        }
    }

    static func place(_ file: String, _ line: Int?, _ column: Int?) -> String {
        var text = file
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        return text
    }
}
