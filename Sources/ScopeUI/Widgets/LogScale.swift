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
        // log10 is increasing: the extremes' logarithms are the logarithms' extremes. One pass, two log10 calls and
        // no copies (this runs for every row on every frame, over all L layers).
        var smallest = Double.infinity, largest = -Double.infinity
        for value in values where value.isFinite && value > 0 {
            smallest = min(smallest, value); largest = max(largest, value)
        }
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
