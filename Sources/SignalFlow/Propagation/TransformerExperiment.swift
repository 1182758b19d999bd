// The transformer path of Experiment.run: every initializer on one shared input and upstream gradient, block by
// block forward then back, one event per block; cancellable between blocks.
// Legend: B = sequences, T = tokens, d = width, L = blocks.

extension Experiment {
    /// Runs every initializer of a transformer scenario over `workspace` (see `run`).
    func runTransformer(_ workspace: TransformerWorkspace, cancellation: CancellationToken,
                        onEvent: (PropagationEvent) -> Void) -> [RunReport]? {
        let scenarioOptions = scenario.architecture.transformer ?? TransformerOptions()
        var shared = TransformerPropagator(workspace: workspace, activation: scenario.activation, options: scenarioOptions)
        shared.clock = clock
        shared.drawInputAndUpstream(seed: scenario.seed)
        var reports: [RunReport] = []
        for (runIndex, named) in scenario.initializers.enumerated() {
            var propagator = TransformerPropagator(workspace: workspace, activation: scenario.activation,
                                                   options: named.initializer.transformerOptions(from: scenarioOptions, layers: scenario.depth))
            propagator.binCount = binCount
            propagator.plan = plan
            propagator.measuresSites = plan.blockSites
            propagator.clock = clock
            guard let report = runTransformerOne(named, index: runIndex, propagator: propagator, cancellation: cancellation,
                                                 onEvent: onEvent) else { return nil }
            if keepsFinishedRuns { reports.append(report) }
            onEvent(.runFinished(run: runIndex, report: report))
        }
        return reports
    }

    /// One initializer's run through the blocks; nil when cancelled.
    func runTransformerOne(_ named: NamedInitializer, index runIndex: Int, propagator: TransformerPropagator,
                           cancellation: CancellationToken, onEvent: (PropagationEvent) -> Void) -> RunReport? {
        var propagator = propagator
        let depth = scenario.depth
        guard propagator.drawParameters(initializer: named.initializer, seed: scenario.seed, cancellation: cancellation) else {
            return nil
        }
        var layers: [LayerReport] = []
        layers.reserveCapacity(depth)
        for l in 1...depth {
            if cancellation.isCancelled { return nil }
            let layer = propagator.forwardBlock(l)
            layers.append(layer)
            onEvent(.forwardLayer(run: runIndex, layer: layer))
        }
        if cancellation.isCancelled { return nil }
        propagator.beginBackward()
        for l in stride(from: depth, through: 1, by: -1) {
            if cancellation.isCancelled { return nil }
            let sites = propagator.backwardBlock(l)
            // The stream and its gradient first, then the forward sites, then the backward ones.
            var merged = [layers[l - 1].sites[0], sites[0]]
            merged += layers[l - 1].sites.dropFirst()
            merged += sites.dropFirst()
            layers[l - 1].sites = merged
            onEvent(.backwardLayer(run: runIndex, layer: layers[l - 1]))
        }
        return RunReport(initializerName: named.name, layers: layers, transformerOptions: propagator.options)
    }
}
