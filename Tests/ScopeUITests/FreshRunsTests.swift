// Empty runs built off the UI thread (Action.freshRuns): a computing row still holding the shared empty run takes
// its own, so its first layer writes into arrays of its own instead of copying O(L) arrays on the UI thread; any
// other row, a stale generation or a run of another shape is left alone.
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct FreshRunsTests {
    /// The address of `run`'s layer storage: the same buffer means the same run, not only an equal one.
    private func storage(_ run: RunData) -> UnsafeRawPointer? {
        run.layers.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// Empty runs of the state's scenario for `rows`, each with storage of its own.
    private func freshRuns(_ state: AppState, rows: [Int], depth: Int? = nil) -> [Int: RunData] {
        Dictionary(uniqueKeysWithValues: rows.map {
            ($0, RunData(depth: depth ?? state.scenario.depth, activation: state.scenario.activation))
        })
    }

    @Test func everyComputingRowTakesItsFreshRunAndStaysEqualToTheEmptyOne() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("s")))   // a new seed: every row computes anew
        let empty = RunData(depth: state.scenario.depth, activation: state.scenario.activation)
        #expect(state.computingRows.count == state.scenario.initializers.count)
        let fresh = freshRuns(state, rows: state.computingRows)
        let before = state
        _ = update(&state, .freshRuns(fresh, generation: state.generation))
        for row in state.computingRows {
            #expect(storage(state.runs[row]) == storage(fresh[row]!), "row \(row)")
            #expect(storage(state.runs[row]) != storage(before.runs[row]), "row \(row)")
            #expect(state.runs[row] == empty)
        }
        #expect(state == before)   // equal values: only who owns the arrays changed
    }

    @Test func aStaleGenerationAnotherDepthOrARowWithALayerKeepsItsRun() throws {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        let firstLayer = try #require(state.runs[0].report(layer: 1))
        _ = update(&state, .key(.character("s")))
        let generation = state.generation
        // Stale: the run of an older generation.
        let stale = freshRuns(state, rows: state.computingRows)
        _ = update(&state, .freshRuns(stale, generation: generation - 1))
        #expect(state.computingRows.allSatisfy { storage(state.runs[$0]) != storage(stale[$0]!) })
        // Another depth.
        let deeper = freshRuns(state, rows: state.computingRows, depth: state.scenario.depth + 1)
        _ = update(&state, .freshRuns(deeper, generation: generation))
        #expect(state.computingRows.allSatisfy { storage(state.runs[$0]) != storage(deeper[$0]!) })
        // A row whose first layer is in (the sweep over, so it is revealed at once).
        _ = update(&state, .tick(elapsedMilliseconds: 1e9))
        let row = state.computingRows[0]
        _ = update(&state, .engine(.forwardLayer(run: row, layer: firstLayer), generation: generation))
        #expect(state.runs[row].forwardCount == 1)
        let late = freshRuns(state, rows: [row])
        _ = update(&state, .freshRuns(late, generation: generation))
        #expect(state.runs[row].forwardCount == 1 && storage(state.runs[row]) != storage(late[row]!))
    }

    @Test func aRowKeptFromTheCacheKeepsItsRun() throws {
        // A finished comparison gets one more initializer: that row computes alone, the others are kept.
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        let names = Set(state.scenario.initializers.map(\.name))
        let key = try #require(InitializerCatalog.keyNames.first { !names.contains($0.name) }?.key)
        _ = update(&state, .key(.character(key)))
        #expect(state.computingRows.count == 1)
        let kept = try #require(state.scenario.initializers.indices.first { !state.computingRows.contains($0) })
        let keptRun = state.runs[kept]
        #expect(keptRun.finished != nil)
        _ = update(&state, .freshRuns(freshRuns(state, rows: Array(state.scenario.initializers.indices)),
                                      generation: state.generation))
        #expect(storage(state.runs[kept]) == storage(keptRun))
        #expect(state.runs[kept] == keptRun)
    }
}
