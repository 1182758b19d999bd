// Runs a scenario: one shared input batch and upstream gradient, every initializer in turn,
// forward layer by layer then backward, reporting each finished layer. Cancellable between layers.
// Legend: B = batch, n = width, L = depth.
import Synchronization

/// A flag another thread sets to stop a run at the next layer boundary.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Creates an uncancelled token.
    public init() {}
    /// Asks the run to stop at the next layer boundary.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    /// True once `cancel()` has been called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Progress of a running experiment, in the order it happens.
public enum PropagationEvent: Equatable, Sendable {
    /// Run `run` (index into scenario.initializers) finished layer `layer.index` of its forward pass;
    /// gradient quantities are absent.
    case forwardLayer(run: Int, layer: LayerReport)
    /// Run `run` finished layer `layer.index` of its backward pass; the report is now complete (weight
    /// gradients only when the experiment's plan has them).
    case backwardLayer(run: Int, layer: LayerReport)
    /// Run `run` is complete.
    case runFinished(run: Int, report: RunReport)
}
