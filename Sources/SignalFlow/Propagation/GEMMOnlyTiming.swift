// The GEMMs of one pass alone, on an experiment's own buffers and shapes: the yardstick `initscope bench`
// divides the pass by (the pass is within x times its own GEMM time).
// Legend: B = batch, n_l = widths[l], L = depth.

extension Experiment {
    /// Seconds for the products of one pass of the first initializer without anything around them: h^l = x^{l-1} W^l
    /// (l = 1...L), then dW^l = x^{l-1}^T delta (when the plan has weight gradients) and dL/dx^{l-1} = delta W^l^T
    /// (l > 1), from l = L down. Overwrites the buffers' contents (the next `run` draws them again).
    public func gemmOnlySeconds() -> Double {
        if let residual = residualWorkspace { return residualGEMMOnlySeconds(residual) }
        if let transformer = transformerWorkspace { return transformerGEMMOnlySeconds(transformer) }
        guard let ws = workspace else { return 0 }
        let depth = scenario.depth
        let start = PhaseClock.now()
        for l in 1...depth { GEMM.multiply(ws.activations[l - 1], ws.weights[l - 1], into: ws.activations[l]) }
        for l in stride(from: depth, through: 1, by: -1) {
            let delta = ws.delta
            delta.reshape(rows: ws.batch, cols: ws.widths[l])
            if plan.weightGradients {
                let dW = ws.weightGradient
                dW.reshape(rows: ws.widths[l - 1], cols: ws.widths[l])
                GEMM.multiply(ws.activations[l - 1], transposeA: true, delta, into: dW)
            }
            if l > 1 {
                let below = ws.deltaBelow
                below.reshape(rows: ws.batch, cols: ws.widths[l - 1])
                GEMM.multiply(delta, ws.weights[l - 1], transposeB: true, into: below)
            }
        }
        return PhaseClock.now() - start
    }

    /// Floating-point operations of those products (2 m n k each).
    public var gemmFlopsPerPass: Double {
        if let transformer = transformerWorkspace {
            // Per block forward: 4 projections (2 R d^2 each), the per-head S and P v (2 R T d each), the FFN's two
            // (8 R d^2 each) = 24 R d^2 + 4 R T d; backward: dz and du (4 products of 2 R d^2), the per-head dP, dv,
            // dq, dk (8 R T d), da and du of the FFN (16 R d^2), and the six dW (24 R d^2) with weight gradients.
            let g = transformer.shape.geometry
            let rows = Double(g.rows), d = Double(g.width), t = Double(g.tokens)
            let square = rows * d * d
            let perBlock = 24 * square + 4 * rows * t * d + 8 * square + 8 * rows * t * d + 16 * square
                + (plan.weightGradients ? 24 * square : 0)
            return perBlock * Double(transformer.depth)
        }
        if let residual = residualWorkspace {
            // Per block: W1 and W2 forward, dW2 and dL/dA, dW1 (with weight gradients), dL/du for l > 1.
            let product = GEMM.flops(m: residual.shape.batch, n: residual.shape.width, k: residual.shape.width)
            let perBlock = 4.0 + (plan.weightGradients ? 2 : 0)
            return product * (perBlock * Double(residual.depth) - 1)
        }
        guard let ws = workspace else { return 0 }
        let depth = scenario.depth
        var total = 0.0
        for l in 1...depth {
            let product = GEMM.flops(m: ws.batch, n: ws.widths[l], k: ws.widths[l - 1])
            total += product * (1 + (plan.weightGradients ? 1 : 0) + (l > 1 ? 1 : 0))
        }
        return total
    }
}

extension Experiment {
    /// The products of one residual pass alone on `ws`'s buffers: per block u W1, A W2 forward; then from block L
    /// down A^T dF (dW2), dF W2^T, u^T dH (dW1) with weight gradients, and dH W1^T for l > 1.
    func residualGEMMOnlySeconds(_ ws: ResidualWorkspace) -> Double {
        let start = PhaseClock.now()
        for l in 1...ws.depth {
            GEMM.multiply(ws.streams[l - 1], ws.branchInWeights[ws.shape.keepsWeights ? l - 1 : 0], into: ws.branchActivations[l - 1])
            GEMM.multiply(ws.branchActivations[l - 1], ws.branchOutWeights[ws.shape.keepsWeights ? l - 1 : 0], into: ws.scratch)
        }
        for l in stride(from: ws.depth, through: 1, by: -1) {
            if plan.weightGradients {
                GEMM.multiply(ws.branchActivations[l - 1], transposeA: true, ws.branchGradient, into: ws.weightGradient)
            }
            GEMM.multiply(ws.branchGradient, ws.branchOutWeights[ws.shape.keepsWeights ? l - 1 : 0], transposeB: true, into: ws.branchGradientInner)
            if plan.weightGradients {
                GEMM.multiply(ws.streams[l - 1], transposeA: true, ws.branchGradientInner, into: ws.weightGradient)
            }
            if l > 1 {
                GEMM.multiply(ws.branchGradientInner, ws.branchInWeights[ws.shape.keepsWeights ? l - 1 : 0], transposeB: true, into: ws.branchGradient)
            }
        }
        return PhaseClock.now() - start
    }
}

extension Experiment {
    /// The products of one transformer pass alone on `ws`'s buffers (block 1's, or the one set's, storage for every
    /// block), grouped as `TransformerBlockKernel` runs them: per block the forward products (u Wqkv, per-head S and
    /// P v, z Wo, the FFN), then from block L down the backward ones (dW2 with da, dW1 with du, dWo with dz, per-head
    /// dP, dv, dq, dk, then [dWq dWk dWv] with du; without weight gradients the dW are left out).
    func transformerGEMMOnlySeconds(_ ws: TransformerWorkspace) -> Double {
        let g = ws.shape.geometry, rows = g.rows, d = g.width, hidden = 4 * d, tokens = g.tokens, dk = g.headWidth
        let qkvWidth = 3 * d
        let a = ws.activations[0], dW = ws.weightGradient.base, qkv = a.projections.base, wqkv = ws.projectionWeights.base
        func gemm(_ m: Int, _ n: Int, _ k: Int, _ x: UnsafeMutablePointer<Float>, _ lda: Int, _ tA: Bool,
                  _ y: UnsafeMutablePointer<Float>, _ ldb: Int, _ tB: Bool, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                  threads: Int? = nil) {
            GEMM.multiply(m: m, n: n, k: k, a: x, lda: lda, transposeA: tA, b: y, ldb: ldb, transposeB: tB, c: c, ldc: ldc,
                          threads: threads)
        }
        func product(_ m: Int, _ n: Int, _ k: Int, _ x: UnsafeMutablePointer<Float>, _ lda: Int, _ tA: Bool,
                     _ y: UnsafeMutablePointer<Float>, _ ldb: Int, _ tB: Bool, _ c: UnsafeMutablePointer<Float>,
                     _ ldc: Int) -> GEMMProduct<Float> {
            GEMMProduct(m: m, n: n, k: k, a: x, lda: lda, transposeA: tA, b: y, ldb: ldb, transposeB: tB, c: c, ldc: ldc)
        }
        func together(_ weightGradient: GEMMProduct<Float>, _ other: GEMMProduct<Float>) {
            GEMM.multiplyTogether(plan.weightGradients ? [weightGradient, other] : [other])
        }
        func perPair(_ body: ((projection: Int, mixed: Int, block: Int)) -> Void) {
            Parallelism.run(g.sequences * g.heads) { pair in body(AttentionKernel.offsets(g, pair: pair)) }
        }
        let start = PhaseClock.now()
        for l in 1...ws.depth {
            let w = ws.weights[ws.shape.keepsWeights ? l - 1 : 0].matrices.map(\.base), x = ws.streams[l - 1].base
            gemm(rows, qkvWidth, d, x, d, false, wqkv, qkvWidth, false, qkv, qkvWidth)
            perPair { o in
                gemm(tokens, tokens, dk, qkv + o.projection, qkvWidth, false, qkv + o.projection + d, qkvWidth, true,
                     a.weights.base + o.block, tokens, threads: 1)
                gemm(tokens, dk, tokens, a.weights.base + o.block, tokens, false, qkv + o.projection + 2 * d, qkvWidth, false,
                     a.mixed.base + o.mixed, d, threads: 1)
            }
            gemm(rows, d, d, a.mixed.base, d, false, w[3], d, false, ws.branch.base, d)
            gemm(rows, hidden, d, x, d, false, w[4], hidden, false, a.preactivation.base, hidden)
            gemm(rows, d, hidden, a.preactivation.base, hidden, false, w[5], d, false, ws.branch.base, d)
        }
        let dy = ws.streamGradient.base, dh = ws.hiddenGradient.base, du = ws.inputGradient.base
        let dz = ws.mixedGradient.base, dqkv = ws.projectionGradient.base
        for l in stride(from: ws.depth, through: 1, by: -1) {
            let w = ws.weights[ws.shape.keepsWeights ? l - 1 : 0].matrices.map(\.base), x = ws.streams[l - 1].base
            together(product(hidden, d, rows, a.preactivation.base, hidden, true, dy, d, false, dW, d),
                     product(rows, hidden, d, dy, d, false, w[5], d, true, dh, hidden))
            together(product(d, hidden, rows, x, d, true, dh, hidden, false, dW, hidden),
                     product(rows, d, hidden, dh, hidden, false, w[4], hidden, true, du, d))
            together(product(d, d, rows, a.mixed.base, d, true, dy, d, false, dW, d),
                     product(rows, d, d, dy, d, false, w[3], d, true, dz, d))
            perPair { o in
                let dp = ws.weightsGradient.base + o.block, q = qkv + o.projection, dq = dqkv + o.projection
                gemm(tokens, tokens, dk, dz + o.mixed, d, false, q + 2 * d, qkvWidth, true, dp, tokens, threads: 1)
                gemm(tokens, dk, tokens, a.weights.base + o.block, tokens, true, dz + o.mixed, d, false, dq + 2 * d, qkvWidth,
                     threads: 1)
                gemm(tokens, dk, tokens, dp, tokens, false, q + d, qkvWidth, false, dq, qkvWidth, threads: 1)
                gemm(tokens, dk, tokens, dp, tokens, true, q, qkvWidth, false, dq + d, qkvWidth, threads: 1)
            }
            together(product(d, qkvWidth, rows, x, d, true, dqkv, qkvWidth, false, dW, qkvWidth),
                     product(rows, d, qkvWidth, dqkv, qkvWidth, false, wqkv, qkvWidth, true, du, d))
        }
        return PhaseClock.now() - start
    }
}
