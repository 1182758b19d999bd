// The crash log is plain text: Swift's backtracer decides colour at process start, so what it writes into the log
// after a crash in the live view is cleaned of escapes and overwritten progress lines (CrashLogCleaner).
import Testing
@testable import Terminal

@Suite struct CrashLogCleanerTests {
    private func clean(_ text: String) -> String {
        String(decoding: CrashLogCleaner.cleaned(Array(text.utf8)), as: UTF8.self)
    }

    /// The head of a real crash log (SIGSEGV in the live view, 2026-12-01): colour, a progress line overwritten with
    /// CR ESC[0K, then the frames.
    @Test func theBacktracersColourAndProgressLineAreRemoved() {
        let raw = "\n💣 \u{1B}[91mProgram crashed: Signal 11: Backtracing from 0x7f7cbe51a26f...\u{1B}[0m\r\u{1B}[0K"
            + "💣 \u{1B}[91mProgram crashed: Bad pointer dereference at 0x0000000000007162\u{1B}[39m\n\n"
            + "Platform: \u{1B}[37mx86_64\u{1B}[39m \u{1B}[37mLinux\u{1B}[39m\n\n"
            + "  \u{1B}[90m0\u{1B}[39m \u{1B}[32m0x00007f7cbe51a26f\u{1B}[39m \u{1B}[96mpoll\u{1B}[39m\u{1B}[37m + 79\u{1B}[39m"
            + " in \u{1B}[36mlibc.so.6\u{1B}[39m\n"
        #expect(clean(raw) == "\n💣 Program crashed: Bad pointer dereference at 0x0000000000007162\n\nPlatform: x86_64 Linux\n\n"
                + "  0 0x00007f7cbe51a26f poll + 79 in libc.so.6\n")
    }

    @Test func plainTextIsKeptByteForByte() {
        let text = "Thread 0 \"initscope\" crashed:\n\tframe ✓ ünïcode\n\nlast line without newline"
        #expect(clean(text) == text)
    }

    @Test func crLfEndsALineAndABareCrRestartsIt() {
        #expect(clean("one\r\ntwo\r\n") == "one\ntwo\n")
        #expect(clean("10%\r50%\r100%\ndone") == "100%\ndone")
        #expect(clean("kept\nprogress\r") == "kept\nprogress")  // a CR at the end: the line stays as it was shown
    }

    @Test func everyKindOfEscapeAndControlByteIsDropped() {
        #expect(clean("a\u{1B}[1;38;5;196mb\u{1B}[?25lc") == "abc")         // CSI with parameters, private mode
        #expect(clean("a\u{1B}]0;title\u{07}b\u{1B}]8;;url\u{1B}\\c") == "abc") // OSC ended by BEL and by ST
        #expect(clean("a\u{1B}(Bb\u{1B}=c\u{1B}>d") == "abcd")                  // charset and keypad escapes
        #expect(clean("a\u{07}\u{08}\u{7F}b\u{00}c") == "abc")
        #expect(clean("broken \u{1B}[12\nnext") == "broken \nnext")             // a newline ends a broken sequence
    }

    /// In place: the output never runs ahead of the input, so writing over the file while reading it is safe.
    @Test func outputOffsetsNeverPassTheInputRead() {
        let raw = Array("x\u{1B}[31mred\u{1B}[0m\rover\r\nline\n\u{1B}]0;t\u{07}end\r".utf8)
        var cleaner = CrashLogCleaner()
        for (index, byte) in raw.enumerated() {
            cleaner.feed(byte) { offset, _ in #expect(offset <= index) }
        }
        cleaner.finish()
        #expect(cleaner.outputLength == "over\nline\nend".utf8.count)
    }
}
