// The benchmark pass is the engine's own run (the code the tests check): `Experiment.run` of one initializer with a
// measurement plan, timed per phase by the engine's `PhaseClock`; the same products alone give the yardstick.
// Legend: B = batch, n = width, L = depth.
import Foundation
import SignalFlow

/// Seconds of one pass: the engine's phases, the wall time of the whole run, and what is left around them.
struct BenchPhases {
    var phases = PhaseTimes()
    /// Wall time of `Experiment.run`.
    var total = 0.0
    /// Forward and backward outside statistics and draws: GEMMs plus phi and phi'.
    var propagation: Double { phases.gemm + phases.elementwise + phases.calibration }
    /// Theory, bookkeeping and events: total minus the phases.
    var other: Double { total - phases.sum }
}

/// What a benchmark run measures: the reference's quantities, or everything `report --histograms` measures.
enum BenchPlan: String, CaseIterable {
    /// Histograms (both kinds, as the engine computes them) of x, dL/dh and dW, as ../shared/bench bins them; the
    /// statistics of h and W that every run has.
    case reference
    /// Histograms of all five quantities (`report --histograms`, the live view on a wide screen).
    case everything
    /// No histograms (`report` as a table).
    case statistics

    var measurementPlan: MeasurementPlan {
        switch self {
        case .reference: return MeasurementPlan(histogramQuantities: [.activation, .activationGradient, .weightGradient],
                                                weightGradients: true)
        case .everything: return .everything
        case .statistics: return .statisticsOnly
        }
    }
}

/// One experiment, allocated once, run again for every timed pass.
final class BenchWorkload {
    let experiment: Experiment
    let clock = PhaseClock()
    /// Sanity figures of the last pass: variance of x^L, of dh^1 and of dW^1; histogram total of x^L.
    var check: [String: Double] = [:]

    init(scenario: Scenario, plan: BenchPlan) throws {
        experiment = try Experiment(scenario: scenario)
        experiment.plan = plan.measurementPlan
        // A resnet measures the stream and its gradient per block (Benchmarks/resnet_numpy.py does the same).
        experiment.plan.blockSites = scenario.architecture == .mlp
        experiment.clock = clock
    }

    static func now() -> Double { PhaseClock.now() }

    /// One timed pass of the engine.
    func pass() -> BenchPhases {
        clock.times = PhaseTimes()
        let start = Self.now()
        let runs = experiment.run { _ in }
        var result = BenchPhases()
        result.total = Self.now() - start
        result.phases = clock.times
        if let layers = runs?.first?.layers, layers.count > 1, let first = layers.first, let last = layers.last,
           let q1 = first.site(ResidualSite.stream)?.stats.secondMoment, let qL = last.site(ResidualSite.stream)?.stats.secondMoment,
           let g1 = first.site(ResidualSite.streamGradient)?.stats.secondMoment,
           let gL = last.site(ResidualSite.streamGradient)?.stats.secondMoment {
            // Layer-averaged growth per block of the stream's second moment, forward and backward.
            let steps = Double(layers.count - 1)
            check = ["stream_growth_per_block": Foundation.pow(qL / q1, 1 / steps),
                     "gradient_growth_per_block": Foundation.pow(g1 / gL, 1 / steps),
                     "hist_stream_last_sum": Double(last.site(ResidualSite.stream)?.linear?.totalCount ?? 0)]
        } else if let layers = runs?.first?.layers, let first = layers.first, let last = layers.last {
            check = ["var_x_last": last.stats(.activation)?.variance ?? .nan,
                     "var_dh_first": first.stats(.activationGradient)?.variance ?? .nan,
                     "var_dW_first": first.stats(.weightGradient)?.variance ?? .nan,
                     "hist_x_last_sum": Double(last.quantities[.activation]?.linear?.totalCount ?? 0)]
        }
        return result
    }

    /// The pass's GEMMs alone (seconds).
    func gemmOnly() -> Double { experiment.gemmOnlySeconds() }

    /// Flops of those GEMMs.
    var flopsPerPass: Double { experiment.gemmFlopsPerPass }
}
