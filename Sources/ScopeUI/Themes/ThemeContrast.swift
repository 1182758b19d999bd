// WCAG 2 contrast of a theme's roles at each colour depth, for `initscope themes --check` and the tests' rules.
import Terminal

/// Contrast figures of one theme.
public enum ThemeContrast {
    /// Short depth names for messages.
    public static func label(_ depth: ColorDepth) -> String {
        switch depth {
        case .truecolor: return "truecolor"
        case .indexed256: return "256"
        case .ansi16: return "16"
        case .ansi8: return "8"
        case .monochrome: return "mono"
        }
    }

    /// Contrast of `role` on the background (text on the selection colour for `.selection`) at `depth`,
    /// `.default` taken as the theme's assumed colours.
    public static func ratio(_ theme: Theme, _ role: ThemeRole, at depth: ColorDepth) -> Double {
        let shown = theme.resolved(for: depth)
        switch role {
        case .selection: return ColorSpace.contrastRatio(shown.assumedRGB(.text), shown.assumedRGB(.selection))
        case .background: return ColorSpace.contrastRatio(shown.assumedRGB(.text), shown.assumedRGB(.background))
        default: return ColorSpace.contrastRatio(shown.assumedRGB(role), shown.assumedRGB(.background))
        }
    }

    /// The minimum each role should reach: text and accent 4.5:1 (7:1 when `high`), muted 3:1 (4.5:1),
    /// graphical roles 3:1 (WCAG 1.4.11); border has none.
    public static func minimum(_ role: ThemeRole, high: Bool) -> Double? {
        switch role {
        case .text, .accent, .selection, .background: return high ? 7 : 4.5
        case .mutedText: return high ? 4.5 : 3
        case .healthy, .vanishing, .exploding, .nonFinite, .saturated: return 3
        case .border: return nil
        }
    }

    /// One line per shortfall: "text 3.20:1 at 16 colours (needs 4.5:1)"; empty when the theme meets every rule.
    /// Selection is not checked in monochrome, where it is reverse video.
    public static func shortfalls(_ theme: Theme, high: Bool = false) -> [String] {
        var lines: [String] = []
        for depth in ColorDepth.allCases.reversed() {
            for role in ThemeRole.allCases where role != .background {
                guard let needed = minimum(role, high: high), !(role == .selection && depth == .monochrome) else { continue }
                let value = ratio(theme, role, at: depth)
                if value < needed {
                    lines.append("\(role.key) \(format(value)):1 at \(label(depth)) (needs \(format(needed)):1)")
                }
            }
        }
        return lines
    }

    /// "17.04" - two decimals.
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// "text/background: truecolor 17.04, 256 17.04, 16 21.00, 8 16.67, mono 16.67".
    public static func summary(_ theme: Theme) -> String {
        "text/background " + ColorDepth.allCases.reversed()
            .map { "\(label($0)) \(format(ratio(theme, .text, at: $0))):1" }.joined(separator: ", ")
    }
}
