// Multi-head self-attention forward and backward, generic over the float type (Float in the engine, Double in the
// finite-difference tests). Projections and the batched per-head products go through BLAS; each (sequence, head)
// pair runs on one thread of the pool, so the result does not depend on the thread count.
// Legend: B = sequences, T = tokens, d = width, H = heads, d_k = d / H; u, z, out are (B T) x d row-major (head h =
// columns h d_k ..< (h+1) d_k); q, k, v sit side by side in one (B T) x 3d tensor [q k v] (so do dq, dk, dv), and
// Wq, Wk, Wv are copied side by side into one d x 3d matrix Wqkv = [Wq Wk Wv] before each use; P, S are
// (B H T) x T, block (b, h) at rows (b H + h) T.
//   [q k v] = u Wqkv (one product); S_bh = s q_bh k_bh^T (s = the scale); P_bh = softmax of each row of S_bh (with
//   the causal mask: entries j > i are -inf, so P_ij = 0); z_bh = P_bh v_bh; out = z Wo.
// Backward with dO = dL/dout: dWo = z^T dO; dz = dO Wo^T; dP_bh = dz_bh v_bh^T; dv_bh = P_bh^T dz_bh;
//   dS_ij = P_ij (dP_ij - sum_k dP_ik P_ik); dq_bh = s dS k_bh; dk_bh = s dS^T q_bh;
//   [dWq dWk dWv] = u^T [dq dk dv] (one d x 3d product); du = [dq dk dv] Wqkv^T (one product over 3d).
import Foundation

/// The weights of an attention sublayer (d x d each, the layer computes u W).
struct AttentionWeights<T: EngineScalar> {
    var query, key, value, output: UnsafePointer<T>
}

/// What the attention forward pass keeps for the backward pass: [q k v] ((B T) x 3d), z ((B T) x d) and P
/// ((B H T) x T); and `projectionWeights`, scratch for Wqkv (d x 3d) that every block may share.
struct AttentionActivations<T: EngineScalar> {
    var projections, mixed: UnsafeMutablePointer<T>
    var weights: UnsafeMutablePointer<T>
    var projectionWeights: UnsafeMutablePointer<T>
}

/// Scratch of the attention backward pass: dz ((B T) x d), [dq dk dv] ((B T) x 3d), dP ((B H T) x T), dW (at least
/// 3 d^2 values: [dWq dWk dWv] is formed there; nil = no weight gradients).
struct AttentionScratch<T: EngineScalar> {
    var mixed, projections: UnsafeMutablePointer<T>
    var weights: UnsafeMutablePointer<T>
    var weightGradient: UnsafeMutablePointer<T>?
}

/// Multi-head self-attention kernels.
enum AttentionKernel {
    /// The roles of q, k and v, in the order of their columns in [q k v].
    static let projectionRoles: [WeightRole] = [.query, .key, .value]

    /// Forward: out = Attn(u). `logits` sees S (scaled, before the mask and the softmax) once it is complete.
    static func forward<T: EngineScalar>(_ g: TransformerGeometry, scale: T, causal: Bool, input u: UnsafePointer<T>,
                                         weights w: AttentionWeights<T>, keep a: AttentionActivations<T>,
                                         into out: UnsafeMutablePointer<T>,
                                         logits: ((UnsafeBufferPointer<T>) -> Void)? = nil) {
        let rows = g.rows, d = g.width, tokens = g.tokens, dk = g.headWidth, stride = 3 * d
        packProjectionWeights(w, width: d, into: a.projectionWeights)
        T.gemm(m: rows, n: stride, k: d, a: u, lda: d, transposeA: false, b: a.projectionWeights, ldb: stride,
               transposeB: false, c: a.projections, ldc: stride, alpha: 1, beta: 0, threads: nil)
        func logitsOf(_ pair: Int) {
            let o = Self.offsets(g, pair: pair), q = a.projections + o.projection
            T.gemm(m: tokens, n: tokens, k: dk, a: q, lda: stride, transposeA: false, b: q + d, ldb: stride, transposeB: true,
                   c: a.weights + o.block, ldc: tokens, alpha: scale, beta: 0, threads: 1)
        }
        func mix(_ pair: Int) {
            let o = Self.offsets(g, pair: pair)
            softmaxRows(a.weights + o.block, tokens: tokens, causal: causal)
            T.gemm(m: tokens, n: dk, k: tokens, a: a.weights + o.block, lda: tokens, transposeA: false,
                   b: a.projections + o.projection + 2 * d, ldb: stride, transposeB: false, c: a.mixed + o.mixed, ldc: d,
                   alpha: 1, beta: 0, threads: 1)
        }
        if let logits {
            // S complete before anyone sees it, then the softmax and P v.
            Parallelism.run(g.sequences * g.heads, logitsOf)
            logits(UnsafeBufferPointer(start: a.weights, count: g.attentionRows * tokens))
            Parallelism.run(g.sequences * g.heads, mix)
        } else {
            // Each pair's logits, softmax and P v in one job, while its T x T block is in cache.
            Parallelism.run(g.sequences * g.heads) { pair in logitsOf(pair); mix(pair) }
        }
        T.gemm(m: rows, n: d, k: d, a: a.mixed, lda: d, transposeA: false, b: w.output, ldb: d, transposeB: false,
               c: out, ldc: d, alpha: 1, beta: 0, threads: nil)
    }

    /// Where the (sequence, head) pair `pair` = b H + h starts: its columns in [q k v] (q's; k's are d further, v's
    /// 2d) and in the (B T) x d tensors, and its block of P.
    @inline(__always)
    static func offsets(_ g: TransformerGeometry, pair: Int) -> (projection: Int, mixed: Int, block: Int) {
        let b = pair / g.heads, h = pair % g.heads
        return (b * g.tokens * 3 * g.width + h * g.headWidth, b * g.tokens * g.width + h * g.headWidth,
                pair * g.tokens * g.tokens)
    }

    /// Wqkv = [Wq Wk Wv] (d x 3d): row i holds row i of Wq, then of Wk, then of Wv.
    static func packProjectionWeights<T: EngineScalar>(_ w: AttentionWeights<T>, width d: Int, into packed: UnsafeMutablePointer<T>) {
        for i in 0..<d {
            let row = packed + i * 3 * d
            row.update(from: w.query + i * d, count: d)
            (row + d).update(from: w.key + i * d, count: d)
            (row + 2 * d).update(from: w.value + i * d, count: d)
        }
    }

    /// Each row i of the T x T block `s` becomes softmax(s_i) in place; with `causal`, entries j > i are masked (0).
    /// A row's maximum is subtracted first; sums are formed in Double.
    static func softmaxRows<T: EngineScalar>(_ s: UnsafeMutablePointer<T>, tokens: Int, causal: Bool) {
        for i in 0..<tokens {
            let row = s + i * tokens, limit = causal ? i + 1 : tokens
            var largest = row[0]
            for j in 1..<limit where row[j] > largest || largest.isNaN { largest = row[j] }
            var sum = 0.0
            for j in 0..<limit { let e = T.exponential(row[j] - largest); row[j] = e; sum += Double(e) }
            let inverse = T(1 / sum)
            for j in 0..<limit { row[j] *= inverse }
            for j in limit..<tokens { row[j] = 0 }
        }
    }

    /// Backward: du = dL/du from dO = dL/dout (du is overwritten). With `scratch.weightGradient`, dWo and then
    /// [dWq dWk dWv] are formed there; each dW (output, query, key, value) is then shown to `weightGradient`, from
    /// `weightGradientTargets` when given (each d x d is copied there), else from scratch (Wqkv's, free by then).
    static func backward<T: EngineScalar>(_ g: TransformerGeometry, scale: T, input u: UnsafePointer<T>,
                                          weights w: AttentionWeights<T>, kept a: AttentionActivations<T>,
                                          outputGradient dO: UnsafePointer<T>, scratch s: AttentionScratch<T>,
                                          into du: UnsafeMutablePointer<T>,
                                          weightGradientTargets: WeightGradientTargets<T>? = nil,
                                          weightGradient: (WeightRole, UnsafeBufferPointer<T>) -> Void = { _, _ in }) {
        let rows = g.rows, d = g.width, tokens = g.tokens, dk = g.headWidth, stride = 3 * d
        let formsWeightGradients = weightGradientTargets != nil || s.weightGradient != nil
        // dWo = z^T dO and dz = dO Wo^T in one job (independent outputs), then dWo is shown.
        let dWo = weightGradientTargets?[.output] ?? s.weightGradient
        let dz = GEMMProduct(m: rows, n: d, k: d, a: dO, lda: d, transposeA: false, b: w.output, ldb: d, transposeB: true,
                             c: s.mixed, ldc: d)
        T.gemmTogether((dWo.map { [GEMMProduct(m: d, n: d, k: rows, a: UnsafePointer(a.mixed), lda: d, transposeA: true,
                                               b: dO, ldb: d, transposeB: false, c: $0, ldc: d)] } ?? []) + [dz])
        if let dWo { weightGradient(.output, UnsafeBufferPointer(start: dWo, count: d * d)) }
        Parallelism.run(g.sequences * g.heads) { pair in
            let o = Self.offsets(g, pair: pair)
            let p = a.weights + o.block, dp = s.weights + o.block
            let q = a.projections + o.projection, dq = s.projections + o.projection
            T.gemm(m: tokens, n: tokens, k: dk, a: s.mixed + o.mixed, lda: d, transposeA: false, b: q + 2 * d, ldb: stride,
                   transposeB: true, c: dp, ldc: tokens, alpha: 1, beta: 0, threads: 1)
            T.gemm(m: tokens, n: dk, k: tokens, a: p, lda: tokens, transposeA: true, b: s.mixed + o.mixed, ldb: d,
                   transposeB: false, c: dq + 2 * d, ldc: stride, alpha: 1, beta: 0, threads: 1)
            softmaxBackwardRows(weights: p, gradient: dp, tokens: tokens)
            T.gemm(m: tokens, n: dk, k: tokens, a: dp, lda: tokens, transposeA: false, b: q + d, ldb: stride,
                   transposeB: false, c: dq, ldc: stride, alpha: scale, beta: 0, threads: 1)
            T.gemm(m: tokens, n: dk, k: tokens, a: dp, lda: tokens, transposeA: true, b: q, ldb: stride,
                   transposeB: false, c: dq + d, ldc: stride, alpha: scale, beta: 0, threads: 1)
        }
        // du = [dq dk dv] Wqkv^T and [dWq dWk dWv] = u^T [dq dk dv] in one job (both only read [dq dk dv]).
        packProjectionWeights(w, width: d, into: a.projectionWeights)
        let input = GEMMProduct(m: rows, n: d, k: stride, a: UnsafePointer(s.projections), lda: stride, transposeA: false,
                                b: UnsafePointer(a.projectionWeights), ldb: stride, transposeB: true, c: du, ldc: d)
        guard formsWeightGradients else { T.gemmTogether([input]); return }
        if let dW = s.weightGradient {
            T.gemmTogether([GEMMProduct(m: d, n: stride, k: rows, a: u, lda: d, transposeA: true,
                                        b: UnsafePointer(s.projections), ldb: stride, transposeB: false, c: dW, ldc: stride), input])
            for (index, role) in projectionRoles.enumerated() {
                let target = weightGradientTargets?[role] ?? a.projectionWeights + index * d * d
                for i in 0..<d { (target + i * d).update(from: dW + i * stride + index * d, count: d) }
                weightGradient(role, UnsafeBufferPointer(start: target, count: d * d))
            }
        } else if let targets = weightGradientTargets {
            // No scratch: each dW straight into its tensor.
            T.gemmTogether(projectionRoles.enumerated().map { index, role in
                GEMMProduct(m: d, n: d, k: rows, a: u, lda: d, transposeA: true, b: UnsafePointer(s.projections + index * d),
                            ldb: stride, transposeB: false, c: targets[role], ldc: d)
            } + [input])
            for role in projectionRoles { weightGradient(role, UnsafeBufferPointer(start: targets[role], count: d * d)) }
        }
    }

    /// dP of a T x T block becomes dS in place: dS_ij = P_ij (dP_ij - sum_k dP_ik P_ik) (0 where P is masked).
    static func softmaxBackwardRows<T: EngineScalar>(weights p: UnsafeMutablePointer<T>, gradient dp: UnsafeMutablePointer<T>,
                                                     tokens: Int) {
        for i in 0..<tokens {
            let pRow = p + i * tokens, gRow = dp + i * tokens
            var dot = 0.0
            for j in 0..<tokens { dot += Double(pRow[j]) * Double(gRow[j]) }
            let c = T(dot)
            for j in 0..<tokens { gRow[j] = pRow[j] * (gRow[j] - c) }
        }
    }

    /// Entropy (nats) and largest weight of every row of P ((B H T) x T): how peaked each softmax is.
    static func rowSummaries(_ p: UnsafeBufferPointer<Float>, tokens: Int, entropy: UnsafeMutableBufferPointer<Float>,
                             largest: UnsafeMutableBufferPointer<Float>) {
        let rows = p.count / tokens
        Invariant.require(entropy.count >= rows && largest.count >= rows, "attention row summaries: buffers too small")
        for i in 0..<rows {
            var h = 0.0, top: Float = 0
            for j in 0..<tokens {
                let w = p[i * tokens + j]
                if w > 0 { h -= Double(w) * Foundation.log(Double(w)) }
                if w > top || w.isNaN { top = w }
            }
            entropy[i] = Float(h); largest[i] = top
        }
    }
}
