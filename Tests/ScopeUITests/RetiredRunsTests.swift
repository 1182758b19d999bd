// What a restart drops (the runs on screen, the cache of another scenario, a training run) waits in
// `AppState.retired` for the run loop, which frees it off the UI thread.
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct RetiredRunsTests {
    @Test func aKeyThatReplacesTheRunsRetiresTheOldRunsAndCacheOnce() throws {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = state.takeRetired()  // the empty rows the start replaced
        let shown = state.runs
        #expect(shown.allSatisfy { $0.finished != nil })
        _ = update(&state, .key(.character("a")))  // another activation: a new scenario, nothing cached for it
        let taken = state.takeRetired()
        let retired = try #require(taken)
        #expect(retired.runs == [shown])
        // The finished rows went into the cache first (the scenario may come back), then the cache itself was dropped.
        let cache = Dictionary(uniqueKeysWithValues: zip(UITestSupport.reluScenario().initializers, shown))
        #expect(retired.caches == [cache])
        #expect(retired.trainings.isEmpty)
        #expect(state.cachedRuns.isEmpty && state.runs.allSatisfy { $0.finished == nil })
        #expect(state.takeRetired() == nil)
    }

    @Test func withoutARunLoopAtMostLimitBatchesWait() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        for _ in 0..<(RetiredRuns.limit + 3) { _ = update(&state, .key(.character("a"))) }
        #expect(state.retired.runs.count == RetiredRuns.limit)
        #expect(state.retired.caches.count <= RetiredRuns.limit)
    }

    @Test func aKeyThatKeepsTheRunsRetiresNothing() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = state.takeRetired()
        _ = update(&state, .key(.character("j")))  // focus moves: the runs stay
        #expect(state.takeRetired() == nil)
    }
}
