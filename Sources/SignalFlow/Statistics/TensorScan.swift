// Pass 1 over a tensor: moments in Double, extremes, zero/saturated/non-finite counts, magnitude range.
// Legend: N = number of elements (any shape, read as a flat Float32 buffer).
import Foundation

/// Which values count as saturated: y <= lowerBound or y >= upperBound (never, for unbounded activations).
public struct SaturationRule: Equatable, Sendable {
    /// Values at or below this are saturated (-infinity = never).
    public var lowerBound: Float
    /// Values at or above this are saturated (+infinity = never).
    public var upperBound: Float

    /// No value is saturated.
    public static let none = SaturationRule(lowerBound: -.infinity, upperBound: .infinity)

    /// True when `value` counts as saturated. An infinite bound never matches: under `.none` an overflowed +-inf is
    /// non-finite, not saturated (it was counted as saturated, so ReLU showed sat% 40.5 at an overflowing layer).
    @inline(__always)
    public func saturates(_ value: Float) -> Bool {
        (value <= lowerBound && lowerBound != -.infinity) || (value >= upperBound && upperBound != .infinity)
    }

    /// The rule of `Activation.isSaturated(activationValue:)` for activation values of `activation`.
    public static func activationValues(of activation: Activation) -> SaturationRule {
        switch activation {
        case .tanh: return SaturationRule(lowerBound: (-0.99 as Float).nextDown, upperBound: (0.99 as Float).nextUp)
        case .sigmoid: return SaturationRule(lowerBound: (0.01 as Float).nextDown, upperBound: (0.99 as Float).nextUp)
        default: return .none
        }
    }
}

/// The result of one pass over a tensor: its summary plus the magnitude range that sizes the histograms.
public struct TensorScan: Equatable, Sendable {
    /// Moments and counts (finite elements only in moments, min, max).
    public var stats: SummaryStats
    /// Smallest non-zero finite |x| (+infinity when there is none).
    public var minimumNonzeroMagnitude: Double
    /// Largest finite |x| (0 when there is none).
    public var maximumMagnitude: Double
}

/// Single-pass statistics of Float32 tensors in Double accumulators, allocation-free.
public enum TensorStatistics {
    /// Summary of the N elements of `values`: moments in Double about a shift (the first element when finite),
    /// eight lanes per block of finite values, element by element in blocks holding NaN or infinities.
    public static func scan(_ values: Span<Float>, saturation: SaturationRule = .none) -> TensorScan {
        values.withUnsafeBufferPointer { scan($0, saturation: saturation) }
    }

    /// Shorthand for `scan(values, saturation:).stats`.
    public static func summarize(_ values: Span<Float>, saturation: SaturationRule = .none) -> SummaryStats {
        scan(values, saturation: saturation).stats
    }

    /// `scan` on a buffer (engine-internal).
    static func scan(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none) -> TensorScan {
        ScanAccumulator.scan(values, saturation: saturation)
    }

    /// Turns shifted sums into a summary: mean = shift + S1/m, variance = S2/m - (S1/m)^2, E[x^2] = var + mean^2.
    static func finish(count: Int, finiteCount: Int, shift: Double, sum: Double, sumSquares: Double, minimum: Double,
                       maximum: Double, zeros: Int, saturated: Int, nonFinite: Int, minimumMagnitude: Double) -> TensorScan {
        guard count > 0 else { return TensorScan(stats: .empty, minimumNonzeroMagnitude: .infinity, maximumMagnitude: 0) }
        let total = Double(count)
        guard finiteCount > 0 else {
            var stats = SummaryStats.empty
            stats.count = count; stats.nonFiniteCount = nonFinite
            stats.saturatedFraction = Double(saturated) / total
            return TensorScan(stats: stats, minimumNonzeroMagnitude: .infinity, maximumMagnitude: 0)
        }
        let m = Double(finiteCount)
        let meanOffset = sum / m
        let variance = Swift.max(sumSquares / m - meanOffset * meanOffset, 0)
        let mean = shift + meanOffset
        let stats = SummaryStats(count: count, mean: mean, variance: variance, secondMoment: variance + mean * mean,
                                 min: minimum, max: maximum, saturatedFraction: Double(saturated) / total,
                                 zeroFraction: Double(zeros) / total, nonFiniteCount: nonFinite)
        return TensorScan(stats: stats, minimumNonzeroMagnitude: minimumMagnitude,
                          maximumMagnitude: Swift.max(Swift.abs(minimum), Swift.abs(maximum)))
    }
}
