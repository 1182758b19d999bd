// Experiment: runs every initializer of a scenario on one shared input batch and upstream gradient,
// forward then backward, emitting a report after each layer; cancellable between layers.
// Legend: B = batch, n = width, L = depth.
import Foundation

/// Runs a scenario. Buffers are allocated once in `init` and reused by every initializer and every `run`.
public final class Experiment {
    /// The scenario being run.
    public let scenario: Scenario
    /// LSUV option: measure Var(phi(h)) instead of Var(h) (reference 2.8 option; default off).
    public var lsuvMeasuresAfterActivation = false
    /// Number of histogram bins per quantity.
    public var binCount = HistogramBuilder.defaultBinCount
    /// Histograms and weight gradients to measure (default everything); leaving out what is not shown saves
    /// most of the statistics time and a third of the GEMMs.
    public var plan: MeasurementPlan = .everything
    /// Per-phase timing of `run` (the benchmark's); nil = none.
    public var clock: PhaseClock? = nil
    /// Whether `run` keeps every finished run to return them (default); when false it returns an empty array
    /// and holds one run's reports at a time: the caller takes each run from its `.runFinished` event.
    public var keepsFinishedRuns = true
    /// The MLP's buffers (nil for a residual network).
    let workspace: MLPWorkspace?
    /// A residual network's buffers (nil for the MLP).
    let residualWorkspace: ResidualWorkspace?
    /// A transformer's buffers (nil for the other networks).
    let transformerWorkspace: TransformerWorkspace?
    /// Forward passes kept between runs (the live view's): a run shares the layers a kept pass of the same
    /// scenario and initializer has (at any depth) and keeps its own for the next; nil = none (the default).
    public var forwardCache: ForwardPrefixCache? = nil
    /// Called with l after W^l of a run is drawn (any thread): follows, or counts, the weight drawing.
    var onWeightsDrawn: (@Sendable (Int) -> Void)? = nil

    /// Validates `scenario` (sizes, then memory for a run measuring and keeping what `footprint` says) and
    /// allocates its buffers, or takes them from `storage` when it holds a workspace of the same shape; throws
    /// `ScenarioError` before allocating anything. Sets `plan` and `binCount` from the footprint.
    public init(scenario: Scenario, footprint: RunFootprint = RunFootprint(), storage: WorkspaceStore? = nil) throws {
        try scenario.validate(footprint)
        self.scenario = scenario
        plan = footprint.plan
        binCount = footprint.binCount
        keepsFinishedRuns = footprint.keepsFinishedRuns
        switch scenario.architecture {
        case .mlp:
            let shape = MLPWorkspace.Shape(scenario)
            workspace = storage?.workspace(for: shape) ?? MLPWorkspace(shape)
            residualWorkspace = nil; transformerWorkspace = nil
        case .resnet:
            let shape = ResidualWorkspace.Shape(scenario)
            residualWorkspace = storage?.residualWorkspace(for: shape) ?? ResidualWorkspace(shape)
            workspace = nil; transformerWorkspace = nil
        case .transformer:
            storage?.release()
            transformerWorkspace = TransformerWorkspace(TransformerWorkspace.Shape(scenario))
            workspace = nil; residualWorkspace = nil
        }
    }

    /// Runs every initializer in order; `onEvent` sees each finished layer (forward, then backward) and
    /// each finished run, on the calling thread. Returns every run's report (none when `keepsFinishedRuns` is
    /// false), or nil when cancelled (checked between layers, before each layer's weights are drawn and between
    /// LSUV rescalings).
    /// `LayerReport.theory` is present from the first forward event on, except for LSUV (its sigma_w^2 is
    /// known only after calibration), whose prediction arrives with the backward events.
    public func run(cancellation: CancellationToken = CancellationToken(),
                    onEvent: (PropagationEvent) -> Void) -> [RunReport]? {
        if let residualWorkspace { return runResidual(residualWorkspace, cancellation: cancellation, onEvent: onEvent) }
        if let transformerWorkspace { return runTransformer(transformerWorkspace, cancellation: cancellation, onEvent: onEvent) }
        guard let workspace else { return nil }
        var propagator = Propagator(workspace: workspace, activation: scenario.activation)
        propagator.binCount = binCount
        propagator.plan = plan
        propagator.clock = clock
        propagator.onWeightsDrawn = onWeightsDrawn
        propagator.drawInputAndUpstream(seed: scenario.seed)
        let inputSecondMoment = clock.measure(\.statistics) {
            TensorStatistics.scan(UnsafeBufferPointer(workspace.activations[0].buffer)).stats.secondMoment
        }
        var reports: [RunReport] = []
        for (runIndex, named) in scenario.initializers.enumerated() {
            guard let report = runOne(named, index: runIndex, propagator: propagator, inputSecondMoment: inputSecondMoment,
                                      cancellation: cancellation, onEvent: onEvent) else { return nil }
            if keepsFinishedRuns { reports.append(report) }
            onEvent(.runFinished(run: runIndex, report: report))
        }
        return reports
    }

    /// One initializer's run; nil when cancelled.
    func runOne(_ named: NamedInitializer, index runIndex: Int, propagator: Propagator, inputSecondMoment: Double,
                cancellation: CancellationToken, onEvent: (PropagationEvent) -> Void) -> RunReport? {
        let depth = scenario.depth
        let initializer = named.initializer
        let prefixScenario = forwardCache == nil ? nil
            : ForwardPrefixScenario(scenario, plan: plan, binCount: binCount,
                                    lsuvMeasuresAfterActivation: lsuvMeasuresAfterActivation)
        let kept = prefixScenario.flatMap { forwardCache?.record(for: initializer, in: $0) }
        let shared = Swift.min(kept?.depth ?? 0, depth)
        guard propagator.drawParameters(initializer: initializer, seed: scenario.seed,
                                        biasStandardDeviation: scenario.biasStandardDeviation,
                                        fromLayer: shared + 1, cancellation: cancellation) else { return nil }
        if let kept, shared > 0 { forwardCache?.restore(kept, layers: shared, into: propagator.workspace) }
        var lsuvOptions: LSUVOptions? = nil
        if case .lsuv(let tolerance, let maxIterations) = initializer {
            lsuvOptions = LSUVOptions(tolerance: tolerance, maxIterations: maxIterations,
                                      measureAfterActivation: lsuvMeasuresAfterActivation)
        }
        var layers: [LayerReport] = []
        layers.reserveCapacity(depth)
        var theory: [LayerTheory]? = nil
        for l in 1...depth {
            if cancellation.isCancelled { return nil }
            var layer = l <= shared ? kept!.reports[l - 1]
                : propagator.forwardLayer(l, lsuv: lsuvOptions, cancellation: cancellation)
            if cancellation.isCancelled { return nil }
            if l == 1 && lsuvOptions == nil {
                let q1 = layer.stats(.preactivation)?.secondMoment ?? 0
                theory = prediction(sigmaW2: MeanField.weightVariances(scenario: scenario, initializer: initializer),
                                    inputSecondMoment: inputSecondMoment, firstLayerSecondMoment: q1)
            }
            layer.theory = theory?[l - 1]
            layers.append(layer)
            onEvent(.forwardLayer(run: runIndex, layer: layer))
        }
        var measuredSigmaW2: [Double]? = nil
        if lsuvOptions != nil {
            // Data-dependent: sigma_w^2(l) = fan_in * mean(W^2) of the calibrated weights.
            let sigmaW2 = (1...depth).map { l in
                Double(scenario.widths[l - 1]) * (layers[l - 1].stats(.weight)?.secondMoment ?? 0)
            }
            measuredSigmaW2 = sigmaW2
            theory = prediction(sigmaW2: sigmaW2, inputSecondMoment: inputSecondMoment,
                                firstLayerSecondMoment: layers[0].stats(.preactivation)?.secondMoment ?? 0)
            for l in 1...depth { layers[l - 1].theory = theory?[l - 1] }
        }
        if cancellation.isCancelled { return nil }
        if let prefixScenario, shared < depth {
            forwardCache?.store(propagator.workspace, reports: layers, initializer: initializer, in: prefixScenario)
        }
        propagator.beginBackward()
        for l in stride(from: depth, through: 1, by: -1) {
            if cancellation.isCancelled { return nil }
            let gradients = propagator.backwardLayer(l)
            layers[l - 1].quantities[.activationGradient] = gradients.activationGradient
            layers[l - 1].quantities[.weightGradient] = gradients.weightGradient
            onEvent(.backwardLayer(run: runIndex, layer: layers[l - 1]))
        }
        let (chi1, depthScale) = criticality(initializer: initializer, measuredSigmaW2: measuredSigmaW2,
                                             firstLayerSecondMoment: layers[0].stats(.preactivation)?.secondMoment ?? 1)
        return RunReport(initializerName: named.name, layers: layers, chi1: chi1, depthScale: depthScale)
    }

    /// Mean-field prediction per layer seeded with the measured q^1 (reference 4.4); nil entries never occur.
    func prediction(sigmaW2: [Double], inputSecondMoment: Double, firstLayerSecondMoment: Double) -> [LayerTheory] {
        let biasVariance = scenario.biasStandardDeviation * scenario.biasStandardDeviation
        let seed = firstLayerSecondMoment.isFinite ? firstLayerSecondMoment : nil
        let layers = MeanField.predictLayers(activation: scenario.activation, widths: scenario.widths,
                                             weightVariances: sigmaW2, biasVariance: biasVariance,
                                             inputSecondMoment: inputSecondMoment, firstLayerSecondMoment: seed)
        return layers.map(\.theory)
    }

    /// chi_1 and the depth scale: from the initializer's sigma_w^2, or for LSUV from the median calibrated one.
    func criticality(initializer: Initializer, measuredSigmaW2: [Double]?, firstLayerSecondMoment: Double)
        -> (chi1: Double?, depthScale: Double?) {
        guard let measured = measuredSigmaW2 else {
            return (MeanField.chi1(scenario: scenario, initializer: initializer),
                    MeanField.depthScale(scenario: scenario, initializer: initializer))
        }
        let finite = measured.filter(\.isFinite).sorted()
        guard !finite.isEmpty, firstLayerSecondMoment.isFinite else { return (nil, nil) }
        let median = finite[finite.count / 2]
        let biasVariance = scenario.biasStandardDeviation * scenario.biasStandardDeviation
        let map = MeanFieldMap(activation: scenario.activation, weightVariance: median, biasVariance: biasVariance)
        let chi1 = map.analysis(startingAt: firstLayerSecondMoment).chi1
        guard chi1.isFinite, chi1 > 0, Swift.abs(chi1 - 1) > 1e-12 else { return (chi1.isFinite ? chi1 : nil, nil) }
        return (chi1, -1 / Foundation.log(chi1))
    }
}
