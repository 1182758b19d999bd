// A guard in front of TOMLKit: toml++ 3.x asserts (aborts the process in debug builds, undefined behaviour in
// release) when a '}' stands where an array value is expected, e.g. `a = [1, }]`. This scan finds brackets that
// close the wrong kind of opening ('}' inside '[...]', ']' inside '{...}') outside strings and comments, so such
// files are refused with a message before the parser sees them. Valid TOML never trips it.

/// Bracket-nesting check over TOML text.
enum TOMLBracketCheck {
    /// The 1-based line and description of the first mismatched closing bracket, nil when nesting is sound.
    static func firstMismatch(in text: String) -> (line: Int, problem: String)? {
        let bytes = Array(text.utf8)
        var stack: [UInt8] = []
        var line = 1, index = 0
        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1; index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let quote = byte, escapes = byte == UInt8(ascii: "\"")
                let multiline = at(1) == quote && at(2) == quote
                index += multiline ? 3 : 1
                while index < bytes.count {
                    let c = bytes[index]
                    if escapes && c == UInt8(ascii: "\\") { index += 2; continue }
                    if c == UInt8(ascii: "\n") {
                        line += 1
                        if !multiline { break }   // unterminated single-line string: let the parser report it
                    }
                    if c == quote && (!multiline || (at(1) == quote && at(2) == quote)) {
                        index += multiline ? 3 : 1
                        // up to two extra quotes may close a multi-line string ("""a""""" is legal)
                        while multiline && index < bytes.count && bytes[index] == quote { index += 1 }
                        break
                    }
                    index += 1
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                stack.append(byte); index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let opening = byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                if let top = stack.last, top != opening {
                    let found = byte == UInt8(ascii: "]") ? "']'" : "'}'"
                    let inside = top == UInt8(ascii: "[") ? "an array '[...]'" : "an inline table '{...}'"
                    return (line, "\(found) inside \(inside)")
                }
                if !stack.isEmpty { stack.removeLast() }
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }
}
