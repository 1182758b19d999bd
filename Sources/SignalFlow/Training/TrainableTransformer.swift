// A transformer language model as trainable parameters: token embeddings, the engine's transformer blocks
// (TransformerBlockKernel, forward and backward, with LayerNorm gains), a read-out to next-token logits.
// Legend: V = vocabulary, d = width, L = blocks, B = sequences, T = tokens, R = B T rows, H = heads.
//   x^0[r] = E[token_r] (E: V x d); x^l = block_l(x^{l-1}) (R x d); z = x^L W_out + b_out (R x V, W_out: d x V).
// Parameters in order [E, then per block Wq, Wk, Wv, Wo (d x d), W1 (d x 4d), W2 (4d x d) and, with LayerNorms,
// the attention's and the FFN's gains (d each), then W_out, b_out].
// Backward: dW_out = x^L^T dz, db_out = column sums of dz, dx^L = dz W_out^T; the blocks from L down to 1;
// dE[v] = sum of dx^0[r] over the rows r whose token is v (rows in order).

/// The trainable transformer: parameters, and the buffers of its passes.
struct TrainableTransformer<T: EngineScalar> {
    let geometry: TransformerGeometry
    /// The run's options (the scheme's; the causal mask always on: the task is next-token prediction).
    let options: TransformerOptions
    let activation: Activation
    let vocabulary: Int
    let depth: Int
    var parameters: [[T]]
    /// GEMM and element-wise threads (nil = the engine's count); results do not depend on it.
    var threads: Int?
    /// Kept activations and scratch (one set, reused by every pass).
    let buffers: TransformerTrainingBuffers<T>

    /// Whether the blocks have LayerNorms (and so gains).
    var normalized: Bool { options.normalization != .none }
    /// Parameters per block: six weights, and two gains with LayerNorms; index(block: l, k) is block l's weight k
    /// (0...5: query, key, value, output, FFN in, FFN out; 6, 7: gains), as BlockParameterList places them.
    var perBlock: Int { normalized ? 8 : 6 }

    /// Forward on `tokens` (R ids): fills the buffers and returns the logits (R x V); `site(l, name, values)` sees
    /// each site of block l as it is formed (TransformerSite names; snapshots), nil = none.
    func forward(tokens: [Int], site: ((Int, String, UnsafeBufferPointer<T>) -> Void)? = nil) -> [T] {
        let g = geometry, d = g.width, rows = g.rows, v = vocabulary
        Invariant.require(tokens.count == rows, "transformer: \(tokens.count) tokens for \(rows) rows")
        var logits = [T](repeating: 0, count: rows * v)
        withBuffers(parameters) { p in
            let embedding = p[0].baseAddress!, x0 = buffers.streams[0]
            for r in 0..<rows { (x0 + r * d).update(from: embedding + tokens[r] * d, count: d) }
            for l in 1...depth {
                TransformerBlockKernel.forward(g, options: options, activation: activation, weights: weights(block: l, p),
                                               buffers: buffers.blocks[l - 1], site: site.map { observe in { observe(l, $0, $1) } })
            }
            logits.withUnsafeMutableBufferPointer { z in
                T.gemm(m: rows, n: v, k: d, a: buffers.streams[depth], lda: d, transposeA: false, b: p[readoutIndex].baseAddress!,
                       ldb: v, transposeB: false, c: z.baseAddress!, ldc: v, alpha: 1, beta: 0, threads: threads)
                let bias = p[readoutIndex + 1].baseAddress!
                for r in 0..<rows { for j in 0..<v { z[r * v + j] += bias[j] } }
            }
        }
        return logits
    }

    /// Block l's weights as the kernel takes them, from the parameters' pointers.
    func weights(block l: Int, _ p: [UnsafeBufferPointer<T>]) -> TransformerBlockWeights<T> {
        func at(_ k: Int) -> UnsafePointer<T> { p[index(block: l, k)].baseAddress! }
        return TransformerBlockWeights(attention: AttentionWeights(query: at(0), key: at(1), value: at(2), output: at(3)),
                                       ffnIn: at(4), ffnOut: at(5),
                                       attentionGain: normalized ? at(6) : nil, ffnGain: normalized ? at(7) : nil)
    }

    /// Gradients of the loss with respect to every parameter, into `gradients` (shaped as `parameters`), from
    /// dL/dz (R x V) after `forward(tokens:)` on the same tokens. `observe(l, name, values)` (snapshots) sees
    /// dL/dx^l before block l's step (`TransformerSite.streamGradient`) and then each of block l's dW as it is formed.
    func backward(tokens: [Int], logitGradient dz: [T], into gradients: inout [[T]],
                  observe: ((Int, String, UnsafeBufferPointer<T>) -> Void)? = nil) {
        let g = geometry, d = g.width, rows = g.rows, v = vocabulary
        let b = buffers
        withBuffers(parameters) { p in
            withMutableBuffers(&gradients) { grad in
                dz.withUnsafeBufferPointer { dzp in
                    let dzBase = dzp.baseAddress!
                    T.gemm(m: d, n: v, k: rows, a: b.streams[depth], lda: d, transposeA: true, b: dzBase, ldb: v, transposeB: false,
                           c: grad[readoutIndex].baseAddress!, ldc: v, alpha: 1, beta: 0, threads: threads)
                    let db = grad[readoutIndex + 1]
                    for j in 0..<v { db[j] = 0 }
                    for r in 0..<rows { for j in 0..<v { db[j] += dzBase[r * v + j] } }
                    T.gemm(m: rows, n: d, k: v, a: dzBase, lda: v, transposeA: false, b: p[readoutIndex].baseAddress!, ldb: v,
                           transposeB: true, c: b.streamGradient, ldc: d, alpha: 1, beta: 0, threads: threads)
                }
                var above = b.streamGradient, below = b.streamGradientBelow
                for l in stride(from: depth, through: 1, by: -1) {
                    observe?(l, TransformerSite.streamGradient, UnsafeBufferPointer(start: UnsafePointer(above), count: rows * d))
                    var scratch = b.scratch
                    scratch.attentionGainGradient = normalized ? grad[index(block: l, 6)].baseAddress! : nil
                    scratch.ffnGainGradient = normalized ? grad[index(block: l, 7)].baseAddress! : nil
                    // Each dW is formed in its gradient tensor (no copy).
                    let targets = WeightGradientTargets(pointers: (0..<6).map { grad[index(block: l, $0)].baseAddress! })
                    scratch.weightGradientTargets = targets
                    TransformerBlockKernel.backward(g, options: options, activation: activation, weights: weights(block: l, p),
                                                    buffers: b.blocks[l - 1], gradients: scratch, outputGradient: above,
                                                    into: below) { role, dW in
                        let target = targets[role]
                        if dW.baseAddress! != UnsafePointer(target) { target.update(from: dW.baseAddress!, count: dW.count) }
                        observe?(l, TransformerSite.weightGradient(role), UnsafeBufferPointer(start: UnsafePointer(target), count: dW.count))
                    }
                    swap(&above, &below)
                }
                let dE = grad[0].baseAddress!
                dE.update(repeating: 0, count: v * d)
                for r in 0..<rows {
                    let target = dE + tokens[r] * d, source = above + r * d
                    for j in 0..<d { target[j] += source[j] }
                }
            }
        }
    }
}

extension TrainableTransformer: BlockParameterList {
    /// The token embedding E.
    static var leadingTensors: Int { 1 }
}

/// The buffers of a transformer's training passes in T: the stream after every block, what each block keeps for its
/// backward pass, and the backward scratch (freed with the object).
final class TransformerTrainingBuffers<T: EngineScalar> {
    /// x^0 ... x^L (R x d each).
    let streams: [UnsafeMutablePointer<T>]
    /// What block l keeps (index l - 1); its `input` is x^{l-1}, its `output` x^l.
    let blocks: [TransformerBlockBuffers<T>]
    /// Backward scratch shared by the blocks (the weight-gradient scratch 4 d^2).
    let scratch: TransformerBlockGradients<T>
    /// dL/dx above and below the block being walked (R x d each).
    let streamGradient: UnsafeMutablePointer<T>, streamGradientBelow: UnsafeMutablePointer<T>
    private let allocations: [UnsafeMutablePointer<T>]
    /// Each block's `preactivationNonFinite` (L values).
    private let preactivationFlags: UnsafeMutablePointer<Bool>

    /// Buffers for L blocks of `geometry` with `options`' LayerNorms (pre-LN keeps LN outputs; any LN keeps LNhat).
    init(_ geometry: TransformerGeometry, depth: Int, options: TransformerOptions) {
        let g = geometry, rows = g.rows, count = rows * g.width
        var owned: [UnsafeMutablePointer<T>] = []
        func make(_ n: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(n, 1))
            p.initialize(repeating: 0, count: Swift.max(n, 1))
            owned.append(p)
            return p
        }
        let normalized = options.normalization != .none, pre = options.position == .pre
        let streamList = (0...depth).map { _ in make(count) }
        let branch = make(count)
        let projectionWeights = make(3 * g.width * g.width)
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: depth)
        flags.initialize(repeating: false, count: depth)
        let blockList = (1...depth).map { l in
            TransformerBlockBuffers(
                input: UnsafePointer(streamList[l - 1]), middle: make(count), output: streamList[l],
                attentionNorm: normalized && pre ? make(count) : nil, ffnNorm: normalized && pre ? make(count) : nil,
                attentionScale: make(rows), ffnScale: make(rows),
                attention: AttentionActivations(projections: make(3 * count), mixed: make(count),
                                                weights: make(g.attentionRows * g.tokens), projectionWeights: projectionWeights),
                preactivation: make(4 * count), activation: make(4 * count), preactivationNonFinite: flags + (l - 1), branch: branch,
                attentionNormalized: normalized ? make(count) : nil, ffnNormalized: normalized ? make(count) : nil)
        }
        let dW = make(4 * g.width * g.width)
        scratch = TransformerBlockGradients(
            middle: make(count), branch: make(count), input: make(count),
            attention: AttentionScratch(mixed: make(count), projections: make(3 * count),
                                        weights: make(g.attentionRows * g.tokens), weightGradient: dW),
            hidden: make(4 * count), ffnWeightGradient: dW)
        streamGradient = make(count); streamGradientBelow = make(count)
        streams = streamList; blocks = blockList
        allocations = owned
        preactivationFlags = flags
    }

    deinit {
        for p in allocations { p.deallocate() }
        preactivationFlags.deallocate()
    }

    /// Floats one set holds for L blocks of `geometry` (for the memory estimate).
    static func elementCount(_ g: TransformerGeometry, depth: Int) -> Int {
        let count = SaturatingSize.product(g.rows, g.width)
        let perBlock = SaturatingSize.sum([SaturatingSize.product(count, 18), SaturatingSize.product(g.attentionRows, g.tokens),
                                           SaturatingSize.product(g.rows, 2)])
        return SaturatingSize.sum([SaturatingSize.product(perBlock, depth), SaturatingSize.product(count, 14),
                                   SaturatingSize.product(g.attentionRows, g.tokens), SaturatingSize.product(g.width, g.width, 7)])
    }
}
