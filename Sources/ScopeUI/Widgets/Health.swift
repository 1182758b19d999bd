// Health of one layer's quantity: vanishing, healthy, exploding, saturated, dead, non-finite; and the theme
// role that colours it. Legend: L = depth; series are per layer (count L), index layer - 1.
import Foundation
import SignalFlow

/// How one layer's values look: the state a sparkline column, number or histogram is coloured by.
public enum Health: Equatable, Sendable, CaseIterable {
    /// Not computed yet.
    case pending
    /// Variance below the healthy band, or fallen more than `trendLimit` from the reference layer (or zero).
    case vanishing
    /// Within the band, near the reference layer, few saturated or dead units.
    case healthy
    /// Variance above the healthy band, or grown more than `trendLimit` from the reference layer.
    case exploding
    /// Bounded activation (tanh, sigmoid) with more than `saturatedLimit` of the units at a bound.
    case saturated
    /// More than `deadLimit` of the units exactly zero (ReLU passes about half).
    case dead
    /// NaN or infinity present.
    case nonFinite

    /// Healthy band in log10 of the variance: [1e-2, 1e+2] around the unit-variance input.
    public static let healthyLog10Range: ClosedRange<Double> = -2...2
    /// Largest change from the reference layer (layer 1 forward, layer L backward) still called healthy: 100x.
    public static let trendLimit = 100.0
    /// Share of saturated units (within 1% of a bound) above which a layer is saturated.
    public static let saturatedLimit = 0.5
    /// Share of exactly-zero units above which a layer is dead (ReLU alone gives about 0.5).
    public static let deadLimit = 0.7

    /// Classifies one layer: `variance` (nil = pending) against the band and, when given, against `reference`
    /// (the first layer the signal reached); then the shares of saturated and of zero units. Any non-finite
    /// element makes the layer non-finite, whatever its finite-only variance says.
    public static func classify(variance: Double?, nonFiniteCount: Int = 0, reference: Double? = nil,
                                saturatedFraction: Double = 0, zeroFraction: Double = 0) -> Health {
        guard let variance else { return .pending }
        if nonFiniteCount > 0 || !variance.isFinite { return .nonFinite }
        if variance <= 0 { return .vanishing }
        let exponent = log10(variance)
        if exponent < healthyLog10Range.lowerBound { return .vanishing }
        if exponent > healthyLog10Range.upperBound { return .exploding }
        if let reference, reference.isFinite, reference > 0 {
            if variance < reference / trendLimit { return .vanishing }
            if variance > reference * trendLimit { return .exploding }
        }
        if saturatedFraction > saturatedLimit { return .saturated }
        if zeroFraction > deadLimit { return .dead }
        return .healthy
    }

    /// The health of every layer of one quantity of a run (count L): the variance band, the change from the
    /// first layer the signal reaches (layer 1 for forward quantities, layer L for gradients), saturation
    /// (bounded activations, activations only) and dead units (activations only). Kept in step with the layers
    /// (RunSeries) when the run knows `activation`, else classified now.
    public static func series(_ run: RunData, _ quantity: Quantity, activation: Activation) -> [Health] {
        run.perLayer.health(quantity, activation: activation) ?? series(run.perLayer.stats(quantity), quantity, activation: activation)
    }

    /// The health of each layer of `stats`, the statistics of `quantity` by layer - 1 (count L): the definition
    /// `series(_:_:activation:)` keeps.
    public static func series(_ stats: [SummaryStats?], _ quantity: Quantity, activation: Activation) -> [Health] {
        let backward = quantity == .activationGradient || quantity == .weightGradient
        // The first layer the signal reaches, found in place (a reversed copy of L entries cost a fresh O(L) block
        // on every call, several per row and frame).
        let reached = backward ? stats.last { $0 != nil } : stats.first { $0 != nil }
        let reference = reached.flatMap { $0 }.flatMap { $0.nonFiniteCount == 0 ? $0.variance : nil }
        let unitChecks = quantity == .activation
        return stats.map { layer in
            guard let layer else { return .pending }
            return classify(variance: layer.variance, nonFiniteCount: layer.nonFiniteCount, reference: reference,
                            saturatedFraction: unitChecks && activation.isBounded ? layer.saturatedFraction : 0,
                            zeroFraction: unitChecks ? layer.zeroFraction : 0)
        }
    }

    /// The theme role that colours this health (saturated and dead share the "saturated" role: units that
    /// pass almost no gradient).
    public var role: ThemeRole {
        switch self {
        case .pending: return .mutedText
        case .vanishing: return .vanishing
        case .healthy: return .healthy
        case .exploding: return .exploding
        case .saturated, .dead: return .saturated
        case .nonFinite: return .nonFinite
        }
    }

    /// A word for legends and captions.
    public var word: String {
        switch self {
        case .pending: return "pending"
        case .vanishing: return "vanishing"
        case .healthy: return "healthy"
        case .exploding: return "exploding"
        case .saturated: return "saturated"
        case .dead: return "dead"
        case .nonFinite: return "non-finite"
        }
    }

    /// A shorter word for narrow legends.
    public var shortWord: String {
        switch self {
        case .pending: return "wait"
        case .vanishing: return "vanish"
        case .healthy: return "ok"
        case .exploding: return "explode"
        case .saturated: return "satur"
        case .dead: return "dead"
        case .nonFinite: return "NaN"
        }
    }
}
