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
    /// Elements per block; per-block SIMD counters are flushed to Int after each block.
    static let blockLength = 1 << 16

    /// Summary of the N elements of `values`; moments about a shift (the first finite element) for accuracy.
    /// Sums are pairwise: Float partial sums of 16 elements per lane, accumulated in Double.
    public static func scan(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none) -> TensorScan {
        if let fast = scanAllFinite(values, saturation: saturation) { return fast }
        return scanWithNonFinite(values, saturation: saturation)
    }

    /// Shorthand for `scan(values, saturation:).stats`.
    public static func summarize(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none) -> SummaryStats {
        scan(values, saturation: saturation).stats
    }

    /// Vectorised pass assuming every element is finite; nil when the sums show a NaN or infinity.
    static func scanAllFinite(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule) -> TensorScan? {
        let count = values.count
        guard count > 0, let base = values.baseAddress else {
            return TensorScan(stats: .empty, minimumNonzeroMagnitude: .infinity, maximumMagnitude: 0)
        }
        let shift = Double(base[0])
        guard shift.isFinite else { return nil }
        let shiftFloat = base[0]
        let shiftVector = SIMD8<Float>(repeating: shiftFloat)
        var sum = 0.0, sumSquares = 0.0
        var minimum = Float.infinity, maximum = -Float.infinity, minimumMagnitude = Float.infinity
        var zeros = 0, saturated = 0
        let lowVector = SIMD8<Float>(repeating: saturation.lowerBound)
        let highVector = SIMD8<Float>(repeating: saturation.upperBound)
        let infinityVector = SIMD8<Float>(repeating: .infinity)
        let zeroVector = SIMD8<Float>(), oneLanes = SIMD8<Int32>(repeating: 1), noLanes = SIMD8<Int32>()
        let raw = UnsafeRawPointer(base)
        var blockStart = 0
        while blockStart < count {
            let blockEnd = Swift.min(blockStart + blockLength, count)
            var acc1 = SIMD8<Double>(), acc2 = SIMD8<Double>()
            var lo = infinityVector, hi = -infinityVector, loMagnitude = infinityVector
            var zeroLanes = SIMD8<Int32>(), saturatedLanes = SIMD8<Int32>()
            var i = blockStart
            // Pairwise-style summation: Float partial sums over 16 vectors (128 elements), then Double.
            while i + 128 <= blockEnd {
                var partial1 = SIMD8<Float>(), partial2 = SIMD8<Float>()
                for k in 0..<16 {
                    let v = raw.loadUnaligned(fromByteOffset: (i + 8 * k) * 4, as: SIMD8<Float>.self)
                    let d = v - shiftVector
                    partial1 += d
                    partial2 += d * d
                    lo = lo.replacing(with: v, where: v .< lo); hi = hi.replacing(with: v, where: v .> hi)
                    let isZero = v .== zeroVector
                    zeroLanes &+= noLanes.replacing(with: oneLanes, where: isZero)
                    let magnitude = v.replacing(with: zeroVector - v, where: v .< zeroVector)
                        .replacing(with: infinityVector, where: isZero)
                    loMagnitude = loMagnitude.replacing(with: magnitude, where: magnitude .< loMagnitude)
                    saturatedLanes &+= noLanes.replacing(with: oneLanes, where: (v .<= lowVector) .| (v .>= highVector))
                }
                acc1 += SIMD8<Double>(partial1)
                acc2 += SIMD8<Double>(partial2)
                i += 128
            }
            sum += acc1.sum(); sumSquares += acc2.sum()
            minimum = Swift.min(minimum, lo.min()); maximum = Swift.max(maximum, hi.max())
            minimumMagnitude = Swift.min(minimumMagnitude, loMagnitude.min())
            zeros += Int(zeroLanes.wrappedSum()); saturated += Int(saturatedLanes.wrappedSum())
            while i < blockEnd {
                let v = base[i]
                let d = Double(v - shiftFloat)
                sum += d; sumSquares += d * d
                minimum = Swift.min(minimum, v); maximum = Swift.max(maximum, v)
                if v == 0 { zeros += 1 } else { minimumMagnitude = Swift.min(minimumMagnitude, Swift.abs(v)) }
                if v <= saturation.lowerBound || v >= saturation.upperBound { saturated += 1 }
                i += 1
            }
            blockStart = blockEnd
        }
        guard sum.isFinite, sumSquares.isFinite, minimum.isFinite, maximum.isFinite else { return nil }
        return finish(count: count, finiteCount: count, shift: shift, sum: sum, sumSquares: sumSquares,
                      minimum: Double(minimum), maximum: Double(maximum), zeros: zeros, saturated: saturated,
                      nonFinite: 0, minimumMagnitude: Double(minimumMagnitude))
    }

    /// Scalar pass that skips NaN and infinities (counted in nonFiniteCount).
    static func scanWithNonFinite(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule) -> TensorScan {
        var shift = 0.0
        for v in values where v.isFinite { shift = Double(v); break }
        var sum = 0.0, sumSquares = 0.0, minimum = Double.infinity, maximum = -Double.infinity
        var minimumMagnitude = Double.infinity
        var zeros = 0, saturated = 0, nonFinite = 0
        for v in values {
            if v <= saturation.lowerBound || v >= saturation.upperBound { saturated += 1 }
            guard v.isFinite else { nonFinite += 1; continue }
            let x = Double(v)
            let d = x - shift
            sum += d; sumSquares += d * d
            minimum = Swift.min(minimum, x); maximum = Swift.max(maximum, x)
            if v == 0 { zeros += 1 } else { minimumMagnitude = Swift.min(minimumMagnitude, Swift.abs(x)) }
        }
        return finish(count: values.count, finiteCount: values.count - nonFinite, shift: shift, sum: sum,
                      sumSquares: sumSquares, minimum: minimum, maximum: maximum, zeros: zeros, saturated: saturated,
                      nonFinite: nonFinite, minimumMagnitude: minimumMagnitude)
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
