// Regression tests for what `make fuzz` found in SignalFlow's parsers (Fuzz/Sources/GrammarFuzzer); each input is
// the fuzzer's finding, minimised.
import Testing
@testable import SignalFlow

/// True when `text` has no control characters (C0 incl. newline, DEL, C1).
private func isPrintableLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

// GrammarFuzzer: an unknown name with control characters was quoted raw, so the one-line message was split by
// "\r" or "\n" (the command prints only its first line, losing the accepted names) or carried escape sequences.
@Test(arguments: ["lrch\u{03}\u{05}lrc\r\0", "\0\0\0\0\0\0", "x\ny", "\u{1B}[2Jnormal", "normal:\u{1B}[31m1", "lsuv:0.1:\u{9B}5"])
func initializerRefusalIsOnePrintableLine(text: String) {
    #expect(throws: InitializerParseError.self) { try Initializer.parse(text) }
    do { _ = try Initializer.parse(text) } catch {
        #expect(isPrintableLine("\(error)"), "\("\(error)".debugDescription)")
        #expect("\(error)".hasSuffix(Initializer.acceptedNames))
    }
}

@Test func printableTextReplacesControlCharactersAndCuts() {
    #expect(PrintableText.quoted("a\u{1B}[2J\nb\u{7F}\u{85}c") == "a?[2J?b??c")
    #expect(PrintableText.quoted("é✓") == "é✓")
    #expect(PrintableText.quoted(String(repeating: "x", count: 10), limit: 4) == "xxxx...")
}

// FlagsFuzzer (2026-11-30, the first run with coverage): an unknown activation name was quoted raw, so an escape
// sequence or a newline in --activation reached the one-line refusal (the command's printer replaced them, but
// every other reader of the message, such as the live view's status line, would not).
@Test(arguments: ["leaky-rel(\u{1B}rmaeln2", "tanh:\u{1B}[2J", "leaky-relu:\n1", "relu\u{9B}", "x\ry"])
func activationRefusalIsOnePrintableLine(text: String) {
    #expect(throws: ActivationParseError.self) { try Activation.parse(text) }
    do { _ = try Activation.parse(text) } catch {
        #expect(isPrintableLine("\(error)"), "\("\(error)".debugDescription)")
        #expect("\(error)".hasSuffix(Activation.acceptedNames))
    }
}
