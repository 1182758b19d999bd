// The benchmark pass (../shared/bench/common.py): draw weights, input and upstream gradient; forward
// keeping every x; backward with dh and dW; per-layer statistics and 64-bin histograms of x, dh, dW.
// Legend: B = batch, n = width, L = depth. Statistics run inline (as in the engine) and are timed apart.
import Foundation
import SignalFlow

/// Seconds spent in each phase of one pass.
struct BenchPhases {
    var initialization = 0.0, forward = 0.0, backward = 0.0, statistics = 0.0, gemm = 0.0
    /// Sum of the four phases.
    var total: Double { initialization + forward + backward + statistics }
}

/// Buffers and kernels of the benchmark, allocated once.
final class BenchWorkload {
    let scenario: Scenario
    let initializer: Initializer
    let workspace: MLPWorkspace
    let propagator: Propagator
    /// Sanity figures of the last pass: variance of x^L, of dh^1 and of dW^1; histogram total of x^L.
    var check: [String: Double] = [:]
    var sink = 0.0

    init(scenario: Scenario, initializer: Initializer) {
        self.scenario = scenario; self.initializer = initializer
        workspace = MLPWorkspace(widths: scenario.widths, batch: scenario.batch, hasBias: false,
                                 keepsPreactivations: !scenario.activation.derivativeFromActivationValue)
        propagator = Propagator(workspace: workspace, activation: scenario.activation)
    }

    @inline(__always) static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// True: only the linear histogram (the reference's workload); false: both, as the engine computes them.
    var linearHistogramOnly = false

    /// Statistics of one buffer: summary plus both histograms as the engine computes them, or summary plus the
    /// linear histogram only (`linearHistogramOnly`, like-for-like with ../shared/bench).
    func measure(_ m: Matrix) -> QuantityReport {
        let values = UnsafeBufferPointer(m.buffer)
        guard linearHistogramOnly else { return TensorStatistics.parallelReport(values, bins: 64) }
        let scanned = TensorStatistics.parallelScan(values)
        let range = HistogramBuilder.linearRange(for: scanned)
        let linear = HistogramBuilder.linear(values, lower: range.lower, upper: range.upper, bins: 64)
        return QuantityReport(stats: scanned.stats, linear: linear, logMagnitude: linear)
    }

    /// One timed pass.
    func pass() -> BenchPhases {
        var phases = BenchPhases()
        let depth = scenario.depth, phi = scenario.activation, ws = workspace
        var t0 = Self.now()
        propagator.drawParameters(initializer: initializer, seed: scenario.seed, biasStandardDeviation: 0)
        propagator.drawInputAndUpstream(seed: scenario.seed)
        var t1 = Self.now()
        phases.initialization = t1 - t0
        var statistics = 0.0
        var lastX: QuantityReport? = nil
        t0 = Self.now()
        for l in 1...depth {
            let g0 = Self.now()
            ws.computePreactivation(layer: l)
            phases.gemm += Self.now() - g0
            if !ws.preactivations.isEmpty { ws.preactivations[l - 1].copy(from: ws.activations[l]) }
            phi.applyInPlace(ws.activations[l].buffer)
            let s0 = Self.now()
            lastX = measure(ws.activations[l])
            statistics += Self.now() - s0
        }
        t1 = Self.now()
        phases.forward = t1 - t0 - statistics
        phases.statistics = statistics
        statistics = 0
        var firstGradient: QuantityReport? = nil, firstWeightGradient: QuantityReport? = nil
        t0 = Self.now()
        propagator.beginBackward()
        for l in stride(from: depth, through: 1, by: -1) {
            let delta = ws.delta
            let s0 = Self.now()
            let gradient = measure(delta)
            statistics += Self.now() - s0
            let dW = ws.weightGradient
            dW.reshape(rows: ws.widths[l - 1], cols: ws.widths[l])
            let g0 = Self.now()
            GEMM.multiply(ws.activations[l - 1], transposeA: true, delta, into: dW)
            var g1 = Self.now()
            phases.gemm += g1 - g0
            let s1 = Self.now()
            let weightGradient = measure(dW)
            statistics += Self.now() - s1
            if l > 1 {
                let below = ws.deltaBelow
                below.reshape(rows: ws.batch, cols: ws.widths[l - 1])
                let g2 = Self.now()
                GEMM.multiply(delta, ws.weights[l - 1], transposeB: true, into: below)
                g1 = Self.now()
                phases.gemm += g1 - g2
                phi.multiplyByDerivative(below.buffer, kept: ws.derivativeSource(layer: l - 1))
                ws.swapDeltas()
            } else {
                firstGradient = gradient; firstWeightGradient = weightGradient
            }
        }
        // The reference's last layer computes dL/dx^0 too (a third GEMM): do the same work.
        let g3 = Self.now()
        let below = ws.deltaBelow
        below.reshape(rows: ws.batch, cols: ws.widths[0])
        GEMM.multiply(ws.delta, ws.weights[0], transposeB: true, into: below)
        phases.gemm += Self.now() - g3
        t1 = Self.now()
        phases.backward = t1 - t0 - statistics
        phases.statistics += statistics
        check = ["var_x_last": lastX?.stats.variance ?? .nan, "var_dh_first": firstGradient?.stats.variance ?? .nan,
                 "var_dW_first": firstWeightGradient?.stats.variance ?? .nan,
                 "hist_x_last_sum": Double(lastX.map { $0.linear?.totalCount ?? 0 } ?? 0)]
        return phases
    }

    /// The 3L GEMMs of a pass alone, on the same buffers and shapes (seconds).
    func gemmOnly() -> Double {
        let ws = workspace, depth = scenario.depth
        let t0 = Self.now()
        for l in 1...depth { GEMM.multiply(ws.activations[l - 1], ws.weights[l - 1], into: ws.activations[l]) }
        for l in stride(from: depth, through: 1, by: -1) {
            let dW = ws.weightGradient, delta = ws.delta, below = ws.deltaBelow
            delta.reshape(rows: ws.batch, cols: ws.widths[l])
            dW.reshape(rows: ws.widths[l - 1], cols: ws.widths[l])
            below.reshape(rows: ws.batch, cols: ws.widths[l - 1])
            GEMM.multiply(ws.activations[l - 1], transposeA: true, delta, into: dW)
            GEMM.multiply(delta, ws.weights[l - 1], transposeB: true, into: below)
        }
        return Self.now() - t0
    }
}
