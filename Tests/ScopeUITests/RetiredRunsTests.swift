// What a restart drops (the runs on screen, the cache of another scenario, a training run, the queues of events not
// revealed, the predictions) and what a training snapshot replaces waits in `AppState.retired` for the run loop,
// which frees it off the UI thread.
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

    /// The ReLU scenario started with the default sweep, every event of its rows delivered, 400 ms of the sweep
    /// revealed: rows finished, queues half full, nothing cached yet (the engine has not said it finished).
    static func sweepingState() -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), width: 80, height: 24)
        _ = update(&state, .start)
        let generation = state.generation
        let prediction = RowPrediction(activationVariance: Array(repeating: 1, count: 50), gradientVariance: Array(repeating: 1, count: 50))
        _ = update(&state, .predictions([0: prediction, 1: prediction, 2: prediction], generation: generation))
        for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: generation)) }
        _ = update(&state, .tick(elapsedMilliseconds: 400))
        return state
    }

    @Test func aRestartRetiresTheQueuesAndPredictionsItDrops() throws {
        var state = Self.sweepingState()
        _ = state.takeRetired()
        let queues = state.queues, predictions = state.predictions
        // Each row has revealed part of its sweep and still holds the rest.
        #expect(queues.allSatisfy { $0.delivered && !$0.pending.isEmpty && $0.pending.count < 101 })
        #expect(predictions.count == 3)
        _ = update(&state, .key(.character("s")))  // a new seed: another cache key
        let taken = state.takeRetired()
        let retired = try #require(taken)
        #expect(retired.queues == [queues])
        #expect(retired.predictions == [predictions])
        #expect(state.queues.allSatisfy { $0.pending.isEmpty } && state.predictions.isEmpty)
    }

    @Test func aRemovedRowsRunAndQueueAreRetired() throws {
        var state = Self.sweepingState()
        _ = state.takeRetired()
        let run = state.runs[0], queue = state.queues[0]
        _ = update(&state, .key(.character("D")))  // drops the focused row, xavier
        let taken = state.takeRetired()
        let retired = try #require(taken)
        #expect(retired.runs.first == [run])
        #expect(retired.queues.first == [queue])
        #expect(state.scenario.initializers.map(\.name) == ["he", "lsuv"])
    }

    @Test func aTrainingSnapshotRetiresTheRunAndQueueItReplaces() throws {
        var state = Self.sweepingState()
        _ = update(&state, .key(.character("T")))
        _ = state.takeRetired()
        let run = state.runs[1], queue = state.queues[1]
        #expect(run.forwardCount > 0 && !queue.pending.isEmpty)
        let layer = UITestSupport.reluLayer(index: 1, q: 4, g: 1, count: 100)
        _ = update(&state, .training(.snapshot(row: 1, step: 10, layers: [layer]), generation: state.generation))
        let taken = state.takeRetired()
        let retired = try #require(taken)
        #expect(retired.runs == [[run]])
        #expect(retired.queues == [[queue]])
        #expect(state.runs[1].report(layer: 1) == layer && state.runs[1].forwardCount == 1 && state.queues[1].pending.isEmpty)
    }

    /// A restart no longer completes the finished rows' queued events when it drops the cache they would go into:
    /// every key gives the state (and effects) it gave when the rows were completed and cached first, as before.
    @Test func skippingTheCompletionOfDroppedRunsChangesNoKeysResult() {
        let characters: [Character] = ["m", "s", "a", "A", "+", "-", "]", "[", "b", "B", "D", "R", "o", "x", "r", "z", "T", "L"]
        let keys = characters.map { KeyPress.character($0) } + [.escape]
        var restarted: Set<KeyPress> = []
        for focusedRow in [0, 2] {
            var base = Self.sweepingState()
            base.focusedRow = focusedRow
            _ = base.takeRetired()
            for key in keys {
                var fast = base, reference = base
                rememberFinishedRuns(&reference)
                #expect(reference.cachedRuns.count == 3)
                let fastEffects = update(&fast, .key(key)), referenceEffects = update(&reference, .key(key))
                // A key that starts nothing (z in an MLP, x focusing its row, Esc with nothing training) leaves the
                // cache as it was: only the reference's was filled.
                guard fast.generation != base.generation else { continue }
                restarted.insert(key)
                _ = fast.takeRetired(); _ = reference.takeRetired()
                #expect(fastEffects == referenceEffects, "\(key)")
                #expect(fast == reference, "\(key) focused \(focusedRow)")
            }
        }
        #expect(restarted == Set(keys.filter { ![.character("z"), .character("x"), .escape].contains($0) }))
    }
}
