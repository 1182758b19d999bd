// Buffers of a residual network run, allocated once per shape and reused by every initializer. Each block keeps
// what its backward pass needs and nothing else; the rest is scratch shared by every block.
// Legend: B = batch, n = width, L = blocks; x^l = stream after block l (B x n); per block l:
// W1^l, W2^l (n x n), b1^l, b2^l (1 x n); N^l = Norm(x^{l-1}) (pre-norm only); A^l = phi(W1 N^l + b1) kept;
// H^l = W1 N^l + b1 kept only when phi' needs h; r^l = the normalization's 1/sqrt(var + eps) per group.
//
// Kept per block, by operation (W1, W2 themselves are redrawn from their streams instead when they do not fit): dense W1 keeps its input (x^{l-1}, or N^l with pre-norm) for dW1; the activation
// keeps A^l (and H^l for GELU), which is also dense W2's input for dW2; the normalization keeps its output (N^l,
// or x^l itself after a post-norm) and r^l (B values for layer/rms, n for batch); the residual add keeps nothing
// (alpha and beta are scalars). dense W2's output F is scratch.

/// Every buffer of one residual network's forward and backward passes; nothing is allocated after `init`.
public final class ResidualWorkspace {
    /// What the buffers depend on: two scenarios with equal shapes share one workspace.
    public struct Shape: Equatable, Hashable, Sendable {
        /// Stream width n.
        public var width: Int
        /// Batch B.
        public var batch: Int
        /// Blocks L.
        public var depth: Int
        /// Whether b1^l and b2^l are allocated.
        public var hasBias: Bool
        /// Whether H^l is kept (activations whose derivative needs h).
        public var keepsPreactivations: Bool
        /// The scenario's normalization (a run may use none: its scheme removes it).
        public var normalization: Normalization
        /// Pre or post.
        public var position: NormPosition
        /// Whether W1^l, W2^l of every block are kept (else two n x n matrices are redrawn from their random streams
        /// whenever a pass needs them: the same bits, since each weight has its own stream).
        public var keepsWeights: Bool

        /// The shape a residual scenario's run needs: weights are kept when every buffer, weights included, takes
        /// at most half the memory limit, and redrawn otherwise (then a 10,000-block stream of width 256 fits).
        public init(_ scenario: Scenario) {
            let options = scenario.architecture.residual ?? ResidualOptions()
            width = scenario.width; batch = scenario.batch; depth = scenario.depth
            hasBias = scenario.biasStandardDeviation > 0
            keepsPreactivations = !scenario.activation.derivativeFromActivationValue
            normalization = options.normalization; position = options.position
            keepsWeights = true
            keepsWeights = SaturatingSize.product(floatCount, MemoryLayout<Float>.stride) <= Scenario.memoryLimitBytes / 2
        }

        /// Weight matrices allocated per layer of a branch: one per block when kept, else one in all.
        var weightMatrices: Int { keepsWeights ? depth : 1 }

        /// True when every block keeps N^l (pre-normalization).
        var keepsNormOutputs: Bool { normalization != .none && position == .pre }

        /// Float32 elements of every buffer (what `ResidualWorkspace` allocates), saturating.
        var floatCount: Int {
            let block = SaturatingSize.product(batch, width), square = SaturatingSize.product(width, width)
            var perBlock = [block]                                                                    // A
            if keepsWeights { perBlock.append(SaturatingSize.product(2, square)) }                    // W1, W2
            if hasBias { perBlock.append(SaturatingSize.product(2, width)) }                           // b1, b2
            if keepsPreactivations { perBlock.append(block) }                                         // H
            if keepsNormOutputs { perBlock.append(block) }                                            // N
            if normalization != .none { perBlock.append(Swift.max(NormalizationKernel.groupCount(normalization, rows: batch, cols: width), 1)) }
            let blocks = SaturatingSize.product(SaturatingSize.sum(perBlock), depth)
            let streams = SaturatingSize.product(SaturatingSize.sum(depth, 1), block)                  // x^0 ... x^L
            var scratch = SaturatingSize.sum(SaturatingSize.product(6, block), square)                // G, F, 4 deltas; dW
            if !keepsWeights { scratch = SaturatingSize.sum(scratch, SaturatingSize.product(2, square)) }  // W1, W2 drawn
            return SaturatingSize.sum([blocks, streams, scratch])
        }
    }

    /// The shape of the buffers.
    public let shape: Shape
    /// W1^l at index l - 1 (n x n); one matrix, redrawn for each block, when the shape does not keep weights.
    public let branchInWeights: [Matrix]
    /// W2^l at index l - 1 (n x n); one matrix, redrawn for each block, when the shape does not keep weights.
    public let branchOutWeights: [Matrix]
    /// b1^l (1 x n), empty without bias.
    public let branchInBiases: [Matrix]
    /// b2^l (1 x n), empty without bias.
    public let branchOutBiases: [Matrix]
    /// x^0 ... x^L (B x n); x^0 is the shared input.
    public let streams: [Matrix]
    /// A^l = phi(H^l) at index l - 1 (B x n).
    public let branchActivations: [Matrix]
    /// H^l at index l - 1 when phi' needs h, else empty.
    public let branchPreactivations: [Matrix]
    /// N^l at index l - 1 with pre-normalization, else empty.
    public let normOutputs: [Matrix]
    /// r^l at index l - 1 (1 x groups) with normalization, else empty.
    public let inverseScales: [Matrix]
    /// The shared upstream gradient G = dL/dx^L (B x n).
    public let upstream: Matrix
    /// Branch output F (forward) and h recomputed for phi' (backward), B x n.
    public let scratch: Matrix
    /// dL/dx^l of the block being walked (B x n).
    public private(set) var streamGradient: Matrix
    /// dL/dx^{l-1} being formed (B x n).
    public private(set) var streamGradientBelow: Matrix
    /// Gradients inside the branch (B x n each): dL/dF then dL/dH; dL/dA then dL/dN.
    public let branchGradient: Matrix, branchGradientInner: Matrix
    /// dL/dW of the current weight (n x n).
    public let weightGradient: Matrix
    /// Per block (index l - 1): whether H^l held a NaN or an infinity in the last forward pass.
    public internal(set) var preactivationWasNonFinite: [Bool]

    /// Allocates every buffer of `shape`.
    public init(_ shape: Shape) {
        Invariant.require(shape.depth >= 1 && shape.batch > 0 && shape.width > 0, "ResidualWorkspace needs L, B, n >= 1")
        self.shape = shape
        let (n, b, depth) = (shape.width, shape.batch, shape.depth)
        func blocks(_ rows: Int, _ cols: Int, _ wanted: Bool = true) -> [Matrix] {
            wanted ? (0..<depth).map { _ in Matrix(rows: rows, cols: cols) } : []
        }
        branchInWeights = (0..<shape.weightMatrices).map { _ in Matrix(rows: n, cols: n) }
        branchOutWeights = (0..<shape.weightMatrices).map { _ in Matrix(rows: n, cols: n) }
        branchInBiases = blocks(1, n, shape.hasBias); branchOutBiases = blocks(1, n, shape.hasBias)
        streams = (0...depth).map { _ in Matrix(rows: b, cols: n) }
        branchActivations = blocks(b, n)
        branchPreactivations = blocks(b, n, shape.keepsPreactivations)
        normOutputs = blocks(b, n, shape.keepsNormOutputs)
        inverseScales = shape.normalization == .none ? []
            : blocks(1, NormalizationKernel.groupCount(shape.normalization, rows: b, cols: n))
        upstream = Matrix(rows: b, cols: n); scratch = Matrix(rows: b, cols: n)
        streamGradient = Matrix(rows: b, cols: n); streamGradientBelow = Matrix(rows: b, cols: n)
        branchGradient = Matrix(rows: b, cols: n); branchGradientInner = Matrix(rows: b, cols: n)
        weightGradient = Matrix(rows: n, cols: n)
        preactivationWasNonFinite = Array(repeating: false, count: depth)
    }

    /// Exchanges the two stream gradients (moving one block down without copying).
    func swapStreamGradients() { swap(&streamGradient, &streamGradientBelow) }

    /// Number of blocks L.
    public var depth: Int { shape.depth }

    /// Every matrix, for tests that compare the allocation with the estimate.
    var everyMatrix: [Matrix] {
        branchInWeights + branchOutWeights + branchInBiases + branchOutBiases + streams + branchActivations
            + branchPreactivations + normOutputs + inverseScales
            + [upstream, scratch, streamGradient, streamGradientBelow, branchGradient, branchGradientInner, weightGradient]
    }
}
