// Where a marginal network (mean-field chi1 = 1, e.g. ReLU with He) may land at finite width n.
// Reference section 3.8: per layer, ln q takes a random step of variance kappa / n and drift -kappa / (2n), where
// kappa = Var(phi(z)^2) / E[phi(z)^2]^2 for z ~ N(0, 1) (ReLU 5, linear 2). After s steps: sd(ln q) = sqrt(kappa s / n).
// Legend: s = layers after layer 1 (the layer mean field is seeded with), n = width.
import Foundation
import SignalFlow

/// The +-2 sd range of measured / mean-field after `s` marginal layers, as factors on the mean-field value.
public struct FiniteWidthBand: Equatable, Sendable {
    /// Lower edge: measured / mean-field above this is inside the band.
    public var lowerFactor: Double
    /// Upper edge.
    public var upperFactor: Double
    /// Standard deviations the band spans on each side of its centre.
    public static let standardDeviations = 2.0
    /// Largest |per-layer mean-field factor - 1| still called marginal (chi1 = 1).
    public static let marginalTolerance = 0.01

    /// The band after `steps` layers at width `width` for an activation of excess kurtosis-like `kappa`:
    /// exp(-kappa s / (2n) -+ 2 sqrt(kappa s / n)).
    public static func after(steps: Int, width: Int, kappa: Double) -> FiniteWidthBand {
        let s = Double(max(0, steps)), n = Double(max(1, width))
        let centre = -kappa * s / (2 * n), sd = (kappa * s / n).squareRoot()
        return FiniteWidthBand(lowerFactor: exp(centre - standardDeviations * sd),
                               upperFactor: exp(centre + standardDeviations * sd))
    }

    /// Var(phi(z)^2) / E[phi(z)^2]^2 for z ~ N(0, 1) where it is a constant (positively homogeneous phi):
    /// linear 2, ReLU 5, leaky ReLU with slope a 6 (1 + a^4) / (1 + a^2)^2 - 1; nil for the others.
    public static func kappa(_ activation: Activation) -> Double? {
        switch activation {
        case .linear: return 2
        case .relu: return 5
        case .leakyRelu(let a): return 6 * (1 + a * a * a * a) / ((1 + a * a) * (1 + a * a)) - 1
        default: return nil
        }
    }

    /// Predicted q(h) at layer `to` over layer `from` (1-based), nil when either prediction is missing.
    public static func meanFieldRatio(_ run: RunData, from: Int, to: Int) -> Double? {
        guard let a = run.report(layer: from)?.theory?.preactivationSecondMoment,
              let b = run.report(layer: to)?.theory?.preactivationSecondMoment, a > 0, a.isFinite, b.isFinite else { return nil }
        return b / a
    }

    /// The band at `layer` for a run that is marginal (mean field's per-layer factor from layer 1 within 1% of 1,
    /// homogeneous activation); nil otherwise, at layer 1, and for LSUV (it rescales every layer to variance 1:
    /// no drift accumulates).
    public static func forRun(_ run: RunData, activation: Activation, width: Int, layer: Int) -> FiniteWidthBand? {
        guard layer > 1, let kappa = kappa(activation), let ratio = meanFieldRatio(run, from: 1, to: layer), ratio > 0,
              run.perLayer.calibratedLayers == 0 else {
            return nil
        }
        let perLayer = pow(ratio, 1 / Double(layer - 1))
        guard abs(perLayer - 1) <= marginalTolerance else { return nil }
        return after(steps: layer - 1, width: width, kappa: kappa)
    }
}
