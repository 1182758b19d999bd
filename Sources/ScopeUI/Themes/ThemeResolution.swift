// A theme made concrete for one terminal: colours degraded to its depth, and styles by role for widgets.
import Terminal

extension Theme {
    /// The colour of a single-colour role.
    public func color(_ role: ThemeRole) -> TerminalColor {
        switch role {
        case .background: return background
        case .text: return text
        case .mutedText: return mutedText
        case .accent: return accent
        case .border: return border
        case .selection: return selection
        case .healthy: return healthy
        case .vanishing: return vanishing
        case .exploding: return exploding
        case .nonFinite: return nonFinite
        case .saturated: return saturated
        }
    }

    /// Sets the colour of a single-colour role.
    public mutating func setColor(_ role: ThemeRole, _ color: TerminalColor) {
        switch role {
        case .background: background = color
        case .text: text = color
        case .mutedText: mutedText = color
        case .accent: accent = color
        case .border: border = color
        case .selection: selection = color
        case .healthy: healthy = color
        case .vanishing: vanishing = color
        case .exploding: exploding = color
        case .nonFinite: nonFinite = color
        case .saturated: saturated = color
        }
    }

    /// This theme as a terminal of `depth` shows it: every colour degraded (explicit 16/8-colour fallbacks
    /// first); on monochrome every colour is `.default` and the monochrome attributes join the attributes.
    public func resolved(for depth: ColorDepth) -> Theme {
        var result = self
        for role in ThemeRole.allCases {
            result.setColor(role, (fallbacks[role] ?? ColorFallback()).resolve(color(role), at: depth))
        }
        result.series = series.enumerated().map { index, color in
            (index < seriesFallbacks.count ? seriesFallbacks[index] : ColorFallback()).resolve(color, at: depth)
        }
        result.ramp = ramp.enumerated().map { index, color in
            (index < rampFallbacks.count ? rampFallbacks[index] : ColorFallback()).resolve(color, at: depth)
        }
        if depth == .monochrome {
            for (role, extra) in monochromeAttributes { result.attributes[role, default: []].formUnion(extra) }
        }
        return result
    }

    /// Style of text drawn in `role` on the theme background; `.selection` is text on the selection colour.
    public func style(_ role: ThemeRole) -> Style {
        let base: Style
        switch role {
        case .background: base = Style(foreground: text, background: background)
        case .selection: base = Style(foreground: text, background: selection)
        default: base = Style(foreground: color(role), background: background)
        }
        return (attributes[role] ?? []).applied(to: base)
    }

    /// Colour of series `index` (cycled; `.default` when the theme has no series).
    public func seriesColor(_ index: Int) -> TerminalColor {
        series.isEmpty ? .default : series[((index % series.count) + series.count) % series.count]
    }

    /// Style of series `index` on the theme background.
    public func seriesStyle(_ index: Int) -> Style { Style(foreground: seriesColor(index), background: background) }

    /// Marker glyph of series `index` (cycled); `ascii` picks the ASCII set.
    public func seriesGlyph(_ index: Int, ascii: Bool = false) -> Character {
        let glyphs = ascii ? asciiSeriesGlyphs : seriesGlyphs
        return glyphs.isEmpty ? "*" : glyphs[((index % glyphs.count) + glyphs.count) % glyphs.count]
    }

    /// Ramp colour for a fraction 0...1 of the way from low to high (clamped, +inf = high; NaN = low).
    public func rampColor(fraction: Double) -> TerminalColor {
        guard !ramp.isEmpty else { return .default }
        return ramp[Theme.bucket(fraction, count: ramp.count)]
    }

    /// Ramp glyph for a fraction 0...1 (clamped; NaN = low), for monochrome heat maps; `ascii` picks the ASCII set.
    public func rampGlyph(fraction: Double, ascii: Bool = false) -> Character {
        let glyphs = ascii ? asciiRampGlyphs : rampGlyphs
        guard !glyphs.isEmpty else { return " " }
        return glyphs[Theme.bucket(fraction, count: glyphs.count)]
    }

    /// Index 0..<count for a fraction in 0...1; NaN and anything <= 0 go to 0, anything >= 1 (+inf too) to count - 1.
    static func bucket(_ fraction: Double, count: Int) -> Int {
        guard !fraction.isNaN, fraction > 0 else { return 0 }
        if fraction >= 1 { return count - 1 }
        return min(count - 1, Int(fraction * Double(count)))
    }

    /// The sRGB colour `role` shows, with `.default` resolved to the assumed terminal colours.
    public func assumedRGB(_ role: ThemeRole) -> RGBColor {
        role == .background || role == .selection && selection == .default
            ? color(role).rgbValue(defaultingTo: assumedBackground)
            : color(role).rgbValue(defaultingTo: assumedForeground)
    }
}

extension Theme {
    /// False when every role, series and ramp colour is `.default` (mono theme, or any theme on a monochrome
    /// terminal): widgets then tell things apart by attributes and glyphs.
    public var hasColor: Bool {
        ThemeRole.allCases.contains { color($0) != .default } || series.contains { $0 != .default }
            || ramp.contains { $0 != .default }
    }
}
