// The transformer's starting parameters: the six weights of block l drawn by the compared initializer from the
// propagation's own streams (TransformerStreams, with the propagation's fans and roles, so step 0 is the network
// `report --arch transformer` measures), LayerNorm gains 1, and what every initializer shares: embeddings
// N(0, 1) (as the propagation's input) and the read-out Xavier normal (gain 1) with a zero bias, from their own streams.
// Legend: V = vocabulary, d = width, L = blocks; E is V x d, W_out is d x V.

extension TrainableTransformer {
    /// The transformer of `scenario` (its options as `initializer`'s scheme sets them, the causal mask on), with a
    /// vocabulary of `vocabulary` tokens.
    static func initialized(scenario: Scenario, initializer: Initializer, vocabulary v: Int,
                            threads: Int?) -> TrainableTransformer {
        let depth = scenario.depth, d = scenario.width, seed = scenario.seed
        var options = initializer.transformerOptions(from: scenario.architecture.transformer ?? TransformerOptions(), layers: depth)
        options.causal = true
        let geometry = TransformerGeometry(sequences: scenario.batch, tokens: options.tokens, width: d, heads: options.heads)
        var embeddingRandom = RandomSource(seed: seed, stream: TrainingStreams.embedding)
        var embedding = [Float](repeating: 0, count: v * d)
        embedding.withUnsafeMutableBufferPointer { embeddingRandom.fillNormal($0) }
        var parameters: [[T]] = [embedding.map { T($0) }]
        for l in 1...depth {
            for k in 1...TransformerOptions.weightsPerBlock {
                let role = TransformerOptions.weightRoles[k - 1]
                let fanIn = role == .ffnOut ? 4 * d : d, fanOut = role == .ffnIn ? 4 * d : d
                let context = InitContext(fanIn: fanIn, fanOut: fanOut, role: role, blockIndex: l, blockCount: depth,
                                          layersPerBranch: 2, activation: scenario.activation)
                parameters.append(InitialParameters.weights(count: fanIn * fanOut, initializer: initializer, context: context, seed: seed,
                                                            stream: TransformerStreams.weight(block: l, weight: k)))
            }
            if options.normalization != .none {
                parameters.append([T](repeating: 1, count: d)); parameters.append([T](repeating: 1, count: d))
            }
        }
        parameters += InitialParameters.readout(width: d, outputs: v, depth: depth, activation: scenario.activation, seed: seed)
        return TrainableTransformer(geometry: geometry, options: options, activation: scenario.activation, vocabulary: v,
                                    depth: depth, parameters: parameters, threads: threads,
                                    buffers: TransformerTrainingBuffers(geometry, depth: depth, options: options))
    }
}
