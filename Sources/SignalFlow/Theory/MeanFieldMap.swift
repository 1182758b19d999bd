// The mean-field length, correlation and gradient maps of one layer type, its fixed point and depth scales
// (reference sections 3.2-3.4). Legend: q = pre-activation second moment; c = correlation of two inputs;
// sigma_w^2 = fan_in Var(W); sigma_b^2 = bias variance.
import Foundation

/// Which side of the order-to-chaos transition a layer type sits on.
public enum MeanFieldPhase: String, Equatable, Sendable {
    /// chi_1 < 1: nearby inputs collapse together, gradients vanish.
    case ordered
    /// chi_1 > 1: nearby inputs decorrelate, gradients explode.
    case chaotic
    /// |chi_1 - 1| <= 1e-3: the edge of chaos.
    case critical
}

/// Fixed point, slope and depth scales of a layer type (see `MeanFieldMap.analysis(startingAt:)`).
public struct MeanFieldAnalysis: Equatable, Sendable {
    /// q*, the fixed point reached from the start q; nil when q grows without bound (no finite fixed point).
    /// For maps with L(q) = q (ReLU/He, sigma_b = 0) every q is fixed and q* is the start.
    public var fixedPoint: Double?
    /// chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]; at the start q when there is no fixed point (exact for the
    /// ReLU family, where chi does not depend on q).
    public var chi1: Double
    /// L'(q*) = chi_1 + sigma_w^2 E[phi phi''] (nil without a fixed point).
    public var lengthMapSlope: Double?
    /// xi_q = -1 / ln |L'(q*)| in layers (+inf when marginal, nil without a fixed point).
    public var lengthDepthScale: Double?
    /// c*, the attracting correlation fixed point at q* (1 in the ordered phase).
    public var correlationFixedPoint: Double?
    /// xi_c = -1 / ln[sigma_w^2 E(phi'(u1*) phi'(u2*))] at (q*, c*), = -1/ln chi_1 when c* = 1 (+inf when critical).
    public var correlationDepthScale: Double?
    /// Phase by chi_1.
    public var phase: MeanFieldPhase
}

/// Multiplies so that a zero factor wins over an infinite one (zero weights carry no signal): never 0 * inf = NaN.
@inline(__always)
func signalProduct(_ a: Double, _ b: Double) -> Double { (a == 0 || b == 0) ? 0 : a * b }

/// The mean-field maps of a dense layer with activation phi and weight/bias variances sigma_w^2, sigma_b^2.
public struct MeanFieldMap: Equatable, Sendable {
    /// The nonlinearity phi.
    public var activation: Activation
    /// sigma_w^2 = fan_in * Var(W).
    public var weightVariance: Double
    /// sigma_b^2.
    public var biasVariance: Double

    /// A map for `activation` with sigma_w^2 = `weightVariance`, sigma_b^2 = `biasVariance`.
    public init(activation: Activation, weightVariance: Double, biasVariance: Double = 0) {
        self.activation = activation; self.weightVariance = weightVariance; self.biasVariance = biasVariance
    }

    /// L(q) = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2.
    public func length(_ q: Double) -> Double {
        signalProduct(weightVariance, GaussianExpectation.squaredValue(activation, q: q)) + biasVariance
    }

    /// L'(q) = sigma_w^2 (E[phi'^2] + E[phi phi'']).
    public func lengthSlope(_ q: Double) -> Double {
        signalProduct(weightVariance, GaussianExpectation.squaredValueSlope(activation, q: q))
    }

    /// chi(q) = sigma_w^2 E[phi'(sqrt(q) z)^2]: the backward factor per layer for equal widths.
    public func chi(_ q: Double) -> Double {
        signalProduct(weightVariance, GaussianExpectation.squaredDerivative(activation, q: q))
    }

    /// One step of the correlation map at equal second moments q: c -> (sigma_w^2 E[phi(u_a) phi(u_b)] + sigma_b^2) / L(q).
    public func correlation(_ c: Double, q: Double) -> Double {
        let next = length(q)
        guard next > 0, next.isFinite else { return c }
        return (signalProduct(weightVariance, CrossMoment.values(activation, qa: q, qb: q, c: c)) + biasVariance) / next
    }

    /// q* reached by iterating L from `start` and polishing by Newton; 0 when q decays to 0; nil when it diverges.
    /// Newton only runs after 500 iterations (slow, power-law or marginal approach) and must move in the direction
    /// the iteration moves: a root behind the iterate (e.g. the unstable q = 0 of a growing map) is not accepted.
    public func fixedPoint(startingAt start: Double = 1) -> Double? {
        var q = Swift.max(start, 0)
        if q == 0 { q = Swift.max(biasVariance, 1e-300) }
        let decaysToZero = biasVariance == 0 && activation.value(0.0) == 0
        let vanishing = 1e-13 * Swift.max(start, 1)
        for _ in 0..<500 {
            let next = length(q)
            if !next.isFinite || next > 1e250 { return nil }
            if Swift.abs(next - q) <= 1e-15 * Swift.max(next, 1e-300) { return next }
            q = next
            if q < vanishing && decaysToZero { return 0 }
        }
        let growing = length(q) > q
        let origin = q
        for _ in 0..<200 {
            let g = length(q) - q
            if Swift.abs(g) <= 1e-14 * Swift.max(q, 1e-300) { return q }
            let slope = lengthSlope(q) - 1
            var next = slope == 0 ? q + g : q - g / slope
            if !next.isFinite || next <= 0 { next = q / 10 }
            next = Swift.min(Swift.max(next, q / 10), q * 10)
            if growing ? next < origin : next > origin { return growing ? nil : (decaysToZero ? 0 : nil) }
            q = next
            if q < vanishing && decaysToZero { return 0 }
            if q > 1e250 { return nil }
        }
        return growing ? nil : q
    }

    /// Fixed point, chi_1, slope, depth scales and phase, starting the length iteration at `start` (the scenario's
    /// first-layer q). With no finite fixed point chi_1 is taken at `start` and the depth scales are nil.
    /// `includeCorrelation: false` skips the two-input correlation fixed point (the costly part in the chaotic
    /// phase, up to ~10 ms): c* and xi_c are then nil when c* would differ from 1.
    public func analysis(startingAt start: Double = 1, includeCorrelation: Bool = true) -> MeanFieldAnalysis {
        let fixed = fixedPoint(startingAt: start)
        // At q* = 0 the maps are evaluated in the limit q -> 0+ (ReLU's chi is 1/2 there, not relu'(0)^2 = 0).
        let evaluationPoint = (fixed ?? start) > 0 ? (fixed ?? start) : Double.leastNormalMagnitude
        let chi1 = chi(evaluationPoint)
        let phase: MeanFieldPhase = Swift.abs(chi1 - 1) <= 1e-3 ? .critical : (chi1 < 1 ? .ordered : .chaotic)
        guard let qStar = fixed else {
            return MeanFieldAnalysis(fixedPoint: nil, chi1: chi1, lengthMapSlope: nil, lengthDepthScale: nil,
                                     correlationFixedPoint: nil, correlationDepthScale: nil, phase: phase)
        }
        let slope = lengthSlope(evaluationPoint)
        let lengthScale = -1 / Foundation.log(Swift.abs(slope))
        var cStar: Double? = 1.0
        var correlationFactor: Double? = chi1
        if chi1 > 1 + 1e-9 && qStar > 0 {
            if includeCorrelation {
                let c = correlationFixedPoint(q: qStar)
                cStar = c
                correlationFactor = signalProduct(weightVariance, CrossMoment.derivatives(activation, qa: qStar, qb: qStar, c: c))
            } else {
                cStar = nil
                correlationFactor = nil
            }
        }
        let correlationScale = correlationFactor.map { Swift.abs($0 - 1) <= 1e-12 ? Double.infinity : -1 / Foundation.log($0) }
        return MeanFieldAnalysis(fixedPoint: qStar, chi1: chi1, lengthMapSlope: slope,
                                 lengthDepthScale: Swift.abs(Swift.abs(slope) - 1) <= 1e-12 ? .infinity : lengthScale,
                                 correlationFixedPoint: cStar, correlationDepthScale: correlationScale, phase: phase)
    }

    /// The attracting correlation fixed point c* < 1 at second moment q (chaotic phase): 30 plain iterations of
    /// the map from c = 0.5 (they approach the attracting root, away from the repelling c = 1), then secant steps
    /// on c -> map(c) - c to 1e-12, falling back to plain iteration if a step leaves [-1, 1].
    func correlationFixedPoint(q: Double) -> Double {
        var c = 0.5
        for _ in 0..<30 {
            let next = correlation(c, q: q)
            if Swift.abs(next - c) < 1e-12 { return next }
            c = next
        }
        var previous = c, previousResidual = correlation(c, q: q) - c
        c = previous + previousResidual
        for _ in 0..<100 {
            let residual = correlation(c, q: q) - c
            if Swift.abs(residual) < 1e-12 { return c }
            let denominator = residual - previousResidual
            var next = denominator == 0 ? c + residual : c - residual * (c - previous) / denominator
            if !(next > -1 && next < 1) { next = c + residual }
            previous = c; previousResidual = residual
            c = next
        }
        return c
    }

    /// The sigma_w^2 with chi_1 = 1 at this map's bias variance (edge of chaos), by bisection on [lower, upper];
    /// nil when chi_1 - 1 does not change sign there. Returns (sigma_w^2, q*).
    public static func edgeOfChaos(activation: Activation, biasVariance: Double, lower: Double = 0.5,
                                   upper: Double = 4) -> (weightVariance: Double, fixedPoint: Double)? {
        func excess(_ sigmaW2: Double) -> Double? {
            let map = MeanFieldMap(activation: activation, weightVariance: sigmaW2, biasVariance: biasVariance)
            guard let qStar = map.fixedPoint(startingAt: 1) else { return nil }
            return map.chi(qStar) - 1
        }
        var low = lower, high = upper
        guard let lowValue = excess(low), let highValue = excess(high), lowValue.sign != highValue.sign else { return nil }
        let lowSign = lowValue.sign
        for _ in 0..<80 {
            let middle = 0.5 * (low + high)
            guard let value = excess(middle) else { return nil }
            if value.sign == lowSign { low = middle } else { high = middle }
            if high - low < 1e-12 { break }
        }
        let weightVariance = 0.5 * (low + high)
        let qStar = MeanFieldMap(activation: activation, weightVariance: weightVariance, biasVariance: biasVariance)
            .fixedPoint(startingAt: 1) ?? .nan
        return (weightVariance, qStar)
    }
}
