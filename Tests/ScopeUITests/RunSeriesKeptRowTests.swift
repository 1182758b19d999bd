// RunSeries keeps what every row, heading and panel reads on every frame (variances, health, the mean-field line
// and its distance from the measurement) in step with the layer reports, one layer at a time. These tests replay
// random sequences of reports, replacements and removals and check after each step that the kept series equal
// their definitions computed from scratch: Health.series over the statistics, the variances' extremes (the scales),
// MeanFieldRow's prediction and PredictionDistance.
import Foundation
import SignalFlow
import Testing
@testable import ScopeUI

@Suite struct RunSeriesKeptRowTests {
    /// A small deterministic generator (SplitMix64), so each sequence is the same on every run.
    struct SplitMix { var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// One quantity with random variance (some in each health band, some zero, some NaN or infinite), saturation,
    /// zeros and non-finite counts.
    func randomQuantity(_ random: inout SplitMix) -> QuantityReport {
        let variances: [Double] = [0, 1e-5, 0.03, 0.9, 1, 7, 150, 1e9, .infinity, .nan]
        let variance = random.below(3) == 0 ? variances[random.below(variances.count)] : pow(10, 6 * random.unit() - 3)
        let stats = SummaryStats(count: 64, mean: 0, variance: variance, secondMoment: variance, min: -1, max: 1,
                                 saturatedFraction: random.unit(), zeroFraction: random.unit(),
                                 nonFiniteCount: random.below(6) == 0 ? 1 + random.below(3) : 0)
        return QuantityReport(stats: stats)
    }

    /// A layer report with a random subset of quantities, theory (with or without a gradient prediction) or a
    /// residual block's stream theory.
    func randomReport(index: Int, _ random: inout SplitMix) -> LayerReport {
        var quantities: [Quantity: QuantityReport] = [:]
        for quantity in Quantity.allCases where random.below(3) != 0 { quantities[quantity] = randomQuantity(&random) }
        let theory = random.below(4) == 0 ? nil
            : LayerTheory(preactivationSecondMoment: pow(10, 4 * random.unit() - 2),
                          gradientSecondMoment: random.below(3) == 0 ? nil : pow(10, 4 * random.unit() - 2))
        let stream = random.below(5) == 0 ? pow(10, 2 * random.unit()) : nil
        return LayerReport(index: index, quantities: quantities, theory: theory, streamTheory: stream)
    }

    /// The kept series of `run` against their definitions computed from its reports.
    func expectKeptEqualDefinitions(_ run: RunData, activation: Activation, sourceLocation: SourceLocation = #_sourceLocation) {
        let series = run.perLayer
        let line = MeanFieldRow(columns: RowColumns(ScreenLayout(UITestSupport.completedReluState(width: 80, height: 24))),
                                run: RunData(depth: 0), name: "", activation: activation, width: 64, scales: [], selectedLayer: 1)
        for quantity in Quantity.allCases {
            let stats = run.layers.map { $0?.stats(quantity) }
            #expect(series.variances(quantity).map { $0?.bitPattern } == stats.map { $0?.variance.bitPattern },
                    sourceLocation: sourceLocation)
            #expect(series.health(quantity, activation: activation) == Health.series(stats, quantity, activation: activation),
                    sourceLocation: sourceLocation)
            var extremes = PositiveExtremes(); extremes.include(known: stats.map { $0?.variance })
            #expect(series.varianceExtremes(quantity) == extremes, sourceLocation: sourceLocation)
        }
        for quantity in RunSeries.rowGroupQuantities {
            // MeanFieldRow's prediction for an activation the run does not keep is computed from the reports alone.
            var computed = line; computed.run = run; computed.activation = activation == .tanh ? .relu : .tanh
            var definition = run.layers.map { report -> Double? in
                guard let report else { return nil }
                if let stream = report.streamTheory { return quantity == .activation ? stream : nil }
                guard let theory = report.theory else { return nil }
                return quantity == .activationGradient ? theory.gradientSecondMoment
                    : predictedActivationVariance(activation, q: theory.preactivationSecondMoment)
            }
            if run.layers.isEmpty { definition = [] }
            #expect(series.meanFieldLine(quantity, activation: activation)?.map { $0?.bitPattern } == definition.map { $0?.bitPattern },
                    sourceLocation: sourceLocation)
            let gaps = series.predictionGaps(quantity, activation: activation) ?? []
            #expect(PredictionDistance.largest(gaps)?.bitPattern
                    == PredictionDistance.decades(measured: series.variances(quantity), predicted: definition)?.bitPattern,
                    sourceLocation: sourceLocation)
            #expect(computed.predicted(quantity).count == run.layers.count, sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [Activation.tanh, .relu, .linear])
    func randomReportsReplacementsAndRemovalsKeepTheSeriesEqualToTheirDefinitions(activation: Activation) {
        var random = SplitMix(state: 2026 &+ UInt64(activation.hashValue & 0xFFFF))
        for depth in [1, 2, 7, 40] {
            var run = RunData(depth: depth, activation: activation)
            expectKeptEqualDefinitions(run, activation: activation)
            for _ in 0..<(12 * depth + 20) {
                let layer = 1 + random.below(depth)
                switch random.below(10) {
                case 0:
                    // Removal (setting `layers` wholesale rebuilds the series).
                    run.layers[layer - 1] = nil
                case 1:
                    // The same report again (as runFinished re-sends every layer).
                    if let report = run.report(layer: layer) { run.setLayer(report) }
                default:
                    run.setLayer(randomReport(index: layer, &random))
                }
                expectKeptEqualDefinitions(run, activation: activation)
            }
        }
    }

    @Test func layersArrivingInEngineOrderKeepTheSeriesEqualToTheirDefinitions() {
        // Forward 1...L, then backward L...1 replacing them, then the finished report: the order the engine sends.
        var run = RunData(depth: 50, activation: .relu)
        for event in UITestSupport.reluEvents(depth: 50) {
            run.apply(event)
            expectKeptEqualDefinitions(run, activation: .relu)
        }
        #expect(run.perLayer.health(.activationGradient, activation: .relu)?.contains(.pending) == false)
        // A run kept for ReLU has nothing kept for tanh: the widgets compute that from the reports.
        #expect(run.perLayer.health(.activation, activation: .tanh) == nil)
        #expect(run.perLayer.meanFieldLine(.activation, activation: .tanh) == nil)
        #expect(Health.series(run, .activation, activation: .tanh)
                == Health.series(run.perLayer.stats(.activation), .activation, activation: .tanh))
    }

    @Test func aPredictionKeepsTheExtremesOfItsSeries() {
        let prediction = RowPrediction(activationVariance: [0.5, 0, .nan, 3e-7, .infinity, 2], gradientVariance: [4, 1e30, -1])
        #expect(prediction.extremes(.activation).smallest == 3e-7 && prediction.extremes(.activation).largest == 2)
        #expect(prediction.extremes(.activationGradient).smallest == 4 && prediction.extremes(.activationGradient).largest == 1e30)
        #expect(prediction.extremes(.weight) == PositiveExtremes())
        #expect(LogScale.fitting(prediction.extremes(.activation)) == LogScale.fitting(prediction.activationVariance))
    }
}
