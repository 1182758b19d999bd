// The one block walker of residual networks and transformers (DESIGN.md, "Networks as data"): a propagator that
// knows its blocks' operations, and the walk every such network shares: one input batch and upstream gradient for
// every initializer, the weights drawn, the blocks forward (one event each), then back from the upstream gradient
// (one event each, the block's report merged), cancellable between blocks. The MLP keeps its fused Propagator.
// Legend: L = blocks; x^l = the stream after block l; G = dL/dx^L, the shared upstream gradient.

/// A network walked block by block: a residual network's or a transformer's propagator over its workspace.
protocol BlockPropagator {
    /// Histograms (any quantity asked = histograms of every site) and weight gradients.
    var plan: MeasurementPlan { get }
    /// Number of histogram bins.
    var binCount: Int { get }
    /// Per-phase timing; nil = none.
    var clock: PhaseClock? { get }
    /// The run's report of `layers`, with the options the run used (as its scheme changed them).
    func runReport(named: NamedInitializer, layers: [LayerReport]) -> RunReport
    /// Draws every block's parameters with `initializer` (or prepares to redraw them per block); false when
    /// cancelled.
    mutating func drawParameters(initializer: Initializer, seed: UInt64, biasStandardDeviation: Double,
                                 cancellation: CancellationToken?) -> Bool
    /// Forward through block l (1-based): its report, the stream first.
    func forwardBlock(_ l: Int) -> LayerReport
    /// Starts the backward pass: dL/dx^L = G.
    func beginBackward()
    /// Backward through block l (L down to 1): the sites measured, the stream gradient first.
    func backwardBlock(_ l: Int) -> [SiteReport]
}

extension BlockPropagator {
    /// Statistics (and histograms when the plan has any) of `values`, timed as statistics.
    func measure(_ values: UnsafeBufferPointer<Float>, saturation: SaturationRule = .none) -> QuantityReport {
        clock.measure(\.statistics) {
            guard !plan.histogramQuantities.isEmpty else {
                return QuantityReport(stats: TensorStatistics.parallelScan(values, saturation: saturation).stats)
            }
            return TensorStatistics.parallelReport(values, saturation: saturation, bins: binCount)
        }
    }
}

extension Experiment {
    /// Runs every initializer of a block network, the shared input and upstream gradient drawn (see `run`):
    /// `propagator(named)` is the run's propagator (its options as the scheme sets them), and
    /// `theory(propagator, named)` the stream's mean-field second moment by block - 1, nil where there is none.
    func runBlocks<P: BlockPropagator>(cancellation: CancellationToken, onEvent: (PropagationEvent) -> Void,
                                       propagator: (NamedInitializer) -> P,
                                       theory: (P, NamedInitializer) -> [Double]?) -> [RunReport]? {
        var reports: [RunReport] = []
        for (runIndex, named) in scenario.initializers.enumerated() {
            var run = propagator(named)
            guard run.drawParameters(initializer: named.initializer, seed: scenario.seed,
                                     biasStandardDeviation: scenario.biasStandardDeviation, cancellation: cancellation),
                  let layers = walkBlocks(run, index: runIndex, theory: theory(run, named), cancellation: cancellation,
                                          onEvent: onEvent) else { return nil }
            let report = run.runReport(named: named, layers: layers)
            if keepsFinishedRuns { reports.append(report) }
            onEvent(.runFinished(run: runIndex, report: report))
        }
        return reports
    }

    /// One initializer's walk through the blocks, its parameters drawn: forward 1...L, then backward L...1, each
    /// block's event as it is done; the blocks' reports, nil when cancelled.
    func walkBlocks<P: BlockPropagator>(_ propagator: P, index runIndex: Int, theory: [Double]?,
                                        cancellation: CancellationToken,
                                        onEvent: (PropagationEvent) -> Void) -> [LayerReport]? {
        let depth = scenario.depth
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
        return layers
    }
}
