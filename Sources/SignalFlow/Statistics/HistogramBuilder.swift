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
    public static func linear(_ values: Span<Float>, lower: Double, upper: Double, bins: Int = defaultBinCount) -> Histogram {
        values.withUnsafeBufferPointer { linear($0, lower: lower, upper: upper, bins: bins) }
    }

    /// `linear` on a buffer (engine-internal).
    static func linear(_ values: UnsafeBufferPointer<Float>, lower: Double, upper: Double,
                       bins: Int = defaultBinCount) -> Histogram {
        let binCount = Swift.max(bins, 1)
        // Four interleaved sub-histograms (element i counts in copy i % 4) break the store-to-load chain of
        // repeated increments of one bin; they are summed at the end.
        var underflow = 0, overflow = 0, nonFinite = 0
        let (lower, upper) = sanitizedRange(lower, upper)
        let lo = Float(lower), hi = Float(upper)
        // Positions in Double: (v - lower) can overflow Float (e.g. -3e38...3e38) and Float -> Int of inf traps.
        let scale = Double(binCount) / (upper - lower)
        let lastBin = binCount - 1
        let lastBinDouble = Double(lastBin)
        // Scratch on the stack: the only heap allocation is the returned bin array.
        let counts = withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * binCount) { c -> [Int] in
            c.initialize(repeating: 0)
            for (i, v) in values.enumerated() {
                // NaN fails both comparisons below and is caught by the finiteness test first.
                guard v.isFinite else { nonFinite += 1; continue }
                if v < lo { underflow += 1; continue }
                if v > hi { overflow += 1; continue }
                let position = (Double(v) - lower) * scale    // finite: |v|, |lower| < 3.5e38, scale < 1e47
                let bin = Int(Foundation.fmin(Foundation.fmax(position, 0), lastBinDouble))   // fmin/fmax: no branch
                c[(i & 3) * binCount + bin] += 1
            }
            return (0..<binCount).map { c[$0] + c[binCount + $0] + c[2 * binCount + $0] + c[3 * binCount + $0] }
        }
        return Histogram(scale: .linear, lower: lower, upper: upper, binCounts: counts,
                         underflow: underflow, overflow: overflow, nonFinite: nonFinite, zeroCount: 0)
    }

    /// log10|x| histogram over [lower, upper] decades with `bins` bins; zeros counted apart, last bin closed.
    /// Binning is exact against Float32 bin edges 10^(lower + k w): a table log2 guess corrected by comparison.
    /// log2(1 + (j + 0.5) / 256) for j = 0..<256: log2 of a Float's mantissa from its top 8 bits.
    static let log2MantissaTable: [Float] = (0..<256).map { Float(Foundation.log2(1 + (Double($0) + 0.5) / 256)) }

    /// A usable range: bounds clamped to +-Float max (non-finite: -1 and 1), upper - lower > 1e-290 (else upper = lower + 1).
    static func sanitizedRange(_ lower: Double, _ upper: Double) -> (Double, Double) {
        let limit = Double(Float.greatestFiniteMagnitude)
        let lo = lower.isFinite ? Swift.max(Swift.min(lower, limit), -limit) : -1
        var hi = upper.isFinite ? Swift.max(Swift.min(upper, limit), -limit) : 1
        if !(hi - lo > 1e-290) { hi = lo + 1 }   // bins / (hi - lo) stays finite, so no 0 * inf = NaN
        return (lo, hi)
    }

    /// The log10|x| bin of a normal magnitude `a` inside the edges: log2 a = exponent + log2(1 + m), the latter from
    /// the 256-entry `table` on the top mantissa bits (error < 0.003 in log2), corrected against the Float `edges`
    /// so the result is exact; `walk` when bins are narrower than the guess's error. Shared by both builders.
    @inline(__always)
    static func logBinFromMantissaGuess(_ a: Float, table: UnsafeBufferPointer<Float>, binsPerLog2: Double, offset: Double,
                                        lastBin: Int, edges e: UnsafeBufferPointer<Float>, walk: Bool) -> Int {
        let bits = a.bitPattern
        let exponent = Double(bits >> 23) - 127
        let log2Mantissa = Double(table[Int((bits >> 15) & 0xFF)])
        let guess = Swift.min(Swift.max((exponent + log2Mantissa) * binsPerLog2 + offset, 0), Double(lastBin))
        var bin = Int(guess)
        bin -= a < e[bin] ? 1 : 0
        bin += bin < lastBin && a >= e[bin + 1] ? 1 : 0
        return walk ? settle(a, bin, e) : bin
    }

    /// The bin of `a` in edges `e` (K + 1 edges), walking up from `start`.
    static func settle(_ a: Float, _ start: Int, _ e: UnsafeBufferPointer<Float>) -> Int {
        let lastBin = e.count - 2
        var bin = start
        while bin > 0 && a < e[bin] { bin -= 1 }
        while bin < lastBin && a >= e[bin + 1] { bin += 1 }
        return bin
    }

    /// log10|x| histogram of `values` over [lower, upper] decades with `bins` bins; zeros counted apart, last bin
    /// closed; exact against the Float32 bin edges.
    public static func logMagnitude(_ values: Span<Float>, lower: Double, upper: Double,
                                    bins: Int = defaultBinCount) -> Histogram {
        values.withUnsafeBufferPointer { logMagnitude($0, lower: lower, upper: upper, bins: bins) }
    }

    /// `logMagnitude` on a buffer (engine-internal).
    static func logMagnitude(_ values: UnsafeBufferPointer<Float>, lower: Double, upper: Double,
                             bins: Int = defaultBinCount) -> Histogram {
        let binCount = Swift.max(bins, 1)
        var (lower, upper) = sanitizedRange(lower, upper)
        lower = Swift.max(Swift.min(lower, 400), -400)           // decades; Float spans -45...39
        if !(upper - lower >= 1e-6 * Double(binCount)) { upper = lower + 1 }   // keeps bins/decade finite
        upper = Swift.min(upper, lower + 1000)
        var underflow = 0, overflow = 0, nonFinite = 0, zeros = 0
        let width = (upper - lower) / Double(binCount)
        // edges[k] = 10^(lower + k w) for k = 0...K, as Float (may round to 0 or +inf at the extremes).
        // Edges and the interleaved sub-histograms (as in `linear`) live on the stack.
        let counts = withUnsafeTemporaryAllocation(of: Float.self, capacity: binCount + 1) { edges -> [Int] in
        for k in 0...binCount { edges.initializeElement(at: k, to: Float(Foundation.pow(10, lower + Double(k) * width))) }
        let binsPerLog2 = 0.30102999566398120 / width     // Double: a Float could overflow for tiny widths
        let offset = -lower / width
        let lastBin = binCount - 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * binCount) { c -> [Int] in
            c.initialize(repeating: 0)
            let e = UnsafeBufferPointer(edges)
            log2MantissaTable.withUnsafeBufferPointer { table in
                // An infinite top edge (upper >= 39 decades) must not take in infinities: they are non-finite.
                let low = e[0], high = Swift.min(e[binCount], Float.greatestFiniteMagnitude)
                // The table guess is within 0.0029 of log2 a (+ rounding): one correction step suffices while that
                // is under ~0.9 bin; narrower bins walk the edges.
                let needsWalk = binsPerLog2 * 0.0035 > 0.9
                for i in 0..<values.count {
                    let v = values[i]
                    let a = Swift.abs(v)
                    // One test sends NaN, infinities, zeros (and subnormals) and out-of-range values to the slow path.
                    guard a >= low && a <= high && a >= Float.leastNormalMagnitude else {
                        if !v.isFinite { nonFinite += 1 } else if a == 0 { zeros += 1 }
                        else if a < low { underflow += 1 } else if a > high { overflow += 1 }
                        else { c[settle(a, 0, e)] += 1 }   // subnormal inside the range
                        continue
                    }
                    // log2 a = exponent + log2(1 + m), the latter from a 256-entry table on the top mantissa bits
                    // (error < 0.003 in log2, under a bin's width); the short dependency chain keeps the loop fast.
                    // The guess is then corrected against the Float edges, so binning is exact.
                    let bin = logBinFromMantissaGuess(a, table: table, binsPerLog2: binsPerLog2, offset: offset,
                                                      lastBin: lastBin, edges: e, walk: needsWalk)
                    c[(i & 3) * binCount + bin] += 1
                }
            }
            return (0..<binCount).map { c[$0] + c[binCount + $0] + c[2 * binCount + $0] + c[3 * binCount + $0] }
        }
        }
        return Histogram(scale: .log10Magnitude, lower: lower, upper: upper, binCounts: counts,
                         underflow: underflow, overflow: overflow, nonFinite: nonFinite, zeroCount: zeros)
    }
}

extension TensorStatistics {
    /// Summary and both histograms of `values` (two passes), with data-driven ranges.
    public static func report(_ values: Span<Float>, saturation: SaturationRule = .none,
                              bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        values.withUnsafeBufferPointer { report($0, saturation: saturation, bins: bins) }
    }

    /// `report` on a buffer (engine-internal).
    static func report(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none,
                       bins: Int = HistogramBuilder.defaultBinCount) -> QuantityReport {
        let scanned = scan(values, saturation: saturation)
        let linearRange = HistogramBuilder.linearRange(for: scanned)
        let logRange = HistogramBuilder.logRange(for: scanned)
        let both = HistogramBuilder.linearAndLogMagnitude(values, linearLower: linearRange.lower, linearUpper: linearRange.upper,
                                                          logLower: logRange.lower, logUpper: logRange.upper, bins: bins)
        return QuantityReport(stats: scanned.stats, linear: both.linear, logMagnitude: both.logMagnitude)
    }
}
