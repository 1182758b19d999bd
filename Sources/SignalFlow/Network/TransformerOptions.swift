// What defines a transformer network besides depth, width and batch: tokens per sequence, heads, the attention
// scale, the causal mask, where the LayerNorms sit, and the skip multiplier a scheme may set (DeepNorm).
// Legend: B = sequences, T = tokens per sequence, d = width of the stream, H = heads, d_k = d / H;
// the stream is (B T) x d row-major, row b T + t = token t of sequence b.

/// The factor the attention logits Q K^T are multiplied by.
public enum AttentionScale: String, Equatable, Hashable, Sendable, CaseIterable {
    /// 1 / sqrt(d_k) (Vaswani et al.; the default).
    case sqrt
    /// 1 / d_k (muP's attention).
    case linear
    /// 1: the logits unscaled.
    case none

    /// The factor for heads of width d_k.
    public func factor(headWidth dk: Int) -> Double {
        switch self {
        case .sqrt: return 1 / Double(max(dk, 1)).squareRoot()
        case .linear: return 1 / Double(max(dk, 1))
        case .none: return 1
        }
    }

    /// The accepted `--attention-scale` values, for messages.
    public static let acceptedNames = "sqrt, linear, none"
}

/// The tensor sizes of one transformer block.
public struct TransformerGeometry: Equatable, Hashable, Sendable {
    /// Sequences B.
    public var sequences: Int
    /// Tokens per sequence T.
    public var tokens: Int
    /// Stream width d.
    public var width: Int
    /// Heads H (divides d).
    public var heads: Int

    /// Creates a geometry; `heads` must divide `width`.
    public init(sequences: Int, tokens: Int, width: Int, heads: Int) {
        self.sequences = sequences; self.tokens = tokens; self.width = width; self.heads = heads
    }

    /// Width of one head d_k = d / H.
    public var headWidth: Int { width / Swift.max(heads, 1) }
    /// Rows of the stream B T.
    public var rows: Int { sequences * tokens }
    /// Width of the FFN's hidden layer 4 d.
    public var hiddenWidth: Int { 4 * width }
    /// Rows of the stacked attention matrices B H T (each T wide).
    public var attentionRows: Int { sequences * heads * tokens }
}

/// Options of a transformer: `L` blocks of an attention sublayer and an FFN sublayer.
public struct TransformerOptions: Equatable, Hashable, Sendable {
    /// Tokens per sequence T.
    public var tokens: Int
    /// Heads H.
    public var heads: Int
    /// The factor of the logits.
    public var attentionScale: AttentionScale
    /// Whether token t attends only to tokens 0...t.
    public var causal: Bool
    /// LayerNorm (the default) or none (T-Fixup removes it).
    public var normalization: Normalization
    /// pre: x <- x + Attn(LN(x)); post: x <- LN(alpha x + Attn(x)) (the same for the FFN).
    public var position: NormPosition
    /// Skip multiplier alpha (1 unless a scheme sets it: DeepNorm's (2N)^(1/4)).
    public var skip: Double
    /// Branch multiplier beta of both sublayers (1).
    public var branchMultiplier: Double

    /// Creates options; defaults: T = 32, H = 4, 1/sqrt(d_k), no mask, pre-LN, alpha = beta = 1.
    public init(tokens: Int = 32, heads: Int = 4, attentionScale: AttentionScale = .sqrt, causal: Bool = false,
                normalization: Normalization = .layer, position: NormPosition = .pre, skip: Double = 1,
                branchMultiplier: Double = 1) {
        self.tokens = tokens; self.heads = heads; self.attentionScale = attentionScale; self.causal = causal
        self.normalization = normalization; self.position = position; self.skip = skip
        self.branchMultiplier = branchMultiplier
    }

    /// Largest accepted tokens per sequence.
    public static let maximumTokens = 4096
    /// Largest accepted number of heads.
    public static let maximumHeads = 1024
    /// Weight matrices per block: query, key, value, output, FFN in, FFN out.
    public static let weightsPerBlock = 6
    /// The roles of a block's weights, in stream order (k = 1...6).
    public static let weightRoles: [WeightRole] = [.query, .key, .value, .output, .ffnIn, .ffnOut]
}
