// Multi-head self-attention forward and backward, generic over the float type (Float in the engine, Double in the
// finite-difference tests). Projections and the batched per-head products go through BLAS; each (sequence, head)
// pair runs on one thread of the pool, so the result does not depend on the thread count.
// Legend: B = sequences, T = tokens, d = width, H = heads, d_k = d / H; u, q, k, v, z, out are (B T) x d
// row-major (head h = columns h d_k ..< (h+1) d_k); P, S are (B H T) x T, block (b, h) at rows (b H + h) T.
//   q = u Wq, k = u Wk, v = u Wv (d x d each); S_bh = s q_bh k_bh^T (s = the scale); P_bh = softmax of each row of
//   S_bh (with the causal mask: entries j > i are -inf, so P_ij = 0); z_bh = P_bh v_bh; out = z Wo.
// Backward with dO = dL/dout: dWo = z^T dO; dz = dO Wo^T; dP_bh = dz_bh v_bh^T; dv_bh = P_bh^T dz_bh;
//   dS_ij = P_ij (dP_ij - sum_k dP_ik P_ik); dq_bh = s dS k_bh; dk_bh = s dS^T q_bh;
//   dWq = u^T dq (also k, v); du = dq Wq^T + dk Wk^T + dv Wv^T.
import Foundation

/// The weights of an attention sublayer (d x d each, the layer computes u W).
struct AttentionWeights<T: EngineScalar> {
    var query, key, value, output: UnsafePointer<T>
}

/// What the attention forward pass keeps for the backward pass: q, k, v, z ((B T) x d) and P ((B H T) x T).
struct AttentionActivations<T: EngineScalar> {
    var query, key, value, mixed: UnsafeMutablePointer<T>
    var weights: UnsafeMutablePointer<T>
}

/// Scratch of the attention backward pass: dz, dq, dk, dv ((B T) x d), dP ((B H T) x T), dW (d x d; nil = no weight
/// gradients).
struct AttentionScratch<T: EngineScalar> {
    var mixed, query, key, value: UnsafeMutablePointer<T>
    var weights: UnsafeMutablePointer<T>
    var weightGradient: UnsafeMutablePointer<T>?
}

/// Multi-head self-attention kernels.
enum AttentionKernel {
    /// Forward: out = Attn(u). `logits` sees S (scaled, before the mask and the softmax) once it is complete.
    static func forward<T: EngineScalar>(_ g: TransformerGeometry, scale: T, causal: Bool, input u: UnsafePointer<T>,
                                         weights w: AttentionWeights<T>, keep a: AttentionActivations<T>,
                                         into out: UnsafeMutablePointer<T>,
                                         logits: ((UnsafeBufferPointer<T>) -> Void)? = nil) {
        let rows = g.rows, d = g.width
        T.gemm(m: rows, n: d, k: d, a: u, lda: d, transposeA: false, b: w.query, ldb: d, transposeB: false,
               c: a.query, ldc: d, alpha: 1, beta: 0, threads: nil)
        T.gemm(m: rows, n: d, k: d, a: u, lda: d, transposeA: false, b: w.key, ldb: d, transposeB: false,
               c: a.key, ldc: d, alpha: 1, beta: 0, threads: nil)
        T.gemm(m: rows, n: d, k: d, a: u, lda: d, transposeA: false, b: w.value, ldb: d, transposeB: false,
               c: a.value, ldc: d, alpha: 1, beta: 0, threads: nil)
        let tokens = g.tokens, dk = g.headWidth
        Parallelism.run(g.sequences * g.heads) { pair in
            let (offset, block) = Self.offsets(g, pair: pair)
            T.gemm(m: tokens, n: tokens, k: dk, a: a.query + offset, lda: d, transposeA: false, b: a.key + offset, ldb: d,
                   transposeB: true, c: a.weights + block, ldc: tokens, alpha: scale, beta: 0, threads: 1)
        }
        logits?(UnsafeBufferPointer(start: a.weights, count: g.attentionRows * tokens))
        Parallelism.run(g.sequences * g.heads) { pair in
            let (offset, block) = Self.offsets(g, pair: pair)
            softmaxRows(a.weights + block, tokens: tokens, causal: causal)
            T.gemm(m: tokens, n: dk, k: tokens, a: a.weights + block, lda: tokens, transposeA: false, b: a.value + offset,
                   ldb: d, transposeB: false, c: a.mixed + offset, ldc: d, alpha: 1, beta: 0, threads: 1)
        }
        T.gemm(m: rows, n: d, k: d, a: a.mixed, lda: d, transposeA: false, b: w.output, ldb: d, transposeB: false,
               c: out, ldc: d, alpha: 1, beta: 0, threads: nil)
    }

    /// Where the (sequence, head) pair `pair` = b H + h starts: its columns in the (B T) x d tensors, its block of P.
    @inline(__always)
    static func offsets(_ g: TransformerGeometry, pair: Int) -> (offset: Int, block: Int) {
        let b = pair / g.heads, h = pair % g.heads
        return (b * g.tokens * g.width + h * g.headWidth, pair * g.tokens * g.tokens)
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

    /// Backward: du = dL/du from dO = dL/dout (du is overwritten). With `scratch.weightGradient`, each dW (output,
    /// then query, key, value) is formed there in turn and shown to `weightGradient` before the next; with
    /// `weightGradientTargets`, each is formed where it says instead (d x d, no copy needed).
    static func backward<T: EngineScalar>(_ g: TransformerGeometry, scale: T, input u: UnsafePointer<T>,
                                          weights w: AttentionWeights<T>, kept a: AttentionActivations<T>,
                                          outputGradient dO: UnsafePointer<T>, scratch s: AttentionScratch<T>,
                                          into du: UnsafeMutablePointer<T>,
                                          weightGradientTargets: WeightGradientTargets<T>? = nil,
                                          weightGradient: (WeightRole, UnsafeBufferPointer<T>) -> Void = { _, _ in }) {
        let rows = g.rows, d = g.width, tokens = g.tokens, dk = g.headWidth
        func showWeightGradient(_ role: WeightRole, input x: UnsafePointer<T>, gradient dy: UnsafePointer<T>) {
            guard let dW = weightGradientTargets?[role] ?? s.weightGradient else { return }
            T.gemm(m: d, n: d, k: rows, a: x, lda: d, transposeA: true, b: dy, ldb: d, transposeB: false,
                   c: dW, ldc: d, alpha: 1, beta: 0, threads: nil)
            weightGradient(role, UnsafeBufferPointer(start: dW, count: d * d))
        }
        showWeightGradient(.output, input: a.mixed, gradient: dO)
        T.gemm(m: rows, n: d, k: d, a: dO, lda: d, transposeA: false, b: w.output, ldb: d, transposeB: true,
               c: s.mixed, ldc: d, alpha: 1, beta: 0, threads: nil)
        Parallelism.run(g.sequences * g.heads) { pair in
            let (offset, block) = Self.offsets(g, pair: pair)
            let p = a.weights + block, dp = s.weights + block
            T.gemm(m: tokens, n: tokens, k: dk, a: s.mixed + offset, lda: d, transposeA: false, b: a.value + offset, ldb: d,
                   transposeB: true, c: dp, ldc: tokens, alpha: 1, beta: 0, threads: 1)
            T.gemm(m: tokens, n: dk, k: tokens, a: p, lda: tokens, transposeA: true, b: s.mixed + offset, ldb: d,
                   transposeB: false, c: s.value + offset, ldc: d, alpha: 1, beta: 0, threads: 1)
            softmaxBackwardRows(weights: p, gradient: dp, tokens: tokens)
            T.gemm(m: tokens, n: dk, k: tokens, a: dp, lda: tokens, transposeA: false, b: a.key + offset, ldb: d,
                   transposeB: false, c: s.query + offset, ldc: d, alpha: scale, beta: 0, threads: 1)
            T.gemm(m: tokens, n: dk, k: tokens, a: dp, lda: tokens, transposeA: true, b: a.query + offset, ldb: d,
                   transposeB: false, c: s.key + offset, ldc: d, alpha: scale, beta: 0, threads: 1)
        }
        showWeightGradient(.query, input: u, gradient: s.query)
        showWeightGradient(.key, input: u, gradient: s.key)
        showWeightGradient(.value, input: u, gradient: s.value)
        T.gemm(m: rows, n: d, k: d, a: s.query, lda: d, transposeA: false, b: w.query, ldb: d, transposeB: true,
               c: du, ldc: d, alpha: 1, beta: 0, threads: nil)
        T.gemm(m: rows, n: d, k: d, a: s.key, lda: d, transposeA: false, b: w.key, ldb: d, transposeB: true,
               c: du, ldc: d, alpha: 1, beta: 1, threads: nil)
        T.gemm(m: rows, n: d, k: d, a: s.value, lda: d, transposeA: false, b: w.value, ldb: d, transposeB: true,
               c: du, ldc: d, alpha: 1, beta: 1, threads: nil)
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
        precondition(entropy.count >= rows && largest.count >= rows, "attention row summaries: buffers too small")
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
