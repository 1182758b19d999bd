// A cancelled run stops while its weights are drawn and while LSUV calibrates; storage is kept per shape,
// reused by a run of the same shape (with the same numbers) and released for another.
import Foundation
import Synchronization
import Testing
@testable import SignalFlow

/// A count shared with the drawing threads.
private final class LayerCounter: Sendable {
    let drawn = Atomic<Int>(0)
}

private func named(_ names: [String]) throws -> [NamedInitializer] {
    try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) }
}

@Test(arguments: ["orthogonal", "normal:0.01", "lsuv"])
func aRunCancelledWhileDrawingWeightsDrawsNoMoreLayers(initializer: String) throws {
    let depth = 200, cancelAfter = 3
    let scenario = Scenario(activation: .sigmoid, depth: depth, width: 64, batch: 8, seed: 5,
                            initializers: try named([initializer, "xavier"]))
    let experiment = try Experiment(scenario: scenario)
    let counter = LayerCounter(), token = CancellationToken()
    experiment.onWeightsDrawn = { _ in
        if counter.drawn.wrappingAdd(1, ordering: .relaxed).newValue == cancelAfter { token.cancel() }
    }
    var events = 0
    let result = experiment.run(cancellation: token) { _ in events += 1 }
    #expect(result == nil && events == 0)
    // At most the layers already under way (one per drawing thread) finish after the cancel.
    let drawn = counter.drawn.load(ordering: .relaxed)
    #expect(drawn >= cancelAfter && drawn <= cancelAfter + ProcessInfo.processInfo.activeProcessorCount, "drew \(drawn) of \(depth) layers")
    #expect(drawn < depth / 2, "drew \(drawn) of \(depth) layers")
}

@Test func lsuvStopsRescalingOnceCancelled() {
    // A tolerance no float variance meets: uncancelled, LSUV rescales until the variance stops changing.
    let workspace = MLPWorkspace(widths: [64, 64], batch: 32, hasBias: false, keepsPreactivations: false)
    let propagator = Propagator(workspace: workspace, activation: .tanh)
    let options = LSUVOptions(tolerance: 1e-15, maxIterations: 1000)
    propagator.drawInputAndUpstream(seed: 3)
    propagator.drawParameters(initializer: .lsuv(tolerance: 1e-15, maxIterations: 1000), seed: 3, biasStandardDeviation: 0)
    let running = LSUV.calibrate(layer: 1, in: workspace, activation: .tanh, options: options, cancellation: CancellationToken())
    #expect(running.rescalings >= 1)
    propagator.drawParameters(initializer: .lsuv(tolerance: 1e-15, maxIterations: 1000), seed: 3, biasStandardDeviation: 0)
    let cancelled = CancellationToken()
    cancelled.cancel()
    let trace = LSUV.calibrate(layer: 1, in: workspace, activation: .tanh, options: options, cancellation: cancelled)
    #expect(trace.rescalings == 0 && !trace.converged && trace.varianceAfterIteration.count == 1)
}

@Test func theStoreReusesASameShapeWorkspaceAndReleasesAnother() {
    let store = WorkspaceStore()
    let small = MLPWorkspace.Shape(widths: [8, 8, 8], batch: 4, hasBias: false, keepsPreactivations: false)
    let first = store.workspace(for: small)
    #expect(store.workspace(for: small) === first)
    weak var released: MLPWorkspace? = first
    let other = MLPWorkspace.Shape(widths: [8, 8], batch: 4, hasBias: false, keepsPreactivations: false)
    _ = consume first
    let second = store.workspace(for: other)
    #expect(released == nil)                                  // dropped before the new one was made
    #expect(second.shape == other && store.isHoldingWorkspace)
    store.release()
    #expect(!store.isHoldingWorkspace)
}

@Test func aReusedWorkspaceGivesTheSameNumbersAsAFreshOne() throws {
    let store = WorkspaceStore()
    func scenario(seed: UInt64) throws -> Scenario {
        Scenario(activation: .gelu, depth: 4, width: 48, batch: 16, seed: seed, biasStandardDeviation: 0.1,
                 initializers: try named(["lsuv", "orthogonal", "he"]))
    }
    let fresh = try Experiment(scenario: try scenario(seed: 1)).run { _ in }
    _ = try Experiment(scenario: try scenario(seed: 2), storage: store).run { _ in }  // leaves seed 2's numbers behind
    let reused = try Experiment(scenario: try scenario(seed: 1), storage: store)
    #expect(reused.workspace === store.workspace(for: MLPWorkspace.Shape(try scenario(seed: 1))))
    let again = reused.run { _ in }
    #expect(fresh != nil && fresh == again)
}

@Test func anExperimentThatKeepsNoFinishedRunsStillReportsEachRun() throws {
    let scenario = Scenario(activation: .tanh, depth: 3, width: 32, batch: 8, seed: 2,
                            initializers: try named(["xavier", "lsuv"]))
    let kept = try #require(try Experiment(scenario: scenario).run { _ in })
    let streaming = try Experiment(scenario: scenario, footprint: RunFootprint(keepsFinishedRuns: false))
    var finished: [RunReport] = []
    let returned = streaming.run { event in if case .runFinished(_, let report) = event { finished.append(report) } }
    #expect(returned == [] && finished == kept && kept.count == 2)
}
