// The transformer path of Experiment.run: the block walker (BlockWalker.swift) over a TransformerPropagator; no
// mean-field line (see README: the attention branch's gain has no closed form in the reference).
// Legend: B = sequences, T = tokens, d = width, L = blocks.

extension TransformerPropagator: BlockPropagator {
    func runReport(named: NamedInitializer, layers: [LayerReport]) -> RunReport {
        RunReport(initializerName: named.name, layers: layers, transformerOptions: options)
    }

    /// Draws every block's weights (a transformer has no biases: `biasStandardDeviation` is 0, the scenario's
    /// check refuses any other).
    mutating func drawParameters(initializer: Initializer, seed: UInt64, biasStandardDeviation: Double,
                                 cancellation: CancellationToken?) -> Bool {
        drawParameters(initializer: initializer, seed: seed, cancellation: cancellation)
    }
}

extension Experiment {
    /// Runs every initializer of a transformer scenario over `workspace` (see `run`).
    func runTransformer(_ workspace: TransformerWorkspace, cancellation: CancellationToken,
                        onEvent: (PropagationEvent) -> Void) -> [RunReport]? {
        let scenarioOptions = scenario.architecture.transformer ?? TransformerOptions()
        var shared = TransformerPropagator(workspace: workspace, activation: scenario.activation, options: scenarioOptions)
        shared.clock = clock
        shared.drawInputAndUpstream(seed: scenario.seed)
        return runBlocks(cancellation: cancellation, onEvent: onEvent, propagator: { named in
            var propagator = TransformerPropagator(workspace: workspace, activation: scenario.activation,
                                                   options: named.initializer.transformerOptions(from: scenarioOptions, layers: scenario.depth))
            propagator.binCount = binCount
            propagator.plan = plan
            propagator.measuresSites = plan.blockSites
            propagator.clock = clock
            return propagator
        }, theory: { _, _ in nil })
    }
}
