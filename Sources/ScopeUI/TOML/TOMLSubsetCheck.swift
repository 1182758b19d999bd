// A strict recogniser run before TOMLKit. toml++ 3.x (inside TOMLKit) asserts - aborting the process in debug
// builds, undefined behaviour in release - on some malformed input ('}' where an array value belongs, a '[' at end
// of file, ...). Theme and lecture files only need a small part of TOML, so this scan accepts exactly that part and
// refuses anything else with a located message; TOMLKit then parses only input of known-safe shape.
// Accepted: comments; `key = value` lines; `[key]` and `[[key]]` (array of tables) headers; keys bare ([A-Za-z0-9_-])
// or quoted, dotted;
// values: single-line "basic" and 'literal' strings, decimal integers and floats, true/false, arrays (may span
// lines, trailing comma allowed), inline tables (one line); nesting at most 8 deep.

/// Recognises the TOML subset theme and lecture files use.
enum TOMLSubsetCheck {
    /// Deepest nesting of arrays and inline tables accepted.
    static let maximumNesting = 8

    /// A refusal: 1-based line and what was expected.
    struct Problem: Error, Equatable { var line: Int; var text: String }

    /// nil when `text` is in the subset, else the first problem.
    static func firstProblem(in text: String) -> Problem? {
        var scanner = Scanner(bytes: Array(text.utf8))
        do { try scanner.document(); return nil } catch let problem as Problem { return problem } catch { return nil }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }
        func fail(_ text: String) -> Problem { Problem(line: line, text: text) }
        func describeCurrent() -> String {
            guard let c = current else { return "end of file" }
            if c == 0x0A { return "end of line" }
            if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
            return "byte 0x" + String(c, radix: 16)
        }

        mutating func skipBlanks() { while current == 0x20 || current == 0x09 { index += 1 } }

        /// A comment to end of line (not consuming the newline); control characters refused.
        mutating func comment() throws {
            guard current == UInt8(ascii: "#") else { return }
            while let c = current, c != 0x0A {
                if (c < 0x20 && c != 0x09 && c != 0x0D) || c == 0x7F { throw fail("control character in a comment") }
                index += 1
            }
        }

        /// End of a line: optional blanks, optional comment, then newline (CRLF allowed) or end of file.
        mutating func endOfLine() throws {
            skipBlanks(); try comment()
            if current == 0x0D { index += 1 }
            guard let c = current else { return }
            guard c == 0x0A else { throw fail("expected end of line, found \(describeCurrent())") }
            index += 1; line += 1
        }

        /// Blanks, comments and newlines (inside arrays).
        mutating func skipBlankLines() throws {
            while true {
                skipBlanks(); try comment()
                if current == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                guard current == 0x0A else { return }
                index += 1; line += 1
            }
        }

        mutating func document() throws {
            while current != nil {
                skipBlanks()
                switch current {
                case UInt8(ascii: "#"), 0x0A, 0x0D: try endOfLine()
                case UInt8(ascii: "["):
                    index += 1
                    // `[[key]]`: one more table of an array of tables (the two brackets written together).
                    let arrayOfTables = current == UInt8(ascii: "[")
                    if arrayOfTables { index += 1 }
                    skipBlanks()
                    try key(); skipBlanks()
                    guard current == UInt8(ascii: "]") else {
                        throw fail("expected '\(arrayOfTables ? "]]" : "]")' closing the \(arrayOfTables ? "[[section]]" : "[section]"), found \(describeCurrent())")
                    }
                    index += 1
                    if arrayOfTables {
                        guard current == UInt8(ascii: "]") else { throw fail("expected ']]' closing the [[section]], found \(describeCurrent())") }
                        index += 1
                    }
                    try endOfLine()
                case nil: return
                default:
                    try keyValue(); try endOfLine()
                }
            }
        }

        mutating func keyValue(depth: Int = 0) throws {
            try key(); skipBlanks()
            guard current == UInt8(ascii: "=") else { throw fail("expected '=' after the key, found \(describeCurrent())") }
            index += 1; skipBlanks()
            try value(depth: depth)
        }

        /// A key: bare or quoted parts joined by dots.
        mutating func key() throws {
            while true {
                if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") { try string() }
                else {
                    let start = index
                    while let c = current, isBareKeyByte(c) { index += 1 }
                    guard index > start else { throw fail("expected a key, found \(describeCurrent())") }
                }
                skipBlanks()
                guard current == UInt8(ascii: ".") else { return }
                index += 1; skipBlanks()
            }
        }

        func isBareKeyByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }

        /// A single-line basic or literal string; escapes are checked by the parser later.
        mutating func string() throws {
            let quote = current!
            index += 1
            if current == quote && index + 1 < bytes.count && bytes[index + 1] == quote {
                throw fail("multi-line strings are not used in theme or lecture files")
            }
            while let c = current {
                if c == quote { index += 1; return }
                if c == 0x0A || c == 0x0D { throw fail("string not closed on its line") }
                if (c < 0x20 && c != 0x09) || c == 0x7F { throw fail("control character in a string") }
                if quote == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") {
                    index += 1
                    guard let next = current, next != 0x0A, next != 0x0D else { throw fail("string not closed on its line") }
                }
                index += 1
            }
            throw fail("string not closed before end of file")
        }

        mutating func value(depth: Int) throws {
            guard depth < maximumNesting else { throw fail("nested deeper than \(maximumNesting) levels") }
            switch current {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): try string()
            case UInt8(ascii: "["):
                let openedOn = line
                index += 1
                try skipBlankLines()
                while current != UInt8(ascii: "]") {
                    guard current != nil else { throw Problem(line: openedOn, text: "array opened here is not closed") }
                    try value(depth: depth + 1)
                    try skipBlankLines()
                    if current == UInt8(ascii: ",") { index += 1; try skipBlankLines(); continue }
                    guard current == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array, found \(describeCurrent())") }
                }
                index += 1
            case UInt8(ascii: "{"):
                index += 1; skipBlanks()
                if current == UInt8(ascii: "}") { index += 1; return }
                while true {
                    try keyValue(depth: depth + 1); skipBlanks()
                    if current == UInt8(ascii: "}") { index += 1; return }
                    guard current == UInt8(ascii: ",") else { throw fail("expected ',' or '}' in an inline table, found \(describeCurrent())") }
                    index += 1; skipBlanks()
                }
            default:
                try scalar()
            }
        }

        /// true, false, a decimal integer or a decimal float (optional sign, fraction, exponent; no underscores).
        mutating func scalar() throws {
            let start = index
            while let c = current, isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") { index += 1 }
            let token = String(decoding: bytes[start..<index], as: UTF8.self)
            guard !token.isEmpty else { throw fail("expected a value, found \(describeCurrent())") }
            if token == "true" || token == "false" || isNumber(token) { return }
            throw fail("'\(token.prefix(20))' is not a value theme and lecture files use (strings, numbers, true/false, arrays, tables)")
        }

        func isNumber(_ token: String) -> Bool {
            var rest = Substring(token)
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            func digits(_ s: inout Substring) -> Bool {
                let count = s.prefix(while: { $0.isASCII && $0.isNumber }).count
                s = s.dropFirst(count)
                return count > 0
            }
            guard digits(&rest) else { return false }
            if rest.first == "." { rest = rest.dropFirst(); guard digits(&rest) else { return false } }
            if rest.first == "e" || rest.first == "E" {
                rest = rest.dropFirst()
                if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
                guard digits(&rest) else { return false }
            }
            return rest.isEmpty
        }
    }
}
