// Storage kept across runs: the buffers of the last shape run, reused by the next run of the same shape and
// released (and handed back to the system) before a run of another shape allocates its own.
// Legend: B = batch, n_l = widths, L = depth.

extension MLPWorkspace {
    /// What a workspace's buffers depend on: two scenarios with equal shapes can share one workspace.
    public struct Shape: Equatable, Hashable, Sendable {
        /// Widths n_0 ... n_L.
        public var widths: [Int]
        /// Batch B.
        public var batch: Int
        /// Whether b^l is allocated.
        public var hasBias: Bool
        /// Whether h^l is kept (activations whose derivative needs h).
        public var keepsPreactivations: Bool

        /// The shape a scenario's run needs.
        public init(_ scenario: Scenario) {
            widths = scenario.widths; batch = scenario.batch; hasBias = scenario.biasStandardDeviation > 0
            keepsPreactivations = !scenario.activation.derivativeFromActivationValue
        }
    }

    /// The shape of this workspace's buffers.
    public var shape: Shape {
        Shape(widths: widths, batch: batch, hasBias: !biases.isEmpty, keepsPreactivations: !preactivations.isEmpty)
    }

    /// A workspace of `shape`.
    public convenience init(_ shape: Shape) {
        self.init(widths: shape.widths, batch: shape.batch, hasBias: shape.hasBias,
                  keepsPreactivations: shape.keepsPreactivations)
    }
}

extension MLPWorkspace.Shape {
    /// Memberwise shape.
    public init(widths: [Int], batch: Int, hasBias: Bool, keepsPreactivations: Bool) {
        self.widths = widths; self.batch = batch; self.hasBias = hasBias; self.keepsPreactivations = keepsPreactivations
    }
}

/// Keeps one workspace, of the last shape asked for. Not thread-safe: one run at a time (the engine worker).
public final class WorkspaceStore {
    private var kept: MLPWorkspace?
    private var keptResidual: ResidualWorkspace?

    /// An empty store.
    public init() {}

    /// The workspace for `shape`: the kept one when its shape is equal, else a new one, allocated after the
    /// kept one is released and its memory handed back to the system (so two never coexist).
    public func workspace(for shape: MLPWorkspace.Shape) -> MLPWorkspace {
        if let kept, kept.shape == shape { return kept }
        release()
        let created = MLPWorkspace(shape)
        kept = created
        return created
    }

    /// The residual workspace for `shape`, on the same terms (one workspace of either kind at a time).
    public func residualWorkspace(for shape: ResidualWorkspace.Shape) -> ResidualWorkspace {
        if let keptResidual, keptResidual.shape == shape { return keptResidual }
        release()
        let created = ResidualWorkspace(shape)
        keptResidual = created
        return created
    }

    /// Drops the kept workspace and hands the freed memory back to the system.
    public func release() {
        guard kept != nil || keptResidual != nil else { return }
        kept = nil
        keptResidual = nil
        FreedMemory.returnToSystem()
    }

    /// True when a workspace is kept (for tests).
    public var isHoldingWorkspace: Bool { kept != nil || keptResidual != nil }
}
