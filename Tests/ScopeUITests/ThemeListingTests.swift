// The `initscope themes` line: swatches as escapes at the terminal's depth, or colour names.
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeListingTests {
    @Test func namedSwatchSpellsTheColours() throws {
        let light = try #require(ThemeTestSupport.theme("light"))
        let line = ThemeListing.line(light, depth: .truecolor, escapes: false, selected: true)
        #expect(line.hasPrefix("* light          text=#1c1c1c on #ffffff accent=#005f87 series=#cc6699,#0000ff,"))
        #expect(line.hasSuffix("light background for projectors: dark text, dark colour-blind-aware series (\(light.source))"))
        #expect(!line.contains("\u{1B}"))
        let atSixteen = ThemeListing.line(light, depth: .ansi16, escapes: false)
        #expect(atSixteen.hasPrefix("  light          text=black on bright-white accent=blue series=bright-magenta,bright-blue,"))
    }

    @Test func escapeSwatchUsesTheDegradedColours() throws {
        let theme = try #require(ThemeTestSupport.theme("default"))
        let line = ThemeListing.line(theme, depth: .ansi16, escapes: true)
        #expect(line.contains("\u{1B}[0;37;49m Text \u{1B}[0m"))        // text -> white on the terminal's own
        #expect(line.contains("\u{1B}[0;93;49m██\u{1B}[0m"))            // series 0 -> bright yellow
        #expect(!line.contains("38;2;") && !line.contains("38;5;"))      // nothing richer than 16 colours
        let truecolor = ThemeListing.line(theme, depth: .truecolor, escapes: true)
        #expect(truecolor.contains("38;2;255;255;51"))                   // #ffff33
        // Every status role has its block, saturated (tanh, sigmoid; dead ReLU units) among them.
        for role in [ThemeRole.healthy, .vanishing, .exploding, .saturated, .nonFinite] {
            #expect(truecolor.contains(AnsiEscape.styled("●", theme.resolved(for: .truecolor).style(role))), "no \(role) block")
        }
    }

    @Test func monochromeSwatchUsesGlyphsAndAttributes() throws {
        let theme = try #require(ThemeTestSupport.theme("okabe-ito"))
        let line = ThemeListing.line(theme, depth: .monochrome, escapes: true)
        #expect(!line.contains("38;") && !line.contains("48;"))
        for code in Array(30...37) + Array(40...47) + Array(90...97) + Array(100...107) {
            #expect(!line.contains(";\(code);") && !line.contains(";\(code)m"), "colour code \(code) in mono")
        }
        for glyph in theme.seriesGlyphs.prefix(theme.series.count) { #expect(line.contains(glyph)) }
        #expect(line.contains("\u{1B}[0;1;7;39;49m!"))   // non-finite: bold reverse
        #expect(line.contains(AnsiEscape.styled("s", theme.resolved(for: .monochrome).style(.saturated))))  // saturated: its letter
        #expect(line.contains("░") && line.contains("█"))
    }
}

@Suite struct ThemeListingSafetyTests {
    @Test func summaryEscapesArePrintedAsQuestionMarks() throws {
        let spec = try ThemeParser.parse(text: "inherits = \"default\"\nsummary = \"a\\u001b[31mb\"\n", file: "/t/s.toml").get()
        let theme = try ThemeInheritance.resolve(spec, among: [:]).get()
        #expect(theme.summary.contains("\u{1B}"))
        let line = ThemeListing.line(theme, depth: .truecolor, escapes: false)
        #expect(line.hasSuffix("a?[31mb (/t/s.toml)"))
    }
}
