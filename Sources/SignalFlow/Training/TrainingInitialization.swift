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
            let context = InitContext(fanIn: widths[l - 1], fanOut: widths[l], role: .dense, blockIndex: l,
                                      blockCount: depth, activation: scenario.activation)
            parameters.append(InitialParameters.weights(count: widths[l - 1] * widths[l], initializer: initializer, context: context,
                                                        seed: seed, stream: PropagationStreams.weightBase + UInt64(l)))
            parameters.append(InitialParameters.bias(count: widths[l], standardDeviation: scenario.biasStandardDeviation, seed: seed,
                                                     stream: PropagationStreams.biasBase + UInt64(l)))
        }
        parameters += InitialParameters.readout(width: widths[depth], outputs: outputs, depth: depth, activation: scenario.activation,
                                                seed: seed)
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
