// A log10 value axis shared by every sparkline on screen, so rows compare at a glance.
import Foundation

/// Maps positive values to 0...1 by log10 between two whole decades.
public struct LogScale: Equatable, Sendable {
    /// Lowest decade shown (log10 of the value at fraction 0).
    public var lowerExponent: Int
    /// Highest decade shown (log10 of the value at fraction 1); > lowerExponent.
    public var upperExponent: Int

    /// A scale from 10^lower to 10^upper (upper is raised to lower + 1 when not above it).
    public init(lowerExponent: Int, upperExponent: Int) {
        self.lowerExponent = lowerExponent
        self.upperExponent = max(upperExponent, lowerExponent + 1)
    }

    /// The smallest whole-decade scale holding every finite positive value, at least `minimumDecades` wide
    /// (widened around the middle), exponents clamped to +-330. Default 1e-2...1e+2 when there is no value.
    public static func fitting(_ values: [Double], minimumDecades: Int = 4) -> LogScale {
        fitting(PositiveExtremes(values), minimumDecades: minimumDecades)
    }

    /// `fitting(_:minimumDecades:)` of the values `extremes` has seen.
    public static func fitting(_ extremes: PositiveExtremes, minimumDecades: Int = 4) -> LogScale {
        // log10 is increasing: the extremes' logarithms are the logarithms' extremes. Two log10 calls and no copies
        // (this runs for every row on every frame, over all L layers).
        let smallest = extremes.smallest, largest = extremes.largest
        guard smallest <= largest else {
            return LogScale(lowerExponent: -minimumDecades / 2, upperExponent: minimumDecades - minimumDecades / 2)
        }
        let low = log10(smallest), high = log10(largest)
        var lower = Int(max(-330, floor(low))), upper = Int(min(330, ceil(high)))
        if upper - lower < minimumDecades {
            let missing = minimumDecades - (upper - lower)
            lower -= (missing + 1) / 2; upper += missing / 2
        }
        return LogScale(lowerExponent: lower, upperExponent: upper)
    }

    /// Position of `value` on the scale, clamped to 0...1; zero and negatives map to 0, NaN to 0, +inf to 1.
    public func fraction(_ value: Double) -> Double {
        if value.isNaN || value <= 0 { return 0 }
        if value.isInfinite { return 1 }
        let position = (log10(value) - Double(lowerExponent)) / Double(upperExponent - lowerExponent)
        return min(1, max(0, position))
    }
}

/// The smallest and largest finite positive values seen: all a log scale is fitted to, gathered from several series
/// without concatenating them.
public struct PositiveExtremes: Equatable, Sendable {
    /// Smallest finite positive value seen (+inf before any).
    public private(set) var smallest = Double.infinity
    /// Largest finite positive value seen (-inf before any).
    public private(set) var largest = -Double.infinity

    /// Nothing seen.
    public init() {}

    /// The extremes of `values`.
    public init(_ values: some Sequence<Double>) { include(each: values) }

    /// Takes `value` (ignored unless finite and positive).
    public mutating func include(_ value: Double) {
        if value.isFinite && value > 0 { smallest = min(smallest, value); largest = max(largest, value) }
    }

    /// Takes every value of `values`.
    public mutating func include(each values: some Sequence<Double>) {
        for value in values { include(value) }
    }

    /// Takes every value `other` has seen.
    public mutating func include(_ other: PositiveExtremes) {
        smallest = min(smallest, other.smallest); largest = max(largest, other.largest)
    }

    /// True when `value` is one of the two extremes (removing it may change them).
    public func isExtreme(_ value: Double) -> Bool { value == smallest || value == largest }

    /// Takes every known value of `values` (nil skipped).
    public mutating func include(known values: some Sequence<Double?>) {
        for value in values { if let value { include(value) } }
    }
}
