// Double buffers of one transformer block for the finite-difference tests, filled from the engine's generator.
// Legend: R = B T rows, d = width, H = heads; shapes as in TransformerBlockKernel.
@testable import SignalFlow

/// Owns Double buffers (freed with the arena).
final class DoubleArena {
    private var blocks: [UnsafeMutablePointer<Double>] = []
    /// A zeroed buffer of `count` values.
    func make(_ count: Int) -> UnsafeMutablePointer<Double> {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1))
        p.initialize(repeating: 0, count: Swift.max(count, 1))
        blocks.append(p)
        return p
    }
    /// A buffer of `count` values N(0, scale^2) + shift from stream `stream` of seed 11.
    func random(_ count: Int, stream: UInt64, scale: Double = 1, shift: Double = 0) -> UnsafeMutablePointer<Double> {
        let p = make(count)
        var random = RandomSource(seed: 11, stream: stream)
        for i in 0..<count { p[i] = shift + scale * random.nextZigguratNormal() }
        return p
    }
    /// A flag set to false (freed with the arena).
    func makeFlag() -> UnsafeMutablePointer<Bool> {
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
        p.initialize(to: false)
        flags.append(p)
        return p
    }
    private var flags: [UnsafeMutablePointer<Bool>] = []
    deinit {
        for p in blocks { p.deallocate() }
        for p in flags { p.deallocate() }
    }
}

/// One block's weights, buffers and gradient scratch in Double.
struct DoubleTransformerBlock {
    let geometry: TransformerGeometry
    let arena: DoubleArena
    let weights: TransformerBlockWeights<Double>
    let buffers: TransformerBlockBuffers<Double>
    let gradients: TransformerBlockGradients<Double>
    /// The input x (R x d), the weights (query, key, value, output, ffn in, ffn out) as mutable pointers.
    let input: UnsafeMutablePointer<Double>
    let weightPointers: [UnsafeMutablePointer<Double>]

    init(_ g: TransformerGeometry, weightScale: Double = 0.5) {
        geometry = g
        let arena = DoubleArena()
        self.arena = arena
        let rows = g.rows, d = g.width, count = rows * d
        input = arena.random(count, stream: 1, scale: 1.3, shift: 0.2)
        let sizes = [d * d, d * d, d * d, d * d, d * 4 * d, 4 * d * d]
        weightPointers = sizes.enumerated().map { index, size in
            arena.random(size, stream: 10 + UInt64(index), scale: weightScale / Double(d).squareRoot())
        }
        let w = weightPointers
        weights = TransformerBlockWeights(attention: AttentionWeights(query: w[0], key: w[1], value: w[2], output: w[3]),
                                          ffnIn: w[4], ffnOut: w[5])
        let attention = AttentionActivations(projections: arena.make(3 * count), mixed: arena.make(count),
                                             weights: arena.make(g.attentionRows * g.tokens), projectionWeights: arena.make(3 * d * d))
        buffers = TransformerBlockBuffers(input: input, middle: arena.make(count), output: arena.make(count),
                                          attentionNorm: arena.make(count), ffnNorm: arena.make(count),
                                          attentionScale: arena.make(rows), ffnScale: arena.make(rows), attention: attention,
                                          preactivation: arena.make(4 * count), activation: arena.make(4 * count),
                                          preactivationNonFinite: arena.makeFlag(),
                                          branch: arena.make(count))
        let dW = arena.make(4 * d * d)
        gradients = TransformerBlockGradients(
            middle: arena.make(count), branch: arena.make(count), input: arena.make(count),
            attention: AttentionScratch(mixed: arena.make(count), projections: arena.make(3 * count),
                                        weights: arena.make(g.attentionRows * g.tokens), weightGradient: dW),
            hidden: arena.make(4 * count), ffnWeightGradient: dW)
    }
}
