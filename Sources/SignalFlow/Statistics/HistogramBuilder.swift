// Pass 2 over a tensor: fixed-bin histograms in value and in log10|value|, ranges taken from pass 1.
// Legend: N = number of elements, K = number of bins (64 by default).
//
// Ranges (documented contract):
// - linear: [min, max] of the finite elements; the last bin is closed so max lands in it (no overflow);
//   a constant tensor c gets [c - 0.5, c + 0.5] (c = 0: [-0.5, 0.5]).
// - log10|x|: [floor(log10 m), ceil(log10 M)] with m the smallest non-zero finite |x| and M the largest,
//   at least one decade wide; exact zeros go to `zeroCount`; the last bin is closed.
// Callers may pass explicit ranges instead; then values outside go to underflow/overflow.
import Foundation

/// Builds the histograms of `QuantityReport`, allocating only the returned bin arrays.
public enum HistogramBuilder {
    /// Default number of bins.
    public static let defaultBinCount = 64

    /// The data-driven linear range [lower, upper] for a scanned tensor (see the file header).
    public static func linearRange(for scan: TensorScan) -> (lower: Double, upper: Double) {
        let s = scan.stats
        guard s.count > s.nonFiniteCount, s.min.isFinite, s.max.isFinite else { return (-0.5, 0.5) }
        if s.max > s.min { return (s.min, s.max) }
        return (s.min - 0.5, s.max + 0.5)
    }

    /// The data-driven log10|x| range in decades for a scanned tensor (see the file header).
    public static func logRange(for scan: TensorScan) -> (lower: Double, upper: Double) {
        guard scan.minimumNonzeroMagnitude.isFinite, scan.maximumMagnitude > 0 else { return (-1, 0) }
        let lower = Foundation.floor(Foundation.log10(scan.minimumNonzeroMagnitude))
        var upper = Foundation.ceil(Foundation.log10(scan.maximumMagnitude))
        if upper <= lower { upper = lower + 1 }
        return (lower, upper)
    }

    /// Linear histogram of `values` over [lower, upper] with `bins` bins; the last bin includes `upper`.
    public static func linear(_ values: UnsafeBufferPointer<Float>, lower: Double, upper: Double,
                              bins: Int = defaultBinCount) -> Histogram {
        let binCount = Swift.max(bins, 1)
        var counts = [Int](repeating: 0, count: binCount)
        var underflow = 0, overflow = 0, nonFinite = 0
        let lo = Float(lower), hi = Float(upper)
        let scale = Float(Double(binCount) / (upper - lower))
        let lastBin = binCount - 1
        counts.withUnsafeMutableBufferPointer { c in
            for v in values {
                // NaN fails both comparisons below and is caught by the finiteness test first.
                guard v.isFinite else { nonFinite += 1; continue }
                if v < lo { underflow += 1; continue }
                if v > hi { overflow += 1; continue }
                let position = (v - lo) * scale    // in [0, K] up to rounding; finite here
                let bin = Swift.min(Int(Swift.max(position, 0)), lastBin)
                c[bin] += 1
            }
        }
        return Histogram(scale: .linear, lower: lower, upper: upper, binCounts: counts,
                         underflow: underflow, overflow: overflow, nonFinite: nonFinite, zeroCount: 0)
    }

    /// log10|x| histogram over [lower, upper] decades with `bins` bins; zeros counted apart, last bin closed.
    /// Binning is exact against Float32 bin edges 10^(lower + k w): a fast log2 guess corrected by comparison.
    public static func logMagnitude(_ values: UnsafeBufferPointer<Float>, lower: Double, upper: Double,
                                    bins: Int = defaultBinCount) -> Histogram {
        let binCount = Swift.max(bins, 1)
        var counts = [Int](repeating: 0, count: binCount)
        var underflow = 0, overflow = 0, nonFinite = 0, zeros = 0
        let width = (upper - lower) / Double(binCount)
        // edges[k] = 10^(lower + k w) for k = 0...K, as Float (may round to 0 or +inf at the extremes).
        var edges = [Float](repeating: 0, count: binCount + 1)
        for k in 0...binCount { edges[k] = Float(Foundation.pow(10, lower + Double(k) * width)) }
        let binsPerLog2 = Float(0.30102999566398120 / width)
        let offset = Float(-lower / width)
        let lastBin = binCount - 1
        counts.withUnsafeMutableBufferPointer { c in
            edges.withUnsafeBufferPointer { e in
                let low = e[0], high = e[binCount]
                for v in values {
                    guard v.isFinite else { nonFinite += 1; continue }
                    let a = Swift.abs(v)
                    if a == 0 { zeros += 1; continue }
                    if a < low { underflow += 1; continue }
                    if a > high { overflow += 1; continue }
                    // log2 a ~ exponent + (mantissa - 1): error < 0.09, corrected below.
                    let bits = a.bitPattern
                    let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
                    let mantissa = Float(bitPattern: (bits & 0x7F_FFFF) | 0x3F80_0000) - 1
                    let guess = (exponent + mantissa) * binsPerLog2 + offset
                    var bin = Swift.min(Swift.max(Int(Swift.max(Swift.min(guess, 1e9), -1e9)), 0), lastBin)
                    while bin > 0 && a < e[bin] { bin -= 1 }
                    while bin < lastBin && a >= e[bin + 1] { bin += 1 }
                    c[bin] += 1
                }
            }
        }
        return Histogram(scale: .log10Magnitude, lower: lower, upper: upper, binCounts: counts,
                         underflow: underflow, overflow: overflow, nonFinite: nonFinite, zeroCount: zeros)
    }
}

extension TensorStatistics {
    /// Summary and both histograms of `values` (two passes), with data-driven ranges.
    public static func report(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none,
                              bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        let scanned = scan(values, saturation: saturation)
        let linearRange = HistogramBuilder.linearRange(for: scanned)
        let logRange = HistogramBuilder.logRange(for: scanned)
        return QuantityReport(stats: scanned.stats,
                              linear: HistogramBuilder.linear(values, lower: linearRange.lower, upper: linearRange.upper, bins: bins),
                              logMagnitude: HistogramBuilder.logMagnitude(values, lower: logRange.lower, upper: logRange.upper, bins: bins))
    }
}
