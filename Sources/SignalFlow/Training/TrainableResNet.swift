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
    /// Buffers the training loop reuses step to step (one forward pass and the backward scratch).
    var workspace = ResNetTrainingWorkspace<T>()

    /// Affine tensors of each norm: gamma and delta (LayerNorm, BatchNorm), gamma alone (RMSNorm), none without.
    var normParameterCount: Int {
        switch options.normalization {
        case .none: return 0
        case .rms: return 1
        case .batch, .layer: return 2
        }
    }
    /// Parameter tensors per block: W1, b1, W2, b2 (and beta) (and gamma, delta); index(block: l, k) is block l's
    /// tensor k (0 W1, 1 b1, 2 W2, 3 b2, 4 beta), as BlockParameterList places them.
    var perBlock: Int { 4 + (trainsBranchMultiplier ? 1 : 0) + normParameterCount }
    /// Index of block l's norm gain gamma (n values; delta, when there is one, follows).
    func gainIndex(block l: Int) -> Int { index(block: l, trainsBranchMultiplier ? 5 : 4) }
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
        var kept = Forward(rows: rows, streams: [])
        forward(input, rows: rows, into: &kept)
        return kept
    }

    /// `forward` into `kept`, reusing its arrays (nothing is allocated when they have the sizes of the last call).
    func forward(_ input: [T], rows: Int, into kept: inout Forward) {
        let n = width, count = rows * n
        let pre = normalization != .none && options.position == .pre, post = normalization != .none && options.position == .post
        let groups = NormalizationKernel.groupCount(normalization, rows: rows, cols: n)
        kept.rows = rows
        Self.shape(&kept.streams, count: depth + 1)
        Self.shape(&kept.normalized, count: depth); Self.shape(&kept.preHat, count: depth); Self.shape(&kept.preScale, count: depth)
        Self.shape(&kept.postHat, count: depth); Self.shape(&kept.postScale, count: depth)
        Self.shape(&kept.hidden, count: depth); Self.shape(&kept.activated, count: depth); Self.shape(&kept.branch, count: depth)
        kept.streams[0] = input
        for l in 1...depth {
            let x = kept.streams[l - 1]
            var u = Self.take(&kept.normalized[l - 1], count: pre ? count : 0)
            var preHat = Self.take(&kept.preHat[l - 1], count: pre ? count : 0)
            var preR = Self.take(&kept.preScale[l - 1], count: pre ? groups : 0)
            if pre {
                Self.normalize(normalization, x, rows: rows, cols: n, into: &preHat, scale: &preR)
                affine(preHat, block: l, rows: rows, into: &u)
            }
            var h = Self.take(&kept.hidden[l - 1], count: count)
            T.multiply(m: rows, n: n, k: n, pre ? u : x, transposeA: false, parameters[index(block: l, 0)], transposeB: false,
                       into: &h, alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.addBias(parameters[index(block: l, 1)], to: &h, rows: rows)
            var a = Self.take(&kept.activated[l - 1], count: count)
            TrainableMLP<T>.activate(h, activation, into: &a)
            var f = Self.take(&kept.branch[l - 1], count: count)
            T.multiply(m: rows, n: n, k: n, a, transposeA: false, parameters[index(block: l, 2)], transposeB: false,
                       into: &f, alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.addBias(parameters[index(block: l, 3)], to: &f, rows: rows)
            let alpha = T(options.skip), beta = branchMultiplier(l)
            var y = Self.take(&kept.streams[l], count: count)
            x.withUnsafeBufferPointer { x in
                f.withUnsafeBufferPointer { f in
                    y.withUnsafeMutableBufferPointer { ResidualAddKernel.forward(skip: x, branch: f, alpha: alpha, beta: beta, into: $0) }
                }
            }
            var postHat = Self.take(&kept.postHat[l - 1], count: post ? count : 0)
            var postR = Self.take(&kept.postScale[l - 1], count: post ? groups : 0)
            if post {
                Self.normalize(normalization, y, rows: rows, cols: n, into: &postHat, scale: &postR)
                affine(postHat, block: l, rows: rows, into: &y)
            }
            kept.normalized[l - 1] = u; kept.preHat[l - 1] = preHat; kept.preScale[l - 1] = preR; kept.postHat[l - 1] = postHat
            kept.hidden[l - 1] = h; kept.activated[l - 1] = a; kept.branch[l - 1] = f; kept.postScale[l - 1] = postR
            kept.streams[l] = y
        }
        var z = Self.take(&kept.outputs, count: rows * outputs)
        T.multiply(m: rows, n: outputs, k: n, kept.streams[depth], transposeA: false, parameters[readoutIndex], transposeB: false,
                   into: &z, alpha: 1, beta: 0, threads: threads)
        TrainableMLP<T>.addBias(parameters[readoutIndex + 1], to: &z, rows: rows)
        kept.outputs = z
    }

    /// Makes `arrays` hold `count` arrays (empty ones when it is rebuilt; kept as they are when the count is right).
    static func shape(_ arrays: inout [[T]], count: Int) {
        if arrays.count != count { arrays = [[T]](repeating: [], count: count) }
    }

    /// The array in `slot`, moved out (so writing to it copies nothing) and sized to `count` (zeros when it is
    /// reallocated; its old values when the size is right: every caller overwrites them). `slot` is left empty.
    static func take(_ slot: inout [T], count: Int) -> [T] {
        var array: [T] = []
        swap(&array, &slot)
        TrainableMLP<T>.resize(&array, to: count)
        return array
    }

    /// Nhat * gamma + delta of block l's norm (per column; delta absent for RMSNorm) into `y` (sized as `hat`).
    func affine(_ hat: [T], block l: Int, rows: Int, into y: inout [T]) {
        TrainableMLP<T>.resize(&y, to: hat.count)
        let gain = parameters[gainIndex(block: l)], n = width
        hat.withUnsafeBufferPointer { hat in
            gain.withUnsafeBufferPointer { gain in
                y.withUnsafeMutableBufferPointer { GainKernel.forward(normalized: hat.baseAddress!, gain: gain.baseAddress!, rows: rows, cols: n, into: $0.baseAddress!) }
            }
        }
        if normParameterCount == 2 { TrainableMLP<T>.addBias(parameters[gainIndex(block: l) + 1], to: &y, rows: rows) }
    }

    /// dL/dx of block l's Norm into `dx` from g = dL/d(its output), its kept Nhat and r; dL/dgamma and dL/ddelta into
    /// `gradients`; `dHat` is scratch (all sized as g).
    func normBackward(block l: Int, hat: [T], scale r: [T], gradient g: [T], rows: Int, gradients: inout [[T]],
                      dHat: inout [T], into dx: inout [T]) {
        let n = width, k = gainIndex(block: l)
        if normParameterCount == 2 { TrainableMLP<T>.columnSums(g, rows: rows, into: &gradients[k + 1]) }
        TrainableMLP<T>.resize(&dHat, to: g.count)
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
        Self.normalizeBackward(normalization, output: hat, scale: r, gradient: dHat, rows: rows, cols: n, into: &dx)
    }

    /// y = Norm(x) and its r, through the engine's kernel.
    static func normalize(_ kind: Normalization, _ x: [T], rows: Int, cols: Int, into y: inout [T], scale r: inout [T]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                r.withUnsafeMutableBufferPointer { r in NormalizationKernel.forward(kind, x, rows: rows, cols: cols, into: y, inverseScale: r) }
            }
        }
    }

    /// dL/dx of y = Norm(x) into `dx` (sized as g) from the kept y, r and g = dL/dy.
    static func normalizeBackward(_ kind: Normalization, output y: [T], scale r: [T], gradient g: [T], rows: Int, cols: Int,
                                  into dx: inout [T]) {
        TrainableMLP<T>.resize(&dx, to: g.count)
        y.withUnsafeBufferPointer { y in
            r.withUnsafeBufferPointer { r in
                g.withUnsafeBufferPointer { g in
                    dx.withUnsafeMutableBufferPointer { NormalizationKernel.backward(kind, output: y, inverseScale: r, rows: rows, cols: cols, gradient: g, into: $0) }
                }
            }
        }
    }

    /// Gradients of the loss with respect to every parameter (same order and shapes), from dL/dz; also dL/dx^l
    /// of every block (index l - 1), for the measurements.
    func backward(_ forward: Forward, outputGradient dz: [T]) -> (parameters: [[T]], streams: [[T]]) {
        var gradients = parameters.map { [T](repeating: 0, count: $0.count) }
        var scratch = ResNetBackwardScratch<T>()
        var streamGradients = [[T]](repeating: [], count: depth)
        backward(forward, outputGradient: dz, into: &gradients, scratch: &scratch) { l, g in streamGradients[l - 1] = g }
        return (gradients, streamGradients)
    }

    /// `backward` into `gradients` (shaped as `parameters`; every entry is overwritten); `scratch` keeps the B x n
    /// buffers between calls; `streamGradient(l, g)` (nil = none) sees dL/dx^l before block l's step.
    func backward(_ forward: Forward, outputGradient dz: [T], into gradients: inout [[T]], scratch: inout ResNetBackwardScratch<T>,
                  streamGradient: ((Int, [T]) -> Void)? = nil) {
        let rows = forward.rows, n = width, count = rows * n
        let pre = normalization != .none && options.position == .pre, post = normalization != .none && options.position == .post
        var g = Self.take(&scratch.stream, count: count), gy = Self.take(&scratch.normalizedStream, count: post ? count : 0)
        var skipGradient = Self.take(&scratch.skip, count: count), dF = Self.take(&scratch.branch, count: count)
        var dH = Self.take(&scratch.hidden, count: count), du = Self.take(&scratch.input, count: count)
        var dHat = Self.take(&scratch.normalized, count: normalization != .none ? count : 0)
        var dx = Self.take(&scratch.normInput, count: pre ? count : 0)
        T.multiply(m: n, n: outputs, k: rows, forward.streams[depth], transposeA: true, dz, transposeB: false,
                   into: &gradients[readoutIndex], alpha: 1, beta: 0, threads: threads)
        TrainableMLP<T>.columnSums(dz, rows: rows, into: &gradients[readoutIndex + 1])
        T.multiply(m: rows, n: n, k: outputs, dz, transposeA: false, parameters[readoutIndex], transposeB: true,
                   into: &g, alpha: 1, beta: 0, threads: threads)
        for l in stride(from: depth, through: 1, by: -1) {
            streamGradient?(l, g)
            if post {
                normBackward(block: l, hat: forward.postHat[l - 1], scale: forward.postScale[l - 1], gradient: g, rows: rows,
                             gradients: &gradients, dHat: &dHat, into: &gy)
            }
            do {
                let blockGradient = post ? gy : g   // dL/dy
                let f = forward.branch[l - 1], beta = branchMultiplier(l)
                if trainsBranchMultiplier {
                    var sum = 0.0
                    for i in 0..<count { sum += Double(blockGradient[i]) * Double(f[i]) }
                    gradients[index(block: l, 4)][0] = T(sum)
                }
                // dL/dx through the skip (alpha gy) and dL/dF (beta gy), by the engine's residual add.
                blockGradient.withUnsafeBufferPointer { gy in
                    skipGradient.withUnsafeMutableBufferPointer { skip in
                        dF.withUnsafeMutableBufferPointer { ResidualAddKernel.backward(gradient: gy, alpha: T(options.skip), beta: beta, skipGradient: skip, branchGradient: $0) }
                    }
                }
            }
            T.multiply(m: n, n: n, k: rows, forward.activated[l - 1], transposeA: true, dF, transposeB: false,
                       into: &gradients[index(block: l, 2)], alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.columnSums(dF, rows: rows, into: &gradients[index(block: l, 3)])
            T.multiply(m: rows, n: n, k: n, dF, transposeA: false, parameters[index(block: l, 2)], transposeB: true,
                       into: &dH, alpha: 1, beta: 0, threads: threads)
            let phi = activation
            forward.hidden[l - 1].withUnsafeBufferPointer { h in
                forward.activated[l - 1].withUnsafeBufferPointer { a in
                    dH.withUnsafeMutableBufferPointer { T.multiplyByDerivative(phi, $0, preactivation: h, activation: a) }
                }
            }
            T.multiply(m: n, n: n, k: rows, pre ? forward.normalized[l - 1] : forward.streams[l - 1], transposeA: true, dH, transposeB: false,
                       into: &gradients[index(block: l, 0)], alpha: 1, beta: 0, threads: threads)
            TrainableMLP<T>.columnSums(dH, rows: rows, into: &gradients[index(block: l, 1)])
            T.multiply(m: rows, n: n, k: n, dH, transposeA: false, parameters[index(block: l, 0)], transposeB: true,
                       into: &du, alpha: 1, beta: 0, threads: threads)
            if pre {
                normBackward(block: l, hat: forward.preHat[l - 1], scale: forward.preScale[l - 1], gradient: du, rows: rows,
                             gradients: &gradients, dHat: &dHat, into: &dx)
                for i in 0..<count { g[i] = skipGradient[i] + dx[i] }
            } else {
                for i in 0..<count { g[i] = skipGradient[i] + du[i] }
            }
        }
        scratch = ResNetBackwardScratch(stream: g, normalizedStream: gy, skip: skipGradient, branch: dF, hidden: dH, input: du,
                                        normalized: dHat, normInput: dx)
    }
}

/// The B x n buffers of a residual network's backward pass, kept between steps (empty until the first).
struct ResNetBackwardScratch<T: EngineScalar> {
    /// dL/dx^l (the stream's gradient, walked from the top block down).
    var stream: [T] = []
    /// dL/dy: the stream's gradient through a post-norm (empty without one).
    var normalizedStream: [T] = []
    /// dL/dx^{l-1} through the skip (alpha gy).
    var skip: [T] = []
    /// dL/dF (beta gy).
    var branch: [T] = []
    /// dL/dH.
    var hidden: [T] = []
    /// dL/du.
    var input: [T] = []
    /// dL/dNhat of a norm (empty without norms).
    var normalized: [T] = []
    /// dL/dx^{l-1} through a pre-norm (empty without one).
    var normInput: [T] = []
}

/// What a residual network's passes keep between steps: one forward pass (the training batch's, then the held-out
/// batch's: both B x n) and the backward scratch.
struct ResNetTrainingWorkspace<T: EngineScalar> {
    var forward: TrainableResNet<T>.Forward? = nil
    var scratch = ResNetBackwardScratch<T>()
}

extension TrainableResNet: BlockParameterList {
    /// No tensor before block 1.
    static var leadingTensors: Int { 0 }
}

extension TrainableResNet: TrainableNetwork {
    typealias Scalar = T

    /// Blocks 1...L (W1, W2) and the read-out L + 1 (W_out).
    var reportedLayers: [[Int]] { blockLayers(weights: [0, 2]) }

    mutating func trainingPass(_ batch: TrainingBatch<T>, task: TrainingTask,
                               gradients: inout [[T]]) -> (evaluation: LossEvaluation<T>, outputs: [TensorMoments]) {
        var kept = workspace.forward ?? Forward(rows: batch.rows, streams: [])
        workspace.forward = nil   // so its arrays are unique while they are written
        defer { workspace.forward = kept }
        forward(batch.inputs, rows: batch.rows, into: &kept)
        let evaluation = TrainingLoss.evaluate(task, outputs: kept.outputs, batch: batch, withGradient: true)
        guard evaluation.loss.isFinite else { return (evaluation, []) }
        var scratch = workspace.scratch
        workspace.scratch = ResNetBackwardScratch()
        backward(kept, outputGradient: evaluation.outputGradient, into: &gradients, scratch: &scratch)
        workspace.scratch = scratch
        let outputs = withBuffers(Array(kept.streams.dropFirst()) + [kept.outputs]) { TrainingKernels.moments($0, threads: threads) }
        return (evaluation, outputs)
    }

    mutating func evaluate(_ batch: TrainingBatch<T>, task: TrainingTask) -> LossEvaluation<T> {
        var kept = workspace.forward ?? Forward(rows: batch.rows, streams: [])
        workspace.forward = nil
        defer { workspace.forward = kept }
        forward(batch.inputs, rows: batch.rows, into: &kept)
        return TrainingLoss.evaluate(task, outputs: kept.outputs, batch: batch, withGradient: false)
    }
}
