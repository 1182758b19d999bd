// The sparkline scales while a picture comes in: fitted to mean field's prediction, so they never move
// mid-animation; fitted once more to prediction and measurement when the run ends; activations and gradients apart.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct ScaleStabilityTests {
    /// The ReLU scenario (xavier, he, lsuv) started with a sweep of `sweep` ms and mean field's predictions sent.
    func startedWithPredictions(sweep: Double = 1000) -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), sweepMilliseconds: sweep)
        _ = update(&state, .start)
        let predictions = RowPrediction.forRows(state.scenario, rows: [0, 1, 2], cancellation: CancellationToken())
        _ = update(&state, .predictions(predictions, generation: state.generation))
        return state
    }

    /// Every scale and scale label on screen: the rows' and the mean-field line's (the focused row's).
    func scalesShown(_ state: AppState) -> [LogScale] {
        state.scenario.initializers.indices.flatMap { rowScales(state, row: $0) }
    }

    /// The events of one ReLU run of row `run` whose pre-activation second moment is q[l] and gradient g[l].
    func events(run: Int, name: String, q: [Double], g: [Double]) -> [PropagationEvent] {
        let layers = q.indices.map { UITestSupport.reluLayer(index: $0 + 1, q: q[$0], g: g[$0], count: 256 * 512) }
        var result: [PropagationEvent] = layers.map { layer in
            var forward = layer
            forward.quantities[.activationGradient] = nil; forward.quantities[.weightGradient] = nil
            return .forwardLayer(run: run, layer: forward)
        }
        result += layers.reversed().map { .backwardLayer(run: run, layer: $0) }
        result.append(.runFinished(run: run, report: RunReport(initializerName: name, layers: layers)))
        return result
    }

    @Test func predictionsMatchTheClosedForms() throws {
        let scenario = UITestSupport.reluScenario(depth: 5)
        // ReLU with xavier (sigma_w^2 = 1): q^l = 2^(1-l), var(x) = q (1/2 - 1/(2 pi)); g^L = 1/2, halving downward
        // is doubling upward: g^l = 2^(l-L) / 2.
        let xavier = try #require(RowPrediction.forRow(scenario, scenario.initializers[0]))
        for l in 1...5 {
            let q = pow(2, Double(1 - l))
            #expect(abs(xavier.activationVariance[l - 1] / (q * (0.5 - 0.5 / Double.pi)) - 1) < 1e-12)
            #expect(abs(xavier.gradientVariance[l - 1] / (0.5 * pow(2, Double(l - 5))) - 1) < 1e-12)
        }
        #expect(predictedActivationVariance(.tanh, q: 0) == 0)
        #expect(predictedActivationVariance(.relu, q: .infinity) == .infinity)
        #expect(predictedActivationVariance(.sigmoid, q: .infinity) == 0.25)   // +-1/2 around 1/2, half each
        var resnet = scenario
        resnet.architecture = .resnet(ResidualOptions())
        #expect(RowPrediction.forRow(resnet, resnet.initializers[0]) == nil)
    }

    @Test func rowsSweepInAsTheirLayersArriveOnScalesThatNeverMove() {
        var state = startedWithPredictions()
        let expected = scalesShown(state)
        // Before any number: each row's scale is its prediction's (xavier: 0.5^49 of var(x) ~ 0.18 -> 1e-16..1e+0).
        #expect(rowScales(state, row: 0) == [LogScale(lowerExponent: -16, upperExponent: 0),
                                             LogScale(lowerExponent: -16, upperExponent: 0)])
        let all = UITestSupport.reluEvents(depth: 50)
        var labels: Set<String> = []
        // The engine delivers at about the sweep's pace: 30 events, then a 100 ms tick, ...
        var index = 0, shownBeforeDelivered = false, ticks = 0
        while (index < all.count || pictureIncomplete(state)) && ticks < 100 {
            ticks += 1
            for event in all[index..<min(all.count, index + 30)] { _ = update(&state, .engine(event, generation: 1)) }
            index += 30
            _ = update(&state, .tick(elapsedMilliseconds: 100))
            if state.runs[1].forwardCount > 0 && !state.queues[1].delivered { shownBeforeDelivered = true }
            if pictureIncomplete(state) {
                #expect(scalesShown(state) == expected)
                labels.formUnion(view(state).lines.filter { $0.hasPrefix(" he ") })
            }
        }
        // The sweep did not wait for a row's whole run: he's first layers showed while its run was still coming.
        #expect(shownBeforeDelivered)
        #expect(!labels.isEmpty && labels.allSatisfy { $0.hasSuffix(" 4d ") })
        // The whole picture is in: measured and predicted agree within 3%, the scales stay where they were.
        #expect(!pictureIncomplete(state) && scalesShown(state) == expected)
    }

    @Test func theSharedScaleTakesANewRowsMeasurementsOnlyWhenThePictureIsComplete() {
        var state = startedWithPredictions()
        for event in UITestSupport.reluEvents(depth: 50) { _ = update(&state, .engine(event, generation: 1)) }
        _ = update(&state, .key(.enter)); _ = update(&state, .engineFinished(generation: 1))
        _ = update(&state, .key(.character("S")))
        _ = update(&state, .key(.character("n")))   // normal:0.01 joins as row 3, computed alone
        #expect(state.computingRows == [3])
        let predictions = RowPrediction.forRows(state.scenario, rows: [3], cancellation: CancellationToken())
        _ = update(&state, .predictions(predictions, generation: state.generation))
        let during = scalesShown(state)
        // Its prediction fades 40 decades (0.0256 per layer): the shared activation scale reaches down to 1e-30.
        #expect(during[0] == LogScale(lowerExponent: -30, upperExponent: 0))
        // Its measurement (made up here) grows to 1e+12 instead: the scales keep still while the row sweeps in...
        let grown = events(run: 3, name: "normal:0.01", q: (1...50).map { pow(1.8, Double($0)) }, g: Array(repeating: 0.5, count: 50))
        for event in grown {
            _ = update(&state, .engine(event, generation: state.generation))
            _ = update(&state, .tick(elapsedMilliseconds: 10))
            if pictureIncomplete(state) { #expect(scalesShown(state) == during) }
        }
        _ = update(&state, .key(.enter))
        // ...and take it in once the picture is complete.
        #expect(!pictureIncomplete(state))
        #expect(sparklineScale(state, row: 0, quantity: .activation) == LogScale(lowerExponent: -30, upperExponent: 13))
    }

    @Test func activationsAndGradientsHaveTheirOwnScales() {
        // tanh with N(0, 1): activations saturate near var 0.9 while gradients explode to 1e+51.
        var state = AppState(scenario: Scenario(activation: .tanh, depth: 4, width: 512, batch: 256, seed: 1,
                                                initializers: [InitializerCatalog.named("normal:1")!]),
                             sweepMilliseconds: 0)
        _ = update(&state, .start)
        let layers = (1...4).map { l in
            LayerReport(index: l, quantities: [
                .activation: QuantityReport(stats: SummaryStats(count: 10, mean: 0, variance: 0.9, secondMoment: 0.9,
                                                                min: -1, max: 1, saturatedFraction: 0.3, zeroFraction: 0, nonFiniteCount: 0)),
                .activationGradient: QuantityReport(stats: SummaryStats(count: 10, mean: 0, variance: pow(10, Double(51 - 12 * l)),
                                                                        secondMoment: pow(10, Double(51 - 12 * l)), min: -1, max: 1,
                                                                        saturatedFraction: 0, zeroFraction: 0, nonFiniteCount: 0)),
            ])
        }
        _ = update(&state, .engine(.runFinished(run: 0, report: RunReport(initializerName: "normal:1", layers: layers)), generation: 1))
        #expect(sparklineScale(state, row: 0, quantity: .activation) == LogScale(lowerExponent: -3, upperExponent: 1))
        #expect(sparklineScale(state, row: 0, quantity: .activationGradient) == LogScale(lowerExponent: 3, upperExponent: 39))
    }
}
