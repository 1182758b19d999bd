// Mean field's variance of what each row's sparklines show, for every layer, known before the run measures any:
// the scale of a row still computing is fitted to it (SparklineScales), so the scale does not move as layers arrive.
// Legend: L = depth; q = pre-activation second moment E[h^2]; series by layer - 1 (count L).
import SignalFlow

/// The variances mean field predicts for one row, by layer (count L): var(x) of the activations and var(dL/dh).
public struct RowPrediction: Equatable, Sendable {
    /// var(phi(h^l)) with h^l ~ N(0, q^l), by layer - 1.
    public let activationVariance: [Double]
    /// E[(dL/dh^l)^2] (its mean is 0, so this is its variance), by layer - 1.
    public let gradientVariance: [Double]
    /// The extremes of each series (what a row's scale is fitted to, on every frame: found once here).
    private let activationExtremes: PositiveExtremes, gradientExtremes: PositiveExtremes

    /// A prediction of the two series.
    public init(activationVariance: [Double], gradientVariance: [Double]) {
        self.activationVariance = activationVariance; self.gradientVariance = gradientVariance
        activationExtremes = PositiveExtremes(activationVariance); gradientExtremes = PositiveExtremes(gradientVariance)
    }

    /// The series a row's group of `quantity` shows (activation or activation gradient); [] for the others.
    public func values(_ quantity: Quantity) -> [Double] {
        switch quantity {
        case .activation: return activationVariance
        case .activationGradient: return gradientVariance
        default: return []
        }
    }

    /// The finite positive extremes of `values(quantity)`.
    public func extremes(_ quantity: Quantity) -> PositiveExtremes {
        switch quantity {
        case .activation: return activationExtremes
        case .activationGradient: return gradientExtremes
        default: return PositiveExtremes()
        }
    }

    /// Mean field's prediction for `named` in `scenario` (input and upstream gradient N(0, 1), as the engine);
    /// nil for networks other than the MLP, or when mean field has nothing to say.
    public static func forRow(_ scenario: Scenario, _ named: NamedInitializer) -> RowPrediction? {
        guard scenario.architecture == .mlp, scenario.depth >= 1 else { return nil }
        let layers = MeanField.predictLayers(scenario: scenario, initializer: named.initializer)
        guard layers.count == scenario.depth else { return nil }
        return RowPrediction(
            activationVariance: layers.map { predictedActivationVariance(scenario.activation, q: $0.preactivationSecondMoment) },
            gradientVariance: layers.map(\.gradientSecondMoment))
    }

    /// The predictions of `rows` (indices into the scenario's initializers) by row; stops early (returning what it
    /// has) when `cancellation` is set. Costs up to a few quadratures per layer: run it off the UI thread.
    public static func forRows(_ scenario: Scenario, rows: [Int], cancellation: CancellationToken) -> [Int: RowPrediction] {
        var result: [Int: RowPrediction] = [:]
        for row in rows where scenario.initializers.indices.contains(row) {
            if cancellation.isCancelled { break }
            result[row] = forRow(scenario, scenario.initializers[row])
        }
        return result
    }
}

/// var(phi(h)) = E[phi(h)^2] - E[phi(h)]^2 for h ~ N(0, q): what a row's activation variance is in mean field.
/// +inf when E[phi^2] is (unbounded phi at infinite q); never negative.
public func predictedActivationVariance(_ activation: Activation, q: Double) -> Double {
    let second = GaussianExpectation.squaredValue(activation, q: q)
    if second.isInfinite || second.isNaN { return second }
    let mean = GaussianExpectation.mean(activation, q: q)
    return max(0, second - mean * mean)
}
