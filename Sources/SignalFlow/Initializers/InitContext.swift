// What an initializer knows about the weight it draws: fans, role, where the block sits, the activation.
// Schemes made for residual and transformer networks (Fixup, GPT-2, T-Fixup, DeepNorm) are pure functions of it;
// the plain schemes read only the fans and the activation.
// Legend: W = fanIn x fanOut (the layer computes x W); L = blockCount; m = layersPerBranch.

/// The context of one weight matrix.
public struct InitContext: Equatable, Hashable, Sendable {
    /// Inputs per output unit (rows of W).
    public var fanIn: Int
    /// Outputs per input unit (columns of W).
    public var fanOut: Int
    /// What the weight is for.
    public var role: WeightRole
    /// 1-based index of the block holding the weight.
    public var blockIndex: Int
    /// Number of blocks L (residual branches for a resnet).
    public var blockCount: Int
    /// Weight layers per residual branch m (1 for the MLP).
    public var layersPerBranch: Int
    /// The activation phi of the network (the gain of He and orthogonal when none is given).
    public var activation: Activation

    /// Creates a context.
    public init(fanIn: Int, fanOut: Int, role: WeightRole = .dense, blockIndex: Int = 1, blockCount: Int = 1,
                layersPerBranch: Int = 1, activation: Activation) {
        self.fanIn = fanIn; self.fanOut = fanOut; self.role = role; self.blockIndex = blockIndex
        self.blockCount = blockCount; self.layersPerBranch = layersPerBranch; self.activation = activation
    }

    /// True for a weight inside a residual branch.
    public var isInsideBranch: Bool { role == .branchIn || role == .branchOut }

    /// True for a transformer's residual output projections (attention output, FFN out): GPT-2 scales these.
    public var isResidualOutputProjection: Bool { role == .output || role == .ffnOut }
}

extension Initializer {
    /// The distribution `fill` draws from for the weight described by `context`. The plain schemes ignore
    /// everything but the fans and the activation; Fixup zeroes the last layer of every branch and scales the
    /// others by L^(-1/(2m-2)); ReZero and SkipInit draw He weights (their branch multiplier is in
    /// `residualOptions`).
    public func distribution(in context: InitContext) -> WeightDistribution {
        let fanIn = context.fanIn, activation = context.activation
        let he = activation.gain / Double(max(fanIn, 1)).squareRoot()
        switch self {
        case .fixup:
            guard context.isInsideBranch else { return .normal(std: he) }
            if context.role == .branchOut { return .zeros }
            return .normal(std: he * ResidualScaling.fixupFactor(branches: context.blockCount,
                                                                 layersPerBranch: context.layersPerBranch))
        case .rezero, .skipInit:
            return .normal(std: he)
        case .gpt2(let std):
            guard context.isResidualOutputProjection else { return .normal(std: std) }
            return .normal(std: ResidualScaling.gpt2ResidualStandardDeviation(layers: context.blockCount, baseStandardDeviation: std))
        case .tFixup:
            let bound = (6 / Double(max(fanIn + context.fanOut, 1))).squareRoot()
            let factor = ResidualScaling.tFixupFactors(encoderLayers: context.blockCount, decoderLayers: 1).encoder
            switch context.role {
            case .query, .key: return .uniform(bound: bound / 2.0.squareRoot())             // fairseq's q/k gain, untouched
            case .value: return .uniform(bound: bound / 2.0.squareRoot() * factor * 2.0.squareRoot())
            case .output, .ffnIn, .ffnOut: return .uniform(bound: bound * factor)
            default: return .uniform(bound: bound)
            }
        case .deepNorm:
            let std = (2 / Double(max(fanIn + context.fanOut, 1))).squareRoot()
            switch context.role {
            case .value, .output, .ffnIn, .ffnOut:
                return .normal(std: std * ResidualScaling.deepNormEncoderOnly(layers: context.blockCount).beta)
            default: return .normal(std: std)
            }
        default:
            return distribution(fanIn: fanIn, fanOut: context.fanOut, activation: activation)
        }
    }

    /// Var(W) of one entry for the weight described by `context`, exactly (see `weightVariance(fanIn:...)`).
    public func weightVariance(in context: InitContext) -> Double {
        Self.variance(of: distribution(in: context), fanIn: context.fanIn, fanOut: context.fanOut)
    }

    /// Var(W) of one entry drawn from `distribution` for a fanIn x fanOut layer.
    static func variance(of distribution: WeightDistribution, fanIn: Int, fanOut: Int) -> Double {
        switch distribution {
        case .zeros: return 0
        case .normal(let std): return std * std
        case .uniform(let bound): return bound * bound / 3
        case .truncatedNormal(let sigma0):
            let c = TruncatedNormal.standardDeviationOfUnitTruncatedAtTwo
            return sigma0 * sigma0 * c * c
        case .orthogonal(let gain): return gain * gain / Double(max(fanIn, fanOut, 1))
        }
    }

    /// Draws the weight described by `context` into `weights` (fanIn x fanOut, row-major), reshaping it to that
    /// shape first. For `.lsuv` this is the orthonormal pre-init; the engine calibrates afterwards.
    public func fill(_ weights: Matrix, context: InitContext, random: inout RandomSource) {
        weights.reshape(rows: context.fanIn, cols: context.fanOut)
        fill(weights.buffer, distribution: distribution(in: context), fanIn: context.fanIn, fanOut: context.fanOut,
             random: &random)
    }

    /// Draws the weight described by `context` into `weights` (fanIn x fanOut values, row-major).
    public func fill(_ weights: inout [Float], context: InitContext, random: inout RandomSource) {
        Invariant.require(weights.count == context.fanIn * context.fanOut,
                     "weights.count \(weights.count) != \(context.fanIn) x \(context.fanOut)")
        let drawn = distribution(in: context)
        weights.withUnsafeMutableBufferPointer {
            fill($0, distribution: drawn, fanIn: context.fanIn, fanOut: context.fanOut, random: &random)
        }
    }
}
