// The network's starting parameters: W^l drawn by the compared initializer from the propagation's own streams
// (so step 0 is the network `report` measures), b^l ~ N(0, biasStd^2) from theirs, and the read-out drawn the same
// way for every initializer (Xavier normal, gain 1, from its own stream; zero bias), so only the network's
// initialization differs. LSUV rescales its orthonormal pre-init on a calibration batch of the task.
// Legend: W^l = n_{l-1} x n_l; W_out = n_L x o; B = calibration rows.

extension TrainableMLP {
    /// The network of `scenario` (an MLP) initialized with `initializer`, with a read-out of `outputs`.
    static func initialized(scenario: Scenario, initializer: Initializer, outputs: Int,
                            calibration: TrainingBatch<T>?, threads: Int?) -> TrainableMLP {
        let widths = scenario.widths, depth = widths.count - 1, seed = scenario.seed
        var parameters: [[T]] = []
        for l in 1...depth {
            var random = RandomSource(seed: seed, stream: PropagationStreams.weightBase + UInt64(l))
            let context = InitContext(fanIn: widths[l - 1], fanOut: widths[l], role: .dense, blockIndex: l,
                                      blockCount: depth, activation: scenario.activation)
            var weights = [Float](repeating: 0, count: widths[l - 1] * widths[l])
            initializer.fill(&weights, context: context, random: &random)
            parameters.append(weights.map { T($0) })
            var bias = [Float](repeating: 0, count: widths[l])
            if scenario.biasStandardDeviation > 0 {
                var biasRandom = RandomSource(seed: seed, stream: PropagationStreams.biasBase + UInt64(l))
                bias.withUnsafeMutableBufferPointer {
                    biasRandom.fillNormal($0, mean: 0, standardDeviation: Float(scenario.biasStandardDeviation))
                }
            }
            parameters.append(bias.map { T($0) })
        }
        var readoutRandom = RandomSource(seed: seed, stream: TrainingStreams.readout)
        var readout = [Float](repeating: 0, count: widths[depth] * outputs)
        Initializer.xavierNormal(gain: 1).fill(&readout, context: InitContext(
            fanIn: widths[depth], fanOut: outputs, role: .readout, blockIndex: depth + 1, blockCount: depth,
            activation: scenario.activation), random: &readoutRandom)
        parameters.append(readout.map { T($0) })
        parameters.append([T](repeating: 0, count: outputs))
        var network = TrainableMLP(widths: widths, outputs: outputs, activation: scenario.activation,
                                   parameters: parameters, threads: threads)
        if case .lsuv(let tolerance, let maxIterations) = initializer, let calibration {
            network.calibrateLSUV(on: calibration, tolerance: tolerance, maxIterations: maxIterations)
        }
        return network
    }

    /// LSUV (Mishkin & Matas): layer by layer, W^l /= sqrt(Var(h^l)) until |Var(h^l) - 1| < tolerance or
    /// maxIterations rescalings, on the calibration batch.
    mutating func calibrateLSUV(on batch: TrainingBatch<T>, tolerance: Double, maxIterations: Int) {
        var x = batch.inputs
        for l in 1...depth {
            let (fanIn, fanOut) = shape(layer: l), w = Self.weightIndex(layer: l)
            func preactivation() -> [T] {
                var h = [T](repeating: 0, count: batch.rows * fanOut)
                T.multiply(m: batch.rows, n: fanOut, k: fanIn, x, transposeA: false, parameters[w], transposeB: false,
                           into: &h, alpha: 1, beta: 0, threads: threads)
                return h
            }
            var h = preactivation()
            for _ in 0..<maxIterations {
                let variance = TrainingMoments.variance(h)
                guard variance.isFinite, variance > 0, abs(variance - 1) >= tolerance else { break }
                let factor = T(1 / variance.squareRoot())
                for i in parameters[w].indices { parameters[w][i] *= factor }
                h = preactivation()
            }
            Self.addBias(parameters[w + 1], to: &h, rows: batch.rows)
            x = Self.activated(h, activation)
        }
    }
}

/// Moments of a tensor's entries, summed in Double.
enum TrainingMoments {
    /// Population variance of the entries (0 for fewer than one); NaN when any entry is not finite.
    static func variance<T: EngineScalar>(_ values: [T]) -> Double {
        values.withUnsafeBufferPointer { TrainingKernels.moments([$0], threads: 1)[0].variance }
    }
}
