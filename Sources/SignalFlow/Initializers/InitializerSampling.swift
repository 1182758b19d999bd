// Target variances, distribution parameters and the weight fill of every initializer (reference section 2).
// Legend: W = fanIn x fanOut row-major Float32 (the layer computes h = x W; this is PyTorch's W^T, so PyTorch's
// fans for its (out, in) tensor are ours); Var(W) = variance of one entry; sigma_w^2 = fanIn * Var(W).
import Foundation

extension TruncatedFamily {
    /// JAX/Keras variance scale (gain^2): glorot 1, he 2, lecun 1.
    public var scale: Double { self == .he ? 2 : 1 }
}

/// The distribution family an initializer draws from, with its parameter in weight units.
public enum WeightDistribution: Equatable, Sendable {
    /// Every weight is exactly 0.
    case zeros
    /// N(0, std^2), untruncated.
    case normal(std: Double)
    /// U(-bound, bound).
    case uniform(bound: Double)
    /// N(0, sigma0^2) conditioned on |w| < 2 sigma0.
    case truncatedNormal(sigma0: Double)
    /// gain times a Haar (semi-)orthogonal matrix.
    case orthogonal(gain: Double)
}

extension Initializer {
    /// The gain that multiplies the std: xavier-* their own; he-* and orthogonal the given one or, when nil, the
    /// activation's PyTorch gain; 1 for every other scheme.
    public func resolvedGain(activation: Activation) -> Double {
        switch self {
        case .xavierUniform(let gain), .xavierNormal(let gain): return gain
        case .heUniform(_, let gain), .heNormal(_, let gain), .orthogonal(let gain): return gain ?? activation.gain
        default: return 1  // schemes without a gain; LSUV's pre-init is orthonormal with gain 1
        }
    }

    /// True for data-dependent schemes that need a calibration pass after `fill` (LSUV).
    public var needsCalibration: Bool { if case .lsuv = self { return true } else { return false } }

    /// The distribution `fill` draws from for a fanIn x fanOut layer (for LSUV: the orthonormal pre-init).
    public func distribution(fanIn: Int, fanOut: Int, activation: Activation) -> WeightDistribution {
        let fi = Double(max(fanIn, 1)), fo = Double(max(fanOut, 1))
        func mode(_ fanMode: FanMode) -> Double { fanMode == .fanIn ? fi : fo }
        switch self {
        case .zeros: return .zeros
        case .normal(let std): return .normal(std: std)
        case .uniform(let bound): return .uniform(bound: bound)
        case .xavierUniform(let gain): return .uniform(bound: gain * (6 / (fi + fo)).squareRoot())
        case .xavierNormal(let gain): return .normal(std: gain * (2 / (fi + fo)).squareRoot())
        case .heUniform(let fanMode, _):
            return .uniform(bound: resolvedGain(activation: activation) * (3 / mode(fanMode)).squareRoot())
        case .heNormal(let fanMode, _):
            return .normal(std: resolvedGain(activation: activation) / mode(fanMode).squareRoot())
        case .lecunNormal: return .normal(std: (1 / fi).squareRoot())
        case .lecunUniform: return .uniform(bound: (3 / fi).squareRoot())
        case .truncatedNormal(let family):
            let denominator = family == .glorot ? (fi + fo) / 2 : fi
            let targetStd = (family.scale / denominator).squareRoot()
            return .truncatedNormal(sigma0: targetStd / TruncatedNormal.standardDeviationOfUnitTruncatedAtTwo)
        case .orthogonal: return .orthogonal(gain: resolvedGain(activation: activation))
        case .torchDefault: return .uniform(bound: 1 / fi.squareRoot())
        case .lsuv: return .orthogonal(gain: 1)
        case .fixup, .rezero, .skipInit:
            // Outside a residual branch (where the context decides): He with the activation's gain.
            return .normal(std: activation.gain / fi.squareRoot())
        case .gpt2(let std):
            // Outside a transformer's output projections (where the context decides): the base std.
            return .normal(std: std)
        case .tFixup: return .uniform(bound: (6 / (fi + fo)).squareRoot())
        case .deepNorm: return .normal(std: (2 / (fi + fo)).squareRoot())
        }
    }

    /// Var(W) of one entry for a fanIn x fanOut layer, exactly (not estimated). Orthogonal: mean(W^2) =
    /// gain^2 / max(fanIn, fanOut) (every column, or every row, has norm gain). LSUV: the pre-init's variance;
    /// the calibrated variance is only known after the engine's calibration pass.
    public func weightVariance(fanIn: Int, fanOut: Int, activation: Activation) -> Double {
        Self.variance(of: distribution(fanIn: fanIn, fanOut: fanOut, activation: activation), fanIn: fanIn, fanOut: fanOut)
    }

    /// The mean-field weight variance sigma_w^2 = fanIn * Var(W) (reference section 3.1).
    public func meanFieldWeightVariance(fanIn: Int, fanOut: Int, activation: Activation) -> Double {
        Double(fanIn) * weightVariance(fanIn: fanIn, fanOut: fanOut, activation: activation)
    }

    /// Draws the weights of one layer into `weights` (fanIn x fanOut, row-major; the layer computes h = x W).
    /// For `.lsuv` this is the orthonormal pre-init with gain 1; the engine calibrates afterwards.
    /// Allocates only for orthogonal (the QR workspace).
    func fill(_ weights: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int, activation: Activation,
              random: inout RandomSource) {
        fill(weights, distribution: distribution(fanIn: fanIn, fanOut: fanOut, activation: activation),
             fanIn: fanIn, fanOut: fanOut, random: &random)
    }

    /// Draws `distribution` into `weights` (fanIn x fanOut, row-major).
    func fill(_ weights: UnsafeMutableBufferPointer<Float>, distribution: WeightDistribution, fanIn: Int, fanOut: Int,
              random: inout RandomSource) {
        Invariant.require(weights.count == fanIn * fanOut, "weights.count \(weights.count) != \(fanIn) x \(fanOut)")
        switch distribution {
        case .zeros:
            if let base = weights.baseAddress { base.initialize(repeating: 0, count: weights.count) }
        case .normal(let std):
            random.fillNormal(weights, mean: 0, standardDeviation: Float(std))
        case .uniform(let bound):
            random.fillUniform(weights, lower: -Float(bound), upper: Float(bound))
        case .truncatedNormal(let sigma0):
            TruncatedNormal.fillSymmetricTwoSigma(weights, sigma0: Float(sigma0), random: &random)
        case .orthogonal(let gain):
            OrthogonalMatrix.fill(weights, rows: fanIn, cols: fanOut, gain: gain, random: &random)
        }
    }
}
