// One initializer's run through a plain MLP: draw weights, (calibrate), forward layer by layer with
// statistics, backward with activation and weight gradients. Buffers come from an MLPWorkspace.
// Legend: B = batch, n_l = widths[l], L = depth; h^l = x^{l-1} W^l + b^l, x^l = phi(h^l);
// delta^l = dL/dh^l; dW^l = x^{l-1}^T delta^l (n_{l-1} x n_l); dL/dx^{l-1} = delta^l W^l^T.

/// Random stream numbers: the same seed and stream give the same numbers whatever else runs.
public enum PropagationStreams {
    /// x^0 ~ N(0, 1).
    public static let input: UInt64 = 1
    /// G = dL/dx^L ~ N(0, 1).
    public static let upstream: UInt64 = 2
    /// W^l uses stream weightBase + l (the same for every initializer, so each sees common random numbers).
    public static let weightBase: UInt64 = 1_000
    /// b^l uses stream biasBase + l.
    public static let biasBase: UInt64 = 1_000_000_000

    /// Fills `input` (x^0) and `upstream` (G) with N(0, 1) from the input and upstream streams of `seed`: every
    /// network's shared batch and upstream gradient.
    static func fillInputAndUpstream(_ input: Matrix, _ upstream: Matrix, seed: UInt64) {
        var inputRandom = RandomSource(seed: seed, stream: PropagationStreams.input)
        inputRandom.fillNormal(input.buffer)
        var upstreamRandom = RandomSource(seed: seed, stream: PropagationStreams.upstream)
        upstreamRandom.fillNormal(upstream.buffer)
    }
}

/// Runs the passes of one initializer over a workspace; pure apart from the workspace buffers it writes.
public struct Propagator {
    /// The buffers.
    public let workspace: MLPWorkspace
    /// The nonlinearity phi.
    public let activation: Activation
    /// Number of histogram bins.
    public var binCount: Int = HistogramBuilder.defaultBinCount
    /// Histograms and weight gradients to measure (statistics of the other quantities are always measured).
    public var plan: MeasurementPlan = .everything
    /// Per-phase timing (benchmark only); nil = no clock reads.
    public var clock: PhaseClock? = nil

    /// A propagator over `workspace` with activation phi.
    public init(workspace: MLPWorkspace, activation: Activation) {
        self.workspace = workspace; self.activation = activation
    }

    /// Fills x^0 and G with N(0, 1) from their own streams of `seed`.
    public func drawInputAndUpstream(seed: UInt64) {
        clock.measure(\.initialization) { drawInputAndUpstreamUntimed(seed: seed) }
    }

    private func drawInputAndUpstreamUntimed(seed: UInt64) {
        PropagationStreams.fillInputAndUpstream(workspace.activations[0], workspace.upstream, seed: seed)
    }

    /// Called with l after W^l is drawn (from any thread); lets a caller follow, or count, the drawing.
    public var onWeightsDrawn: (@Sendable (Int) -> Void)? = nil

    /// Draws W^first ... W^L with `initializer` (LSUV: its orthonormal pre-init) and b^1 ... b^L ~ N(0, biasStd^2).
    /// Layers are drawn on the engine's threads; each has its own random stream, so the numbers do not depend
    /// on the order. Checks `cancellation` before each layer: once set, no further layer is drawn (nor its pages
    /// touched) beyond those already under way, one per thread. Returns false when cancelled.
    @discardableResult
    public func drawParameters(initializer: Initializer, seed: UInt64, biasStandardDeviation: Double,
                               fromLayer first: Int = 1, cancellation: CancellationToken? = nil) -> Bool {
        clock.measure(\.initialization) {
            drawParametersUntimed(initializer: initializer, seed: seed, biasStandardDeviation: biasStandardDeviation,
                                  first: Swift.max(first, 1), cancellation: cancellation)
        }
    }

    private func drawParametersUntimed(initializer: Initializer, seed: UInt64, biasStandardDeviation: Double,
                                       first: Int, cancellation: CancellationToken?) -> Bool {
        let widths = workspace.widths, weights = workspace.weights, activation = self.activation
        let onWeightsDrawn = self.onWeightsDrawn
        Parallelism.run(Swift.max(0, workspace.depth - first + 1)) { index in
            if cancellation?.isCancelled == true { return }
            let l = first + index
            var random = RandomSource(seed: seed, stream: PropagationStreams.weightBase + UInt64(l))
            let context = InitContext(fanIn: widths[l - 1], fanOut: widths[l], role: .dense, blockIndex: l,
                                      blockCount: widths.count - 1, activation: activation)
            initializer.fill(weights[l - 1], context: context, random: &random)
            onWeightsDrawn?(l)
        }
        if cancellation?.isCancelled == true { return false }
        for (index, bias) in workspace.biases.enumerated() {
            var random = RandomSource(seed: seed, stream: PropagationStreams.biasBase + UInt64(index + 1))
            random.fillNormal(bias.buffer, mean: 0, standardDeviation: Float(biasStandardDeviation))
        }
        return true
    }

    /// Statistics of a buffer holding `quantity`, with histograms when the plan asks for them.
    func report(_ matrix: Matrix, _ quantity: Quantity, saturation: SaturationRule = .none) -> QuantityReport {
        clock.measure(\.statistics) { untimedReport(matrix, quantity, saturation: saturation) }
    }

    private func untimedReport(_ matrix: Matrix, _ quantity: Quantity, saturation: SaturationRule) -> QuantityReport {
        let values = UnsafeBufferPointer(matrix.buffer)
        guard plan.histogramQuantities.contains(quantity) else {
            return QuantityReport(stats: TensorStatistics.parallelScan(values, saturation: saturation).stats)
        }
        return TensorStatistics.parallelReport(values, saturation: saturation, bins: binCount)
    }

    /// Forward through layer l (1-based): h^l (optionally LSUV-calibrated first), kept h for GELU, x^l = phi(h^l).
    /// Returns the forward-only report (pre-activation, activation, weight).
    /// A set `cancellation` stops LSUV's rescalings early (the caller then abandons the run).
    public func forwardLayer(_ l: Int, lsuv: LSUVOptions?, cancellation: CancellationToken? = nil) -> LayerReport {
        var trace: LSUVLayerTrace? = nil
        if let options = lsuv {
            trace = clock.measure(\.calibration) {
                LSUV.calibrate(layer: l, in: workspace, activation: activation, options: options,
                               cancellation: cancellation)
            }
        } else {
            clock.measure(\.gemm) { workspace.computePreactivation(layer: l) }
        }
        let x = workspace.activations[l]
        var quantities: [Quantity: QuantityReport] = [:]
        let saturation = SaturationRule.activationValues(of: activation)
        if workspace.preactivations.isEmpty && !plan.histogramQuantities.contains(.preactivation) {
            // One pass over h: its scan, phi, the scan of x (the same bits as the three passes below).
            let scans = clock.measure(\.statistics) {
                TensorStatistics.scanActivateScan(x.buffer, activation: activation, saturation: saturation)
            }
            quantities[.preactivation] = QuantityReport(stats: scans.preactivation.stats)
            quantities[.activation] = clock.measure(\.statistics) {
                plan.histogramQuantities.contains(.activation)
                    ? TensorStatistics.parallelReport(UnsafeBufferPointer(x.buffer), scanned: scans.activation, bins: binCount)
                    : QuantityReport(stats: scans.activation.stats)
            }
        } else {
            quantities[.preactivation] = report(x, .preactivation)
            clock.measure(\.elementwise) {
                if !workspace.preactivations.isEmpty { workspace.preactivations[l - 1].copy(from: x) }
                activation.applyInPlace(x.buffer)
            }
            quantities[.activation] = report(x, .activation, saturation: saturation)
        }
        workspace.preactivationWasNonFinite[l - 1] = quantities[.preactivation]!.stats.nonFiniteCount > 0
        quantities[.weight] = report(workspace.weights[l - 1], .weight)
        return LayerReport(index: l, quantities: quantities, lsuv: trace)
    }

    /// Starts the backward pass: delta^L = G * phi'(h^L).
    public func beginBackward() {
        let depth = workspace.depth
        let delta = workspace.delta
        delta.reshape(rows: workspace.batch, cols: workspace.widths[depth])
        workspace.gradientScan = nil
        clock.measure(\.elementwise) { delta.copy(from: workspace.upstream) }
        multiplyByDerivativeAndScan(delta, layer: depth)
    }

    /// gradient *= phi'(h^l) and, on the usual path (h^l finite, phi' from x^l), the scan of the result kept in
    /// `workspace.gradientScan` for the next `backwardLayer` (one pass instead of two, the same bits).
    func multiplyByDerivativeAndScan(_ gradient: Matrix, layer l: Int) {
        guard !workspace.preactivationWasNonFinite[l - 1] else {
            clock.measure(\.elementwise) { multiplyByDerivative(gradient, layer: l) }
            return
        }
        let kept = workspace.derivativeSource(layer: l)
        workspace.gradientScan = clock.measure(\.statistics) {
            TensorStatistics.multiplyByDerivativeScan(gradient.buffer, kept: kept, activation: activation)
        }
    }

    /// gradient *= phi'(h^l), NaN where h^l was not finite (phi' of an overflowed value is not a number). x^l alone
    /// cannot tell (tanh(inf) = 1, relu(-inf) = 0): such a layer, rare, gets h^l again from its GEMM.
    func multiplyByDerivative(_ gradient: Matrix, layer l: Int) {
        let kept = workspace.derivativeSource(layer: l)
        guard workspace.preactivationWasNonFinite[l - 1] else {
            activation.multiplyByDerivativeOfValues(gradient.buffer, kept: kept); return
        }
        if !workspace.preactivations.isEmpty {
            activation.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: kept); return
        }
        let h = workspace.scratch
        h.reshape(rows: workspace.batch, cols: workspace.widths[l])
        workspace.computePreactivation(layer: l, into: h)
        activation.multiplyByDerivative(gradient.buffer, kept: kept, preactivation: UnsafeBufferPointer(h.buffer))
    }

    /// Backward through layer l (L down to 1), with delta^l in `workspace.delta`: measures delta^l and, when
    /// the plan asks, dW^l = x^{l-1}^T delta^l; then leaves delta^{l-1} in `workspace.delta` (for l > 1).
    /// Returns the activation-gradient report and the weight-gradient report (nil when not planned).
    public func backwardLayer(_ l: Int) -> (activationGradient: QuantityReport, weightGradient: QuantityReport?) {
        let widths = workspace.widths
        let delta = workspace.delta
        let gradientReport: QuantityReport
        if let scanned = workspace.gradientScan {
            workspace.gradientScan = nil
            gradientReport = clock.measure(\.statistics) {
                plan.histogramQuantities.contains(.activationGradient)
                    ? TensorStatistics.parallelReport(UnsafeBufferPointer(delta.buffer), scanned: scanned, bins: binCount)
                    : QuantityReport(stats: scanned.stats)
            }
        } else {
            gradientReport = report(delta, .activationGradient)
        }
        var weightGradientReport: QuantityReport? = nil
        if plan.weightGradients {
            let dW = workspace.weightGradient
            dW.reshape(rows: widths[l - 1], cols: widths[l])
            clock.measure(\.gemm) { GEMM.multiply(workspace.activations[l - 1], transposeA: true, delta, into: dW) }
            weightGradientReport = report(dW, .weightGradient)
        }
        if l > 1 {
            let below = workspace.deltaBelow
            below.reshape(rows: workspace.batch, cols: widths[l - 1])
            clock.measure(\.gemm) { GEMM.multiply(delta, workspace.weights[l - 1], transposeB: true, into: below) }
            multiplyByDerivativeAndScan(below, layer: l - 1)
            workspace.swapDeltas()
        }
        return (gradientReport, weightGradientReport)
    }
}
