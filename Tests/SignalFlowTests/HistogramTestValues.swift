// Values both histogram kernels' tests bin: the engine's data-driven ranges and the special Floats every kernel must
// send down its element path (or, for zeros, count in its slot).
import SignalFlow

/// The data-driven ranges of `values` (the engine's), as `report` takes them.
func histogramDataRanges(_ values: [Float]) -> (linear: (Double, Double), log: (Double, Double)) {
    let scan = TensorStatistics.scan(values.span)
    let linear = HistogramBuilder.linearRange(for: scan), log = HistogramBuilder.logRange(for: scan)
    return ((linear.lower, linear.upper), (log.lower, log.upper))
}

/// Special values: signed zeros, NaN, infinities, subnormals and the normal range's edges, 1e+-30, +-1.
let histogramSpecialValues: [Float] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                       -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude,
                                       Float.leastNormalMagnitude.nextDown, .greatestFiniteMagnitude,
                                       -.greatestFiniteMagnitude, 1e-30, -1e30, 1, -1]
