// The empty run new rows start from is built once per depth and activation (EmptyRunCache) and equals a fresh one.
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct EmptyRunCacheTests {
    @Test func theCachedEmptyRunEqualsAFreshOneForEveryDepthAndActivation() {
        var cache = EmptyRunCache()
        let requests: [(Int, Activation)] = [(50, .tanh), (50, .tanh), (10_000, .tanh), (10_000, .relu), (0, .relu),
                                             (-3, .relu), (1, .gelu), (50, .tanh), (50, .tanh)]
        for (depth, activation) in requests {
            let run = cache.emptyRun(depth: depth, activation: activation)
            #expect(run == RunData(depth: depth, activation: activation), "L=\(depth) \(activation)")
            #expect(run.layers.count == max(0, depth) && run.perLayer.activation == activation)
        }
    }

    @Test func aRestartsNewRowsAreEmptyRunsOfTheNewScenario() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        for key in ["s", "+", "a", "]", "m"] {
            _ = update(&state, .key(.character(Character(key))))
            let empty = RunData(depth: state.scenario.depth, activation: state.scenario.activation)
            #expect(state.computingRows.allSatisfy { state.runs[$0] == empty }, "\(key)")
            #expect(!state.computingRows.isEmpty)
        }
    }

    @Test func statesCompareEqualWhateverTheCacheHolds() {
        var one = AppState(scenario: UITestSupport.reluScenario())
        let other = one
        _ = one.emptyRuns.emptyRun(depth: 7, activation: .relu)
        #expect(one == other)
    }
}
