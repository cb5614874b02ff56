/// JSON Schema patterns are ECMA-262 regular expressions; ICU (behind NSRegularExpression) reads
/// nearly the same syntax. The differences that matter are translated: `\d`, `\w` and `\s` and
/// their negations mean ASCII digits, word characters and ECMAScript white space, not Unicode's.
enum ECMAScriptRegex {
    static func translate(_ source: String) -> String {
        guard source.contains("\\") else { return source }
        var output = ""
        var escaped = false
        var inClass = false
        for character in source {
            if escaped {
                escaped = false
                switch character {
                case "d": output += inClass ? "0-9" : "[0-9]"
                case "D": output += inClass ? "\\D" : "[^0-9]"
                case "w": output += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": output += inClass ? "\\W" : "[^a-zA-Z0-9_]"
                default: output += "\\" + String(character)
                }
                continue
            }
            switch character {
            case "\\": escaped = true
            case "[": inClass = true; output.append(character)
            case "]": inClass = false; output.append(character)
            default: output.append(character)
            }
        }
        if escaped { output += "\\" }
        return output
    }
}
