// Inputs that crash toml++ 3.x (inside TOMLKit): its TOML_ASSERT_ASSUME checks abort with assertions on and are
// undefined behaviour in release builds. Found by `make fuzz-explore` (Fuzz/Sources/TOMLFuzzer, raw toml++ with
// assertions on); each class is listed there. Theme files reach toml++ only through TOMLSubsetCheck, which must
// refuse every one of them with a located message, before toml++ sees it.
import Testing
@testable import ScopeUI

@Suite struct ThemeTOMLCrashTests {
    /// Each input, minimised from the fuzzer's finding, and the toml++ check it trips.
    static let crashingInputs: [(text: String, trips: String)] = [
        ("a = [}]", "'}' where an array value belongs (known before fuzzing)"),
        ("a = [1, }]", "'}' where an array value belongs, after a comma"),
        ("[*\" :", "parse_key: table header starting with a byte that cannot start a key"),
        ("[=\r#\n\u{04}0:\u{04}H", "parse_key: '[' then '='"),
        ("[\u{00D9}[", "parse_key: '[' then a non-ASCII letter"),
        ("\u{FEFF}[[[[4", "parse_key: '[[' then '[' (after a byte-order mark)"),
        ("a = 1979-05-22Tx", "parse_time: date-time with no digit after 'T'"),
        ("a =1979-02-27T[[07:32:0}]0 }", "parse_time: date-time followed by '['"),
        ("i=1979-05-22TTTTTTTT:32:-infe-40", "parse_time: date-time followed by more 'T's"),
        ("a = 1979-05-27 x", "parse_time: date, space, no digit"),
    ]

    @Test(arguments: crashingInputs.map(\.text))
    func subsetCheckRefusesWhatCrashesTOMLPlusPlus(text: String) {
        let problem = TOMLSubsetCheck.firstProblem(in: text)
        #expect(problem != nil, "TOMLSubsetCheck lets through \(text.debugDescription), which crashes toml++")
        // The loader reports it as a located syntax error (and never reaches TOMLKit).
        guard case .failure(let error) = ThemeParser.parse(text: text, file: "/t/crash.toml") else {
            Issue.record("\(text.debugDescription) loaded as a theme"); return
        }
        #expect(error.problem.hasPrefix("TOML syntax") && error.line != nil, "\(error)")
    }
}
