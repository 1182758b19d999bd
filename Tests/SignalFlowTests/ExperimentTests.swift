// Experiment: event order and completeness, shared input, determinism, cancellation, bad scenarios.
import Foundation
import Testing
@testable import SignalFlow

private func scenario(_ names: [String], depth: Int = 4, width: Int = 32, batch: Int = 16, activation: Activation = .tanh,
                      bias: Double = 0) throws -> Scenario {
    Scenario(activation: activation, depth: depth, width: width, batch: batch, seed: 3, biasStandardDeviation: bias,
             initializers: try names.map { NamedInitializer(name: $0, initializer: try Initializer.parse($0)) })
}

@Test func eventsArriveLayerByLayerForwardThenBackward() throws {
    let experiment = try Experiment(scenario: try scenario(["xavier", "lsuv"]))
    var log: [String] = []
    let runs = try #require(experiment.run { event in
        switch event {
        case .forwardLayer(let run, let layer):
            #expect(layer.quantities[.activationGradient] == nil && layer.quantities[.weightGradient] == nil)
            #expect(layer.quantities.count == 3)
            log.append("f\(run).\(layer.index)")
        case .backwardLayer(let run, let layer):
            #expect(layer.quantities.count == 5 && layer.theory != nil)
            log.append("b\(run).\(layer.index)")
        case .runFinished(let run, let report):
            #expect(report.layers.count == 4)
            log.append("done\(run)")
        }
    })
    let one = ["f", "f", "f", "f", "b", "b", "b", "b"]
    #expect(log.count == 2 * (one.count + 1))
    #expect(log == ["f0.1", "f0.2", "f0.3", "f0.4", "b0.4", "b0.3", "b0.2", "b0.1", "done0",
                    "f1.1", "f1.2", "f1.3", "f1.4", "b1.4", "b1.3", "b1.2", "b1.1", "done1"])
    #expect(runs.map(\.initializerName) == ["xavier", "lsuv"])
    #expect(runs[1].layers.allSatisfy { $0.lsuv != nil } && runs[0].layers.allSatisfy { $0.lsuv == nil })
    #expect(runs[0].chi1 != nil)
}

@Test func anInitializerGivesTheSameNumbersWhateverElseIsCompared() throws {
    let alone = try #require(try Experiment(scenario: try scenario(["he"], activation: .relu, bias: 0.1)).run { _ in })
    let together = try #require(try Experiment(scenario: try scenario(["xavier", "normal:0.3", "he"], activation: .relu, bias: 0.1)).run { _ in })
    #expect(alone[0].layers == together[2].layers)
    // Same input batch for every initializer: the first layer's input moment enters every prediction identically,
    // and a rerun of the same experiment is bit-for-bit identical.
    let experiment = try Experiment(scenario: try scenario(["xavier", "he"]))
    let first = try #require(experiment.run { _ in }), second = try #require(experiment.run { _ in })
    #expect(first == second)
}

@Test func cancellationStopsBetweenLayers() throws {
    let experiment = try Experiment(scenario: try scenario(["xavier", "he"], depth: 6))
    let token = CancellationToken()
    var forwardLayers = 0, backwardLayers = 0
    let result = experiment.run(cancellation: token) { event in
        if case .forwardLayer = event { forwardLayers += 1; if forwardLayers == 2 { token.cancel() } }
        if case .backwardLayer = event { backwardLayers += 1 }
    }
    #expect(result == nil)
    #expect(forwardLayers == 2 && backwardLayers == 0)
    // A fresh token runs to completion on the same buffers.
    #expect(experiment.run(onEvent: { _ in })?.count == 2)
}

@Test func badScenariosAreRefusedWithOneLine() throws {
    let cases: [(Scenario, String)] = [
        (try scenario(["xavier"], depth: 0), "depth"),
        (try scenario(["xavier"], width: 0), "width"),
        (try scenario(["xavier"], batch: -3), "batch"),
        (try scenario([]), "initializer"),
        (try scenario(["xavier"], bias: .nan), "bias"),
        (try scenario(["xavier"], depth: 100_000, width: 100_000, batch: 1_000), "GiB"),
    ]
    for (bad, word) in cases {
        #expect(throws: ScenarioError.self) { _ = try Experiment(scenario: bad) }
        do { _ = try Experiment(scenario: bad) } catch let error as ScenarioError {
            #expect(error.description.contains(word) && !error.description.contains("\n"), "\(error)")
        }
    }
    // The deep configuration of the brief fits: L = 1000, n = 256, B = 128.
    let deep = try scenario(["xavier"], depth: 1000, width: 256, batch: 128)
    #expect(deep.memoryEstimate().totalBytes < 1_000_000_000)
    #expect(throws: Never.self) { try deep.validate() }
}

@Test func geluKeepsPreactivationsAndMatchesItsTheory() throws {
    let run = try #require(try Experiment(scenario: try scenario(["he"], depth: 3, width: 256, batch: 128, activation: .gelu)).run { _ in })
    let layer = run[0].layers[0]
    // x = gelu(h) >= -0.17 everywhere.
    #expect(layer.stats(.activation)!.min >= -0.1700)
    #expect(layer.stats(.preactivation)!.min < -1)
    #expect(Swift.abs(layer.stats(.preactivation)!.secondMoment / layer.theory!.preactivationSecondMoment - 1) < 1e-12)
}

@Test(arguments: [MeasurementPlan(histogramQuantities: [.activation, .weightGradient], weightGradients: true),
                  MeasurementPlan(histogramQuantities: [.preactivation, .activationGradient], weightGradients: false),
                  .statisticsOnly])
func aPlanMeasuresExactlyWhatItAsksFor(plan: MeasurementPlan) throws {
    // Statistics are the same whatever else is measured; histograms and weight gradients appear exactly where asked.
    let full = try #require(try Experiment(scenario: try scenario(["xavier", "lsuv"], depth: 3, width: 300, batch: 256)).run { _ in })
    let experiment = try Experiment(scenario: try scenario(["xavier", "lsuv"], depth: 3, width: 300, batch: 256))
    experiment.plan = plan
    let partial = try #require(experiment.run { _ in })
    #expect(MeasurementPlan.everything.covers(plan) && (plan == .everything || !plan.covers(.everything)))
    for (fullRun, partialRun) in zip(full, partial) {
        for (fullLayer, partialLayer) in zip(fullRun.layers, partialRun.layers) {
            #expect(fullLayer.theory == partialLayer.theory && fullLayer.lsuv == partialLayer.lsuv)
            for quantity in Quantity.allCases {
                let a = try #require(fullLayer.quantities[quantity])
                guard quantity != .weightGradient || plan.weightGradients else {
                    #expect(partialLayer.quantities[quantity] == nil); continue
                }
                let b = try #require(partialLayer.quantities[quantity])
                #expect(a.stats == b.stats, "\(quantity) layer \(fullLayer.index)")
                let wanted = plan.histogramQuantities.contains(quantity)
                #expect((b.linear != nil) == wanted && (b.logMagnitude != nil) == wanted, "\(quantity)")
                if wanted { #expect(a.linear == b.linear && a.logMagnitude == b.logMagnitude, "\(quantity)") }
            }
        }
    }
}
