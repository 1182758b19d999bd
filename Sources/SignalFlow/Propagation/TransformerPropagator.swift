// One initializer's run through a transformer: draws the six weights of every block (each from its own stream),
// walks the blocks forward measuring the stream after each and, when asked, every site inside; then back from the
// upstream gradient, measuring dL/dx^l and the weight gradients. When the workspace keeps one activation set, each
// block's forward pass is recomputed (unmeasured, the same bits) right before its backward step.
// Legend: B = sequences, T = tokens, R = B T, d = width, L = blocks; x^l = stream after block l (R x d).

/// Random streams of a transformer: weight k (1...6: query, key, value, output, FFN in, FFN out) of block l uses
/// weightBase + 6(l-1) + k; the input and the upstream gradient use the MLP's streams.
public enum TransformerStreams {
    /// Stream of weight k of block l.
    public static func weight(block l: Int, weight k: Int) -> UInt64 {
        PropagationStreams.weightBase + UInt64(TransformerOptions.weightsPerBlock * (l - 1) + k)
    }
}

/// Runs the passes of one initializer over a transformer workspace.
public struct TransformerPropagator {
    /// The buffers.
    public let workspace: TransformerWorkspace
    /// The FFN's nonlinearity.
    public let activation: Activation
    /// The run's options (the scenario's, as the scheme changed them).
    public let options: TransformerOptions
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

    /// A propagator over `workspace` with the FFN's phi and the run's options (a normalization the workspace has
    /// buffers for, or none). Otherwise it stops the program (`Invariant`, in the shipped build too): the kernels
    /// would write the LayerNorms' values past the ends of other buffers.
    public init(workspace: TransformerWorkspace, activation: Activation, options: TransformerOptions) {
        Invariant.require(options.normalization == .none || workspace.shape.normalized,
                          "the workspace has no buffers for the LayerNorms")
        Invariant.require(options.normalization == .none || options.position != .pre || workspace.shape.keepsNormOutputs,
                          "the workspace has no buffers for pre-LN outputs")
        self.workspace = workspace; self.activation = activation; self.options = options
    }

    /// The geometry of every block.
    var geometry: TransformerGeometry { workspace.shape.geometry }

    /// Fills x^0 and G with N(0, 1) from the MLP's input and upstream streams of `seed`.
    public func drawInputAndUpstream(seed: UInt64) {
        clock.measure(\.initialization) {
            PropagationStreams.fillInputAndUpstream(workspace.streams[0], workspace.upstream, seed: seed)
        }
    }

    /// The context of weight k (1...6, `TransformerOptions.weightRoles` order) of block l: fans of the matrix, its
    /// role, the block and the number of blocks.
    public func context(block l: Int, weight k: Int) -> InitContext {
        let d = geometry.width, role = TransformerOptions.weightRoles[k - 1]
        let fanIn = role == .ffnOut ? 4 * d : d, fanOut = role == .ffnIn ? 4 * d : d
        return InitContext(fanIn: fanIn, fanOut: fanOut, role: role, blockIndex: l, blockCount: workspace.depth,
                           layersPerBranch: 2, activation: activation)
    }

    /// Draws the weights of every block (in parallel, one stream each); false when cancelled. When the workspace
    /// does not keep weights nothing is drawn here: `prepareWeights` draws block l's whenever a pass reaches it.
    @discardableResult
    public mutating func drawParameters(initializer: Initializer, seed: UInt64, cancellation: CancellationToken? = nil) -> Bool {
        drawnWith = (initializer, seed)
        let perBlock = TransformerOptions.weightsPerBlock
        return clock.measure(\.initialization) {
            let ws = workspace, propagator = self
            Parallelism.run(ws.shape.keepsWeights ? ws.depth * perBlock : 0) { index in
                if cancellation?.isCancelled == true { return }
                let l = index / perBlock + 1, k = index % perBlock + 1
                propagator.draw(initializer, seed: seed, block: l, weight: k, into: ws.weights[l - 1].matrices[k - 1])
            }
            return cancellation?.isCancelled != true
        }
    }

    /// Draws weight k of block l into `matrix` from its own stream.
    func draw(_ initializer: Initializer, seed: UInt64, block l: Int, weight k: Int, into matrix: Matrix) {
        var random = RandomSource(seed: seed, stream: TransformerStreams.weight(block: l, weight: k))
        initializer.fill(matrix, context: context(block: l, weight: k), random: &random)
    }

    /// Redraws block l's weights into the one kept set when the workspace does not keep every block's.
    func prepareWeights(block l: Int) {
        guard !workspace.shape.keepsWeights, let (initializer, seed) = drawnWith else { return }
        clock.measure(\.initialization) {
            let ws = workspace, propagator = self
            Parallelism.run(TransformerOptions.weightsPerBlock) { index in
                propagator.draw(initializer, seed: seed, block: l, weight: index + 1, into: ws.weights[0].matrices[index])
            }
        }
    }

    /// Block l's weights as the kernels take them.
    func weights(block l: Int) -> TransformerBlockWeights<Float> {
        workspace.weights[workspace.shape.keepsWeights ? l - 1 : 0].pointers
    }

    /// Runs a block kernel, adding its time less the statistics taken inside it to the `gemm` phase (products,
    /// softmax, LayerNorm and phi together).
    func measureBlock(_ body: () -> Void) {
        guard let clock else { body(); return }
        let start = PhaseClock.now(), statisticsBefore = clock.times.statistics
        body()
        clock.times.gemm += PhaseClock.now() - start - (clock.times.statistics - statisticsBefore)
    }

    /// Forward through block l: returns its report with the stream after it first, then (when asked) every site in
    /// the order of the pass; the attention weights are followed by their rows' entropy and largest weight.
    public func forwardBlock(_ l: Int) -> LayerReport {
        let ws = workspace
        prepareWeights(block: l)
        var sites: [SiteReport] = []
        var observer: ((String, UnsafeBufferPointer<Float>) -> Void)? = nil
        if measuresSites {
            observer = { name, values in
                let saturation: SaturationRule = name == TransformerSite.ffnAct ? .activationValues(of: activation) : .none
                sites.append(SiteReport(name: name, quantity: measure(values, saturation: saturation)))
                if name == TransformerSite.attentionWeights {
                    AttentionKernel.rowSummaries(values, tokens: geometry.tokens, entropy: ws.rowEntropy.buffer, largest: ws.rowLargest.buffer)
                    sites.append(SiteReport(name: TransformerSite.attentionEntropy, quantity: measure(UnsafeBufferPointer(ws.rowEntropy.buffer))))
                    sites.append(SiteReport(name: TransformerSite.attentionLargest, quantity: measure(UnsafeBufferPointer(ws.rowLargest.buffer))))
                }
            }
        }
        measureBlock {
            TransformerBlockKernel.forward(geometry, options: options, activation: activation, weights: weights(block: l),
                                           buffers: ws.buffers(block: l), site: observer)
        }
        let stream = SiteReport(name: TransformerSite.stream, quantity: measure(UnsafeBufferPointer(ws.streams[l].buffer)))
        return LayerReport(index: l, quantities: [:], sites: [stream] + sites)
    }

    /// Starts the backward pass: dL/dx^L = G.
    public func beginBackward() {
        clock.measure(\.elementwise) { workspace.streamGradient.copy(from: workspace.upstream) }
    }

    /// Backward through block l (L down to 1) with dL/dx^l in `workspace.streamGradient`: returns the sites measured
    /// (the stream gradient first, then the weight gradients when asked) and leaves dL/dx^{l-1} in
    /// `workspace.streamGradient`.
    public func backwardBlock(_ l: Int) -> [SiteReport] {
        let ws = workspace
        var sites = [SiteReport(name: TransformerSite.streamGradient, quantity: measure(UnsafeBufferPointer(ws.streamGradient.buffer)))]
        prepareWeights(block: l)
        let w = weights(block: l), buffers = ws.buffers(block: l)
        if !ws.shape.keepsActivations {
            measureBlock {
                TransformerBlockKernel.forward(geometry, options: options, activation: activation, weights: w, buffers: buffers)
            }
        }
        let measuresWeightGradients = measuresSites
        measureBlock {
            TransformerBlockKernel.backward(geometry, options: options, activation: activation, weights: w, buffers: buffers,
                                            gradients: ws.gradients(weightGradients: plan.weightGradients),
                                            outputGradient: UnsafePointer(ws.streamGradient.base),
                                            into: ws.streamGradientBelow.base) { role, dW in
                guard measuresWeightGradients else { return }
                sites.append(SiteReport(name: TransformerSite.weightGradient(role), quantity: measure(dW)))
            }
        }
        ws.swapStreamGradients()
        return sites
    }
}
