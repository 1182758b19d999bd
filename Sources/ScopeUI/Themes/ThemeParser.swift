// Parsing one theme file (TOML) into a ThemeSpec. Pure: bytes in, spec or located error out; never traps.
// Schema (Themes/README.md): top-level keys name, inherits, summary, assumed-background, assumed-foreground,
// series-glyphs, ramp-glyphs, and one key per role. A role is "#rrggbb" | 0-255 | "ansi-name" | "default"
// or an inline table { color, ansi16, ansi8, attrs = [..], mono = [..] }; series and ramp are arrays of those.
import Foundation
import Terminal
import TOMLKit

/// Reads theme files.
public enum ThemeParser {
    /// Largest theme file accepted, in bytes.
    public static let maximumFileBytes = TOMLDocument.maximumFileBytes
    /// Most series colours a theme may list.
    public static let maximumSeries = 16
    /// Most ramp colours a theme may list.
    public static let maximumRamp = 32

    /// Parses the bytes of a theme file; `file` names it in messages, its stem is the default theme name.
    public static func parse(bytes: [UInt8], file: String) -> Result<ThemeSpec, ThemeError> {
        TOMLDocument.text(bytes: bytes, file: file).flatMap { parse(text: $0, file: file) }
    }

    /// Parses theme-file text; `file` names it in messages, its stem is the default theme name.
    public static func parse(text rawText: String, file: String) -> Result<ThemeSpec, ThemeError> {
        let text: String
        switch TOMLDocument.checkedText(rawText, file: file) {
        case .success(let checked): text = checked
        case .failure(let error): return .failure(error)
        }
        // Names must survive as written: the TOML library cuts a string at an escaped NUL ("a\\u0000b" -> "a").
        if let line = linesOfControlEscapes(in: text).first(where: { ["name", "inherits"].contains(keyOnLine($0, of: text)) }) {
            return .failure(ThemeError(file: file, line: line, key: keyOnLine(line, of: text),
                                       problem: "control character escape (\\u0000-\\u001F, \\u007F-\\u009F) in a theme name"))
        }
        let table: TOMLTable
        switch TOMLDocument.table(text, file: file) {
        case .success(let parsed): table = parsed
        case .failure(let error): return .failure(error)
        }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var spec = ThemeSpec(name: stem, source: file)
        let keyLines = linesOfKeys(in: text)
        for key in table.keys { spec.lineOfKey[key] = keyLines[key] }
        func fail(_ key: String, _ problem: String, field: String? = nil) -> Result<ThemeSpec, ThemeError> {
            .failure(ThemeError(file: file, line: spec.lineOfKey[key], key: field.map { "\(key).\($0)" } ?? key,
                                problem: problem))
        }
        for key in table.keys.sorted(by: { (spec.lineOfKey[$0] ?? 0, $0) < (spec.lineOfKey[$1] ?? 0, $1) }) {
            guard let value = table[key] else { continue }
            switch key {
            case "name", "inherits", "summary":
                guard let string = value.string else { return fail(key, "must be a string, not \(value.type)") }
                guard string.count <= 200 else { return fail(key, "longer than 200 characters") }
                if key == "name" || key == "inherits" {
                    guard !string.isEmpty, string.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                        return fail(key, "'\(string)' is not a theme name (letters, digits, - _ .)")
                    }
                }
                if key == "name" { spec.name = string } else if key == "inherits" { spec.inherits = string }
                else { spec.summary = string }
            case "assumed-background", "assumed-foreground":
                guard let string = value.string else { return fail(key, "must be a \"#rrggbb\" string, not \(value.type)") }
                switch TerminalColor.parse(string) {
                case .success(let color):
                    guard let rgb = color.rgbValue else { return fail(key, "must be a real colour, not default") }
                    if key == "assumed-background" { spec.assumedBackground = rgb } else { spec.assumedForeground = rgb }
                case .failure(let error): return fail(key, error.description)
                }
            case "series", "ramp":
                guard let array = value.array else { return fail(key, "must be an array of colours, not \(value.type)") }
                let limit = key == "series" ? maximumSeries : maximumRamp
                guard (key == "series" ? 1 : 2)...limit ~= array.count else {
                    return fail(key, "needs \(key == "series" ? 1 : 2) to \(limit) colours, has \(array.count)")
                }
                var entries: [RoleSpec] = []
                for (index, element) in array.enumerated() {
                    switch roleSpec(element) {
                    case .success(let entry): entries.append(entry)
                    case .failure(let problem): return fail(key, problem.text, field: problem.field.map { "\(index).\($0)" } ?? "\(index)")
                    }
                }
                if key == "series" { spec.series = entries } else { spec.ramp = entries }
            case "series-glyphs", "ramp-glyphs", "series-glyphs-ascii", "ramp-glyphs-ascii":
                let ascii = key.hasSuffix("-ascii")
                guard let array = value.array, !array.isEmpty, array.count <= maximumRamp else {
                    return fail(key, "must be an array of 1 to \(maximumRamp) one-character strings")
                }
                var glyphs: [Character] = []
                for element in array {
                    guard let string = element.string, string.count == 1, let glyph = string.first,
                          !glyph.isNewline, glyph.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }),
                          !ascii || glyph.unicodeScalars.allSatisfy({ $0.value < 0x7F }) else {
                        return fail(key, ascii ? "must be an array of one-character printable ASCII strings"
                                               : "must be an array of one-character printable strings")
                    }
                    glyphs.append(glyph)
                }
                switch key {
                case "series-glyphs": spec.seriesGlyphs = glyphs
                case "ramp-glyphs": spec.rampGlyphs = glyphs
                case "series-glyphs-ascii": spec.asciiSeriesGlyphs = glyphs
                default: spec.asciiRampGlyphs = glyphs
                }
            default:
                guard let role = ThemeRole(key: key) else {
                    let known = ThemeRole.allCases.map(\.key) + ["series", "ramp"]
                    return fail(key, "unknown role (known: \(known.joined(separator: ", ")))")
                }
                switch roleSpec(value) {
                case .success(let entry): spec.roles[role] = entry
                case .failure(let problem): return fail(key, problem.text, field: problem.field)
                }
            }
        }
        return .success(spec)
    }

    /// A problem inside a role value: which sub-key, what is wrong.
    struct ValueProblem: Error { var field: String? = nil; var text: String }

    /// One role value: a colour (string or index) or an inline table.
    static func roleSpec(_ value: TOMLValueConvertible) -> Result<RoleSpec, ValueProblem> {
        if let table = value.table {
            var entry = RoleSpec(color: .default)
            guard table.keys.contains("color") else { return .failure(ValueProblem(field: nil, text: "table needs a 'color'")) }
            for key in table.keys {
                guard let element = table[key] else { continue }
                switch key {
                case "color", "ansi16", "ansi8":
                    switch color(element) {
                    case .success(let parsed):
                        if key == "color" { entry.color = parsed }
                        else if key == "ansi16" { entry.fallback.ansi16 = parsed } else { entry.fallback.ansi8 = parsed }
                    case .failure(let problem): return .failure(ValueProblem(field: key, text: problem.text))
                    }
                case "attrs", "mono":
                    switch attributes(element) {
                    case .success(let parsed):
                        if key == "attrs" { entry.attributes = parsed } else { entry.monochromeAttributes = parsed }
                    case .failure(let problem): return .failure(ValueProblem(field: key, text: problem.text))
                    }
                default:
                    return .failure(ValueProblem(field: key, text: "unknown field (known: color, ansi16, ansi8, attrs, mono)"))
                }
            }
            if let fallback = entry.fallback.ansi16, fallback.degraded(to: .ansi16) != fallback {
                return .failure(ValueProblem(field: "ansi16", text: "must be one of the 16 ANSI colours"))
            }
            if let fallback = entry.fallback.ansi8, fallback.degraded(to: .ansi8) != fallback {
                return .failure(ValueProblem(field: "ansi8", text: "must be one of the 8 normal ANSI colours"))
            }
            return .success(entry)
        }
        return color(value).map { RoleSpec(color: $0) }
    }

    /// A colour value: a string ("#rrggbb", a name, "default") or an integer 0-255.
    static func color(_ value: TOMLValueConvertible) -> Result<TerminalColor, ValueProblem> {
        if let string = value.string { return TerminalColor.parse(string).mapError { ValueProblem(text: $0.description) } }
        if let index = value.int { return TerminalColor.parse(index: index).mapError { ValueProblem(text: $0.description) } }
        return .failure(ValueProblem(text: "a colour must be a string or an integer 0-255, not \(value.type)"))
    }

    /// An attribute list: ["bold", "dim", "reverse", "underline"].
    static func attributes(_ value: TOMLValueConvertible) -> Result<TextAttributes, ValueProblem> {
        guard let array = value.array else { return .failure(ValueProblem(text: "must be an array like [\"bold\"], not \(value.type)")) }
        var result: TextAttributes = []
        for element in array {
            guard let name = element.string, let attribute = TextAttributes(name: name) else {
                return .failure(ValueProblem(text: "attributes are bold, dim, reverse, underline"))
            }
            result.formUnion(attribute)
        }
        return .success(result)
    }

    /// 1-based line of the first `key = ` line for every key written at the start of a line (TOMLDocument).
    static func linesOfKeys(in text: String) -> [String: Int] { TOMLDocument.linesOfKeys(in: text) }

    /// The bare key written at the start of a line, if the line looks like `key = ...` (TOMLDocument).
    static func keyOnLine(_ lineNumber: Int, of text: String) -> String? { TOMLDocument.keyOnLine(lineNumber, of: text) }
}

extension ThemeParser {
    /// The 1-based lines holding a `\uXXXX` or `\UXXXXXXXX` escape (an odd run of backslashes before it) that
    /// encodes a control character. The TOML library would cut the string at a NUL ("a\u0000b" loads as "a").
    static func linesOfControlEscapes(in text: String) -> [Int] {
        let bytes = Array(text.utf8)
        var lines: [Int] = []
        var line = 1, index = 0, backslashes = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == UInt8(ascii: "\\") { backslashes += 1; index += 1; continue }
            if backslashes % 2 == 1, byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") {
                let digits = byte == UInt8(ascii: "u") ? 4 : 8
                let hex = bytes[(index + 1)..<min(bytes.count, index + 1 + digits)]
                if hex.count == digits, let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16),
                   value < 0x20 || (0x7F...0x9F).contains(value), lines.last != line {
                    lines.append(line)
                }
            }
            backslashes = 0
            index += 1
        }
        return lines
    }
}
