// One line per theme for `initscope themes`: name, swatches (escape sequences or colour names), summary, source.
import Terminal

/// Renders the theme list.
public enum ThemeListing {
    /// Width of the name column, in characters.
    public static let nameWidth = 15

    /// One line for `theme`: with `escapes`, coloured swatches as a terminal of `depth` shows them; without,
    /// the colours spelled as a theme file writes them (degraded to `depth`). `selected` marks the active theme.
    public static func line(_ theme: Theme, depth: ColorDepth, escapes: Bool, selected: Bool = false) -> String {
        let shown = theme.resolved(for: depth)
        let marker = selected ? "* " : "  "
        let name = theme.name.count >= nameWidth ? theme.name + " " : theme.name.padding(toLength: nameWidth)
        let swatch = escapes ? escapeSwatch(shown) : namedSwatch(shown)
        let source = theme.source.printable(limit: 200)
        return marker + name.printable(limit: 60) + swatch + "  " + theme.summary.printable(limit: 200) + " (" + source + ")"
    }

    /// The status roles the swatch shows, in the legend's order.
    static let statusRoles: [ThemeRole] = [.healthy, .vanishing, .exploding, .saturated, .nonFinite]

    /// Sample text, accent, muted text, then a block per series, status colour and ramp step, in colour.
    static func escapeSwatch(_ theme: Theme) -> String {
        let glyphs = !theme.hasColor
        var out = AnsiEscape.styled(" Text ", theme.style(.text)) + AnsiEscape.styled("Accent", theme.style(.accent))
            + AnsiEscape.styled(" muted ", theme.style(.mutedText)) + AnsiEscape.styled(" sel ", theme.style(.selection))
            + AnsiEscape.styled(" ", theme.style(.background))
        for index in theme.series.indices {
            let mark = glyphs ? String(theme.seriesGlyph(index)) + " " : "██"
            out += AnsiEscape.styled(mark, theme.seriesStyle(index))
        }
        out += AnsiEscape.styled(" ", theme.style(.background))
        for role in ThemeListing.statusRoles {
            out += AnsiEscape.styled(glyphs ? role.statusGlyph : "●", theme.style(role))
        }
        out += AnsiEscape.styled(" ", theme.style(.background))
        for (index, color) in theme.ramp.enumerated() {
            let fraction = theme.ramp.count > 1 ? Double(index) / Double(theme.ramp.count - 1) : 0
            let mark = glyphs ? String(theme.rampGlyph(fraction: fraction)) : "█"
            out += AnsiEscape.styled(mark, Style(foreground: glyphs ? theme.text : color, background: theme.background))
        }
        return out
    }

    /// The same swatch as words: text/background, series and ramp colours.
    static func namedSwatch(_ theme: Theme) -> String {
        func spell(_ colors: [TerminalColor]) -> String { colors.map(\.themeSpelling).joined(separator: ",") }
        return "text=\(theme.text.themeSpelling) on \(theme.background.themeSpelling)"
            + " accent=\(theme.accent.themeSpelling) series=\(spell(theme.series)) ramp=\(spell(theme.ramp))"
    }
}

extension ThemeRole {
    /// A letter standing for a status role when there is no colour.
    var statusGlyph: String {
        switch self {
        case .healthy: return "h"
        case .vanishing: return "v"
        case .exploding: return "x"
        case .saturated: return "s"
        case .nonFinite: return "!"
        default: return "*"
        }
    }
}

private extension String {
    func padding(toLength length: Int) -> String { self + String(repeating: " ", count: Swift.max(0, length - count)) }
}
