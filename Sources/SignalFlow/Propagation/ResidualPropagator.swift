// One initializer's run through a residual network: walks the blocks of `Scenario.block(l)` forward, then back,
// operation by operation, measuring the stream after every block, its gradient, and the sites inside.
// Legend: B = batch, n = width, L = blocks; x^l = stream after block l; u = the branch input (x^{l-1}, or
// N = Norm(x^{l-1}) with pre-norm); H = u W1 + b1; A = phi(H); F = A W2 + b2;
// y = alpha x^{l-1} + beta F (x^l = y, or Norm(y) with post-norm). Gradients: g = dL/dx^l.

/// Random streams of a residual network: W1^l and W2^l use weightBase + 2(l-1) + 1 and + 2, biases likewise from
/// biasBase; the input and the upstream gradient use the MLP's streams.
public enum ResidualStreams {
    /// Stream of the k-th weight layer (k = 1, 2) of block l.
    public static func weight(block l: Int, layer k: Int) -> UInt64 {
        PropagationStreams.weightBase + UInt64(ResidualOptions.layersPerBranch * (l - 1) + k)
    }

    /// Stream of the k-th bias (k = 1, 2) of block l.
    public static func bias(block l: Int, layer k: Int) -> UInt64 {
        PropagationStreams.biasBase + UInt64(ResidualOptions.layersPerBranch * (l - 1) + k)
    }
}

/// The names of the measurement sites of a residual block.
public enum ResidualSite {
    /// x^l, the stream after the block (always measured).
    public static let stream = "stream"
    /// dL/dx^l (always measured).
    public static let streamGradient = "streamGradient"
    /// N = Norm(x^{l-1}), pre-normalization only.
    public static let normOut = "norm.out"
    /// H = u W1 + b1.
    public static let branchPre = "branch.pre"
    /// A = phi(H).
    public static let branchAct = "branch.act"
    /// F = A W2 + b2, before beta.
    public static let branchOut = "branch.out"
    /// dL/dH.
    public static let branchPreGradient = "branch.pre.gradient"
    /// W1 and W2.
    public static let branchInWeight = "branch.in.weight", branchOutWeight = "branch.out.weight"
    /// dL/dW1 and dL/dW2.
    public static let branchInWeightGradient = "branch.in.weightGradient"
    public static let branchOutWeightGradient = "branch.out.weightGradient"
}

/// Runs the passes of one initializer over a residual workspace.
public struct ResidualPropagator {
    /// The buffers.
    public let workspace: ResidualWorkspace
    /// The nonlinearity phi of every branch.
    public let activation: Activation
    /// The run's residual options (the scenario's, as the scheme changed them).
    public let options: ResidualOptions
    /// Number of histogram bins.
    public var binCount: Int = HistogramBuilder.defaultBinCount
    /// Histograms (any quantity asked = histograms of every site) and weight gradients.
    public var plan: MeasurementPlan = .everything
    /// Whether the sites inside the blocks are reported (the stream and its gradient always are).
    public var measuresSites = true
    /// Per-phase timing; nil = none.
    public var clock: PhaseClock? = nil
    /// The scheme and seed the weights were drawn with (to redraw them when the workspace does not keep them).
    var drawnWith: (initializer: Initializer, seed: UInt64)? = nil

    /// A propagator over `workspace` with activation phi and the run's options. The options' normalization must
    /// be the workspace's or none.
    public init(workspace: ResidualWorkspace, activation: Activation, options: ResidualOptions) {
        precondition(options.normalization == .none || options.normalization == workspace.shape.normalization,
                     "the workspace has no buffers for \(options.normalization) normalization")
        self.workspace = workspace; self.activation = activation; self.options = options
    }

    var normalization: Normalization { options.normalization }
    var isPreNorm: Bool { normalization != .none && options.position == .pre }
    var isPostNorm: Bool { normalization != .none && options.position == .post }

    /// Fills x^0 and G with N(0, 1) from the MLP's input and upstream streams of `seed`.
    public func drawInputAndUpstream(seed: UInt64) {
        clock.measure(\.initialization) {
            var inputRandom = RandomSource(seed: seed, stream: PropagationStreams.input)
            inputRandom.fillNormal(workspace.streams[0].buffer)
            var upstreamRandom = RandomSource(seed: seed, stream: PropagationStreams.upstream)
            upstreamRandom.fillNormal(workspace.upstream.buffer)
        }
    }

    /// The context of weight layer k (1 = branch in, 2 = branch out) of block l.
    public func context(block l: Int, layer k: Int) -> InitContext {
        InitContext(fanIn: workspace.shape.width, fanOut: workspace.shape.width, role: k == 1 ? .branchIn : .branchOut,
                     blockIndex: l, blockCount: workspace.depth, layersPerBranch: ResidualOptions.layersPerBranch,
                     activation: activation)
    }

    /// Draws W1^l, W2^l of every block (in parallel, one stream each) and the biases; false when cancelled.
    /// When the workspace does not keep weights, only the biases are drawn here; `prepareWeights` redraws W1^l and
    /// W2^l whenever a pass reaches block l.
    @discardableResult
    public mutating func drawParameters(initializer: Initializer, seed: UInt64, biasStandardDeviation: Double,
                                        cancellation: CancellationToken? = nil) -> Bool {
        drawnWith = (initializer, seed)
        return clock.measure(\.initialization) {
            let ws = workspace, propagator = self
            Parallelism.run(ws.shape.keepsWeights ? ws.depth * ResidualOptions.layersPerBranch : 0) { index in
                if cancellation?.isCancelled == true { return }
                let l = index / 2 + 1, k = index % 2 + 1
                var random = RandomSource(seed: seed, stream: ResidualStreams.weight(block: l, layer: k))
                initializer.fill(k == 1 ? ws.branchInWeights[l - 1] : ws.branchOutWeights[l - 1],
                                 context: propagator.context(block: l, layer: k), random: &random)
            }
            if cancellation?.isCancelled == true { return false }
            for l in stride(from: 1, through: ws.branchInBiases.count, by: 1) {
                for k in 1...2 {
                    var random = RandomSource(seed: seed, stream: ResidualStreams.bias(block: l, layer: k))
                    let bias = k == 1 ? ws.branchInBiases[l - 1] : ws.branchOutBiases[l - 1]
                    random.fillNormal(bias.buffer, mean: 0, standardDeviation: Float(biasStandardDeviation))
                }
            }
            return true
        }
    }

    /// Redraws W1^l and W2^l into the workspace's two weight matrices when it does not keep every block's (the
    /// same bits as the first draw: each weight has its own stream); nothing when weights are kept.
    func prepareWeights(block l: Int) {
        guard !workspace.shape.keepsWeights, let (initializer, seed) = drawnWith else { return }
        clock.measure(\.initialization) {
            let ws = workspace, propagator = self
            Parallelism.run(ResidualOptions.layersPerBranch) { index in
                let k = index + 1
                var random = RandomSource(seed: seed, stream: ResidualStreams.weight(block: l, layer: k))
                initializer.fill(k == 1 ? ws.branchInWeights[0] : ws.branchOutWeights[0],
                                 context: propagator.context(block: l, layer: k), random: &random)
            }
        }
    }

    /// W1^l (kept, or the matrix `prepareWeights` drew it into).
    func branchInWeights(_ l: Int) -> Matrix { workspace.branchInWeights[workspace.shape.keepsWeights ? l - 1 : 0] }

    /// W2^l (kept, or the matrix `prepareWeights` drew it into).
    func branchOutWeights(_ l: Int) -> Matrix { workspace.branchOutWeights[workspace.shape.keepsWeights ? l - 1 : 0] }

    /// Statistics (and histograms when the plan has any) of `matrix`.
    func measure(_ matrix: Matrix, saturation: SaturationRule = .none) -> QuantityReport {
        clock.measure(\.statistics) {
            let values = UnsafeBufferPointer(matrix.buffer)
            guard !plan.histogramQuantities.isEmpty else {
                return QuantityReport(stats: TensorStatistics.parallelScan(values, saturation: saturation).stats)
            }
            return TensorStatistics.parallelReport(values, saturation: saturation, bins: binCount)
        }
    }

    /// out = in W (+ b): the dense operation.
    func dense(_ input: Matrix, _ weights: Matrix, bias: Matrix?, into output: Matrix) {
        clock.measure(\.gemm) { GEMM.multiply(input, weights, into: output) }
        guard let bias else { return }
        let b = bias.base, n = output.cols
        for row in 0..<output.rows {
            let r = output.base + row * n
            for j in 0..<n { r[j] += b[j] }
        }
    }

    /// The branch input of block l: x^{l-1}, or N^l with pre-norm.
    func branchInput(_ l: Int) -> Matrix { isPreNorm ? workspace.normOutputs[l - 1] : workspace.streams[l - 1] }

    /// Forward through block l (1-based): returns its report with the stream and, when asked, the sites.
    public func forwardBlock(_ l: Int) -> LayerReport {
        let ws = workspace
        let x = ws.streams[l - 1], y = ws.streams[l]
        prepareWeights(block: l)
        let w1 = branchInWeights(l), w2 = branchOutWeights(l)
        let b1 = ws.branchInBiases.isEmpty ? nil : ws.branchInBiases[l - 1]
        let b2 = ws.branchOutBiases.isEmpty ? nil : ws.branchOutBiases[l - 1]
        var sites: [SiteReport] = []
        if isPreNorm {
            let n = ws.normOutputs[l - 1]
            clock.measure(\.elementwise) { normalize(x, into: n, inverseScale: ws.inverseScales[l - 1]) }
            if measuresSites { sites.append(SiteReport(name: ResidualSite.normOut, quantity: measure(n))) }
        }
        let h = ws.branchActivations[l - 1]
        dense(branchInput(l), w1, bias: b1, into: h)
        let pre = measure(h)
        ws.preactivationWasNonFinite[l - 1] = pre.stats.nonFiniteCount > 0
        if measuresSites { sites.append(SiteReport(name: ResidualSite.branchPre, quantity: pre)) }
        clock.measure(\.elementwise) {
            if !ws.branchPreactivations.isEmpty { ws.branchPreactivations[l - 1].copy(from: h) }
            activation.applyInPlace(h.buffer)
        }
        if measuresSites {
            sites.append(SiteReport(name: ResidualSite.branchAct, quantity: measure(h, saturation: .activationValues(of: activation))))
        }
        let f = ws.scratch
        dense(h, w2, bias: b2, into: f)
        if measuresSites { sites.append(SiteReport(name: ResidualSite.branchOut, quantity: measure(f))) }
        clock.measure(\.elementwise) {
            // Post-norm: the sum goes to F's storage, then Norm(sum) to x^l.
            let sum = isPostNorm ? f : y
            ResidualAddKernel.forward(skip: UnsafeBufferPointer(x.buffer), branch: UnsafeBufferPointer(f.buffer),
                                      alpha: Float(options.skip), beta: Float(options.branchMultiplier), into: sum.buffer)
            if isPostNorm { normalize(f, into: y, inverseScale: ws.inverseScales[l - 1]) }
        }
        var all = [SiteReport(name: ResidualSite.stream, quantity: measure(y))]
        if measuresSites {
            all += sites
            all.append(SiteReport(name: ResidualSite.branchInWeight, quantity: measure(w1)))
            all.append(SiteReport(name: ResidualSite.branchOutWeight, quantity: measure(w2)))
        }
        return LayerReport(index: l, quantities: [:], sites: all)
    }

    /// out = Norm(in) with the run's normalization; r into `inverseScale`.
    func normalize(_ input: Matrix, into output: Matrix, inverseScale: Matrix) {
        NormalizationKernel.forward(normalization, UnsafeBufferPointer(input.buffer), rows: input.rows, cols: input.cols,
                                    into: output.buffer, inverseScale: inverseScale.buffer)
    }

    /// Starts the backward pass: dL/dx^L = G.
    public func beginBackward() {
        clock.measure(\.elementwise) { workspace.streamGradient.copy(from: workspace.upstream) }
    }

    /// Backward through block l (L down to 1) with dL/dx^l in `workspace.streamGradient`: returns the sites
    /// measured (the stream gradient first) and leaves dL/dx^{l-1} in `workspace.streamGradient` (for l > 1).
    public func backwardBlock(_ l: Int) -> [SiteReport] {
        let ws = workspace
        let g = ws.streamGradient, below = ws.streamGradientBelow
        let dBranch = ws.branchGradient, dInner = ws.branchGradientInner
        var sites = [SiteReport(name: ResidualSite.streamGradient, quantity: measure(g))]
        let a = ws.branchActivations[l - 1]
        prepareWeights(block: l)
        clock.measure(\.elementwise) {
            // dL/dy: through the post-norm into dBranch, or g itself.
            let dy = isPostNorm ? dBranch : g
            if isPostNorm {
                NormalizationKernel.backward(normalization, output: UnsafeBufferPointer(ws.streams[l].buffer),
                                             inverseScale: UnsafeBufferPointer(ws.inverseScales[l - 1].buffer),
                                             rows: g.rows, cols: g.cols, gradient: UnsafeBufferPointer(g.buffer),
                                             into: dBranch.buffer)
            }
            // dL/dx^{l-1} starts as alpha dy; dL/dF = beta dy (in dBranch).
            ResidualAddKernel.backward(gradient: UnsafeBufferPointer(dy.buffer), alpha: Float(options.skip),
                                       beta: Float(options.branchMultiplier), skipGradient: below.buffer,
                                       branchGradient: dBranch.buffer)
        }
        if plan.weightGradients {
            clock.measure(\.gemm) { GEMM.multiply(a, transposeA: true, dBranch, into: ws.weightGradient) }
            if measuresSites { sites.append(SiteReport(name: ResidualSite.branchOutWeightGradient, quantity: measure(ws.weightGradient))) }
        }
        clock.measure(\.gemm) { GEMM.multiply(dBranch, branchOutWeights(l), transposeB: true, into: dInner) }
        clock.measure(\.elementwise) { multiplyByDerivative(dInner, block: l) }
        if measuresSites { sites.append(SiteReport(name: ResidualSite.branchPreGradient, quantity: measure(dInner))) }
        let input = branchInput(l)
        if plan.weightGradients {
            clock.measure(\.gemm) { GEMM.multiply(input, transposeA: true, dInner, into: ws.weightGradient) }
            if measuresSites { sites.append(SiteReport(name: ResidualSite.branchInWeightGradient, quantity: measure(ws.weightGradient))) }
        }
        guard l > 1 else { return sites }
        clock.measure(\.gemm) { GEMM.multiply(dInner, branchInWeights(l), transposeB: true, into: dBranch) }
        clock.measure(\.elementwise) {
            if isPreNorm {
                NormalizationKernel.backward(normalization, output: UnsafeBufferPointer(input.buffer),
                                             inverseScale: UnsafeBufferPointer(ws.inverseScales[l - 1].buffer),
                                             rows: g.rows, cols: g.cols, gradient: UnsafeBufferPointer(dBranch.buffer),
                                             into: dBranch.buffer)
            }
            let sum = below.buffer, branch = dBranch.buffer
            for i in 0..<sum.count { sum[i] += branch[i] }
        }
        ws.swapStreamGradients()
        return sites
    }

    /// gradient *= phi'(H^l), NaN where H^l was not finite (then H^l is recomputed when it was not kept).
    func multiplyByDerivative(_ gradient: Matrix, block l: Int) {
        let ws = workspace
        let kept = UnsafeBufferPointer((ws.branchPreactivations.isEmpty ? ws.branchActivations : ws.branchPreactivations)[l - 1].buffer)
        guard ws.preactivationWasNonFinite[l - 1] else {
            activation.multiplyByDerivativeOfValues(gradient.buffer, kept: kept); return
        }
        if !ws.branchPreactivations.isEmpty {
            activation.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: kept); return
        }
        let h = ws.scratch
        dense(branchInput(l), branchInWeights(l),
              bias: ws.branchInBiases.isEmpty ? nil : ws.branchInBiases[l - 1], into: h)
        activation.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: UnsafeBufferPointer(h.buffer))
    }
}
