// Parsing colours as theme files write them: "#rrggbb", "#rgb", a 256-colour index, an ANSI name, "default".
import Foundation

/// Why a colour string was refused.
public struct ColorParseError: Error, Equatable, CustomStringConvertible {
    /// The text that did not parse.
    public var text: String
    /// One-line description of what is wrong.
    public var description: String
}

extension TerminalColor {
    /// Accepted ANSI names: black, red, green, yellow, blue, magenta, cyan, white, each optionally prefixed with
    /// "bright-" (also "bright_", "bright " or "bright"), plus "grey"/"gray" = bright-black.
    public static func ansiIndex(named name: String) -> UInt8? {
        var key = name.lowercased().trimmedOfBlanks()
        for separator in ["_", " "] { key = key.replacingOccurrences(of: separator, with: "-") }
        if key == "grey" || key == "gray" { return 8 }
        if key.hasPrefix("bright") && !key.hasPrefix("bright-") { key = "bright-" + key.dropFirst(6) }
        return XtermPalette.ansiNames.firstIndex(of: key).map(UInt8.init)
    }

    /// Parses "#rrggbb", "#rgb", "default", an ANSI name, or a decimal 0-255 (a 256-colour index).
    public static func parse(_ text: String) -> Result<TerminalColor, ColorParseError> {
        let trimmed = text.trimmedOfBlanks()
        if trimmed.lowercased() == "default" || trimmed.lowercased() == "none" { return .success(.default) }
        if trimmed.hasPrefix("#") {
            let digits = Array(trimmed.dropFirst())
            guard digits.count == 6 || digits.count == 3, digits.allSatisfy(\.isHexDigit),
                  let value = UInt32(String(digits), radix: 16) else {
                return .failure(ColorParseError(text: text, description: "'\(text)' is not a #rrggbb colour"))
            }
            if digits.count == 3 {
                let r = UInt8((value >> 8) & 0xF) * 17, g = UInt8((value >> 4) & 0xF) * 17, b = UInt8(value & 0xF) * 17
                return .success(.rgb(r, g, b))
            }
            let rgb = RGBColor(hex: value)
            return .success(.rgb(rgb.red, rgb.green, rgb.blue))
        }
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            guard trimmed.count <= 3, let index = Int(trimmed), index < 256 else {
                return .failure(ColorParseError(text: text, description: "colour index \(trimmed) is not in 0...255"))
            }
            return .success(.indexed(UInt8(index)))
        }
        if let index = ansiIndex(named: trimmed) { return .success(.ansi(index)) }
        return .failure(ColorParseError(text: text,
            description: "'\(text)' is not a colour (use #rrggbb, 0-255, an ANSI name like bright-red, or default)"))
    }

    /// A 256-colour index given as a number.
    public static func parse(index: Int) -> Result<TerminalColor, ColorParseError> {
        guard (0...255).contains(index) else {
            return .failure(ColorParseError(text: String(index), description: "colour index \(index) is not in 0...255"))
        }
        return .success(.indexed(UInt8(index)))
    }

    /// How a theme file would write this colour ("#rrggbb", "bright-red", "123", "default").
    public var themeSpelling: String {
        switch self {
        case .default: return "default"
        case .ansi(let index): return XtermPalette.ansiNames[Int(index % 16)]
        case .indexed(let index): return String(index)
        case .rgb(let r, let g, let b): return RGBColor(r, g, b).description
        }
    }
}

private extension String {
    func trimmedOfBlanks() -> String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
