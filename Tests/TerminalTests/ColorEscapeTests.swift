// SGR escape sequences for styles (used by `initscope themes` swatches).
import Testing
@testable import Terminal

@Suite struct ColorEscapeTests {
    @Test func colourParameters() {
        #expect(AnsiEscape.parameters(.default, background: false) == "39")
        #expect(AnsiEscape.parameters(.default, background: true) == "49")
        #expect(AnsiEscape.parameters(.ansi(1), background: false) == "31")
        #expect(AnsiEscape.parameters(.ansi(9), background: false) == "91")
        #expect(AnsiEscape.parameters(.ansi(4), background: true) == "44")
        #expect(AnsiEscape.parameters(.ansi(15), background: true) == "107")
        #expect(AnsiEscape.parameters(.indexed(196), background: false) == "38;5;196")
        #expect(AnsiEscape.parameters(.rgb(1, 2, 3), background: true) == "48;2;1;2;3")
    }

    @Test func sequenceStartsWithResetAndCarriesAttributes() {
        let style = Style(foreground: .ansi(2), background: .indexed(17), bold: true, reverse: true)
        #expect(AnsiEscape.sequence(style) == "\u{1B}[0;1;7;32;48;5;17m")
        #expect(AnsiEscape.styled("x", .plain) == "\u{1B}[0;39;49mx\u{1B}[0m")
    }
}
