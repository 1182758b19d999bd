// Findings of Fuzz/Sources/LectureFuzzer (make fuzz), kept as regression tests.
import Testing
@testable import ScopeUI

@Suite struct LectureFuzzFindingsTests {
    /// crash-5e2eaba8 (2026-12-01, after 28,319 executions of the 2nd run): a caption with a "\r" escape was accepted, so the
    /// filled caption (and --print-scenes) carried a carriage return. Refused now, naming the caption's line.
    @Test func aCaptionWithAControlCharacterIsRefusedNamingItsLine() {
        let text = "title = \"t\"\n\n[[scene]]\ntitle = \"a\"\ncaption = \"Layer\\r {layer} h.\"\ndepth = 3\nwidth = 4\nbatch = 2\n"
        guard case .failure(let error) = LectureParser.parse(bytes: Array(text.utf8), file: "f.toml") else {
            Issue.record("a caption with a carriage return was accepted"); return
        }
        #expect(error.description.contains("f.toml:5 caption"))
        #expect(error.description.contains("control characters are not allowed"))
        for control in ["\n", "\t", "\u{1B}", "\u{85}", "\u{7F}"] {
            #expect(throws: TemplateProblem.self) { try CaptionTemplate("a" + control + "b.") }
        }
        #expect((try? CaptionTemplate("Plain {layer}, ünïcode ✓.")) != nil)
    }
}
