// The residual-network path of Experiment.run: the block walker (BlockWalker.swift) over a ResidualPropagator, with
// the stream's mean-field second moment (reference 2.10) as each block's theory.
// Legend: B = batch, n = width, L = blocks.

extension ResidualPropagator: BlockPropagator {
    func runReport(named: NamedInitializer, layers: [LayerReport]) -> RunReport {
        RunReport(initializerName: named.name, layers: layers, residualOptions: options)
    }
}

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
        return runBlocks(cancellation: cancellation, onEvent: onEvent, propagator: { named in
            var propagator = ResidualPropagator(workspace: workspace, activation: scenario.activation,
                                                options: named.initializer.residualOptions(from: scenarioOptions))
            propagator.binCount = binCount
            propagator.plan = plan
            propagator.measuresSites = plan.blockSites
            propagator.clock = clock
            return propagator
        }, theory: { propagator, named in
            let variances = (1...scenario.depth).map { l in
                (branchIn: Double(scenario.width) * named.initializer.weightVariance(in: propagator.context(block: l, layer: 1)),
                 branchOut: Double(scenario.width) * named.initializer.weightVariance(in: propagator.context(block: l, layer: 2)))
            }
            return ResidualMeanField.streamSecondMoments(
                options: propagator.options, activation: scenario.activation, inputSecondMoment: inputSecondMoment,
                branchWeightVariances: variances, biasVariance: scenario.biasStandardDeviation * scenario.biasStandardDeviation)
        })
    }
}
