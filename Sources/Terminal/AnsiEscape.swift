// ANSI SGR escape sequences for a Style, for plain (non-curses) output such as `initscope themes` swatches.
// Colours must already be degraded to the terminal's depth; this file only spells them.

/// Builds SGR ("Select Graphic Rendition") escape sequences.
public enum AnsiEscape {
    /// Resets colours and attributes: ESC [ 0 m.
    public static let reset = "\u{1B}[0m"

    /// The SGR parameters that set `color` as foreground (`background == false`) or background.
    public static func parameters(_ color: TerminalColor, background: Bool) -> String {
        switch color {
        case .default: return background ? "49" : "39"
        case .ansi(let index):
            let i = Int(index % 16)
            return String(i < 8 ? (background ? 40 : 30) + i : (background ? 100 : 90) + i - 8)
        case .indexed(let index): return (background ? "48;5;" : "38;5;") + String(index)
        case .rgb(let r, let g, let b): return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
        }
    }

    /// ESC [ 0 ; attributes ; fg ; bg m for `style` (starts from a reset so styles never leak).
    public static func sequence(_ style: Style) -> String {
        var parts = ["0"]
        if style.bold { parts.append("1") }
        if style.dim { parts.append("2") }
        if style.underline { parts.append("4") }
        if style.reverse { parts.append("7") }
        parts.append(parameters(style.foreground, background: false))
        parts.append(parameters(style.background, background: true))
        return "\u{1B}[" + parts.joined(separator: ";") + "m"
    }

    /// `text` drawn in `style`, followed by a reset.
    public static func styled(_ text: String, _ style: Style) -> String { sequence(style) + text + reset }
}
