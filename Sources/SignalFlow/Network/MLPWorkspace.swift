// Buffers of a plain MLP run, allocated once per shape and reused by every initializer and repeat.
// Legend: B = batch, n_l = widths[l], L = depth. x^l is B x n_l, W^l is n_{l-1} x n_l, b^l is 1 x n_l.

/// Every buffer the forward and backward passes of one MLP need; nothing is allocated after `init`.
public final class MLPWorkspace {
    /// Widths n_0 ... n_L.
    public let widths: [Int]
    /// Batch B.
    public let batch: Int
    /// W^1 ... W^L at indices 0 ..< L, each n_{l-1} x n_l.
    public let weights: [Matrix]
    /// b^1 ... b^L at indices 0 ..< L, each 1 x n_l (empty when the scenario has no bias).
    public let biases: [Matrix]
    /// x^0 ... x^L, each B x n_l; x^0 is the shared input.
    public let activations: [Matrix]
    /// h^1 ... h^L at indices 0 ..< L, kept only when phi' needs h (GELU); else empty.
    public let preactivations: [Matrix]
    /// The shared upstream gradient G = dL/dx^L, B x n_L.
    public let upstream: Matrix
    /// dL/dh of the current layer, B x max n (reshaped per layer).
    public private(set) var delta: Matrix
    /// dL/dh of the layer below, B x max n (reshaped per layer).
    public private(set) var deltaBelow: Matrix
    /// dL/dW of the current layer, max n_{l-1} x n_l (reshaped per layer).
    public let weightGradient: Matrix
    /// Scratch B x max n block (LSUV after-activation measurement; h^l recomputed for the backward pass).
    public let scratch: Matrix
    /// The scan of `delta` when the step that wrote it scanned it too (set and taken by `Propagator`), else nil.
    var gradientScan: TensorScan? = nil
    /// Per layer (index l - 1): whether h^l held a NaN or an infinity in the last forward pass (set by `Propagator`).
    public internal(set) var preactivationWasNonFinite: [Bool]

    /// Allocates every buffer for `widths`, `batch`, with biases and kept h as requested.
    public init(widths: [Int], batch: Int, hasBias: Bool, keepsPreactivations: Bool) {
        Invariant.require(widths.count >= 2 && batch > 0, "MLPWorkspace needs depth >= 1 and batch > 0")
        self.widths = widths; self.batch = batch
        let depth = widths.count - 1
        weights = (1...depth).map { Matrix(rows: widths[$0 - 1], cols: widths[$0]) }
        biases = hasBias ? (1...depth).map { Matrix(rows: 1, cols: widths[$0]) } : []
        activations = widths.map { Matrix(rows: batch, cols: $0) }
        preactivations = keepsPreactivations ? (1...depth).map { Matrix(rows: batch, cols: widths[$0]) } : []
        upstream = Matrix(rows: batch, cols: widths[depth])
        let widest = widths.max() ?? 1
        delta = Matrix(rows: batch, cols: widest)
        deltaBelow = Matrix(rows: batch, cols: widest)
        scratch = Matrix(rows: batch, cols: widest)
        var largest = 1
        for l in 1...depth { largest = Swift.max(largest, widths[l - 1] * widths[l]) }
        weightGradient = Matrix(rows: 1, cols: largest)
        preactivationWasNonFinite = Array(repeating: false, count: depth)
    }

    /// Exchanges `delta` and `deltaBelow` (moving one layer down the backward pass without copying).
    public func swapDeltas() { swap(&delta, &deltaBelow) }

    /// Number of weight layers L.
    public var depth: Int { widths.count - 1 }

    /// h^l = x^{l-1} W^l + b^l into x^l's storage (l is 1-based).
    public func computePreactivation(layer l: Int) { computePreactivation(layer: l, into: activations[l]) }

    /// h^l = x^{l-1} W^l + b^l into `output` (B x n_l; the same bits whatever the storage).
    func computePreactivation(layer l: Int, into output: Matrix) {
        GEMM.multiply(activations[l - 1], weights[l - 1], into: output)
        if !biases.isEmpty {
            let bias = biases[l - 1].base, n = widths[l]
            for row in 0..<batch {
                let r = output.base + row * n
                for j in 0..<n { r[j] += bias[j] }
            }
        }
    }

    /// The buffer phi'(h^l) is computed from: x^l, or the kept h^l (l is 1-based).
    func derivativeSource(layer l: Int) -> UnsafeBufferPointer<Float> {
        let m = preactivations.isEmpty ? activations[l] : preactivations[l - 1]
        return UnsafeBufferPointer(m.buffer)
    }
}
