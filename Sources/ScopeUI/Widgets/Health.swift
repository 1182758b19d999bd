// Health of a variance: vanishing, healthy, exploding, non-finite; and the theme role that colours it.
import Foundation

/// How a per-layer variance looks on the log scale.
public enum Health: Equatable, Sendable {
    /// Not computed yet.
    case pending
    /// Below the healthy band (or exactly zero).
    case vanishing
    /// Within the healthy band.
    case healthy
    /// Above the healthy band.
    case exploding
    /// NaN or infinity present.
    case nonFinite

    /// Healthy band in log10 of the variance: [1e-2, 1e+2] around the unit-variance input.
    public static let healthyLog10Range: ClosedRange<Double> = -2...2

    /// Classifies `variance` (nil = pending); any non-finite element makes the layer non-finite.
    public static func classify(variance: Double?, nonFiniteCount: Int = 0) -> Health {
        guard let variance else { return .pending }
        if nonFiniteCount > 0 || !variance.isFinite { return .nonFinite }
        if variance <= 0 { return .vanishing }
        let exponent = log10(variance)
        if exponent < healthyLog10Range.lowerBound { return .vanishing }
        if exponent > healthyLog10Range.upperBound { return .exploding }
        return .healthy
    }

    /// The theme role that colours this health.
    public var role: ThemeRole {
        switch self {
        case .pending: return .mutedText
        case .vanishing: return .vanishing
        case .healthy: return .healthy
        case .exploding: return .exploding
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
        case .nonFinite: return "non-finite"
        }
    }
}
