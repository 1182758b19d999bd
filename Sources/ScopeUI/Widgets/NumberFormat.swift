// Short, fixed-width friendly renderings of numbers for cells and labels.
import Foundation

/// Number formatting shared by every widget.
public enum NumberFormat {
    /// A value in at most 8 characters: "0", "0.500", "0.0115", "12.3", "8.9e-16", "-8.9e-16", "nan", "inf".
    /// Magnitudes in [0.01, 1000) are fixed-point with 3 significant digits, others scientific with 2.
    public static func compact(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 0.01 && magnitude < 1000 {
            let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4
            let text = String(format: "%.\(decimals)f", value)
            // Rounding may reach the next decade (999.6 -> "1000"): fall through to scientific then.
            if text.count <= 7 { return text }
        }
        return scientific(value, digits: 1)
    }

    /// Scientific notation with `digits` decimals and a two-digit signed exponent: "8.9e-16", "1e+15".
    public static func scientific(_ value: Double, digits: Int) -> String {
        if !value.isFinite { return compact(value) }
        return String(format: "%.\(max(0, digits))e", value)
    }

    /// `compact(value)` in at most `maxWidth` characters: drops the exponent's leading zero ("-6.5e-3"),
    /// then the mantissa's decimals ("-9e-16"), then cuts, so table columns never run into each other.
    public static func compact(_ value: Double, maxWidth: Int) -> String {
        let text = compact(value)
        if text.count <= maxWidth { return text }
        let trimmed = text.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
        if trimmed.count <= maxWidth { return trimmed }
        let short = scientific(value, digits: 0)
        return short.count <= maxWidth ? short : String(short.prefix(max(0, maxWidth)))
    }

    /// A power of ten as a label: "1e-15", "1e+00", "1e+15".
    public static func powerOfTen(_ exponent: Int) -> String {
        let sign = exponent < 0 ? "-" : "+"
        let digits = String(abs(exponent))
        return "1e" + sign + (digits.count < 2 ? "0" + digits : digits)
    }

    /// A fraction as a percentage with one decimal: "12.5%"; "-" when not finite.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return String(format: "%.1f%%", fraction * 100)
    }

    /// `text` padded on the left to `width` (never truncated).
    public static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` padded on the right to `width`, or cut to `width` when longer.
    public static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        if text.count > width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - text.count)
    }
}
