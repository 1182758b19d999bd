// A theme names colours by role, not by widget; widgets ask for roles.
import Terminal

/// The colours of every role the screen uses.
public struct Theme: Equatable, Sendable {
    /// The theme's name ("default", "light").
    public var name: String
    /// Screen background; `.default` = the terminal's own.
    public var background: TerminalColor
    /// Ordinary text.
    public var text: TerminalColor
    /// Secondary text (axis labels, hints).
    public var mutedText: TerminalColor
    /// Headings and the focused element.
    public var accent: TerminalColor
    /// Panel borders.
    public var border: TerminalColor
    /// Background of the selected row or layer.
    public var selection: TerminalColor
    /// Initializer identity: one colour per initializer row, used in order (cycled when there are more), kept
    /// apart from the status colours (healthy, vanishing, exploding, non-finite, saturated) so a name is never
    /// read as a state.
    public var series: [TerminalColor]
    /// Variance within a healthy band.
    public var healthy: TerminalColor
    /// Variance vanishing with depth.
    public var vanishing: TerminalColor
    /// Variance exploding with depth.
    public var exploding: TerminalColor
    /// NaN or infinity present.
    public var nonFinite: TerminalColor
    /// Saturated (tanh, sigmoid) or dead (ReLU) units: a status colour apart from the other four.
    public var saturated: TerminalColor = .rgb(0xCC, 0x79, 0xA7)
    /// Ramp from low to high for heat maps and histogram bars.
    public var ramp: [TerminalColor]

    /// Where the theme came from: a file path, or "built-in".
    public var source: String = "built-in"
    /// The theme this one inherits from, as its file named it (nil = none).
    public var inherits: String? = nil
    /// One line saying what the theme is for.
    public var summary: String = ""
    /// The terminal background assumed when `background` is `.default` (contrast checks only).
    public var assumedBackground: RGBColor = RGBColor(0, 0, 0)
    /// The terminal foreground assumed when a role is `.default` (contrast checks only).
    public var assumedForeground: RGBColor = RGBColor(0xE5, 0xE5, 0xE5)
    /// Explicit 16- and 8-colour replacements by role, used instead of automatic degradation.
    public var fallbacks: [ThemeRole: ColorFallback] = [:]
    /// Explicit 16- and 8-colour replacements of the series colours, by position.
    public var seriesFallbacks: [ColorFallback] = []
    /// Explicit 16- and 8-colour replacements of the ramp colours, by position.
    public var rampFallbacks: [ColorFallback] = []
    /// Attributes added to a role at every depth.
    public var attributes: [ThemeRole: TextAttributes] = [:]
    /// Attributes added to a role on monochrome terminals, where colour is gone.
    public var monochromeAttributes: [ThemeRole: TextAttributes] = Theme.standardMonochromeAttributes
    /// One distinct marker glyph per series (legend, curve points), cycled like `series`.
    public var seriesGlyphs: [Character] = Theme.standardSeriesGlyphs
    /// Density glyphs from low to high for heat maps when colour is gone (monochrome).
    public var rampGlyphs: [Character] = Theme.standardRampGlyphs
    /// Series markers on ASCII-only terminals (`--ascii`, non-UTF-8 locale).
    public var asciiSeriesGlyphs: [Character] = Theme.standardASCIISeriesGlyphs
    /// Heat-map density glyphs on ASCII-only terminals.
    public var asciiRampGlyphs: [Character] = Theme.standardASCIIRampGlyphs

    /// Creates a theme from every role.
    public init(name: String, background: TerminalColor, text: TerminalColor, mutedText: TerminalColor,
                accent: TerminalColor, border: TerminalColor, selection: TerminalColor, series: [TerminalColor],
                healthy: TerminalColor, vanishing: TerminalColor, exploding: TerminalColor,
                nonFinite: TerminalColor, ramp: [TerminalColor]) {
        self.name = name; self.background = background; self.text = text; self.mutedText = mutedText
        self.accent = accent; self.border = border; self.selection = selection; self.series = series
        self.healthy = healthy; self.vanishing = vanishing; self.exploding = exploding
        self.nonFinite = nonFinite; self.ramp = ramp
    }

    /// The compiled-in dark theme, used when no theme file is found.
    public static let builtInDefault = Theme(
        name: "default", background: .default, text: .rgb(0xE0, 0xE0, 0xE0), mutedText: .rgb(0xA0, 0xA0, 0xA0),
        accent: .rgb(0x5F, 0xD7, 0xFF), border: .rgb(0x80, 0x80, 0x80), selection: .rgb(0x30, 0x30, 0x50),
        series: Theme.defaultIdentity,
        healthy: .rgb(0x00, 0x9E, 0x73), vanishing: .rgb(0x56, 0xB4, 0xE9), exploding: .rgb(0xE6, 0x9F, 0x00),
        nonFinite: .rgb(0xFF, 0x50, 0x50),
        ramp: [.rgb(0x44, 0x01, 0x54), .rgb(0x3B, 0x52, 0x8B), .rgb(0x21, 0x90, 0x8C), .rgb(0x5D, 0xC8, 0x63), .rgb(0xFD, 0xE7, 0x25)])
        .with {
            // Must match Themes/default.toml (ThemeBundledTests checks it).
            $0.summary = "dark terminals: light text, Okabe-Ito series, viridis ramp"
            $0.fallbacks = [
                .text: ColorFallback(ansi16: .ansi(7), ansi8: .ansi(7)),
                .mutedText: ColorFallback(ansi16: .ansi(7), ansi8: .ansi(7)),
                .accent: ColorFallback(ansi16: .ansi(14), ansi8: .ansi(6)),
                .border: ColorFallback(ansi16: .ansi(8), ansi8: .ansi(7)),
                .selection: ColorFallback(ansi16: .ansi(4), ansi8: .ansi(4)),
                .healthy: ColorFallback(ansi16: .ansi(2), ansi8: .ansi(2)),
                .vanishing: ColorFallback(ansi16: .ansi(14), ansi8: .ansi(6)),
                .exploding: ColorFallback(ansi16: .ansi(3), ansi8: .ansi(3)),
                .nonFinite: ColorFallback(ansi16: .ansi(9), ansi8: .ansi(1)),
                .saturated: ColorFallback(ansi16: .ansi(5), ansi8: .ansi(5)),
            ]
            $0.seriesFallbacks = [(11, 3), (13, 5), (12, 5), (10, 2), (1, 1), (15, 7)]
                .map { ColorFallback(ansi16: .ansi($0.0), ansi8: .ansi($0.1)) }
            $0.rampFallbacks = [(4, 4), (12, 4), (6, 6), (10, 2), (11, 3)]
                .map { ColorFallback(ansi16: .ansi($0.0), ansi8: .ansi($0.1)) }
            $0.attributes = [.nonFinite: .bold]
        }

    /// The default theme's initializer colours: yellow, pink, violet, mint, brick, periwinkle. Chosen apart from the
    /// status colours (CIEDE2000 >= 14 from each) and from each other under deuteranopia and protanopia.
    public static let defaultIdentity: [TerminalColor] = [
        .rgb(0xFF, 0xFF, 0x33), .rgb(0xFF, 0xCC, 0xFF), .rgb(0x99, 0x33, 0xFF), .rgb(0x66, 0xCC, 0x99),
        .rgb(0xCC, 0x33, 0x00), .rgb(0x99, 0x99, 0xFF),
    ]

    /// Monochrome attributes every theme starts from: roles stay distinct without colour.
    public static let standardMonochromeAttributes: [ThemeRole: TextAttributes] = [
        .mutedText: .dim, .accent: .bold, .border: .dim, .selection: .reverse,
        .vanishing: [.dim, .underline], .exploding: [.bold, .underline], .nonFinite: [.bold, .reverse], .healthy: [],
        .saturated: [.dim, .reverse],
    ]
    /// Distinct series markers: circle, triangle, square, diamond, cross, star (then cycled).
    public static let standardSeriesGlyphs: [Character] = ["●", "▲", "■", "◆", "✚", "★"]
    /// Heat-map density glyphs from empty to full.
    public static let standardRampGlyphs: [Character] = [" ", "░", "▒", "▓", "█"]
    /// ASCII series markers: o ^ # * + x.
    public static let standardASCIISeriesGlyphs: [Character] = ["o", "^", "#", "*", "+", "x"]
    /// ASCII density glyphs from empty to full.
    public static let standardASCIIRampGlyphs: [Character] = [" ", ".", ":", "*", "#"]

    /// A copy changed by `edit` (for building themes from others).
    public func with(_ edit: (inout Theme) -> Void) -> Theme {
        var copy = self
        edit(&copy)
        return copy
    }
}
