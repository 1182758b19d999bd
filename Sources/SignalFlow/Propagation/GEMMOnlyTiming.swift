// The GEMMs of one pass alone, on an experiment's own buffers and shapes: the yardstick `initscope bench`
// divides the pass by (the pass is within x times its own GEMM time).
// Legend: B = batch, n_l = widths[l], L = depth.

extension Experiment {
    /// Seconds for the products of one pass of the first initializer without anything around them: h^l = x^{l-1} W^l
    /// (l = 1...L), then dW^l = x^{l-1}^T delta (when the plan has weight gradients) and dL/dx^{l-1} = delta W^l^T
    /// (l > 1), from l = L down. Overwrites the buffers' contents (the next `run` draws them again).
    public func gemmOnlySeconds() -> Double {
        if let residual = residualWorkspace { return residualGEMMOnlySeconds(residual) }
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
