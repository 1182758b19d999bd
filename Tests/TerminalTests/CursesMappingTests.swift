// Colour numbers and pairs as curses takes them (no terminal needed).
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
}
