// A run that shares its first layers with a kept forward pass (one key deeper or shallower in the live view)
// gives the same reports, bit for bit, as a run from scratch, and draws only the weights it adds.
// Legend: B = batch, n = width, L = depth.
import Foundation
import Synchronization
import Testing
@testable import SignalFlow

/// A count shared with the drawing threads.
private final class DrawnLayers: Sendable {
    let count = Atomic<Int>(0)
}

private func scenario(depth: Int, activation: Activation = .tanh, bias: Double = 0, seed: UInt64 = 11,
                      _ names: [String]) throws -> Scenario {
    Scenario(activation: activation, depth: depth, width: 24, batch: 6, seed: seed, biasStandardDeviation: bias,
             initializers: try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
}

/// Every run's reports, with a cache or without, and the number of weight layers drawn.
private func run(_ scenario: Scenario, cache: ForwardPrefixCache?, plan: MeasurementPlan = .everything)
    throws -> (reports: [RunReport], drawn: Int) {
    let experiment = try Experiment(scenario: scenario, footprint: RunFootprint(plan: plan))
    experiment.forwardCache = cache
    let drawn = DrawnLayers()
    experiment.onWeightsDrawn = { _ in drawn.count.wrappingAdd(1, ordering: .relaxed) }
    let reports = try #require(experiment.run { _ in })
    return (reports, drawn.count.load(ordering: .relaxed))
}

/// Reports compared through their text, quantity by quantity in a fixed order (a dictionary's order is not):
/// NaN statistics (an overflowing network) compare equal to themselves.
private func same(_ a: [RunReport], _ b: [RunReport]) -> Bool {
    func text(_ runs: [RunReport]) -> [String] {
        runs.flatMap { run in
            ["\(run.initializerName) \(String(describing: run.chi1)) \(String(describing: run.depthScale))"]
                + run.layers.flatMap { layer in
                    ["\(layer.index) \(String(reflecting: layer.theory)) \(String(reflecting: layer.lsuv))"]
                        + Quantity.allCases.map { String(reflecting: layer.quantities[$0]) }
                }
        }
    }
    return !a.isEmpty && text(a) == text(b)
}

@Test(arguments: [
    (Activation.tanh, 0.0, ["xavier", "he", "lsuv", "orthogonal"]),
    (Activation.gelu, 0.0, ["he", "lsuv"]),                 // phi' needs the kept h^l
    (Activation.relu, 0.3, ["xavier", "normal:1e8"]),        // biases; normal:1e8 overflows at layer 5 (kept)
])
func aDeeperRunSharesTheKeptLayersBitForBit(activation: Activation, bias: Double, names: [String]) throws {
    let cache = ForwardPrefixCache()
    let shallow = try run(scenario(depth: 5, activation: activation, bias: bias, names), cache: cache)
    #expect(shallow.drawn == 5 * names.count)
    #expect(cache.keptDepths.values.sorted() == Array(repeating: 5, count: names.count))
    let deep = try scenario(depth: 9, activation: activation, bias: bias, names)
    let shared = try run(deep, cache: cache)
    let fresh = try run(deep, cache: nil)
    #expect(same(shared.reports, fresh.reports))
    if names.contains("normal:1e8") {
        #expect(fresh.reports[1].layers[4].stats(.preactivation)?.nonFiniteCount ?? 0 > 0, "layer 5 overflows")
    }
    // Only layers 6...9 of each row are drawn, and the record grows to 9 layers.
    #expect(shared.drawn == 4 * names.count)
    #expect(cache.keptDepths.values.sorted() == Array(repeating: 9, count: names.count))
}

@Test func aShallowerRunUsesTheKeptLayersAndDrawsNone() throws {
    let names = ["xavier", "lsuv"]
    let cache = ForwardPrefixCache()
    _ = try run(scenario(depth: 8, names), cache: cache)
    let shallow = try scenario(depth: 3, names)
    let shared = try run(shallow, cache: cache)
    #expect(shared.drawn == 0)
    #expect(same(shared.reports, try run(shallow, cache: nil).reports))
    // The longer record stays.
    #expect(cache.keptDepths.values.sorted() == [8, 8])
}

@Test func anotherSeedActivationOrPlanSharesNothing() throws {
    let names = ["he"]
    let others: [(Scenario, MeasurementPlan)] = [
        (try scenario(depth: 6, seed: 12, names), .everything),
        (try scenario(depth: 6, activation: .relu, names), .everything),
        (try scenario(depth: 6, names), .statisticsOnly),
    ]
    for (other, plan) in others {
        let cache = ForwardPrefixCache()
        _ = try run(scenario(depth: 4, names), cache: cache)
        let result = try run(other, cache: cache, plan: plan)
        #expect(result.drawn == 6)
        #expect(same(result.reports, try run(other, cache: nil, plan: plan).reports))
    }
}

@Test func theBudgetBoundsTheKeptLayers() throws {
    // One layer of width 24, batch 6, tanh: 24 * 24 + 6 * 24 floats = 2880 bytes; a budget of 3 layers.
    let layerBytes = 4 * (24 * 24 + 6 * 24)
    let cache = ForwardPrefixCache(budgetBytes: 3 * layerBytes + 10)
    _ = try run(scenario(depth: 5, ["xavier"]), cache: cache)
    #expect(cache.keptDepths[.xavierNormal(gain: 1)] == 3)
    #expect(cache.heldBytes == 3 * layerBytes)
    let deep = try scenario(depth: 7, ["xavier"])
    let shared = try run(deep, cache: cache)
    #expect(shared.drawn == 4)
    #expect(same(shared.reports, try run(deep, cache: nil).reports))
    cache.keepOnly(try scenario(depth: 7, seed: 99, ["xavier"]), plan: .everything)
    #expect(cache.heldBytes == 0 && cache.keptDepths.isEmpty)
}
