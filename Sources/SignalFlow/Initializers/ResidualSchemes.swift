// What the residual schemes set besides their weights (branch multiplier, normalization), and which
// architectures each scheme applies to.
// Legend: alpha = skip multiplier, beta = branch multiplier of x <- alpha x + beta F(x).

extension Initializer {
    /// The architectures (by `--arch` name) this scheme makes sense for; nil = every architecture.
    public var applicableArchitectures: [String]? {
        switch self {
        case .fixup, .rezero, .skipInit: return ["resnet"]
        case .gpt2, .tFixup, .deepNorm: return ["transformer"]
        case .lsuv: return ["mlp"]   // calibration of residual branches is not implemented
        default: return nil
        }
    }

    /// True when the scheme applies to `architecture`.
    public func applies(to architecture: Architecture) -> Bool {
        applicableArchitectures?.contains(architecture.name) ?? true
    }

    /// The residual options a run of this scheme uses, from the scenario's: ReZero sets beta = 0, SkipInit its
    /// VALUE; Fixup, ReZero and SkipInit remove normalization (their papers' networks have none).
    public func residualOptions(from options: ResidualOptions) -> ResidualOptions {
        var result = options
        switch self {
        case .fixup: result.normalization = .none
        case .rezero: result.normalization = .none; result.branchMultiplier = 0
        case .skipInit(let multiplier): result.normalization = .none; result.branchMultiplier = multiplier
        default: break
        }
        return result
    }
}

extension Initializer {
    /// The transformer options a run of this scheme uses, from the scenario's: T-Fixup removes the LayerNorms;
    /// DeepNorm puts them after the adds (post-LN) with skip alpha = (2L)^(1/4) (`layers` = L blocks).
    public func transformerOptions(from options: TransformerOptions, layers: Int) -> TransformerOptions {
        var result = options
        switch self {
        case .tFixup: result.normalization = .none
        case .deepNorm:
            result.normalization = .layer; result.position = .post
            result.skip = ResidualScaling.deepNormEncoderOnly(layers: layers).alpha
        default: break
        }
        return result
    }
}
