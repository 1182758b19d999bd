// Fixed-bin histograms of one tensor, in value or in log10|value|.

/// Whether a histogram's bins are equal steps of the value or of log10 of its magnitude.
public enum HistogramScale: String, Equatable, Sendable, Codable {
    /// Bins over [lower, upper) in the value itself.
    case linear
    /// Bins over [lower, upper) in log10|value|; exact zeros are counted in `zeroCount`, not in a bin.
    case log10Magnitude
}

/// Counts of a tensor's elements in equal-width bins, with under/overflow and non-finite counts.
public struct Histogram: Equatable, Sendable, Codable {
    /// Scale of the bin axis.
    public var scale: HistogramScale
    /// Left edge of the first bin (in value, or in log10|value| for `.log10Magnitude`).
    public var lower: Double
    /// Right edge of the last bin (same units as `lower`).
    public var upper: Double
    /// Count per bin, `binCounts.count` bins of width (upper - lower) / bins.
    public var binCounts: [Int]
    /// Finite elements below `lower`.
    public var underflow: Int
    /// Finite elements above `upper` (the last bin is closed: it includes `upper`).
    public var overflow: Int
    /// Elements that were NaN or infinite (in no bin).
    public var nonFinite: Int
    /// Exact zeros (log scale only: log10|0| is -infinity; in linear scale they fall in a bin).
    public var zeroCount: Int

    /// Creates a histogram from its fields.
    public init(scale: HistogramScale, lower: Double, upper: Double, binCounts: [Int],
                underflow: Int = 0, overflow: Int = 0, nonFinite: Int = 0, zeroCount: Int = 0) {
        self.scale = scale; self.lower = lower; self.upper = upper; self.binCounts = binCounts
        self.underflow = underflow; self.overflow = overflow; self.nonFinite = nonFinite; self.zeroCount = zeroCount
    }

    /// Width of one bin (same units as `lower`).
    public var binWidth: Double { binCounts.isEmpty ? 0 : (upper - lower) / Double(binCounts.count) }

    /// Total of every count, binned or not.
    public var totalCount: Int { binCounts.reduce(0, +) + underflow + overflow + nonFinite + (scale == .log10Magnitude ? zeroCount : 0) }
}
