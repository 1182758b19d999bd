// Parsing theme colour strings: accepted spellings and one-line refusals.
import Testing
@testable import Terminal

@Suite struct ColorParsingTests {
    @Test func acceptedSpellings() throws {
        #expect(try TerminalColor.parse("#e0e0e0").get() == .rgb(0xE0, 0xE0, 0xE0))
        #expect(try TerminalColor.parse("#E0A0FF").get() == .rgb(0xE0, 0xA0, 0xFF))
        #expect(try TerminalColor.parse("#f80").get() == .rgb(0xFF, 0x88, 0x00))
        #expect(try TerminalColor.parse("123").get() == .indexed(123))
        #expect(try TerminalColor.parse("0").get() == .indexed(0))
        #expect(try TerminalColor.parse("red").get() == .ansi(1))
        #expect(try TerminalColor.parse("bright-red").get() == .ansi(9))
        #expect(try TerminalColor.parse("Bright_White").get() == .ansi(15))
        #expect(try TerminalColor.parse("brightblack").get() == .ansi(8))
        #expect(try TerminalColor.parse("grey").get() == .ansi(8))
        #expect(try TerminalColor.parse(" default ").get() == .default)
        #expect(try TerminalColor.parse(index: 255).get() == .indexed(255))
    }

    @Test(arguments: ["#12345g", "#1234", "#", "256", "1000", "-1", "purpleish", "", "bright-", "0x123456", "#ffffff00"])
    func refusals(text: String) {
        guard case .failure(let error) = TerminalColor.parse(text) else {
            Issue.record("'\(text)' parsed"); return
        }
        #expect(!error.description.isEmpty && !error.description.contains("\n"))
    }

    @Test func indexOutOfRangeIsRefused() {
        #expect((try? TerminalColor.parse(index: 256).get()) == nil)
        #expect((try? TerminalColor.parse(index: -3).get()) == nil)
        #expect((try? TerminalColor.parse(index: Int.max).get()) == nil)
    }

    @Test func spellingRoundTrips() throws {
        for color in [TerminalColor.default, .ansi(0), .ansi(9), .indexed(77), .rgb(1, 0xAB, 0xFF)] {
            #expect(try TerminalColor.parse(color.themeSpelling).get() == color)
        }
    }
}
