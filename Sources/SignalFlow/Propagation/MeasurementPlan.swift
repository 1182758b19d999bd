// What a run measures beyond the statistics every run has: histograms, and the weight gradients (which cost
// one more GEMM per layer). The live view asks only for what its layout shows; `report` asks for everything.
// Legend: L = depth; dW^l = x^{l-1}^T delta^l is n_{l-1} x n_l.

/// The optional measurements of a run. Statistics of pre-activations, activations, activation gradients and
/// weights are always measured (the theory, LSUV and the sparklines need them).
public struct MeasurementPlan: Equatable, Sendable {
    /// Quantities that get both histograms (linear and log10|x|); the others get statistics only.
    public var histogramQuantities: Set<Quantity>
    /// Whether dW^l is computed and measured (one n_{l-1} x B x n_l GEMM per layer, 1/3 of the pass's GEMMs).
    public var weightGradients: Bool
    /// Whether the sites inside residual blocks are measured (the stream and its gradient always are).
    public var blockSites = true

    /// Creates a plan.
    public init(histogramQuantities: Set<Quantity>, weightGradients: Bool) {
        self.histogramQuantities = histogramQuantities; self.weightGradients = weightGradients
    }

    /// Every quantity with histograms, weight gradients included (the default, and `report --histograms`).
    public static let everything = MeasurementPlan(histogramQuantities: Set(Quantity.allCases), weightGradients: true)

    /// Every statistic, no histograms (`report` as a table, or CSV/JSON without --histograms).
    public static let statisticsOnly = MeasurementPlan(histogramQuantities: [], weightGradients: true)

    /// True when a run with this plan has everything a run with `other` would have.
    public func covers(_ other: MeasurementPlan) -> Bool {
        other.histogramQuantities.isSubset(of: histogramQuantities) && (weightGradients || !other.weightGradients)
            && (blockSites || !other.blockSites)
    }
}
