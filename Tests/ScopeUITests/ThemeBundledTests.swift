// Every bundled theme loads, defines every role, and meets the contrast rules at every colour depth.
// Contrast: WCAG 2 relative luminance. Text and accent on background >= 4.5:1 (7:1 in high-contrast); text on
// the selection colour the same; muted text >= 3:1 (also on the selection colour) (4.5:1 in high-contrast); series and status colours >= 3:1
// (WCAG 1.4.11, graphical objects). `.default` is the theme's assumed-background / assumed-foreground.
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeBundledTests {
    static let required = ["default", "light", "high-contrast", "okabe-ito", "solarized-dark", "mono"]

    @Test func everyBundledThemeLoadsWithoutWarnings() throws {
        let loaded = ThemeTestSupport.bundled
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(Array(loaded.themes.map(\.name).prefix(Self.required.count)) == Self.required)
        for theme in loaded.themes {
            #expect(theme.source.hasSuffix("/Themes/\(theme.name).toml"), "\(theme.name) from \(theme.source)")
            #expect(!theme.summary.isEmpty, "\(theme.name) has no summary")
            #expect(theme.series.count >= 6, "\(theme.name) has \(theme.series.count) series")
            #expect(theme.ramp.count >= 2)
            #expect(theme.seriesGlyphs.count >= theme.series.count)
            #expect(Set(theme.seriesGlyphs).count == theme.seriesGlyphs.count, "\(theme.name) repeats a glyph")
            #expect(Set(theme.asciiSeriesGlyphs).count == theme.asciiSeriesGlyphs.count)
            #expect(theme.asciiSeriesGlyphs.count >= theme.series.count)
            #expect((theme.asciiSeriesGlyphs + theme.asciiRampGlyphs).allSatisfy { $0.isASCII })
        }
    }

    @Test func defaultFileMatchesTheCompiledInDefault() throws {
        var fromFile = try #require(ThemeTestSupport.theme("default"))
        fromFile.source = Theme.builtInDefault.source
        #expect(fromFile == Theme.builtInDefault)
    }

    @Test(arguments: required)
    func textContrastAtEveryDepth(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        let textMinimum = name == "high-contrast" ? 7.0 : 4.5
        let mutedMinimum = name == "high-contrast" ? 4.5 : 3.0
        for depth in ColorDepth.allCases {
            let text = ThemeTestSupport.contrast(theme, .text, at: depth)
            #expect(text >= textMinimum, "\(name) text at \(depth): \(text)")
            let accent = ThemeTestSupport.contrast(theme, .accent, at: depth)
            #expect(accent >= textMinimum, "\(name) accent at \(depth): \(accent)")
            let muted = ThemeTestSupport.contrast(theme, .mutedText, at: depth)
            #expect(muted >= mutedMinimum, "\(name) muted at \(depth): \(muted)")
            if depth != .monochrome {   // monochrome selection is reverse video
                let selected = ThemeTestSupport.contrast(theme, .text, over: .selection, at: depth)
                #expect(selected >= textMinimum, "\(name) text on selection at \(depth): \(selected)")
                // Muted labels also sit on the selected row.
                let mutedSelected = ThemeTestSupport.contrast(theme, .mutedText, over: .selection, at: depth)
                #expect(mutedSelected >= 3, "\(name) muted on selection at \(depth): \(mutedSelected)")
            }
        }
    }

    @Test(arguments: required)
    func seriesAndStatusColoursStandOutAtEveryDepth(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        for depth in ColorDepth.allCases {
            let shown = theme.resolved(for: depth)
            let background = shown.assumedRGB(.background)
            for role in [ThemeRole.healthy, .vanishing, .exploding, .nonFinite, .saturated] {
                let ratio = ColorSpace.contrastRatio(shown.assumedRGB(role), background)
                #expect(ratio >= 3, "\(name) \(role) at \(depth): \(ratio) \(shown.color(role)) on \(shown.background)")
            }
            for (index, color) in shown.series.enumerated() {
                let ratio = ColorSpace.contrastRatio(color.rgbValue(defaultingTo: theme.assumedForeground), background)
                #expect(ratio >= 3, "\(name) series \(index) at \(depth): \(ratio) \(color) on \(shown.background)")
            }
        }
    }

    /// Series stay apart: distinct colours at 16 colours and up, else distinct glyphs (always true, checked above).
    @Test(arguments: required)
    func seriesColoursAreDistinctDownTo16Colours(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        guard name != "mono" else {
            #expect(Set(theme.series).count == 1 && theme.series[0] == .default)
            return
        }
        for depth in [ColorDepth.truecolor, .indexed256, .ansi16] {
            let shown = theme.resolved(for: depth).series
            #expect(Set(shown).count == shown.count, "\(name) at \(depth): \(shown)")
        }
    }

    /// Ramps run monotonically in luminance (either direction) where the palette is rich enough to keep it.
    @Test(arguments: required.filter { $0 != "mono" })
    func rampIsMonotoneInLuminance(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        for depth in [ColorDepth.truecolor, .indexed256] {
            let luminance = theme.resolved(for: depth).ramp.map { $0.rgbValue(defaultingTo: theme.assumedBackground).relativeLuminance }
            let steps = zip(luminance, luminance.dropFirst()).map { $1 - $0 }
            #expect(steps.allSatisfy { $0 > 0 } || steps.allSatisfy { $0 < 0 }, "\(name) at \(depth): \(luminance) \(theme.resolved(for: depth).ramp)")
        }
    }

    @Test func monoThemeHasNoColourAndDistinctAttributes() throws {
        let mono = try #require(ThemeTestSupport.theme("mono"))
        for role in ThemeRole.allCases { #expect(mono.color(role) == .default, "\(role)") }
        #expect(mono.ramp.allSatisfy { $0 == .default })
        #expect(!mono.hasColor)
        let styles = [ThemeRole.text, .mutedText, .accent, .selection, .exploding, .nonFinite, .vanishing, .saturated].map(mono.style)
        #expect(Set(styles).count == styles.count, "two mono roles look the same: \(styles)")
    }

    @Test(arguments: required)
    func monochromeDepthKeepsRolesApart(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name)).resolved(for: .monochrome)
        #expect(!theme.hasColor)
        let roles = [ThemeRole.text, .mutedText, .accent, .selection, .exploding, .nonFinite]
        let styles = roles.map(theme.style)
        #expect(Set(styles).count == styles.count, "\(name): \(styles)")
    }

    @Test(arguments: required)
    func everyResolvedColourIsShowableAtItsDepth(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        for depth in ColorDepth.allCases {
            let shown = theme.resolved(for: depth)
            let colors = ThemeRole.allCases.map(shown.color) + shown.series + shown.ramp
            for color in colors { #expect(color.degraded(to: depth) == color, "\(name) \(color) at \(depth)") }
        }
    }
}

@Suite struct ThemeContrastTests {
    @Test(arguments: ThemeBundledTests.required)
    func bundledThemesHaveNoShortfalls(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        #expect(ThemeContrast.shortfalls(theme, high: name == "high-contrast").isEmpty)
    }

    @Test func lowContrastIsReported() throws {
        let spec = try ThemeParser.parse(text: "inherits = \"default\"\ntext = \"#404040\"\nhealthy = \"#202020\"\n", file: "/t/dim.toml").get()
        let theme = try ThemeInheritance.resolve(spec, among: [:]).get()
        let lines = ThemeContrast.shortfalls(theme)
        #expect(lines.first == "text 2.03:1 at truecolor (needs 4.50:1)")   // #404040: L = 0.0513 on the assumed #000000
        #expect(lines.contains { $0.hasPrefix("healthy ") })
        // #e0e0e0: L = 0.7455, (0.7455 + 0.05) / 0.05 = 15.91.
        #expect(ThemeContrast.summary(Theme.builtInDefault).hasPrefix("text/background truecolor 15.91:1, 256 "))
    }
}

/// Themes that keep the terminal's own background must read on the dark backgrounds terminals really ship, not
/// only on the assumed #000000: xterm black, 256-colour greys, VS Code, gruvbox, Tango, Ubuntu's aubergine.
@Suite struct ThemeRealBackgroundTests {
    static let darkBackgrounds: [UInt32] = [0x000000, 0x1C1C1C, 0x1E1E1E, 0x282828, 0x2E3436, 0x300A24]

    @Test(arguments: ["default", "okabe-ito"])
    func textReadsOnCommonDarkBackgrounds(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        #expect(theme.background == .default)
        for hex in Self.darkBackgrounds {
            let background = RGBColor(hex: hex)
            for depth in [ColorDepth.truecolor, .indexed256, .ansi16] {
                let shown = theme.resolved(for: depth)
                let text = ColorSpace.contrastRatio(shown.assumedRGB(.text), background)
                let muted = ColorSpace.contrastRatio(shown.assumedRGB(.mutedText), background)
                #expect(text >= 4.5, "\(name) text on \(background) at \(depth): \(text)")
                #expect(muted >= 3, "\(name) muted on \(background) at \(depth): \(muted)")
            }
        }
    }
}

@Suite struct ThemeResolutionTests {
    /// Resolving twice for the same depth changes nothing (callers may resolve an already resolved list).
    @Test(arguments: ThemeBundledTests.required)
    func resolutionIsIdempotent(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        for depth in ColorDepth.allCases {
            let once = theme.resolved(for: depth)
            #expect(once.resolved(for: depth) == once, "\(name) at \(depth)")
        }
    }

    /// Truecolor keeps the theme as written; lower depths keep names, summaries and glyphs.
    @Test func truecolorIsTheIdentityAndMetadataSurvives() throws {
        let theme = try #require(ThemeTestSupport.theme("okabe-ito"))
        #expect(theme.resolved(for: .truecolor) == theme)
        let mono = theme.resolved(for: .monochrome)
        #expect(mono.name == theme.name && mono.summary == theme.summary && mono.seriesGlyphs == theme.seriesGlyphs)
        #expect(mono.series.count == theme.series.count && mono.ramp.count == theme.ramp.count)
    }
}
