// Buffers of a transformer run, allocated once per shape. Every block keeps what its backward pass needs (LN
// outputs and 1/sqrt(var + eps), q, k, v, P, z, the middle stream, h and phi(h)) unless that does not fit: then one
// block's set is kept and the backward pass recomputes each block's forward pass from its input stream first
// (the same bits). The weights (12 d^2 per block) are likewise kept, or redrawn from their streams when needed.
// Legend: B = sequences, T = tokens, R = B T rows, d = width, H = heads, L = blocks; x^l = stream after block l
// (R x d); P is (B H T) x T.

/// Every buffer of one transformer network's passes; nothing is allocated after `init`.
public final class TransformerWorkspace {
    /// What the buffers depend on: two scenarios with equal shapes share one workspace.
    public struct Shape: Equatable, Hashable, Sendable {
        /// The sizes of a block.
        public var geometry: TransformerGeometry
        /// Blocks L.
        public var depth: Int
        /// Whether the LNs' outputs and scales are allocated (the scenario's normalization, or a row's, is not none).
        public var normalized: Bool
        /// Whether the LN outputs of both sublayers are kept (pre-LN in the scenario or a row).
        public var keepsNormOutputs: Bool
        /// Whether the six weights of every block are kept (else one set, redrawn whenever a pass needs a block's).
        public var keepsWeights: Bool
        /// Whether every block keeps its activations (else one set, recomputed from x^{l-1} before each backward
        /// step).
        public var keepsActivations: Bool

        /// The shape a transformer scenario needs: everything kept when it takes at most half the memory limit;
        /// else the weights are redrawn; else the activations recomputed too (or only they). The LayerNorms' buffers
        /// are there when the scenario or any of its rows has LayerNorms: a scheme may add them (DeepNorm's post-LN
        /// in a network the scenario leaves without).
        public init(_ scenario: Scenario) {
            let options = scenario.architecture.transformer ?? TransformerOptions()
            geometry = TransformerGeometry(sequences: scenario.batch, tokens: options.tokens, width: scenario.width,
                                           heads: options.heads)
            depth = scenario.depth
            let runs = [options] + scenario.initializers.map {
                $0.initializer.transformerOptions(from: options, layers: scenario.depth)
            }
            normalized = runs.contains { $0.normalization != .none }
            keepsNormOutputs = runs.contains { $0.normalization != .none && $0.position == .pre }
            keepsWeights = true; keepsActivations = true
            let budget = Scenario.memoryLimitBytes / 2
            for (weights, activations) in [(true, true), (false, true), (true, false), (false, false)] {
                keepsWeights = weights; keepsActivations = activations
                if SaturatingSize.product(floatCount, MemoryLayout<Float>.stride) <= budget { break }
            }
        }

        /// Weight sets allocated: one per block when kept, else one.
        var weightSets: Int { keepsWeights ? depth : 1 }
        /// Activation sets allocated: one per block when kept, else one.
        var activationSets: Int { keepsActivations ? depth : 1 }

        /// Float32 elements of one block's weights: 4 d^2 (attention) + 8 d^2 (FFN).
        var weightFloats: Int { SaturatingSize.product(12, geometry.width, geometry.width) }

        /// Float32 elements of one activation set: q, k, v, z, x1 (5 R d), h and phi(h) (8 R d), P (B H T^2), and with
        /// LN the two scales (2 R) and with pre-LN the two LN outputs (2 R d).
        var activationFloats: Int {
            let block = SaturatingSize.product(geometry.rows, geometry.width)
            var parts = [SaturatingSize.product(13, block), SaturatingSize.product(geometry.attentionRows, geometry.tokens)]
            if normalized { parts.append(SaturatingSize.product(2, geometry.rows)) }
            if keepsNormOutputs { parts.append(SaturatingSize.product(2, block)) }
            return SaturatingSize.sum(parts)
        }

        /// Float32 elements of every buffer (what `TransformerWorkspace` allocates), saturating.
        var floatCount: Int {
            let block = SaturatingSize.product(geometry.rows, geometry.width)
            let streams = SaturatingSize.product(SaturatingSize.sum(depth, 1), block)                      // x^0 ... x^L
            // G, two stream gradients, branch; dx1, dBranch, du, dz, [dq dk dv] (11 R d); dh (4 R d); dP; dW (4 d^2);
            // Wqkv (3 d^2); the row summaries of P (2 B H T).
            let scratch = SaturatingSize.sum([SaturatingSize.product(15, block),
                                              SaturatingSize.product(geometry.attentionRows, geometry.tokens),
                                              SaturatingSize.product(7, geometry.width, geometry.width),
                                              SaturatingSize.product(2, geometry.attentionRows)])
            return SaturatingSize.sum([SaturatingSize.product(weightSets, weightFloats),
                                       SaturatingSize.product(activationSets, activationFloats), streams, scratch])
        }
    }

    /// One block's six weights: query, key, value, output (d x d), FFN in (d x 4d), FFN out (4d x d).
    public final class BlockWeights {
        /// In `TransformerOptions.weightRoles` order.
        public let matrices: [Matrix]
        init(width d: Int) {
            matrices = [Matrix(rows: d, cols: d), Matrix(rows: d, cols: d), Matrix(rows: d, cols: d), Matrix(rows: d, cols: d),
                        Matrix(rows: d, cols: 4 * d), Matrix(rows: 4 * d, cols: d)]
        }
        /// As the kernels take them.
        var pointers: TransformerBlockWeights<Float> {
            let m = matrices.map { UnsafePointer($0.base) }
            return TransformerBlockWeights(attention: AttentionWeights(query: m[0], key: m[1], value: m[2], output: m[3]),
                                           ffnIn: m[4], ffnOut: m[5])
        }
    }

    /// What one block's forward pass keeps for its backward pass ([q k v] side by side, R x 3d).
    public final class BlockActivations {
        let middle, projections, mixed, weights, preactivation, activation: Matrix
        let attentionNorm, ffnNorm: Matrix?
        let attentionScale, ffnScale: Matrix
        /// Whether the FFN's h had a NaN or an infinity (set by the forward pass, read by the backward pass).
        let preactivationNonFinite = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        init(_ shape: Shape) {
            preactivationNonFinite.initialize(to: false)
            let g = shape.geometry, rows = g.rows, d = g.width
            middle = Matrix(rows: rows, cols: d); projections = Matrix(rows: rows, cols: 3 * d); mixed = Matrix(rows: rows, cols: d)
            weights = Matrix(rows: g.attentionRows, cols: g.tokens)
            preactivation = Matrix(rows: rows, cols: 4 * d); activation = Matrix(rows: rows, cols: 4 * d)
            attentionNorm = shape.keepsNormOutputs ? Matrix(rows: rows, cols: d) : nil
            ffnNorm = shape.keepsNormOutputs ? Matrix(rows: rows, cols: d) : nil
            attentionScale = Matrix(rows: 1, cols: shape.normalized ? rows : 0)
            ffnScale = Matrix(rows: 1, cols: shape.normalized ? rows : 0)
        }
        deinit { preactivationNonFinite.deallocate() }
        var everyMatrix: [Matrix] {
            [middle, projections, mixed, weights, preactivation, activation, attentionScale, ffnScale]
                + [attentionNorm, ffnNorm].compactMap { $0 }
        }
    }

    /// The shape of the buffers.
    public let shape: Shape
    /// Weights of block l at index l - 1 (or one set, redrawn per block).
    public let weights: [BlockWeights]
    /// Kept activations of block l at index l - 1 (or one set, recomputed per block).
    let activations: [BlockActivations]
    /// x^0 ... x^L (R x d); x^0 is the shared input.
    public let streams: [Matrix]
    /// The shared upstream gradient G = dL/dx^L (R x d).
    public let upstream: Matrix
    /// dL/dx^l of the block being walked, and dL/dx^{l-1} being formed (R x d).
    public private(set) var streamGradient: Matrix, streamGradientBelow: Matrix
    /// Branch outputs and sums (R x d).
    let branch: Matrix
    /// Backward scratch: dx1, dBranch, du, dz (R x d), [dq dk dv] (R x 3d), dh (R x 4d), dP ((B H T) x T), dW (4 d^2
    /// values).
    let middleGradient, branchGradient, inputGradient, mixedGradient, projectionGradient: Matrix
    let hiddenGradient, weightsGradient, weightGradient: Matrix
    /// Wqkv = [Wq Wk Wv] of the block being walked (d x 3d), rewritten before each use.
    let projectionWeights: Matrix
    /// Entropy and largest weight of each row of P (1 x B H T each).
    let rowEntropy, rowLargest: Matrix

    /// Allocates every buffer of `shape`.
    public init(_ shape: Shape) {
        Invariant.require(shape.depth >= 1 && shape.geometry.rows > 0 && shape.geometry.width > 0, "TransformerWorkspace needs L, B, T, d >= 1")
        self.shape = shape
        let g = shape.geometry, rows = g.rows, d = g.width
        weights = (0..<shape.weightSets).map { _ in BlockWeights(width: d) }
        activations = (0..<shape.activationSets).map { _ in BlockActivations(shape) }
        streams = (0...shape.depth).map { _ in Matrix(rows: rows, cols: d) }
        func block() -> Matrix { Matrix(rows: rows, cols: d) }
        upstream = block(); streamGradient = block(); streamGradientBelow = block(); branch = block()
        middleGradient = block(); branchGradient = block(); inputGradient = block(); mixedGradient = block()
        projectionGradient = Matrix(rows: rows, cols: 3 * d); projectionWeights = Matrix(rows: d, cols: 3 * d)
        hiddenGradient = Matrix(rows: rows, cols: 4 * d)
        weightsGradient = Matrix(rows: g.attentionRows, cols: g.tokens)
        weightGradient = Matrix(rows: 4 * d, cols: d)
        rowEntropy = Matrix(rows: 1, cols: g.attentionRows); rowLargest = Matrix(rows: 1, cols: g.attentionRows)
    }

    /// Number of blocks L.
    public var depth: Int { shape.depth }

    /// Exchanges the two stream gradients (moving one block down without copying).
    func swapStreamGradients() { swap(&streamGradient, &streamGradientBelow) }

    /// The kernels' view of block l's buffers (reading x^{l-1}, writing x^l).
    func buffers(block l: Int) -> TransformerBlockBuffers<Float> {
        let a = activations[shape.keepsActivations ? l - 1 : 0]
        let attention = AttentionActivations(projections: a.projections.base, mixed: a.mixed.base, weights: a.weights.base,
                                             projectionWeights: projectionWeights.base)
        return TransformerBlockBuffers(input: UnsafePointer(streams[l - 1].base), middle: a.middle.base, output: streams[l].base,
                                       attentionNorm: a.attentionNorm?.base, ffnNorm: a.ffnNorm?.base,
                                       attentionScale: a.attentionScale.base, ffnScale: a.ffnScale.base, attention: attention,
                                       preactivation: a.preactivation.base, activation: a.activation.base,
                                       preactivationNonFinite: a.preactivationNonFinite, branch: branch.base)
    }

    /// The kernels' view of the backward scratch; weight gradients only when `weightGradients`.
    func gradients(weightGradients: Bool) -> TransformerBlockGradients<Float> {
        let dW = weightGradients ? weightGradient.base : nil
        return TransformerBlockGradients(
            middle: middleGradient.base, branch: branchGradient.base, input: inputGradient.base,
            attention: AttentionScratch(mixed: mixedGradient.base, projections: projectionGradient.base,
                                        weights: weightsGradient.base, weightGradient: dW),
            hidden: hiddenGradient.base, ffnWeightGradient: dW)
    }

    /// Every matrix, for tests that compare the allocation with the estimate.
    var everyMatrix: [Matrix] {
        weights.flatMap(\.matrices) + activations.flatMap(\.everyMatrix) + streams
            + [upstream, streamGradient, streamGradientBelow, branch, middleGradient, branchGradient, inputGradient,
               mixedGradient, projectionGradient, hiddenGradient, weightsGradient, weightGradient, projectionWeights,
               rowEntropy, rowLargest]
    }
}
