// The residual network's starting parameters: W1^l, W2^l drawn by the compared initializer from the propagation's
// own streams (ResidualStreams, with its contexts: roles branchIn/branchOut, m = 2, L blocks), so step 0 is the
// network `report --arch resnet` measures; biases N(0, biasStd^2) from their streams; beta as the scheme sets it
// (ReZero 0, SkipInit its VALUE, else 1; a parameter for ReZero and SkipInit); each norm's gamma 1 and delta 0
// (RMSNorm: gamma alone), trained; the read-out Xavier normal (gain 1)
// with a zero bias from its own stream, the same for every initializer.
// Legend: n = width, L = blocks, o = outputs; W1, W2 are n x n, W_out is n x o.

extension TrainableResNet {
    /// The residual network of `scenario` (its options as `initializer`'s scheme sets them), with `outputs` outputs.
    static func initialized(scenario: Scenario, initializer: Initializer, outputs: Int, threads: Int?) -> TrainableResNet {
        let depth = scenario.depth, n = scenario.width, seed = scenario.seed
        let options = initializer.residualOptions(from: scenario.architecture.residual ?? ResidualOptions())
        let trainsBeta: Bool
        switch initializer {
        case .rezero, .skipInit: trainsBeta = true
        default: trainsBeta = false
        }
        var parameters: [[T]] = []
        for l in 1...depth {
            for k in 1...ResidualOptions.layersPerBranch {
                var random = RandomSource(seed: seed, stream: ResidualStreams.weight(block: l, layer: k))
                let context = InitContext(fanIn: n, fanOut: n, role: k == 1 ? .branchIn : .branchOut, blockIndex: l,
                                          blockCount: depth, layersPerBranch: ResidualOptions.layersPerBranch,
                                          activation: scenario.activation)
                var weights = [Float](repeating: 0, count: n * n)
                initializer.fill(&weights, context: context, random: &random)
                parameters.append(weights.map { T($0) })
                var bias = [Float](repeating: 0, count: n)
                if scenario.biasStandardDeviation > 0 {
                    var biasRandom = RandomSource(seed: seed, stream: ResidualStreams.bias(block: l, layer: k))
                    bias.withUnsafeMutableBufferPointer {
                        biasRandom.fillNormal($0, mean: 0, standardDeviation: Float(scenario.biasStandardDeviation))
                    }
                }
                parameters.append(bias.map { T($0) })
            }
            if trainsBeta { parameters.append([T(options.branchMultiplier)]) }
            // The norm's affine weight 1 and bias 0, as PyTorch's (RMSNorm: the weight alone).
            if options.normalization != .none { parameters.append([T](repeating: 1, count: n)) }
            if options.normalization == .batch || options.normalization == .layer { parameters.append([T](repeating: 0, count: n)) }
        }
        var readoutRandom = RandomSource(seed: seed, stream: TrainingStreams.readout)
        var readout = [Float](repeating: 0, count: n * outputs)
        Initializer.xavierNormal(gain: 1).fill(&readout, context: InitContext(
            fanIn: n, fanOut: outputs, role: .readout, blockIndex: depth + 1, blockCount: depth, activation: scenario.activation),
            random: &readoutRandom)
        parameters.append(readout.map { T($0) })
        parameters.append([T](repeating: 0, count: outputs))
        return TrainableResNet(width: n, depth: depth, outputs: outputs, activation: scenario.activation, options: options,
                               trainsBranchMultiplier: trainsBeta, parameters: parameters, threads: threads)
    }
}
