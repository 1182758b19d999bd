// Keys that must never end or disturb a lecture (Esc, Ctrl-L, unknown keys) and status texts that must not
// mislead (a failed run, "measuring more" after that run has ended).
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct KeysAndStatusTests {
    func started() -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), sweepMilliseconds: 0)
        _ = update(&state, .start)
        return state
    }

    @Test func escapeOnlyClosesTheHelpAndNeverQuits() {
        var state = started()
        let before = state
        #expect(update(&state, .key(.escape)).isEmpty)
        #expect(state == before)
        _ = update(&state, .key(.character("?")))
        #expect(state.helpVisible)
        #expect(update(&state, .key(.escape)).isEmpty)
        #expect(!state.helpVisible)
        #expect(update(&state, .key(.character("q"))) == [.cancelSimulation, .quit])
    }

    @Test func controlLRedrawsAndKeepsEverythingElse() {
        var state = started()
        let before = state
        for _ in 0..<3 { #expect(update(&state, .key(.control("l"))) == [.redraw]) }
        #expect(state == before)
        // With the help open it repaints and the help stays.
        _ = update(&state, .key(.character("?")))
        #expect(update(&state, .key(.control("l"))) == [.redraw])
        #expect(state.helpVisible)
        #expect(KeyMap.bindings(glyphs: .unicode).contains { $0.keys == "C-l" })
    }

    @Test func unknownKeysAreIgnoredHoweverMany() {
        var state = started()
        let before = state
        let unknown: [KeyPress] = [.control("a"), .control("z"), .function(5), .pageUp, .backspace,
                                   .character("\u{E9}"), .character("Z")]
        for _ in 0..<3 { for key in unknown { #expect(update(&state, .key(key)).isEmpty) } }
        #expect(state == before)
    }

    @Test func failedRunSaysFailedInTheHeaderNotDone() {
        var state = started()
        for event in UITestSupport.reluEvents(depth: 50).prefix(3) { _ = update(&state, .engine(event, generation: 1)) }
        _ = update(&state, .engineFailed(message: "needs about 13.2 GiB, more than the limit of 8.0 GiB", generation: 1))
        _ = update(&state, .engineFinished(generation: 1))  // the worker always reports the end after a failure
        let header = view(state).lines[0]
        #expect(header.hasSuffix("sel L50/50  |  failed"), "\(header)")
        #expect(!header.contains("done"))
        #expect(view(state).lines.last!.hasPrefix("engine failed: needs about 13.2 GiB"))
        // A new run clears the failure.
        _ = update(&state, .key(.character("r")))
        _ = update(&state, .engineFinished(generation: 2))
        #expect(view(state).lines[0].hasSuffix("sel L50/50  |  done"))
    }

    @Test func measuringMoreGoesWhenTheRunThatMeasuresMoreEnds() {
        var state = started()
        _ = update(&state, .engineFinished(generation: 1))
        _ = update(&state, .resize(width: 200, height: 60))
        #expect(state.statusMessage == "measuring more for the larger screen")
        // Back at 80x24 (the end of a resize storm) while that run still goes: still true, it measures more.
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .resize(width: 180, height: 50))
        #expect(state.statusMessage == "measuring more for the larger screen")
        _ = update(&state, .resize(width: 80, height: 24))
        // Once it has measured, the 80x24 footer no longer says so.
        _ = update(&state, .engineFinished(generation: state.generation))
        #expect(state.statusMessage.isEmpty)
        #expect(!view(state).lines[23].contains("measuring more"))
        // A failed run says that instead.
        var failed = started()
        _ = update(&failed, .resize(width: 200, height: 60))
        _ = update(&failed, .engineFailed(message: "out of memory", generation: failed.generation))
        _ = update(&failed, .engineFinished(generation: failed.generation))
        #expect(failed.statusMessage == "engine failed: out of memory")
        // Other messages are left alone.
        var seeded = started()
        _ = update(&seeded, .key(.character("s")))
        _ = update(&seeded, .resize(width: 79, height: 24))
        _ = update(&seeded, .engineFinished(generation: seeded.generation))
        #expect(seeded.statusMessage == "seed 2")
    }
}
