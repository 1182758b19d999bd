// LSUV calibration of one layer (Mishkin & Matas 2016; reference section 2.8): rescale W until the
// population variance of the layer's output on the shared batch is within tolerance of 1.
// Legend: B = batch, n = width; h = x W + b is B x n_l; v = Var(h) over all B n_l elements.

/// Options of LSUV calibration.
public struct LSUVOptions: Equatable, Sendable {
    /// Tol_var: stop when |v - 1| < tolerance.
    public var tolerance: Double
    /// T_max: at most this many rescalings per layer.
    public var maxIterations: Int
    /// Measure Var(phi(h)) instead of Var(h) (the Keras variant; bounded activations cannot converge).
    public var measureAfterActivation: Bool

    /// Creates options; defaults Tol_var 0.1, T_max 10, pre-activation.
    public init(tolerance: Double = 0.1, maxIterations: Int = 10, measureAfterActivation: Bool = false) {
        self.tolerance = tolerance; self.maxIterations = maxIterations; self.measureAfterActivation = measureAfterActivation
    }
}

/// Layer-sequential unit-variance calibration.
public enum LSUV {
    /// Absolute floor below which a variance counts as zero.
    public static let absoluteVarianceFloor = 1e-20
    /// Relative floor: v < this * mean(h^2) counts as zero.
    public static let relativeVarianceFloor = 1e-12
    /// A rescaling that changes v by less than this fraction means h does not depend on W.
    public static let unchangedRelativeChange = 1e-6

    /// Calibrates W^l of `workspace` in place (l is 1-based) given x^{l-1}; on return x^l holds h^l for the
    /// final W. One GEMM per layer: h = x W + b is linear in W, so W <- s W is matched by h <- s (h - b) + b
    /// (equal to recomputing up to float rounding). Never divides by zero: degenerate layers are left unscaled
    /// and flagged. A set `cancellation` stops the rescalings at once (the trace then ends where it stopped and
    /// says not converged; the caller abandons the run).
    public static func calibrate(layer l: Int, in workspace: MLPWorkspace, activation: Activation,
                                 options: LSUVOptions, cancellation: CancellationToken? = nil) -> LSUVLayerTrace {
        let weights = workspace.weights[l - 1]
        let h = workspace.activations[l]
        workspace.computePreactivation(layer: l)
        func measure() -> (variance: Double, secondMoment: Double) {
            let stats: SummaryStats
            if options.measureAfterActivation {
                let s = workspace.scratch
                s.reshape(rows: h.rows, cols: h.cols)
                s.copy(from: h)
                activation.applyInPlace(s.buffer)
                stats = TensorStatistics.parallelScan(UnsafeBufferPointer(s.buffer)).stats
            } else {
                stats = TensorStatistics.parallelScan(UnsafeBufferPointer(h.buffer)).stats
            }
            // A non-finite element makes the variance meaningless: report it as NaN.
            return stats.nonFiniteCount > 0 ? (.nan, .nan) : (stats.variance, stats.secondMoment)
        }
        var (v, secondMoment) = measure()
        var variances = [v]
        var rescalings = 0
        var degenerate = false
        var cancelled = false
        while true {
            if cancellation?.isCancelled == true { cancelled = true; break }
            if !v.isFinite || v < absoluteVarianceFloor || v < relativeVarianceFloor * secondMoment {
                degenerate = true; break
            }
            if Swift.abs(v - 1) < options.tolerance || rescalings >= options.maxIterations { break }
            let factor = Float(1 / v.squareRoot())
            guard factor.isFinite else { degenerate = true; break }
            weights.scale(by: factor)
            rescale(h, by: factor, bias: workspace.biases.isEmpty ? nil : workspace.biases[l - 1])
            rescalings += 1
            let previous = v
            (v, secondMoment) = measure()
            variances.append(v)
            if v.isFinite && Swift.abs(v - previous) <= unchangedRelativeChange * previous { degenerate = true; break }
        }
        let converged = !cancelled && !degenerate && Swift.abs(v - 1) < options.tolerance
        return LSUVLayerTrace(rescalings: rescalings, varianceAfterIteration: variances, converged: converged,
                              degenerate: degenerate)
    }

    /// h <- s (h - b) + b for h B x n and b 1 x n (h <- s h without bias): h of the rescaled weights s W.
    static func rescale(_ h: Matrix, by factor: Float, bias: Matrix?) {
        guard let bias else { h.scale(by: factor); return }
        let n = h.cols, b = bias.base
        for row in 0..<h.rows {
            let r = h.base + row * n
            for j in 0..<n { r[j] = factor * (r[j] - b[j]) + b[j] }
        }
    }
}
