// The draws every trained network's starting parameters are made of: a weight matrix by the compared initializer,
// a bias N(0, s^2), each from its own stream, and the read-out (Xavier normal, gain 1, from TrainingStreams.readout,
// zero bias), the same for every initializer. Values are drawn in Float32 and then converted to T.
// Legend: n = width of the last stream, o = outputs, L = layers or blocks; W_out is n x o.

/// Starting parameters of the trained networks, stream by stream.
enum InitialParameters {
    /// `count` weights drawn by `initializer` with `context` from stream `stream` of `seed`.
    static func weights<T: EngineScalar>(count: Int, initializer: Initializer, context: InitContext, seed: UInt64,
                                         stream: UInt64) -> [T] {
        var random = RandomSource(seed: seed, stream: stream)
        var weights = [Float](repeating: 0, count: count)
        initializer.fill(&weights, context: context, random: &random)
        return weights.map { T($0) }
    }

    /// `count` biases N(0, standardDeviation^2) from stream `stream` of `seed`; zeros when the deviation is 0.
    static func bias<T: EngineScalar>(count: Int, standardDeviation: Double, seed: UInt64, stream: UInt64) -> [T] {
        var bias = [Float](repeating: 0, count: count)
        if standardDeviation > 0 {
            var random = RandomSource(seed: seed, stream: stream)
            bias.withUnsafeMutableBufferPointer { random.fillNormal($0, mean: 0, standardDeviation: Float(standardDeviation)) }
        }
        return bias.map { T($0) }
    }

    /// [W_out (n x o), b_out (o)] after L layers or blocks: Xavier normal (gain 1) from the read-out's stream, zeros.
    static func readout<T: EngineScalar>(width n: Int, outputs o: Int, depth: Int, activation: Activation, seed: UInt64) -> [[T]] {
        let context = InitContext(fanIn: n, fanOut: o, role: .readout, blockIndex: depth + 1, blockCount: depth, activation: activation)
        return [weights(count: n * o, initializer: .xavierNormal(gain: 1), context: context, seed: seed, stream: TrainingStreams.readout),
                [T](repeating: 0, count: o)]
    }
}
