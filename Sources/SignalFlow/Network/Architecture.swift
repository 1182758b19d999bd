// The network a scenario runs, as data: an architecture is a list of blocks, each built from a few operations
// (dense, activation, normalization) and, for residual blocks, a residual add with a skip and a branch multiplier.
// Legend: B = batch, n = width of the stream, L = blocks; x = stream (B x n).

/// Which normalization a residual block uses (PyTorch semantics: gain 1, shift 0, biased variance, eps 1e-5).
public enum Normalization: String, Equatable, Hashable, Sendable, CaseIterable {
    /// No normalization.
    case none
    /// BatchNorm in training mode: statistics of each feature over the batch.
    case batch
    /// LayerNorm: mean and variance of each row over its features.
    case layer
    /// RMSNorm: root mean square of each row over its features (no centring).
    case rms

    /// The eps added to the variance (or mean square) before the square root, as PyTorch's default.
    public static let epsilon = 1e-5
}

/// Where the normalization of a residual block sits.
public enum NormPosition: String, Equatable, Hashable, Sendable, CaseIterable {
    /// The branch sees Norm(x): x <- alpha x + beta F(Norm(x)).
    case pre
    /// The sum is normalized: x <- Norm(alpha x + beta F(x)).
    case post
}

/// Options of a residual network x <- alpha x + beta W2 phi(W1 x) (m = 2 weight layers per branch).
public struct ResidualOptions: Equatable, Hashable, Sendable {
    /// The normalization of every block.
    public var normalization: Normalization
    /// Pre- or post-normalization (ignored without normalization).
    public var position: NormPosition
    /// Skip multiplier alpha (1 unless a scheme sets it).
    public var skip: Double
    /// Branch multiplier beta (1 unless a scheme sets it, e.g. 0 for ReZero).
    public var branchMultiplier: Double

    /// Creates options; defaults: no normalization, pre position, alpha = beta = 1.
    public init(normalization: Normalization = .none, position: NormPosition = .pre, skip: Double = 1,
                branchMultiplier: Double = 1) {
        self.normalization = normalization; self.position = position; self.skip = skip
        self.branchMultiplier = branchMultiplier
    }

    /// Weight layers per residual branch (m).
    public static let layersPerBranch = 2
}

/// The network of a scenario.
public enum Architecture: Equatable, Hashable, Sendable {
    /// The plain MLP: L blocks of dense (W^l, b^l) then the activation.
    case mlp
    /// L residual blocks on a stream of width n.
    case resnet(ResidualOptions)
    /// L transformer blocks (attention then FFN sublayer) on B sequences of T tokens of width d.
    case transformer(TransformerOptions)

    /// The name used by `--arch` and in reports.
    public var name: String {
        switch self {
        case .mlp: return "mlp"
        case .resnet: return "resnet"
        case .transformer: return "transformer"
        }
    }

    /// The accepted `--arch` values, for messages.
    public static let acceptedNames = "mlp, resnet, transformer"

    /// The residual options, nil for the MLP.
    public var residual: ResidualOptions? {
        if case .resnet(let options) = self { return options }
        return nil
    }

    /// The transformer options, nil for the other networks.
    public var transformer: TransformerOptions? {
        if case .transformer(let options) = self { return options }
        return nil
    }
}

/// What a weight is for: initializers made for residual and transformer networks treat roles differently.
public enum WeightRole: String, Equatable, Hashable, Sendable, CaseIterable {
    /// A plain dense layer (every MLP layer).
    case dense
    /// First weight layer of a residual branch.
    case branchIn
    /// Last weight layer of a residual branch (the one Fixup zeroes).
    case branchOut
    /// Attention query projection.
    case query
    /// Attention key projection.
    case key
    /// Attention value projection.
    case value
    /// Attention output projection.
    case output
    /// Feed-forward d -> 4d.
    case ffnIn
    /// Feed-forward 4d -> d.
    case ffnOut
    /// Token embedding.
    case embedding
    /// Read-out (classification) layer.
    case readout
}

/// One operation of a block, as data; every operation has a forward and a backward pass in the engine.
public enum Operation: Equatable, Hashable, Sendable {
    /// y = x W + b, W inputs x outputs.
    case dense(role: WeightRole, inputs: Int, outputs: Int, bias: Bool)
    /// y = phi(x) element-wise.
    case activation(Activation)
    /// y = Norm(x) (layer, rms or batch; gain 1, shift 0).
    case normalization(Normalization)
    /// Multi-head self-attention over the tokens of each sequence: Q, K, V, O projections (width x width).
    case selfAttention(width: Int, heads: Int, scale: AttentionScale, causal: Bool)
    /// The feed-forward sublayer width -> 4 width -> width with phi in between.
    case feedForward(width: Int, activation: Activation)

    /// The name of the measurement site at this operation's output inside a residual branch.
    public var siteName: String {
        switch self {
        case .dense(let role, _, _, _): return role == .branchOut ? "branch.out" : "branch.pre"
        case .activation: return "branch.act"
        case .normalization: return "norm.out"
        case .selfAttention: return TransformerSite.attentionOut
        case .feedForward: return TransformerSite.ffnOut
        }
    }
}

/// One block over the stream x: `y = after(alpha x + beta branch(x))` when `residual` is set, else
/// `y = branch(x)`.
public struct Block: Equatable, Hashable, Sendable {
    /// Skip and branch multipliers of a residual add.
    public struct ResidualAdd: Equatable, Hashable, Sendable {
        /// alpha, multiplies the skip.
        public var skip: Double
        /// beta, multiplies the branch output.
        public var branch: Double
    }

    /// Operations of the branch (the whole block without a residual add), in order.
    public var branch: [Operation]
    /// The residual add, nil for a block without skip connection.
    public var residual: ResidualAdd?
    /// Operations after the add (post-normalization).
    public var after: [Operation]
    /// Residual sublayers run in order after this block's own operations (a transformer block: its attention
    /// sublayer then its FFN sublayer, each a block of its own); empty for the MLP and resnet.
    public var sublayers: [Block]

    /// Creates a block.
    public init(branch: [Operation], residual: ResidualAdd? = nil, after: [Operation] = [], sublayers: [Block] = []) {
        self.branch = branch; self.residual = residual; self.after = after; self.sublayers = sublayers
    }
}

extension Scenario {
    /// The block of layer or residual block `index` (1-based), as data. The MLP's block l is
    /// dense(n_{l-1} -> n_l) then phi; a residual block is [Norm] dense phi dense, added, [Norm].
    public func block(_ index: Int) -> Block {
        let hasBias = biasStandardDeviation > 0
        switch architecture {
        case .mlp:
            return Block(branch: [.dense(role: .dense, inputs: widths[index - 1], outputs: widths[index], bias: hasBias),
                                  .activation(activation)])
        case .resnet(let options):
            return Block.residual(width: width, activation: activation, hasBias: hasBias, options: options)
        case .transformer(let options):
            return Block.transformer(width: width, activation: activation, options: options)
        }
    }

    /// Every block, 1...L.
    public var blocks: [Block] { depth >= 1 ? (1...depth).map(block) : [] }
}

extension Block {
    /// A residual block on a stream of width n: [Norm] dense(W1) phi dense(W2) in the branch (Norm there with
    /// pre-normalization), added as alpha x + beta F, then [Norm] (post-normalization).
    public static func residual(width n: Int, activation: Activation, hasBias: Bool, options: ResidualOptions) -> Block {
        var branch: [Operation] = []
        var after: [Operation] = []
        if options.normalization != .none {
            if options.position == .pre { branch.append(.normalization(options.normalization)) }
            else { after.append(.normalization(options.normalization)) }
        }
        branch += [.dense(role: .branchIn, inputs: n, outputs: n, bias: hasBias), .activation(activation),
                   .dense(role: .branchOut, inputs: n, outputs: n, bias: hasBias)]
        return Block(branch: branch, residual: .init(skip: options.skip, branch: options.branchMultiplier), after: after)
    }
}

extension Block {
    /// A transformer block: two residual sublayers, [LN] selfAttention then [LN] feedForward, each added as
    /// alpha x + beta F (pre-LN: LN in the branch; post-LN: LN after the add).
    public static func transformer(width d: Int, activation: Activation, options: TransformerOptions) -> Block {
        func sublayer(_ op: Operation) -> Block {
            var branch: [Operation] = [], after: [Operation] = []
            if options.normalization != .none {
                if options.position == .pre { branch.append(.normalization(options.normalization)) }
                else { after.append(.normalization(options.normalization)) }
            }
            branch.append(op)
            return Block(branch: branch, residual: .init(skip: options.skip, branch: options.branchMultiplier), after: after)
        }
        return Block(branch: [], sublayers: [
            sublayer(.selfAttention(width: d, heads: options.heads, scale: options.attentionScale, causal: options.causal)),
            sublayer(.feedForward(width: d, activation: activation)),
        ])
    }
}
