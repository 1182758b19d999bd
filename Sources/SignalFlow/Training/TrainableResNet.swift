// A residual network with a read-out as trainable parameters: the engine's residual block (Block.residual: [Norm]
// dense phi dense, alpha x + beta F, [Norm]) forward and backward, norms through NormalizationKernel, products
// through the engine's GEMM and phi, phi' through its lane-wise kernels, so the numbers do not depend on threads.
// Legend: B = rows, n = width, L = blocks, o = outputs; x^0 = input (B x n), x^l = stream after block l;
//   u = Norm(x^{l-1}) (pre-norm) or x^{l-1}; H = u W1 + b1; A = phi(H); F = A W2 + b2; y = alpha x^{l-1} + beta F;
//   x^l = Norm(y) (post-norm) or y; z = x^L W_out + b_out (B x o).
//   Norm(v) = Nhat(v) * gamma + delta per column (PyTorch's affine weight and bias, n each, starting at 1 and 0;
//   RMSNorm has gamma only); Nhat is the engine's NormalizationKernel (batch, layer or rms statistics).
// Parameters per block [W1, b1, W2, b2], then [beta] (one value) when the branch multiplier is trained (ReZero,
// SkipInit), then [gamma, delta] ([gamma] for RMSNorm) with a normalization; then W_out (n x o), b_out. W1, W2 are
// n x n row-major.
// Backward with g = dL/dx^l: gy = NormBack(g) (post) or g; dbeta = sum(gy F); dF = beta gy; dW2 = A^T dF;
// db2 = colsum(dF); dH = (dF W2^T) phi'(H); dW1 = u^T dH; db1 = colsum(dH); du = dH W1^T;
// g^{l-1} = alpha gy + (NormBack(du) (pre) or du). NormBack(g): dgamma = colsum(g Nhat), ddelta = colsum(g), then
// the kernel's backward of Nhat from g * gamma.

/// The trainable residual network.
struct TrainableResNet<T: EngineScalar> {
    let width: Int
    let depth: Int
    let outputs: Int
    let activation: Activation
    /// The run's options (as the scheme set them): normalization, position, alpha, and beta's starting value.
    let options: ResidualOptions
    /// True when beta is a parameter of every block (ReZero, SkipInit: it starts at 0 and must be able to leave it).
    let trainsBranchMultiplier: Bool
    var parameters: [[T]]
    /// GEMM and element-wise threads (nil = the engine's count); results do not depend on it.
    var threads: Int?

    /// Affine tensors of each norm: gamma and delta (LayerNorm, BatchNorm), gamma alone (RMSNorm), none without.
    var normParameterCount: Int {
        switch options.normalization {
        case .none: return 0
        case .rms: return 1
        case .batch, .layer: return 2
        }
    }
    /// Parameter tensors per block: W1, b1, W2, b2 (and beta) (and gamma, delta).
    var perBlock: Int { 4 + (trainsBranchMultiplier ? 1 : 0) + normParameterCount }
    /// Index of tensor k (0 W1, 1 b1, 2 W2, 3 b2, 4 beta) of block l (1...L).
    func index(block l: Int, _ k: Int) -> Int { (l - 1) * perBlock + k }
    /// Index of block l's norm gain gamma (n values; delta, when there is one, follows).
    func gainIndex(block l: Int) -> Int { index(block: l, trainsBranchMultiplier ? 5 : 4) }
    /// Index of W_out (b_out follows).
    var readoutIndex: Int { depth * perBlock }
    /// beta of block l.
    func branchMultiplier(_ l: Int) -> T { trainsBranchMultiplier ? parameters[index(block: l, 4)][0] : T(options.branchMultiplier) }
    var normalization: Normalization { options.normalization }

    /// What one forward pass keeps, per block l (index l - 1): the stream x^l (streams[0] = input), u (pre-norm),
    /// its Nhat and r, H, A, F and the post-norm's Nhat and r.
    struct Forward {
        var rows: Int
        var streams: [[T]]
        var normalized: [[T]] = [], preHat: [[T]] = [], preScale: [[T]] = [], postHat: [[T]] = []
        var hidden: [[T]] = [], activated: [[T]] = [], branch: [[T]] = []
        var postScale: [[T]] = []
        var outputs: [T] = []
    }

    /// Forward on `rows` inputs (rows x n).
    func forward(_ input: [T], rows: Int) -> Forward {
        let n = width, count = rows * n
        var kept = Forward(rows: rows, streams: [input])
        let pre = normalization != .none && options.position == .pre, post = normalization != .none && options.position == .post
        let groups = NormalizationKernel.groupCount(normalization, rows: rows, cols: n)
        for l in 1...depth {
            let x = kept.streams[l - 1]
            var u = x, preR = [T](), preHat = [T]()
            if pre {
                preR = [T](repeating: 0, count: groups)
                preHat = x
                Self.normalize(normalization, x, rows: rows, cols: n, into: &preHat, scale: &preR)
                u = affine(preHat, block: l, rows: rows)
            }
            var h = [T](repeating: 0, count: count)
            T.multiply(m: rows, n: n, k: n, u, transposeA: false, parameters[index(block: l, 0)], transposeB: false,
                       into: &h, alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.addBias(parameters[index(block: l, 1)], to: &h, rows: rows)
            let a = TrainableMLP<T>.activated(h, activation)
            var f = [T](repeating: 0, count: count)
            T.multiply(m: rows, n: n, k: n, a, transposeA: false, parameters[index(block: l, 2)], transposeB: false,
                       into: &f, alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.addBias(parameters[index(block: l, 3)], to: &f, rows: rows)
            let alpha = T(options.skip), beta = branchMultiplier(l)
            var y = [T](repeating: 0, count: count)
            x.withUnsafeBufferPointer { x in
                f.withUnsafeBufferPointer { f in
                    y.withUnsafeMutableBufferPointer { ResidualAddKernel.forward(skip: x, branch: f, alpha: alpha, beta: beta, into: $0) }
                }
            }
            var postR = [T](), postHat = [T]()
            if post {
                postR = [T](repeating: 0, count: groups)
                postHat = y
                Self.normalize(normalization, y, rows: rows, cols: n, into: &postHat, scale: &postR)
                y = affine(postHat, block: l, rows: rows)
            }
            kept.normalized.append(pre ? u : []); kept.preHat.append(preHat); kept.preScale.append(preR); kept.postHat.append(postHat)
            kept.hidden.append(h); kept.activated.append(a); kept.branch.append(f); kept.postScale.append(postR)
            kept.streams.append(y)
        }
        var z = [T](repeating: 0, count: rows * outputs)
        T.multiply(m: rows, n: outputs, k: n, kept.streams[depth], transposeA: false, parameters[readoutIndex], transposeB: false,
                   into: &z, alpha: 1, beta: 0, threads: threads)
        TrainableMLP<T>.addBias(parameters[readoutIndex + 1], to: &z, rows: rows)
        kept.outputs = z
        return kept
    }

    /// Nhat * gamma + delta of block l's norm (per column; delta absent for RMSNorm).
    func affine(_ hat: [T], block l: Int, rows: Int) -> [T] {
        var y = hat
        let gain = parameters[gainIndex(block: l)], n = width
        hat.withUnsafeBufferPointer { hat in
            gain.withUnsafeBufferPointer { gain in
                y.withUnsafeMutableBufferPointer { GainKernel.forward(normalized: hat.baseAddress!, gain: gain.baseAddress!, rows: rows, cols: n, into: $0.baseAddress!) }
            }
        }
        if normParameterCount == 2 { TrainableMLP<T>.addBias(parameters[gainIndex(block: l) + 1], to: &y, rows: rows) }
        return y
    }

    /// dL/dx of block l's Norm from g = dL/d(its output), its kept Nhat and r; dL/dgamma and dL/ddelta into `gradients`.
    func normBackward(block l: Int, hat: [T], scale r: [T], gradient g: [T], rows: Int, gradients: inout [[T]]) -> [T] {
        let n = width, k = gainIndex(block: l)
        if normParameterCount == 2 { TrainableMLP<T>.columnSums(g, rows: rows, into: &gradients[k + 1]) }
        var dHat = [T](repeating: 0, count: g.count)
        hat.withUnsafeBufferPointer { hat in
            parameters[k].withUnsafeBufferPointer { gain in
                g.withUnsafeBufferPointer { g in
                    gradients[k].withUnsafeMutableBufferPointer { gainGradient in
                        dHat.withUnsafeMutableBufferPointer {
                            GainKernel.backward(normalized: hat.baseAddress!, gain: gain.baseAddress!, gradient: g.baseAddress!, rows: rows,
                                                cols: n, gainGradient: gainGradient.baseAddress!, into: $0.baseAddress!)
                        }
                    }
                }
            }
        }
        return Self.normalizeBackward(normalization, output: hat, scale: r, gradient: dHat, rows: rows, cols: n)
    }

    /// y = Norm(x) and its r, through the engine's kernel.
    static func normalize(_ kind: Normalization, _ x: [T], rows: Int, cols: Int, into y: inout [T], scale r: inout [T]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                r.withUnsafeMutableBufferPointer { r in NormalizationKernel.forward(kind, x, rows: rows, cols: cols, into: y, inverseScale: r) }
            }
        }
    }

    /// dL/dx of y = Norm(x) from the kept y, r and g = dL/dy.
    static func normalizeBackward(_ kind: Normalization, output y: [T], scale r: [T], gradient g: [T], rows: Int, cols: Int) -> [T] {
        var dx = [T](repeating: 0, count: g.count)
        y.withUnsafeBufferPointer { y in
            r.withUnsafeBufferPointer { r in
                g.withUnsafeBufferPointer { g in
                    dx.withUnsafeMutableBufferPointer { NormalizationKernel.backward(kind, output: y, inverseScale: r, rows: rows, cols: cols, gradient: g, into: $0) }
                }
            }
        }
        return dx
    }

    /// Gradients of the loss with respect to every parameter (same order and shapes), from dL/dz; also dL/dx^l
    /// of every block (index l - 1), for the measurements.
    func backward(_ forward: Forward, outputGradient dz: [T]) -> (parameters: [[T]], streams: [[T]]) {
        let rows = forward.rows, n = width, count = rows * n
        var gradients = parameters.map { [T](repeating: 0, count: $0.count) }
        T.multiply(m: n, n: outputs, k: rows, forward.streams[depth], transposeA: true, dz, transposeB: false,
                   into: &gradients[readoutIndex], alpha: 1, beta: 0, threads: threads)
        TrainableMLP<T>.columnSums(dz, rows: rows, into: &gradients[readoutIndex + 1])
        var g = [T](repeating: 0, count: count)
        T.multiply(m: rows, n: n, k: outputs, dz, transposeA: false, parameters[readoutIndex], transposeB: true,
                   into: &g, alpha: 1, beta: 0, threads: threads)
        var streamGradients = [[T]](repeating: [], count: depth)
        let pre = normalization != .none && options.position == .pre, post = normalization != .none && options.position == .post
        for l in stride(from: depth, through: 1, by: -1) {
            streamGradients[l - 1] = g
            let gy = post ? normBackward(block: l, hat: forward.postHat[l - 1], scale: forward.postScale[l - 1], gradient: g,
                                         rows: rows, gradients: &gradients) : g
            let f = forward.branch[l - 1], beta = branchMultiplier(l)
            if trainsBranchMultiplier {
                var sum = 0.0
                for i in 0..<count { sum += Double(gy[i]) * Double(f[i]) }
                gradients[index(block: l, 4)][0] = T(sum)
            }
            // dL/dx through the skip (alpha gy) and dL/dF (beta gy), by the engine's residual add.
            var skipGradient = [T](repeating: 0, count: count), dF = skipGradient
            gy.withUnsafeBufferPointer { gy in
                skipGradient.withUnsafeMutableBufferPointer { skip in
                    dF.withUnsafeMutableBufferPointer { ResidualAddKernel.backward(gradient: gy, alpha: T(options.skip), beta: beta, skipGradient: skip, branchGradient: $0) }
                }
            }
            T.multiply(m: n, n: n, k: rows, forward.activated[l - 1], transposeA: true, dF, transposeB: false,
                       into: &gradients[index(block: l, 2)], alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.columnSums(dF, rows: rows, into: &gradients[index(block: l, 3)])
            var dH = [T](repeating: 0, count: count)
            T.multiply(m: rows, n: n, k: n, dF, transposeA: false, parameters[index(block: l, 2)], transposeB: true,
                       into: &dH, alpha: 1, beta: 0, threads: threads)
            let phi = activation
            forward.hidden[l - 1].withUnsafeBufferPointer { h in
                forward.activated[l - 1].withUnsafeBufferPointer { a in
                    dH.withUnsafeMutableBufferPointer { T.multiplyByDerivative(phi, $0, preactivation: h, activation: a) }
                }
            }
            let u = pre ? forward.normalized[l - 1] : forward.streams[l - 1]
            T.multiply(m: n, n: n, k: rows, u, transposeA: true, dH, transposeB: false,
                       into: &gradients[index(block: l, 0)], alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.columnSums(dH, rows: rows, into: &gradients[index(block: l, 1)])
            var du = [T](repeating: 0, count: count)
            T.multiply(m: rows, n: n, k: n, dH, transposeA: false, parameters[index(block: l, 0)], transposeB: true,
                       into: &du, alpha: 1, beta: 0, threads: threads)
            let dx = pre ? normBackward(block: l, hat: forward.preHat[l - 1], scale: forward.preScale[l - 1], gradient: du,
                                        rows: rows, gradients: &gradients) : du
            for i in 0..<count { g[i] = skipGradient[i] + dx[i] }
        }
        return (gradients, streamGradients)
    }
}

extension TrainableResNet: TrainableNetwork {
    typealias Scalar = T

    /// Blocks 1...L (W1, W2) and the read-out L + 1 (W_out).
    var reportedLayers: [[Int]] { (1...depth).map { [index(block: $0, 0), index(block: $0, 2)] } + [[readoutIndex]] }

    mutating func trainingPass(_ batch: TrainingBatch<T>, task: TrainingTask,
                               gradients: inout [[T]]) -> (evaluation: LossEvaluation<T>, outputs: [TensorMoments]) {
        let kept = forward(batch.inputs, rows: batch.rows)
        let evaluation = TrainingLoss.evaluate(task, outputs: kept.outputs, batch: batch, withGradient: true)
        guard evaluation.loss.isFinite else { return (evaluation, []) }
        gradients = backward(kept, outputGradient: evaluation.outputGradient).parameters
        let outputs = withBuffers(Array(kept.streams.dropFirst()) + [kept.outputs]) { TrainingKernels.moments($0, threads: threads) }
        return (evaluation, outputs)
    }

    mutating func evaluate(_ batch: TrainingBatch<T>, task: TrainingTask) -> LossEvaluation<T> {
        TrainingLoss.evaluate(task, outputs: forward(batch.inputs, rows: batch.rows).outputs, batch: batch, withGradient: false)
    }
}
