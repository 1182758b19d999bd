// The square networks and inputs the Jacobian tests (exact and probe estimate) draw, from the engine's streams.
// Legend: n = width, l = layers.
import Foundation
@testable import SignalFlow

/// l square layers of width n drawn with `initializer` (streams as the engine's).
func squareLayerWeights(_ initializer: Initializer, layers: Int, width n: Int, activation: Activation = .linear,
                        seed: UInt64 = 3) -> [Matrix] {
    (1...layers).map { l in
        let w = Matrix(rows: n, cols: n)
        var random = RandomSource(seed: seed, stream: PropagationStreams.weightBase + UInt64(l))
        initializer.fill(w, context: InitContext(fanIn: n, fanOut: n, blockIndex: l, blockCount: layers, activation: activation), random: &random)
        return w
    }
}

/// One input row of width n, N(0, 1) from the engine's input stream, in Double.
func gaussianInput(_ n: Int, seed: UInt64 = 9) -> [Double] {
    let x = Matrix(rows: 1, cols: n)
    var random = RandomSource(seed: seed, stream: PropagationStreams.input)
    random.fillNormal(x.buffer)
    return x.elements.map(Double.init)
}
