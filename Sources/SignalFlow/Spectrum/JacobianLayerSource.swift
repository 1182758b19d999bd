// A scenario's MLP layers one at a time, for the Jacobian: W_k and b_k drawn exactly as the engine draws them
// (streams 1000 + k and 10^9 + k, the same InitContext) into one reusable buffer, so forming J or pushing probes
// through it never holds more than one layer's weights. LSUV is data-driven: each layer is calibrated on the
// whole batch as it arrives, in a one-layer workspace (x^{k-1} and x^k of B rows, one W), which gives the
// engine's calibrated weights bit for bit (its GEMM blocking depends on the shape only).
// Legend: n_k = widths[k], B = batch, L = the scenario's depth; W_k is n_{k-1} x n_k, b_k is 1 x n_k.

/// Yields W_k, b_k for k = 1, 2, ... in order, holding one layer (plus, for LSUV, two B x n activations).
final class JacobianLayerSource {
    private let scenario: Scenario
    private let initializer: Initializer
    private let lsuv: LSUVOptions?
    /// Non-LSUV: the one W and b, reshaped per layer.
    private let weights: Matrix
    private let bias: Matrix?
    /// LSUV: x^{k-1} -> x^k of the batch, one layer at a time (rebuilt when a layer's shape differs).
    private var calibration: MLPWorkspace?
    private var next = 1

    /// The layers of `initializer`'s network in `scenario` (a plain MLP).
    init(scenario: Scenario, initializer: Initializer) {
        self.scenario = scenario; self.initializer = initializer
        if case .lsuv(let tolerance, let maxIterations) = initializer {
            lsuv = LSUVOptions(tolerance: tolerance, maxIterations: maxIterations)
        } else {
            lsuv = nil
        }
        let widest = scenario.widths.max() ?? 1
        weights = Matrix(rows: lsuv == nil ? widest : 0, cols: lsuv == nil ? widest : 0)
        bias = lsuv == nil && scenario.biasStandardDeviation > 0 ? Matrix(rows: 1, cols: widest) : nil
    }

    /// The batch's first input x^0 (row 0 of the engine's B x n_0 input, the same numbers).
    static func firstInput(_ scenario: Scenario) -> [Double] {
        let n0 = scenario.widths[0]
        // The engine fills B x n_0 in pairs; an odd n_0 of a one-row batch ends on the single-draw path.
        let count = scenario.batch == 1 ? n0 : n0 + n0 % 2
        let x = Matrix(rows: 1, cols: count)
        var random = RandomSource(seed: scenario.seed, stream: PropagationStreams.input)
        random.fillNormal(x.buffer)
        return x.elements.prefix(n0).map(Double.init)
    }

    /// W_k and b_k (nil without bias) for the next k (the first call gives k = 1); nil when cancelled. The
    /// matrices are reused by the next call.
    func nextLayer(cancellation: CancellationToken) -> (weights: Matrix, bias: Matrix?)? {
        let k = next
        Invariant.require(k <= scenario.depth, "JacobianLayerSource: past the last layer")
        if cancellation.isCancelled { return nil }
        next += 1
        let rows = scenario.widths[k - 1], cols = scenario.widths[k]
        let context = InitContext(fanIn: rows, fanOut: cols, role: .dense, blockIndex: k, blockCount: scenario.depth,
                                  activation: scenario.activation)
        var random = RandomSource(seed: scenario.seed, stream: PropagationStreams.weightBase + UInt64(k))
        var biasRandom = RandomSource(seed: scenario.seed, stream: PropagationStreams.biasBase + UInt64(k))
        guard let lsuv else {
            weights.reshape(rows: rows, cols: cols)
            initializer.fill(weights, context: context, random: &random)
            if let bias {
                bias.reshape(rows: 1, cols: cols)
                biasRandom.fillNormal(bias.buffer, mean: 0, standardDeviation: Float(scenario.biasStandardDeviation))
            }
            return (weights, bias)
        }
        let workspace = calibrationWorkspace(rows: rows, cols: cols)
        initializer.fill(workspace.weights[0], context: context, random: &random)
        if let b = workspace.biases.first {
            biasRandom.fillNormal(b.buffer, mean: 0, standardDeviation: Float(scenario.biasStandardDeviation))
        }
        _ = LSUV.calibrate(layer: 1, in: workspace, activation: scenario.activation, options: lsuv, cancellation: cancellation)
        if cancellation.isCancelled { return nil }
        scenario.activation.applyInPlace(workspace.activations[1].buffer)
        return (workspace.weights[0], workspace.biases.first)
    }

    /// The one-layer workspace for W_k (rows x cols) with x^{k-1} in its input: the batch's x^0 for k = 1, else
    /// the previous layer's output.
    private func calibrationWorkspace(rows: Int, cols: Int) -> MLPWorkspace {
        let previous = calibration
        if let previous, previous.widths == [rows, cols] {
            if next > 2 { previous.activations[0].copy(from: previous.activations[1]) }
            return previous
        }
        let workspace = MLPWorkspace(widths: [rows, cols], batch: scenario.batch, hasBias: scenario.biasStandardDeviation > 0,
                                     keepsPreactivations: false)
        if let previous {
            workspace.activations[0].copy(from: previous.activations[1])
        } else {
            var random = RandomSource(seed: scenario.seed, stream: PropagationStreams.input)
            random.fillNormal(workspace.activations[0].buffer)
        }
        calibration = workspace
        return workspace
    }
}
