// An empty run for another activation at the same depth (the live view's `a`) shares the cached empty run's per-layer
// arrays instead of filling ~20 new arrays of L entries: equal to a run built from scratch, with the same storage.
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct EmptyRunSharingTests {
    static let activations: [Activation] = [.linear, .tanh, .relu, .leakyRelu(slope: 0.01), .sigmoid, .gelu, .selu]

    /// The address of the statistics of the activations: the same buffer means shared, not only equal.
    private func storage(_ run: RunData) -> UnsafeRawPointer? {
        run.perLayer.stats(.activation).withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test(arguments: activations)
    func anEmptyRunForAnotherActivationEqualsOneBuiltFromScratchAndSharesItsArrays(_ from: Activation) {
        let cached = RunData(depth: 7, activation: from)
        for to in Self.activations {
            let shared = cached.emptied(for: to)
            #expect(shared == RunData(depth: 7, activation: to), "\(from) -> \(to)")
            #expect(shared.perLayer.activation == to)
            #expect(storage(shared) == storage(cached), "\(from) -> \(to)")
            // The health series are the new activation's: the same as a fresh run's for every quantity.
            for quantity in Quantity.allCases {
                #expect(shared.perLayer.health(quantity, activation: to) == RunData(depth: 7, activation: to).perLayer.health(quantity, activation: to))
            }
        }
    }

    @Test func aRunHoldingALayerIsBuiltFromScratch() throws {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        let layer = try #require(state.runs[0].report(layer: 1))
        var run = RunData(depth: state.scenario.depth, activation: .relu)
        run.setLayer(layer)
        let emptied = run.emptied(for: .tanh)
        #expect(emptied == RunData(depth: state.scenario.depth, activation: .tanh))
        #expect(emptied.forwardCount == 0 && storage(emptied) != storage(run))
    }

    @Test func theCacheSharesItsArraysAcrossActivationsAndBuildsAnewForAnotherDepth() {
        var cache = EmptyRunCache()
        let tanh = cache.emptyRun(depth: 9, activation: .tanh)
        let relu = cache.emptyRun(depth: 9, activation: .relu)
        #expect(relu == RunData(depth: 9, activation: .relu) && storage(relu) == storage(tanh))
        #expect(cache.emptyRun(depth: 9, activation: .relu).perLayer.activation == .relu)
        let deeper = cache.emptyRun(depth: 10, activation: .relu)
        #expect(deeper == RunData(depth: 10, activation: .relu) && storage(deeper) != storage(relu))
    }

    @Test func theActivationKeyGivesTheRowsTheEmptyRunOfTheNewActivation() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        let activation = state.scenario.activation
        _ = update(&state, .key(.character("a")))
        #expect(state.scenario.activation != activation)
        let empty = RunData(depth: state.scenario.depth, activation: state.scenario.activation)
        for row in state.computingRows { #expect(state.runs[row] == empty, "row \(row)") }
    }
}
