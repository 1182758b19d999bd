// The residual-network path of Experiment.run: every initializer on one shared input and upstream gradient,
// block by block forward then back, one event per block; cancellable between blocks.
// Legend: B = batch, n = width, L = blocks.

extension Experiment {
    /// Runs every initializer of a residual scenario over `workspace` (see `run`).
    func runResidual(_ workspace: ResidualWorkspace, cancellation: CancellationToken,
                     onEvent: (PropagationEvent) -> Void) -> [RunReport]? {
        let scenarioOptions = scenario.architecture.residual ?? ResidualOptions()
        var shared = ResidualPropagator(workspace: workspace, activation: scenario.activation, options: scenarioOptions)
        shared.clock = clock
        shared.drawInputAndUpstream(seed: scenario.seed)
        let inputSecondMoment = clock.measure(\.statistics) {
            TensorStatistics.scan(UnsafeBufferPointer(workspace.streams[0].buffer)).stats.secondMoment
        }
        var reports: [RunReport] = []
        for (runIndex, named) in scenario.initializers.enumerated() {
            var propagator = ResidualPropagator(workspace: workspace, activation: scenario.activation,
                                                options: named.initializer.residualOptions(from: scenarioOptions))
            propagator.binCount = binCount
            propagator.plan = plan
            propagator.measuresSites = plan.blockSites
            propagator.clock = clock
            guard let report = runResidualOne(named, index: runIndex, propagator: propagator,
                                              inputSecondMoment: inputSecondMoment, cancellation: cancellation,
                                              onEvent: onEvent) else { return nil }
            if keepsFinishedRuns { reports.append(report) }
            onEvent(.runFinished(run: runIndex, report: report))
        }
        return reports
    }

    /// One initializer's run through the blocks; nil when cancelled.
    func runResidualOne(_ named: NamedInitializer, index runIndex: Int, propagator: ResidualPropagator,
                        inputSecondMoment: Double, cancellation: CancellationToken,
                        onEvent: (PropagationEvent) -> Void) -> RunReport? {
        var propagator = propagator
        let depth = scenario.depth
        guard propagator.drawParameters(initializer: named.initializer, seed: scenario.seed,
                                        biasStandardDeviation: scenario.biasStandardDeviation,
                                        cancellation: cancellation) else { return nil }
        let variances = (1...depth).map { l in
            (branchIn: Double(scenario.width) * named.initializer.weightVariance(in: propagator.context(block: l, layer: 1)),
             branchOut: Double(scenario.width) * named.initializer.weightVariance(in: propagator.context(block: l, layer: 2)))
        }
        let theory = ResidualMeanField.streamSecondMoments(
            options: propagator.options, activation: scenario.activation, inputSecondMoment: inputSecondMoment,
            branchWeightVariances: variances, biasVariance: scenario.biasStandardDeviation * scenario.biasStandardDeviation)
        var layers: [LayerReport] = []
        layers.reserveCapacity(depth)
        for l in 1...depth {
            if cancellation.isCancelled { return nil }
            var layer = propagator.forwardBlock(l)
            layer.streamTheory = theory?[l - 1]
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
        return RunReport(initializerName: named.name, layers: layers, residualOptions: propagator.options)
    }
}
