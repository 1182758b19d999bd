// The reports received so far for one run (one initializer), layer by layer.
// Legend: L = depth; layers are 1...L, stored at index layer - 1.
import SignalFlow

/// What the screen knows about one initializer's run: layer reports as they arrive, and the final summary.
public struct RunData: Equatable, Sendable {
    /// Layer reports by layer - 1 (count L); nil until the forward pass reaches the layer. Setting it rebuilds
    /// `perLayer` (O(L)); `apply` updates both one layer at a time.
    public var layers: [LayerReport?] {
        get { storedLayers }
        set { storedLayers = newValue; perLayer = RunSeries(layers: newValue, activation: perLayer.activation) }
    }
    /// The reports behind `layers`.
    private var storedLayers: [LayerReport?]
    /// `layers` as plain per-layer numbers, for the widgets that read every layer on every frame.
    public private(set) var perLayer: RunSeries
    /// Layers whose backward pass has arrived (gradients present), by layer - 1.
    public var backwardDone: [Bool]
    /// The complete run report once the run has finished.
    public var finished: RunReport?

    /// An empty run of `depth` layers of a network with `activation` (nil: the mean-field activation variance is
    /// not kept per layer, and the mean-field line computes it when drawn).
    public init(depth: Int, activation: Activation? = nil) {
        storedLayers = Array(repeating: nil, count: max(0, depth))
        perLayer = RunSeries(depth: depth, activation: activation)
        backwardDone = Array(repeating: false, count: max(0, depth))
        finished = nil
    }

    /// This run with nothing reported, for `activation`: `init(depth: L, activation: activation)`, sharing this
    /// one's per-layer arrays when it holds nothing (`RunSeries.emptied(for:)`), else built from scratch.
    public func emptied(for activation: Activation?) -> RunData {
        guard finished == nil, perLayer.reportedLayers == 0, !backwardDone.contains(true) else {
            return RunData(depth: storedLayers.count, activation: activation)
        }
        var run = self
        run.perLayer = perLayer.emptied(for: activation)
        return run
    }

    /// The report of layer `layer` (1-based), nil when absent or out of range.
    public func report(layer: Int) -> LayerReport? {
        guard layer >= 1, layer <= storedLayers.count else { return nil }
        return storedLayers[layer - 1]
    }

    /// One statistic of `quantity` per layer (nil where not yet known), e.g. variance by layer (count L).
    public func series(_ quantity: Quantity, _ value: (SummaryStats) -> Double) -> [Double?] {
        perLayer.series(quantity, value)
    }

    /// Stores `report` as layer `report.index` (ignored outside 1...L), keeping `perLayer` in step.
    public mutating func setLayer(_ report: LayerReport) {
        guard report.index >= 1, report.index <= storedLayers.count else { return }
        storedLayers[report.index - 1] = report
        perLayer.set(report, at: report.index - 1)
    }

    /// Applies one engine event for this run; events for layers outside 1...L are ignored.
    public mutating func apply(_ event: PropagationEvent) {
        switch event {
        case .forwardLayer(_, let layer):
            guard layer.index >= 1, layer.index <= storedLayers.count else { return }
            // A forward report never overwrites a layer whose backward pass is already in.
            if !backwardDone[layer.index - 1] { setLayer(layer) }
        case .backwardLayer(_, let layer):
            guard layer.index >= 1, layer.index <= storedLayers.count else { return }
            setLayer(layer)
            backwardDone[layer.index - 1] = true
        case .runFinished(_, let report):
            finished = report
            // Most layers are already in as their backward events brought them (the same report, the same storage:
            // equal by identity): setting them again cost 50 ms at L=10,000 on the UI thread. The layers are read
            // in place, not copied: a copy retains each layer's dictionary and sites, a cache miss per layer.
            report.layers.withUnsafeBufferPointer { layers in
                for position in layers.indices {
                    let index = layers[position].index
                    guard index >= 1, index <= storedLayers.count else { continue }
                    let changed = storedLayers[index - 1] != layers[position]
                    if changed { setLayer(layers[position]) }
                    if changed || !backwardDone[index - 1] {
                        backwardDone[index - 1] = layers[position].quantities[.activationGradient] != nil
                    }
                }
            }
        }
    }

    /// Number of layers with a forward report.
    public var forwardCount: Int { perLayer.reportedLayers }
    /// Number of layers with a backward report.
    public var backwardCount: Int { backwardDone.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

extension LayerReport {
    /// The report as the rows show it: a residual block's stream and stream gradient (its sites) stand in for the
    /// activations and their gradient, so every row, caption and panel reads a block like a layer.
    public var displayed: LayerReport {
        guard needsDisplaying else { return self }
        var shown = self
        if shown.quantities[.activation] == nil, let stream = site(ResidualSite.stream) { shown.quantities[.activation] = stream }
        if shown.quantities[.activationGradient] == nil, let gradient = site(ResidualSite.streamGradient) {
            shown.quantities[.activationGradient] = gradient
        }
        return shown
    }

    /// True when `displayed` changes the report: a stream or stream gradient site not yet standing in for its
    /// quantity (false for a report already displayed, so displaying again costs a look, not a copy).
    var needsDisplaying: Bool {
        guard !sites.isEmpty else { return false }
        return (quantities[.activation] == nil && site(ResidualSite.stream) != nil)
            || (quantities[.activationGradient] == nil && site(ResidualSite.streamGradient) != nil)
    }
}

extension Array where Element == LayerReport {
    /// True when some layer needs `displayed` (each looked at in place: copying 10,000 layers to look retains each
    /// one's dictionary and sites).
    var anyNeedsDisplaying: Bool {
        withUnsafeBufferPointer { layers in layers.indices.contains { layers[$0].needsDisplaying } }
    }
}

extension PropagationEvent {
    /// The same event with its layers `displayed`.
    public var displayed: PropagationEvent {
        switch self {
        case .forwardLayer(let run, let layer):
            return layer.needsDisplaying ? .forwardLayer(run: run, layer: layer.displayed) : self
        case .backwardLayer(let run, let layer):
            return layer.needsDisplaying ? .backwardLayer(run: run, layer: layer.displayed) : self
        case .runFinished(let run, var report):
            guard report.layers.anyNeedsDisplaying else { return self }
            report.layers = report.layers.map(\.displayed)
            return .runFinished(run: run, report: report)
        }
    }

    /// The run (index into the scenario's initializers) the event belongs to.
    public var runIndex: Int {
        switch self {
        case .forwardLayer(let run, _), .backwardLayer(let run, _), .runFinished(let run, _): return run
        }
    }

    /// True for per-layer events (each costs one animation step); false for `runFinished`.
    public var isLayerEvent: Bool {
        if case .runFinished = self { return false }
        return true
    }
}
