// Capability detection: a pure function of environment, terminfo colour count, locale codeset and flags.
import Testing
@testable import Terminal

@Suite struct CapabilitiesTests {
    func depth(_ environment: [String: String], colors: Int?, _ choice: ColorChoice = .auto) -> ColorDepth {
        TerminalCapabilities.detect(environment: environment, terminfoColors: colors, localeCodeset: "UTF-8",
                                    color: choice).colorDepth
    }

    @Test func terminfoCountDecidesWhenNoColortermIsSet() {
        #expect(depth(["TERM": "xterm-256color"], colors: 256) == .indexed256)
        #expect(depth(["TERM": "xterm"], colors: 8) == .ansi8)
        #expect(depth(["TERM": "screen"], colors: 8) == .ansi8)
        #expect(depth(["TERM": "linux"], colors: 8) == .ansi8)
        #expect(depth(["TERM": "xterm-16color"], colors: 16) == .ansi16)
        #expect(depth(["TERM": "xterm-direct"], colors: 16_777_216) == .truecolor)
    }

    @Test func colortermTruecolorOr24bitWins() {
        #expect(depth(["TERM": "xterm-256color", "COLORTERM": "truecolor"], colors: 256) == .truecolor)
        #expect(depth(["TERM": "xterm-256color", "COLORTERM": "24bit"], colors: 256) == .truecolor)
        #expect(depth(["TERM": "xterm-256color", "COLORTERM": "yes"], colors: 256) == .indexed256)
    }

    @Test func vt100AndDumbAreMonochromeEvenWhenTerminfoGuessesColour() {
        #expect(depth(["TERM": "vt100"], colors: nil) == .monochrome)
        #expect(depth(["TERM": "vt100"], colors: 8) == .monochrome)
        #expect(depth(["TERM": "vt220"], colors: -1) == .monochrome)
        #expect(depth(["TERM": "dumb"], colors: 8) == .monochrome)
    }

    @Test func noColorAndNeverDisableColourAlwaysForcesAtLeastEight() {
        #expect(depth(["TERM": "xterm-256color", "NO_COLOR": "1"], colors: 256) == .monochrome)
        #expect(depth(["TERM": "xterm-256color", "NO_COLOR": ""], colors: 256) == .indexed256)  // empty = unset
        #expect(depth(["TERM": "xterm-256color", "COLORTERM": "truecolor"], colors: 256, .never) == .monochrome)
        #expect(depth(["TERM": "xterm-256color", "NO_COLOR": "1"], colors: 256, .always) == .indexed256)
        #expect(depth(["TERM": "vt100"], colors: nil, .always) == .ansi8)
    }

    @Test func termNameGuessWhenTerminfoIsSilent() {
        #expect(depth(["TERM": "xterm-256color"], colors: nil) == .indexed256)
        #expect(depth(["TERM": "linux"], colors: nil) == .ansi8)
        #expect(depth(["TERM": "foo"], colors: nil) == .monochrome)
        #expect(depth([:], colors: nil) == .monochrome)
    }

    @Test func depthFromCountThresholds() {
        #expect(TerminalCapabilities.depthFromCount(0) == .monochrome)
        #expect(TerminalCapabilities.depthFromCount(2) == .monochrome)
        #expect(TerminalCapabilities.depthFromCount(8) == .ansi8)
        #expect(TerminalCapabilities.depthFromCount(15) == .ansi8)
        #expect(TerminalCapabilities.depthFromCount(88) == .ansi16)
        #expect(TerminalCapabilities.depthFromCount(256) == .indexed256)
        #expect(TerminalCapabilities.depthFromCount(1 << 24) == .truecolor)
    }

    @Test func unicodeFollowsTheLocaleCodesetAndAsciiFlag() {
        func unicode(_ codeset: String?, ascii: Bool = false) -> Bool {
            TerminalCapabilities.detect(environment: ["TERM": "xterm"], terminfoColors: 8, localeCodeset: codeset,
                                        asciiOnly: ascii).unicode
        }
        #expect(unicode("UTF-8"))
        #expect(unicode("utf8"))
        #expect(!unicode("ANSI_X3.4-1968"))  // LANG=C
        #expect(!unicode("ISO-8859-1"))
        #expect(!unicode(nil))
        #expect(!unicode("UTF-8", ascii: true))
    }
}
