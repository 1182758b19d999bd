// Colour numbers and pairs as curses takes them, and key decoding from get_wch values (no terminal needed).
import Testing
@testable import Terminal

@Suite struct CursesMappingTests {
    @Test func colourNumbersPerDepth() {
        #expect(CursesColorMapping.colorNumber(for: .default, depth: .indexed256, directColor: false) == -1)
        #expect(CursesColorMapping.colorNumber(for: .ansi(9), depth: .ansi16, directColor: false) == 9)
        #expect(CursesColorMapping.colorNumber(for: .ansi(9), depth: .ansi8, directColor: false) == 1)
        #expect(CursesColorMapping.colorNumber(for: .indexed(196), depth: .indexed256, directColor: false) == 196)
        #expect(CursesColorMapping.colorNumber(for: .rgb(255, 0, 0), depth: .monochrome, directColor: false) == -1)
        // Pure cube colours map to their own index: (255, 0, 0) is 16 + 36 * 5 = 196; (0, 0, 0) is 16.
        #expect(CursesColorMapping.colorNumber(for: .rgb(255, 0, 0), depth: .indexed256, directColor: false) == 196)
        #expect(CursesColorMapping.colorNumber(for: .rgb(0, 0, 0), depth: .indexed256, directColor: false) == 16)
        // Direct colour: r << 16 | g << 8 | b, with the ANSI range 0-7 avoided.
        #expect(CursesColorMapping.colorNumber(for: .rgb(0x12, 0x34, 0x56), depth: .truecolor, directColor: true) == 0x123456)
        #expect(CursesColorMapping.colorNumber(for: .rgb(0, 0, 3), depth: .truecolor, directColor: true) == 8)
        #expect(CursesColorMapping.colorNumber(for: .ansi(3), depth: .truecolor, directColor: true) == 3)
        #expect(CursesColorMapping.colorNumber(for: .indexed(196), depth: .truecolor, directColor: true) == 0xFF0000)
    }

    @Test func pairsAreAllocatedOnceAndDefaultIsPairZero() {
        var table = ColorPairTable(capacity: 3)
        #expect(table.pair(foreground: -1, background: -1) == (0, false))
        #expect(table.pair(foreground: 1, background: -1) == (1, true))
        #expect(table.pair(foreground: 1, background: -1) == (1, false))
        #expect(table.pair(foreground: 2, background: 0) == (2, true))
        #expect(table.pair(foreground: 3, background: 0) == (0, false))  // full: fall back to default colours
        #expect(table.count == 2)
    }

    @Test func keyDecoding() {
        // ncurses key codes (curses.h, octal): KEY_DOWN 0402, KEY_UP 0403, KEY_LEFT 0404, KEY_RIGHT 0405,
        // KEY_HOME 0406, KEY_F0 0410, KEY_NPAGE 0522, KEY_PPAGE 0523, KEY_BTAB 0541, KEY_END 0550.
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o403) == .up)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o402) == .down)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o404) == .left)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o405) == .right)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o406) == .home)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o550) == .end)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o523) == .pageUp)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o522) == .pageDown)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o541) == .backTab)
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o410 + 1) == .function(1))
        #expect(CursesScreen.decodeKey(isKeyCode: true, value: 0o410 + 12) == .function(12))
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 113) == .character("q"))
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 32) == .character(" "))
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 9) == .tab)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 13) == .enter)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 27) == .escape)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 127) == .backspace)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 3) == .interrupt)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 1) == nil)
        #expect(CursesScreen.decodeKey(isKeyCode: false, value: 0xE9) == .character("\u{E9}"))
    }
}

@Suite struct EscapeSequenceTests {
    func chars(_ text: String) -> [(isKeyCode: Bool, value: UInt32)] { text.unicodeScalars.map { (false, $0.value) } }
    func values(_ batch: [(isKeyCode: Bool, value: UInt32)]) -> [UInt32] { batch.map(\.value) }

    @Test func unknownSequencesAreDroppedWholeAndLoneEscapeStays() {
        // ESC [ 4 ~ (End as tmux sends it, unknown to some terminfo entries) then 'h'.
        #expect(values(CursesScreen.droppingUnknownEscapeSequences(chars("\u{1B}[4~h"))) == [104])
        // ESC [ 1 ; 5 C (Ctrl-Right) then 'q'.
        #expect(values(CursesScreen.droppingUnknownEscapeSequences(chars("\u{1B}[1;5Cq"))) == [113])
        // ESC O P (F1 in SS3 form), Alt-x.
        #expect(values(CursesScreen.droppingUnknownEscapeSequences(chars("a\u{1B}OPb\u{1B}x"))) == [97, 98])
        // A lone Escape at the end of the batch is the Escape key.
        #expect(values(CursesScreen.droppingUnknownEscapeSequences(chars("a\u{1B}"))) == [97, 27])
        // Key codes are never part of a sequence.
        let mixed: [(isKeyCode: Bool, value: UInt32)] = [(false, 27), (true, 0o403)]
        #expect(CursesScreen.droppingUnknownEscapeSequences(mixed).count == 2)
    }
}
