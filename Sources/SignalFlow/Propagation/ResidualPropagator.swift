// One initializer's run through a residual network: walks the blocks (`Block.residual`, the data `Scenario.block(l)`
// describes) forward, then back, operation by operation, measuring the stream after every block, its gradient, and
// the site of every operation.
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
    /// be the workspace's or none; otherwise it stops the program (`Invariant`, in the shipped build too): the
    /// kernels would write the normalization's values past the ends of other buffers.
    public init(workspace: ResidualWorkspace, activation: Activation, options: ResidualOptions) {
        Invariant.require(options.normalization == .none || options.normalization == workspace.shape.normalization,
                          "the workspace has no buffers for \(options.normalization) normalization")
        self.workspace = workspace; self.activation = activation; self.options = options
    }

    /// Fills x^0 and G with N(0, 1) from the MLP's input and upstream streams of `seed`.
    public func drawInputAndUpstream(seed: UInt64) {
        clock.measure(\.initialization) {
            PropagationStreams.fillInputAndUpstream(workspace.streams[0], workspace.upstream, seed: seed)
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
        measure(UnsafeBufferPointer(matrix.buffer), saturation: saturation)
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

    /// The block this propagator walks, as data (`Scenario.block` of a resnet with the run's options).
    var block: Block {
        Block.residual(width: workspace.shape.width, activation: activation, hasBias: !workspace.branchInBiases.isEmpty,
                       options: options)
    }

    /// Where each operation of block l's branch reads and writes: an operation's input is the previous one's
    /// output (the first reads x^{l-1}); a normalization writes N^l, a dense followed by phi writes A^l (phi then
    /// runs in place, so A^l keeps what both need for the backward pass), any other dense the scratch F.
    func branchBuffers(_ ops: [Operation], block l: Int) -> [(input: Matrix, output: Matrix)] {
        let ws = workspace
        var input = ws.streams[l - 1]
        var result: [(input: Matrix, output: Matrix)] = []
        for (index, op) in ops.enumerated() {
            let output: Matrix
            switch op {
            case .normalization: output = ws.normOutputs[l - 1]
            case .activation: output = input
            case .selfAttention, .feedForward: Invariant.fail("a residual block has no transformer operations")
            case .dense:
                let feedsActivation: Bool
                if index + 1 < ops.count, case .activation = ops[index + 1] { feedsActivation = true } else { feedsActivation = false }
                output = feedsActivation ? ws.branchActivations[l - 1] : ws.scratch
            }
            result.append((input, output))
            input = output
        }
        return result
    }

    /// The weights and bias of a dense operation of block l (W1, b1 for the branch's input layer, W2, b2 for its
    /// output layer).
    func parameters(_ role: WeightRole, block l: Int) -> (weights: Matrix, bias: Matrix?) {
        let ws = workspace
        if role == .branchOut {
            return (branchOutWeights(l), ws.branchOutBiases.isEmpty ? nil : ws.branchOutBiases[l - 1])
        }
        return (branchInWeights(l), ws.branchInBiases.isEmpty ? nil : ws.branchInBiases[l - 1])
    }

    /// The name of the site of a dense operation's weight ("branch.in.weight", "branch.out.weight").
    static func weightSite(_ role: WeightRole) -> String {
        role == .branchOut ? ResidualSite.branchOutWeight : ResidualSite.branchInWeight
    }

    /// Forward through block l (1-based), operation by operation: returns its report with the stream and, when
    /// asked, the sites (the stream first, then each operation's output in order, then the weights).
    public func forwardBlock(_ l: Int) -> LayerReport {
        let ws = workspace, block = self.block
        let x = ws.streams[l - 1], y = ws.streams[l]
        prepareWeights(block: l)
        var sites: [SiteReport] = [], weightSites: [SiteReport] = []
        let buffers = branchBuffers(block.branch, block: l)
        for (index, op) in block.branch.enumerated() {
            let (input, output) = buffers[index]
            switch op {
            case .normalization(let kind):
                clock.measure(\.elementwise) { normalize(kind, input, into: output, inverseScale: ws.inverseScales[l - 1]) }
                if measuresSites { sites.append(SiteReport(name: op.siteName, quantity: measure(output))) }
            case .dense(let role, _, _, _):
                let (weights, bias) = parameters(role, block: l)
                dense(input, weights, bias: bias, into: output)
                let feedsActivation = output === ws.branchActivations[l - 1]
                if feedsActivation || measuresSites {
                    let report = measure(output)
                    if feedsActivation { ws.preactivationWasNonFinite[l - 1] = report.stats.nonFiniteCount > 0 }
                    if measuresSites { sites.append(SiteReport(name: op.siteName, quantity: report)) }
                }
                if measuresSites { weightSites.append(SiteReport(name: Self.weightSite(role), quantity: measure(weights))) }
            case .selfAttention, .feedForward: Invariant.fail("a residual block has no transformer operations")
            case .activation(let phi):
                clock.measure(\.elementwise) {
                    if !ws.branchPreactivations.isEmpty { ws.branchPreactivations[l - 1].copy(from: output) }
                    phi.applyInPlace(output.buffer)
                }
                if measuresSites {
                    sites.append(SiteReport(name: op.siteName, quantity: measure(output, saturation: .activationValues(of: phi))))
                }
            }
        }
        let branch = buffers.last?.output ?? x
        clock.measure(\.elementwise) {
            // With operations after the add (post-norm), the sum goes to F's storage first.
            let residual = block.residual ?? .init(skip: 1, branch: 1)
            let sum = block.after.isEmpty ? y : ws.scratch
            ResidualAddKernel.forward(skip: UnsafeBufferPointer(x.buffer), branch: UnsafeBufferPointer(branch.buffer),
                                      alpha: Float(residual.skip), beta: Float(residual.branch), into: sum.buffer)
            for op in block.after {
                guard case .normalization(let kind) = op else { Invariant.fail("only a normalization follows the add") }
                normalize(kind, sum, into: y, inverseScale: ws.inverseScales[l - 1])
            }
        }
        let stream = [SiteReport(name: ResidualSite.stream, quantity: measure(y))]
        return LayerReport(index: l, quantities: [:], sites: stream + sites + weightSites)
    }

    /// out = Norm(in); r into `inverseScale`.
    func normalize(_ kind: Normalization, _ input: Matrix, into output: Matrix, inverseScale: Matrix) {
        NormalizationKernel.forward(kind, UnsafeBufferPointer(input.buffer), rows: input.rows, cols: input.cols,
                                    into: output.buffer, inverseScale: inverseScale.buffer)
    }

    /// dx = Norm'(g) from the kept output and r (in place when `gradient` is `into`).
    func normalizeBackward(_ kind: Normalization, output: Matrix, inverseScale: Matrix, gradient: Matrix, into dx: Matrix) {
        NormalizationKernel.backward(kind, output: UnsafeBufferPointer(output.buffer),
                                     inverseScale: UnsafeBufferPointer(inverseScale.buffer), rows: output.rows,
                                     cols: output.cols, gradient: UnsafeBufferPointer(gradient.buffer), into: dx.buffer)
    }

    /// Starts the backward pass: dL/dx^L = G.
    public func beginBackward() {
        clock.measure(\.elementwise) { workspace.streamGradient.copy(from: workspace.upstream) }
    }

    /// Backward through block l (L down to 1) with dL/dx^l in `workspace.streamGradient`, operation by operation in
    /// reverse: returns the sites measured (the stream gradient first) and leaves dL/dx^{l-1} in
    /// `workspace.streamGradient` (for l > 1; block 1 stops after its first weight gradient).
    public func backwardBlock(_ l: Int) -> [SiteReport] {
        let ws = workspace, block = self.block
        let g = ws.streamGradient, below = ws.streamGradientBelow
        var sites = [SiteReport(name: ResidualSite.streamGradient, quantity: measure(g))]
        prepareWeights(block: l)
        // The gradient moves between the two branch buffers: in place through phi and the norms, across through GEMMs.
        var current = ws.branchGradient, spare = ws.branchGradientInner
        clock.measure(\.elementwise) {
            var dy = g
            for op in block.after.reversed() {
                guard case .normalization(let kind) = op else { Invariant.fail("only a normalization follows the add") }
                normalizeBackward(kind, output: ws.streams[l], inverseScale: ws.inverseScales[l - 1], gradient: dy, into: current)
                dy = current
            }
            // dL/dx^{l-1} starts as alpha dy; the branch's output gradient is beta dy.
            let residual = block.residual ?? .init(skip: 1, branch: 1)
            ResidualAddKernel.backward(gradient: UnsafeBufferPointer(dy.buffer), alpha: Float(residual.skip),
                                       beta: Float(residual.branch), skipGradient: below.buffer, branchGradient: current.buffer)
        }
        let buffers = branchBuffers(block.branch, block: l)
        let firstDense = block.branch.firstIndex { if case .dense = $0 { return true } else { return false } } ?? 0
        for index in stride(from: block.branch.count - 1, through: 0, by: -1) {
            let op = block.branch[index], (input, output) = buffers[index]
            switch op {
            case .dense(let role, _, _, _):
                let (weights, _) = parameters(role, block: l)
                if plan.weightGradients {
                    clock.measure(\.gemm) { GEMM.multiply(input, transposeA: true, current, into: ws.weightGradient) }
                    if measuresSites {
                        sites.append(SiteReport(name: Self.weightSite(role) + "Gradient", quantity: measure(ws.weightGradient)))
                    }
                }
                // Below the first weight of block 1 nothing needs a gradient.
                if l == 1 && index == firstDense { return sites }
                clock.measure(\.gemm) { GEMM.multiply(current, weights, transposeB: true, into: spare) }
                swap(&current, &spare)
            case .activation(let phi):
                guard index > 0, case .dense(let role, _, _, _) = block.branch[index - 1] else {
                    Invariant.fail("an activation follows a dense operation")
                }
                clock.measure(\.elementwise) {
                    multiplyByDerivative(current, phi: phi, kept: output, block: l, dense: role, input: buffers[index - 1].input)
                }
                if measuresSites { sites.append(SiteReport(name: ResidualSite.branchPreGradient, quantity: measure(current))) }
            case .selfAttention, .feedForward: Invariant.fail("a residual block has no transformer operations")
            case .normalization(let kind):
                clock.measure(\.elementwise) {
                    normalizeBackward(kind, output: output, inverseScale: ws.inverseScales[l - 1], gradient: current, into: current)
                }
            }
        }
        clock.measure(\.elementwise) {
            let sum = below.buffer, branch = current.buffer
            for i in 0..<sum.count { sum[i] += branch[i] }
        }
        ws.swapStreamGradients()
        return sites
    }

    /// gradient *= phi'(H^l) from the kept A^l = phi(H^l) (or the kept H^l), NaN where H^l was not finite (then
    /// H^l is recomputed from the dense operation's input when it was not kept).
    func multiplyByDerivative(_ gradient: Matrix, phi: Activation, kept activationOutput: Matrix, block l: Int,
                              dense role: WeightRole, input: Matrix) {
        let ws = workspace
        let kept = UnsafeBufferPointer((ws.branchPreactivations.isEmpty ? activationOutput : ws.branchPreactivations[l - 1]).buffer)
        guard ws.preactivationWasNonFinite[l - 1] else {
            phi.multiplyByDerivativeOfValues(gradient.buffer, kept: kept); return
        }
        if !ws.branchPreactivations.isEmpty {
            phi.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: kept); return
        }
        let h = ws.scratch, (weights, bias) = parameters(role, block: l)
        dense(input, weights, bias: bias, into: h)
        phi.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: UnsafeBufferPointer(h.buffer))
    }
}
