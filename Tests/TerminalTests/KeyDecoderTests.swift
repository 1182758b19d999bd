// The pure key decoder: byte streams with arrival times (ms), split anywhere, never produce keys that were not
// pressed. Timeouts used here: Escape after 100 ms, late tail window 2000 ms (the defaults).
import Testing
@testable import Terminal

@Suite struct KeyDecoderTests {
    /// Bytes of a string.
    func b(_ text: String) -> [UInt8] { Array(text.utf8) }
    /// Decodes chunks given as (ms, text).
    func keys(_ chunks: [(Int, String)]) -> [KeyPress] {
        KeyDecoder.decode(chunks.map { (milliseconds: $0.0, bytes: b($0.1)) })
    }

    @Test func printableControlAndUTF8Keys() {
        #expect(keys([(0, "xq ?+")]) == [.character("x"), .character("q"), .character(" "), .character("?"), .character("+")])
        #expect(keys([(0, "\t\r\n\u{7F}\u{08}\u{03}")]) == [.tab, .enter, .enter, .backspace, .backspace, .interrupt])
        // Ctrl-L, Ctrl-A: control keys (bound or ignored by the key map, never anything else).
        #expect(keys([(0, "\u{0C}\u{01}\u{1A}")]) == [.control("l"), .control("a"), .control("z")])
        // NUL, Ctrl-\ and friends decode to nothing.
        #expect(keys([(0, "\u{00}\u{1C}\u{1D}\u{1E}\u{1F}a")]) == [.character("a")])
        #expect(keys([(0, "\u{E9}\u{20AC}")]) == [.character("\u{E9}"), .character("\u{20AC}")])
        // A UTF-8 character split across reads is one key; invalid bytes are dropped.
        let euro = b("\u{20AC}")
        #expect(KeyDecoder.decode([(0, [euro[0]]), (5, Array(euro[1...]))]) == [.character("\u{20AC}")])
        #expect(KeyDecoder.decode([(0, [0xFF, 0x80, 0x61])]) == [.character("a")])
        #expect(KeyDecoder.decode([(0, [0xE2, 0x61])]) == [.character("a")])  // cut short by an ASCII byte
    }

    @Test func cursorAndFunctionKeysInEveryCommonSpelling() {
        let cases: [(String, KeyPress)] = [
            ("\u{1B}[A", .up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
            ("\u{1B}OA", .up), ("\u{1B}OB", .down), ("\u{1B}OC", .right), ("\u{1B}OD", .left),
            ("\u{1B}[H", .home), ("\u{1B}[F", .end), ("\u{1B}OH", .home), ("\u{1B}OF", .end),
            ("\u{1B}[1~", .home), ("\u{1B}[7~", .home), ("\u{1B}[4~", .end), ("\u{1B}[8~", .end),
            ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[Z", .backTab),
            ("\u{1B}OP", .function(1)), ("\u{1B}[11~", .function(1)), ("\u{1B}[[A", .function(1)),
            ("\u{1B}[15~", .function(5)), ("\u{1B}[17~", .function(6)), ("\u{1B}[24~", .function(12)),
            ("\u{1B}[1;5A", .up), ("\u{1B}OM", .enter),
        ]
        for (sequence, key) in cases {
            #expect(keys([(0, sequence + "x")]) == [key, .character("x")], "\(Array(sequence.utf8))")
        }
    }

    @Test func unknownSequencesAndAltKeysAreDroppedWhole() {
        // Alt-A (ESC A), Alt-a, Alt-Backspace, Alt-e-acute, Insert/Delete, focus report, SGR mouse, private modes.
        for sequence in ["\u{1B}A", "\u{1B}a", "\u{1B}\u{7F}", "\u{1B}\u{E9}", "\u{1B}[2~", "\u{1B}[3~", "\u{1B}[I",
                         "\u{1B}[<0;12;5M", "\u{1B}[?1;2c", "\u{1B}[200~", "\u{1B}Ox", "\u{1B}[[Z"] {
            #expect(keys([(0, sequence + "h")]) == [.character("h")], "\(Array(sequence.utf8))")
        }
        // Three Alt-A in one read, or one per read.
        #expect(keys([(0, "\u{1B}A\u{1B}A\u{1B}A")]).isEmpty)
        #expect(keys([(0, "\u{1B}A"), (300, "\u{1B}A"), (600, "\u{1B}A")]).isEmpty)
        // A control byte inside a CSI breaks it: the sequence goes, the byte is read.
        #expect(keys([(0, "\u{1B}[1\u{0C}")]) == [.control("l")])
        // A runaway sequence longer than the limit is dropped, what follows is read.
        let long = "\u{1B}[" + String(repeating: "1", count: 100)
        #expect(keys([(0, long), (10, "\u{0C}q")]) == [.control("l"), .character("q")])
    }

    @Test func loneEscapeIsEscapeAfterItsTimeoutOnly() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(b("\u{1B}"), atMilliseconds: 1000).isEmpty)
        #expect(decoder.deadlineMilliseconds == 1100)
        #expect(decoder.expire(atMilliseconds: 1099).isEmpty)
        #expect(decoder.expire(atMilliseconds: 1100) == [.escape])
        #expect(!decoder.hasPendingBytes)
        // ESC ESC: the first is Escape at once.
        #expect(keys([(0, "\u{1B}\u{1B}[A")]) == [.escape, .up])
    }

    @Test func arrowSplitAfterItsEscapeIsStillTheArrowAtAnyGapWithinTheWindow() {
        // 30 ms: within the escape timeout, one sequence.
        #expect(keys([(0, "\u{1B}"), (30, "[A")]) == [.up])
        // 200 ms and 1000 ms: the Escape key first (it only closes the help), then the arrow, never '[' and 'A'.
        #expect(keys([(0, "\u{1B}"), (200, "[A")]) == [.escape, .up])
        #expect(keys([(0, "\u{1B}"), (1000, "[A")]) == [.escape, .up])
        #expect(keys([(0, "\u{1B}"), (1999, "OB")]) == [.escape, .down])
        // Split in two places: ESC | [ | A, each gap within the timeouts.
        #expect(keys([(0, "\u{1B}"), (500, "["), (550, "A")]) == [.escape, .up])
        // Split after the '[': the partial sequence waits for the rest, even a second later.
        #expect(keys([(0, "\u{1B}["), (1000, "A")]) == [.up])
        #expect(keys([(0, "\u{1B}[1;"), (300, "5"), (900, "C")]) == [.right])
        // Three split Up keys in a row at 1 s gaps.
        #expect(keys([(0, "\u{1B}"), (1000, "[A\u{1B}"), (2000, "[A\u{1B}"), (3000, "[A")])
                == [.escape, .up, .escape, .up, .escape, .up])
    }

    @Test func keysTypedAfterEscapeStayThemselves() {
        // '[' typed by hand after Esc: the same key, one escape timeout later.
        #expect(keys([(0, "\u{1B}"), (500, "[")]) == [.escape, .character("[")])
        var decoder = KeyDecoder()
        _ = decoder.feed(b("\u{1B}"), atMilliseconds: 0)
        #expect(decoder.expire(atMilliseconds: 100) == [.escape])
        #expect(decoder.feed(b("["), atMilliseconds: 500).isEmpty)
        #expect(decoder.deadlineMilliseconds == 600)
        #expect(decoder.expire(atMilliseconds: 600) == [.character("[")])
        // Other keys after Esc are read at once; they close the window, so a later '[' is itself at once.
        #expect(keys([(0, "\u{1B}"), (300, "x["), (400, "A")]) == [.escape, .character("x"), .character("["), .character("A")])
        // An Alt key split after its ESC cannot be told from Esc then the key: it is that key.
        #expect(keys([(0, "\u{1B}"), (300, "A")]) == [.escape, .character("A")])
        // After the window, '[' and 'A' are keys again.
        #expect(keys([(0, "\u{1B}"), (2500, "[A")]) == [.escape, .character("["), .character("A")])
        // A late tail that is not a complete sequence in time is dropped (not read as the keys it spells).
        #expect(keys([(0, "\u{1B}"), (500, "[1;"), (700, "q")]) == [.escape, .character("q")])
    }

    @Test func splittingAnyStreamAnywhereNeverAddsKeysOrEscape() {
        // Every byte boundary of a stream of keys, split at 30, 200 and 1000 ms: no key other than those pressed
        // and Escape, and the printable keys keep their order; a split inside a sequence never yields '[' or 'A'.
        let stream = b("j\u{1B}[Ak\u{1B}OB\u{1B}[5~x\u{0C}\u{1B}[1;5D\u{01}y")
        let whole = KeyDecoder.decode([(0, stream)])
        #expect(whole == [.character("j"), .up, .character("k"), .down, .pageUp, .character("x"), .control("l"),
                          .left, .control("a"), .character("y")])
        for cut in 1..<stream.count {
            for gap in [30, 200, 1000] {
                let decoded = KeyDecoder.decode([(0, Array(stream[..<cut])), (gap, Array(stream[cut...]))])
                let withoutEscape = decoded.filter { $0 != .escape }
                #expect(withoutEscape == whole, "cut \(cut) gap \(gap): \(decoded)")
            }
        }
    }
}
