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
                let context = InitContext(fanIn: n, fanOut: n, role: k == 1 ? .branchIn : .branchOut, blockIndex: l,
                                          blockCount: depth, layersPerBranch: ResidualOptions.layersPerBranch,
                                          activation: scenario.activation)
                parameters.append(InitialParameters.weights(count: n * n, initializer: initializer, context: context, seed: seed,
                                                            stream: ResidualStreams.weight(block: l, layer: k)))
                parameters.append(InitialParameters.bias(count: n, standardDeviation: scenario.biasStandardDeviation, seed: seed,
                                                         stream: ResidualStreams.bias(block: l, layer: k)))
            }
            if trainsBeta { parameters.append([T(options.branchMultiplier)]) }
            // The norm's affine weight 1 and bias 0, as PyTorch's (RMSNorm: the weight alone).
            if options.normalization != .none { parameters.append([T](repeating: 1, count: n)) }
            if options.normalization == .batch || options.normalization == .layer { parameters.append([T](repeating: 0, count: n)) }
        }
        parameters += InitialParameters.readout(width: n, outputs: outputs, depth: depth, activation: scenario.activation, seed: seed)
        return TrainableResNet(width: n, depth: depth, outputs: outputs, activation: scenario.activation, options: options,
                               trainsBranchMultiplier: trainsBeta, parameters: parameters, threads: threads)
    }
}
