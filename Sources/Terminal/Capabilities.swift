// What the terminal can show: colour depth and glyph set, decided once at start-up.
// A pure function of (environment variables, terminfo numbers, command-line flags), so it is testable
// without a terminal. Precedence, highest first: --color never / NO_COLOR -> monochrome; --color always ->
// at least 8 colours; COLORTERM=truecolor|24bit -> truecolor; terminfo colours (tigetnum("colors") / COLORS);
// TERM fallbacks (vt100/vt102/vt220/dumb -> monochrome, linux -> 8 (16 with bold), *-256color -> 256).

/// The user's colour choice from `--color`.
public enum ColorChoice: String, CaseIterable, Sendable {
    /// Detect from the environment and terminfo.
    case auto
    /// Colour even where detection says none (at least 8 colours).
    case always
    /// No colour at all.
    case never
}

/// Everything the screen needs to know about the terminal it draws on.
public struct TerminalCapabilities: Equatable, Sendable {
    /// The richest colour depth to use.
    public var colorDepth: ColorDepth
    /// True when box-drawing and block characters can be shown (UTF-8 locale, no --ascii).
    public var unicode: Bool

    /// Creates capabilities directly (tests, MemoryScreen).
    public init(colorDepth: ColorDepth, unicode: Bool) { self.colorDepth = colorDepth; self.unicode = unicode }

    /// Decides the capabilities from the environment (`TERM`, `COLORTERM`, `NO_COLOR`), the number of colours
    /// terminfo reports (`terminfoColors`, nil or <= 0 when unknown), the locale's codeset (`localeCodeset`, e.g.
    /// "UTF-8" from nl_langinfo(CODESET) after setlocale(LC_ALL, "")) and the flags `--color` and `--ascii`.
    public static func detect(environment: [String: String], terminfoColors: Int?, localeCodeset: String?,
                              color: ColorChoice = .auto, asciiOnly: Bool = false) -> TerminalCapabilities {
        let unicode = !asciiOnly && isUTF8(localeCodeset)
        return TerminalCapabilities(colorDepth: colorDepth(environment: environment, terminfoColors: terminfoColors,
                                                           color: color),
                                    unicode: unicode)
    }

    /// The colour depth part of `detect`.
    public static func colorDepth(environment: [String: String], terminfoColors: Int?,
                                  color: ColorChoice) -> ColorDepth {
        if color == .never { return .monochrome }
        // NO_COLOR (https://no-color.org): present and not empty disables colour unless --color always.
        if color == .auto, let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let term = (environment["TERM"] ?? "").lowercased()
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        var depth: ColorDepth
        if term == "dumb" || term.isEmpty && terminfoColors == nil {
            depth = .monochrome
        } else if colorTerm == "truecolor" || colorTerm == "24bit" {
            depth = .truecolor
        } else if let colors = terminfoColors, colors > 0 {
            depth = depthFromCount(colors)
        } else {
            depth = depthFromTermName(term)
        }
        // Terminals whose names say they are monochrome stay so whatever terminfo guesses.
        if isMonochromeTermName(term) && colorTerm.isEmpty { depth = .monochrome }
        if color == .always && depth < .ansi8 { depth = .ansi8 }
        return depth
    }

    /// The depth that a terminfo colour count allows (>= 2^24 truecolor, >= 256, >= 16, >= 8, else none).
    public static func depthFromCount(_ colors: Int) -> ColorDepth {
        switch colors {
        case 16_777_216...: return .truecolor
        case 256...: return .indexed256
        case 16...: return .ansi16
        case 8...: return .ansi8
        default: return .monochrome
        }
    }

    /// A guess from the TERM name alone, for when terminfo says nothing.
    public static func depthFromTermName(_ term: String) -> ColorDepth {
        if term.hasSuffix("-direct") || term.contains("truecolor") { return .truecolor }
        if term.contains("256color") { return .indexed256 }
        if isMonochromeTermName(term) || term == "dumb" || term.isEmpty { return .monochrome }
        if term.hasPrefix("linux") { return .ansi8 }
        if term.hasPrefix("xterm") || term.hasPrefix("screen") || term.hasPrefix("tmux") || term.hasPrefix("rxvt") {
            return .ansi8
        }
        return .monochrome
    }

    /// True for the DEC terminals and friends that show no colour.
    public static func isMonochromeTermName(_ term: String) -> Bool {
        ["vt100", "vt102", "vt220", "vt52", "dumb", "ansi-mono", "xterm-mono"].contains(term)
            || term.hasPrefix("vt100-") || term.hasPrefix("vt220-")
    }

    /// True when the locale's codeset names UTF-8 ("UTF-8", "utf8").
    public static func isUTF8(_ codeset: String?) -> Bool {
        guard let codeset else { return false }
        let normalized = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return normalized == "utf8"
    }
}
