// A theme as one file states it: every field optional until inheritance fills it in.
import Terminal

/// One role's entry in a theme file: its colour and optional fallbacks and attributes.
public struct RoleSpec: Equatable, Sendable {
    /// The colour (any depth).
    public var color: TerminalColor
    /// Explicit 16/8-colour replacements.
    public var fallback: ColorFallback
    /// Attributes at every depth (nil = none).
    public var attributes: TextAttributes?
    /// Attributes on monochrome terminals (nil = keep the inherited or standard ones).
    public var monochromeAttributes: TextAttributes?

    /// Creates a role entry.
    public init(color: TerminalColor, fallback: ColorFallback = ColorFallback(),
                attributes: TextAttributes? = nil, monochromeAttributes: TextAttributes? = nil) {
        self.color = color; self.fallback = fallback
        self.attributes = attributes; self.monochromeAttributes = monochromeAttributes
    }
}

/// The contents of one theme file, before inheritance.
public struct ThemeSpec: Equatable, Sendable {
    /// Theme name (the file name without .toml unless `name` says otherwise).
    public var name: String
    /// The file it came from.
    public var source: String
    /// Parent theme name, if any.
    public var inherits: String?
    /// What the theme is for.
    public var summary: String?
    /// Assumed terminal background for contrast checks.
    public var assumedBackground: RGBColor?
    /// Assumed terminal foreground for contrast checks.
    public var assumedForeground: RGBColor?
    /// Single-colour roles the file sets.
    public var roles: [ThemeRole: RoleSpec] = [:]
    /// Series colours, if the file sets them (replaces the whole list).
    public var series: [RoleSpec]?
    /// Ramp colours, if the file sets them (replaces the whole list).
    public var ramp: [RoleSpec]?
    /// Series marker glyphs, if set.
    public var seriesGlyphs: [Character]?
    /// Ramp density glyphs, if set.
    public var rampGlyphs: [Character]?
    /// ASCII series markers, if set.
    public var asciiSeriesGlyphs: [Character]?
    /// ASCII ramp density glyphs, if set.
    public var asciiRampGlyphs: [Character]?
    /// 1-based line of each top-level key, for messages found after parsing (inheritance).
    public var lineOfKey: [String: Int] = [:]

    /// Creates an empty spec.
    public init(name: String, source: String) { self.name = name; self.source = source }

    /// `base` with this file's entries laid over it; a role entry replaces colour, fallbacks and attributes,
    /// and replaces monochrome attributes only when it states them.
    public func applied(over base: Theme) -> Theme {
        var theme = base
        theme.name = name; theme.source = source; theme.inherits = inherits
        if let summary { theme.summary = summary }
        if let assumedBackground { theme.assumedBackground = assumedBackground }
        if let assumedForeground { theme.assumedForeground = assumedForeground }
        for (role, spec) in roles {
            theme.setColor(role, spec.color)
            theme.fallbacks[role] = spec.fallback == ColorFallback() ? nil : spec.fallback
            theme.attributes[role] = spec.attributes
            if let mono = spec.monochromeAttributes { theme.monochromeAttributes[role] = mono }
        }
        if let series {
            theme.series = series.map(\.color)
            theme.seriesFallbacks = series.map(\.fallback)
        }
        if let ramp {
            theme.ramp = ramp.map(\.color)
            theme.rampFallbacks = ramp.map(\.fallback)
        }
        if let seriesGlyphs { theme.seriesGlyphs = seriesGlyphs }
        if let rampGlyphs { theme.rampGlyphs = rampGlyphs }
        if let asciiSeriesGlyphs { theme.asciiSeriesGlyphs = asciiSeriesGlyphs }
        if let asciiRampGlyphs { theme.asciiRampGlyphs = asciiRampGlyphs }
        return theme
    }
}
