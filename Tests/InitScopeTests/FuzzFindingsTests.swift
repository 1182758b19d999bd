// Regression tests for what `make fuzz` found in the command line (Fuzz/Sources/FlagsFuzzer): the one line a bad
// command line prints must not carry control characters from the input.
import ArgumentParser
import Testing
@testable import initscope

/// True when `text` has no control characters (C0 incl. newline, DEL, C1).
private func isPrintableLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

// FlagsFuzzer: `--activation` with carriage returns and invalid UTF-8 came back quoted raw.
@Test(arguments: [["--activation", "\u{FFFD}@3\r\r\r\u{FFFD}10"], ["--activation", "\u{1B}[2J"], ["--init", "xavier,\n"],
                  ["--init", ",\u{1B}]0;title\u{07}"]])
func scenarioFlagRefusalIsOnePrintableLine(arguments: [String]) throws {
    let flags = try ScenarioFlags.parse(arguments)
    #expect(throws: (any Error).self) { try flags.scenario(defaultActivation: .tanh) { $0 ?? [] } }
    do { _ = try flags.scenario(defaultActivation: .tanh) { $0 ?? [] } } catch {
        let line = InitScope.errorLine(for: error)
        #expect(isPrintableLine(line), "\(line.debugDescription)")
        #expect(line.contains("accepted"))
    }
}

// The same for ArgumentParser's own messages (a value that is not a number quotes the value).
@Test(arguments: [["report", "--depth", "\u{1B}[2J"], ["report", "--seed", "1\n2"], ["report", "--format", "\u{1B}c"]])
func parseErrorLineIsPrintable(arguments: [String]) {
    do {
        var command = try InitScope.parseAsRoot(arguments)
        try command.run()
        Issue.record("\(arguments) was accepted")
    } catch {
        let line = InitScope.errorLine(for: error)
        #expect(isPrintableLine(line), "\(line.debugDescription)")
        #expect(line.hasPrefix("initscope: "))
    }
}
