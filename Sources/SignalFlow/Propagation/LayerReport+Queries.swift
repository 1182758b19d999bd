// Questions asked of finished reports (first non-finite layer), shared by the report command and the UI.

extension LayerReport {
    /// NaN or infinite elements over every quantity of this layer.
    public var nonFiniteCount: Int {
        quantities.values.reduce(0) { $0 + $1.stats.nonFiniteCount } + sites.reduce(0) { $0 + $1.quantity.stats.nonFiniteCount }
    }
}

extension RunReport {
    /// The first layer (1-based) whose activations hold a NaN or infinity, nil when all are finite
    /// (reference D9: ~32 for ReLU with N(0, 1) weights at width 512).
    public var firstNonFiniteActivationLayer: Int? {
        layers.first { ($0.stats(.activation)?.nonFiniteCount ?? 0) > 0 }?.index
    }

    /// The first layer (1-based) with any non-finite value in any quantity, nil when none.
    public var firstNonFiniteLayer: Int? { layers.first { $0.nonFiniteCount > 0 }?.index }
}
