// One transformer block, forward and backward, composed from LayerNorm, attention, the FFN and two residual adds;
// generic over the float type so the finite-difference tests run the engine's code in Double.
// Legend: R = B T rows, d = width; x = the block's input stream, x1 = the stream between the sublayers, y = output
// (R x d each); alpha = skip, beta = branch multiplier.
//   pre-LN:  x1 = alpha x + beta Attn(LN(x));   y = alpha x1 + beta FFN(LN(x1))   (alpha = beta = 1 by default)
//   post-LN: x1 = LN(alpha x + beta Attn(x));   y = LN(alpha x1 + beta FFN(x1))
//   no normalization: the LNs are left out (T-Fixup).
// With gains (training): LN(v) = LNhat(v) * g per column (g of d values, one per LayerNorm); LNhat(v) is kept in
// the `normalized` buffers for the backward pass, which also forms dL/dg_j = sum over rows of dL/dLN * LNhat.

/// The names of the measurement sites of a transformer block, in the order a block reports them.
public enum TransformerSite {
    /// The stream after the block (always measured).
    public static let stream = ResidualSite.stream
    /// dL/d(stream after the block) (always measured).
    public static let streamGradient = ResidualSite.streamGradient
    /// LN(x) seen by the attention (pre-LN only).
    public static let attentionNormOut = "attn.norm.out"
    /// The logits s q k^T, scaled, before the mask.
    public static let attentionLogits = "attn.logits"
    /// The attention weights softmax(logits) (masked entries are 0).
    public static let attentionWeights = "attn.weights"
    /// Entropy (nats) of each row of the attention weights: ln T for uniform attention, 0 for one-hot.
    public static let attentionEntropy = "attn.weights.entropy"
    /// The largest weight of each row: 1/T uniform, 1 saturated.
    public static let attentionLargest = "attn.weights.max"
    /// The attention sublayer's branch output z Wo (before beta).
    public static let attentionOut = "attn.out"
    /// The stream between the sublayers x1.
    public static let middleStream = "attn.stream"
    /// LN(x1) seen by the FFN (pre-LN only).
    public static let ffnNormOut = "ffn.norm.out"
    /// The FFN's pre-activations h = u W1.
    public static let ffnPre = "ffn.pre"
    /// The FFN's activations phi(h).
    public static let ffnAct = "ffn.act"
    /// The FFN sublayer's branch output a W2 (before beta).
    public static let ffnOut = "ffn.out"

    /// The site of dL/dW for a weight of `role`.
    public static func weightGradient(_ role: WeightRole) -> String {
        switch role {
        case .query: return "attn.query.weightGradient"
        case .key: return "attn.key.weightGradient"
        case .value: return "attn.value.weightGradient"
        case .output: return "attn.output.weightGradient"
        case .ffnIn: return "ffn.in.weightGradient"
        default: return "ffn.out.weightGradient"
        }
    }

    /// Every site a block can report, in order (forward sites, then backward ones).
    public static let all: [String] = [stream, streamGradient, attentionNormOut, attentionLogits, attentionWeights,
                                       attentionEntropy, attentionLargest, attentionOut, middleStream, ffnNormOut, ffnPre,
                                       ffnAct, ffnOut] + TransformerOptions.weightRoles.map(weightGradient)
}

/// The six weights of a block: query, key, value, output (d x d), FFN in (d x 4d), FFN out (4d x d).
struct TransformerBlockWeights<T: EngineScalar> {
    var attention: AttentionWeights<T>
    var ffnIn, ffnOut: UnsafePointer<T>
    /// The gains of the attention's and the FFN's LayerNorm (d values each); nil = gain 1.
    var attentionGain: UnsafePointer<T>? = nil, ffnGain: UnsafePointer<T>? = nil
}

/// What a block's forward pass writes and its backward pass reads.
struct TransformerBlockBuffers<T: EngineScalar> {
    /// x (read), x1 and y (written), R x d.
    var input: UnsafePointer<T>, middle: UnsafeMutablePointer<T>, output: UnsafeMutablePointer<T>
    /// LN(x) and LN(x1) with pre-LN (R x d), else nil.
    var attentionNorm: UnsafeMutablePointer<T>?, ffnNorm: UnsafeMutablePointer<T>?
    /// The LNs' 1 / sqrt(var + eps) (R values each; unused without normalization).
    var attentionScale: UnsafeMutablePointer<T>, ffnScale: UnsafeMutablePointer<T>
    /// [q k v], z and P (and the shared Wqkv scratch).
    var attention: AttentionActivations<T>
    /// The FFN's h and phi(h) (R x 4d; h written only when a site shows it or phi' needs it).
    var preactivation: UnsafeMutablePointer<T>, activation: UnsafeMutablePointer<T>
    /// Set by the forward pass: h had a NaN or an infinity phi' must see (the backward pass forms h again).
    var preactivationNonFinite: UnsafeMutablePointer<Bool>
    /// Scratch R x d: the branch outputs and the sums before a post-LN.
    var branch: UnsafeMutablePointer<T>
    /// LNhat of each LayerNorm before its gain (R x d each); needed only with gains.
    var attentionNormalized: UnsafeMutablePointer<T>? = nil, ffnNormalized: UnsafeMutablePointer<T>? = nil
}

/// Scratch of a block's backward pass.
struct TransformerBlockGradients<T: EngineScalar> {
    /// dL/dx1, a branch's output gradient, and dL/du of a sublayer (R x d each).
    var middle, branch, input: UnsafeMutablePointer<T>
    /// The attention's scratch (its weightGradient, d x d, nil without weight gradients).
    var attention: AttentionScratch<T>
    /// dL/dh of the FFN (R x 4d).
    var hidden: UnsafeMutablePointer<T>
    /// dW of the FFN (4 d^2; nil without weight gradients).
    var ffnWeightGradient: UnsafeMutablePointer<T>?
    /// dL/dg of the attention's and the FFN's LayerNorm gains (d values each, overwritten); nil = not formed.
    var attentionGainGradient: UnsafeMutablePointer<T>? = nil, ffnGainGradient: UnsafeMutablePointer<T>? = nil
    /// Where each dW is formed (training: the gradient tensors themselves); nil = in the scratch above.
    var weightGradientTargets: WeightGradientTargets<T>? = nil
}

/// Where each of a block's six dW is formed (training: in the gradient tensors, no copy), by weight role.
struct WeightGradientTargets<T: EngineScalar> {
    /// One pointer per role of `TransformerOptions.weightRoles`, in that order (d x d, or 4 d^2 for the FFN's).
    var pointers: [UnsafeMutablePointer<T>]

    /// The storage of role's dW.
    subscript(role: WeightRole) -> UnsafeMutablePointer<T> { pointers[TransformerOptions.weightRoles.firstIndex(of: role)!] }
}

/// The LayerNorm of one sublayer as its backward pass needs it: its kept r, its gain, LNhat and where dL/dgain goes.
struct LayerNormParts<T: EngineScalar> {
    var r: UnsafePointer<T>, gain: UnsafePointer<T>?, normalized: UnsafeMutablePointer<T>?
    var gainGradient: UnsafeMutablePointer<T>?
}

/// Forward and backward passes of one transformer block.
enum TransformerBlockKernel {
    /// Forward through the block; `site` sees each site's tensor (names in `TransformerSite`) as it is formed.
    static func forward<T: EngineScalar>(_ g: TransformerGeometry, options o: TransformerOptions, activation phi: Activation,
                                         weights w: TransformerBlockWeights<T>, buffers b: TransformerBlockBuffers<T>,
                                         site: ((String, UnsafeBufferPointer<T>) -> Void)? = nil) {
        let count = g.rows * g.width, normalized = o.normalization != .none, pre = o.position == .pre
        let scale = T(o.attentionScale.factor(headWidth: g.headWidth))
        func show(_ name: String, _ p: UnsafePointer<T>, _ n: Int = count) { site?(name, UnsafeBufferPointer(start: p, count: n)) }
        func norm(_ x: UnsafePointer<T>, into y: UnsafeMutablePointer<T>, _ r: UnsafeMutablePointer<T>,
                  gain: UnsafePointer<T>?, normalized: UnsafeMutablePointer<T>?) {
            let target = gain == nil ? y : normalized!
            NormalizationKernel.forward(o.normalization, UnsafeBufferPointer(start: x, count: count), rows: g.rows, cols: g.width,
                                        into: UnsafeMutableBufferPointer(start: target, count: count),
                                        inverseScale: UnsafeMutableBufferPointer(start: r, count: g.rows))
            if let gain { GainKernel.forward(normalized: target, gain: gain, rows: g.rows, cols: g.width, into: y) }
        }
        func add(_ x: UnsafePointer<T>, _ f: UnsafePointer<T>, into y: UnsafeMutablePointer<T>) {
            ResidualAddKernel.forward(skip: UnsafeBufferPointer(start: x, count: count), branch: UnsafeBufferPointer(start: f, count: count),
                                      alpha: T(o.skip), beta: T(o.branchMultiplier), into: UnsafeMutableBufferPointer(start: y, count: count))
        }
        // Attention sublayer.
        var u = b.input
        if normalized && pre, let n = b.attentionNorm {
            norm(b.input, into: n, b.attentionScale, gain: w.attentionGain, normalized: b.attentionNormalized); show(TransformerSite.attentionNormOut, n); u = UnsafePointer(n)
        }
        AttentionKernel.forward(g, scale: scale, causal: o.causal, input: u, weights: w.attention, keep: b.attention, into: b.branch,
                                logits: site.map { observe in { observe(TransformerSite.attentionLogits, $0) } })
        show(TransformerSite.attentionWeights, b.attention.weights, g.attentionRows * g.tokens)
        show(TransformerSite.attentionOut, b.branch)
        if normalized && !pre {
            add(b.input, b.branch, into: b.branch)
            norm(b.branch, into: b.middle, b.attentionScale, gain: w.attentionGain, normalized: b.attentionNormalized)
        } else {
            add(b.input, b.branch, into: b.middle)
        }
        show(TransformerSite.middleStream, b.middle)
        // FFN sublayer.
        u = UnsafePointer(b.middle)
        if normalized && pre, let n = b.ffnNorm {
            norm(b.middle, into: n, b.ffnScale, gain: w.ffnGain, normalized: b.ffnNormalized); show(TransformerSite.ffnNormOut, n); u = UnsafePointer(n)
        }
        b.preactivationNonFinite.pointee =
            FeedForwardKernel.forward(rows: g.rows, width: g.width, activation: phi, input: u, inWeights: w.ffnIn, outWeights: w.ffnOut,
                                      preactivation: b.preactivation, activation: b.activation,
                                      keepsPreactivation: site != nil || T.derivativeNeedsPreactivation(phi), into: b.branch)
        show(TransformerSite.ffnPre, b.preactivation, count * 4)
        show(TransformerSite.ffnAct, b.activation, count * 4)
        show(TransformerSite.ffnOut, b.branch)
        if normalized && !pre {
            add(b.middle, b.branch, into: b.branch)
            norm(b.branch, into: b.output, b.ffnScale, gain: w.ffnGain, normalized: b.ffnNormalized)
        } else {
            add(b.middle, b.branch, into: b.output)
        }
    }

    /// Backward through the block from dy = dL/dy: writes dx = dL/dx (dx must not be dy's storage); `weightGradient`
    /// sees each dW (when the scratch has room for them), FFN first.
    static func backward<T: EngineScalar>(_ g: TransformerGeometry, options o: TransformerOptions, activation phi: Activation,
                                          weights w: TransformerBlockWeights<T>, buffers b: TransformerBlockBuffers<T>,
                                          gradients s: TransformerBlockGradients<T>, outputGradient dy: UnsafePointer<T>,
                                          into dx: UnsafeMutablePointer<T>,
                                          weightGradient: (WeightRole, UnsafeBufferPointer<T>) -> Void = { _, _ in }) {
        let count = g.rows * g.width, normalized = o.normalization != .none, pre = o.position == .pre
        let scale = T(o.attentionScale.factor(headWidth: g.headWidth))
        func buffer(_ p: UnsafePointer<T>) -> UnsafeBufferPointer<T> { UnsafeBufferPointer(start: p, count: count) }
        func mutable(_ p: UnsafeMutablePointer<T>) -> UnsafeMutableBufferPointer<T> { UnsafeMutableBufferPointer(start: p, count: count) }
        let attentionNorm = LayerNormParts(r: b.attentionScale, gain: w.attentionGain, normalized: b.attentionNormalized,
                                 gainGradient: s.attentionGainGradient)
        let ffnNorm = LayerNormParts(r: b.ffnScale, gain: w.ffnGain, normalized: b.ffnNormalized, gainGradient: s.ffnGainGradient)
        func normBackward(output y: UnsafePointer<T>, _ n: LayerNormParts<T>, gradient: UnsafePointer<T>, into out: UnsafeMutablePointer<T>) {
            var yhat = y, dy = gradient
            if let gain = n.gain, let normalized = n.normalized {
                yhat = UnsafePointer(normalized)
                GainKernel.backward(normalized: yhat, gain: gain, gradient: gradient, rows: g.rows, cols: g.width,
                                    gainGradient: n.gainGradient, into: out)
                dy = UnsafePointer(out)
            }
            NormalizationKernel.backward(o.normalization, output: buffer(yhat), inverseScale: UnsafeBufferPointer(start: n.r, count: g.rows),
                                         rows: g.rows, cols: g.width, gradient: buffer(dy), into: mutable(out))
        }
        // Splits the gradient of a sublayer's output into the skip's (into `skip`) and the branch's (into s.branch).
        func splitAdd(_ gradient: UnsafePointer<T>, normOutput: UnsafePointer<T>, _ n: LayerNormParts<T>, skip: UnsafeMutablePointer<T>) {
            var g = gradient
            if normalized && !pre { normBackward(output: normOutput, n, gradient: gradient, into: s.branch); g = UnsafePointer(s.branch) }
            ResidualAddKernel.backward(gradient: buffer(g), alpha: T(o.skip), beta: T(o.branchMultiplier),
                                       skipGradient: mutable(skip), branchGradient: mutable(s.branch))
        }
        func accumulate(_ du: UnsafeMutablePointer<T>, into total: UnsafeMutablePointer<T>) {
            RowChunks.forEach(count: count) { range in for i in range { total[i] += du[i] } }
        }
        // FFN sublayer: y = [LN](alpha x1 + beta F(u2)).
        splitAdd(dy, normOutput: b.output, ffnNorm, skip: s.middle)
        let u2 = (normalized && pre) ? UnsafePointer(b.ffnNorm!) : UnsafePointer(b.middle)
        FeedForwardKernel.backward(rows: g.rows, width: g.width, activation: phi, input: u2, inWeights: w.ffnIn, outWeights: w.ffnOut,
                                   preactivation: b.preactivation, activation: b.activation,
                                   preactivationNonFinite: b.preactivationNonFinite.pointee, outputGradient: s.branch,
                                   hiddenGradient: s.hidden, weightGradientScratch: s.ffnWeightGradient, into: s.input,
                                   weightGradientTargets: s.weightGradientTargets, weightGradient: weightGradient)
        if normalized && pre { normBackward(output: u2, ffnNorm, gradient: s.input, into: s.input) }
        accumulate(s.input, into: s.middle)
        // Attention sublayer: x1 = [LN](alpha x + beta Attn(u1)).
        splitAdd(s.middle, normOutput: b.middle, attentionNorm, skip: dx)
        let u1 = (normalized && pre) ? UnsafePointer(b.attentionNorm!) : b.input
        AttentionKernel.backward(g, scale: scale, input: u1, weights: w.attention, kept: b.attention, outputGradient: s.branch,
                                 scratch: s.attention, into: s.input, weightGradientTargets: s.weightGradientTargets,
                                 weightGradient: weightGradient)
        if normalized && pre { normBackward(output: u1, attentionNorm, gradient: s.input, into: s.input) }
        accumulate(s.input, into: dx)
    }
}
