// Summary statistics of one tensor (all elements of a B x n activation block or an n x n weight matrix).

/// Moments and counts of one tensor's elements, accumulated in Double. Non-finite elements are counted
/// in `nonFiniteCount` and excluded from every moment, min and max.
public struct SummaryStats: Equatable, Sendable, Codable {
    /// Number of elements seen, finite or not.
    public var count: Int
    /// Mean of the finite elements (0 when there are none).
    public var mean: Double
    /// Population variance of the finite elements about their mean.
    public var variance: Double
    /// Mean of the squares of the finite elements (the mean-field q).
    public var secondMoment: Double
    /// Smallest finite element (+infinity when there are none).
    public var min: Double
    /// Largest finite element (-infinity when there are none).
    public var max: Double
    /// Fraction of all elements that are saturated (bounded activations only; 0 otherwise).
    public var saturatedFraction: Double
    /// Fraction of all elements exactly equal to zero ("dead").
    public var zeroFraction: Double
    /// Number of NaN or infinite elements.
    public var nonFiniteCount: Int

    /// Creates a summary from its fields.
    public init(count: Int, mean: Double, variance: Double, secondMoment: Double, min: Double, max: Double,
                saturatedFraction: Double, zeroFraction: Double, nonFiniteCount: Int) {
        self.count = count; self.mean = mean; self.variance = variance; self.secondMoment = secondMoment
        self.min = min; self.max = max; self.saturatedFraction = saturatedFraction
        self.zeroFraction = zeroFraction; self.nonFiniteCount = nonFiniteCount
    }

    /// The summary of no elements.
    public static let empty = SummaryStats(count: 0, mean: 0, variance: 0, secondMoment: 0, min: .infinity,
                                           max: -.infinity, saturatedFraction: 0, zeroFraction: 0, nonFiniteCount: 0)

    /// Standard deviation (square root of the population variance).
    public var standardDeviation: Double { variance.squareRoot() }
}
