// The simulation run on the engine worker thread: SignalFlow's Experiment, reporting each layer, with the
// buffers kept per shape between runs (a key that changes only the seed or the initializers reuses them).
import SignalFlow

/// Runs scenarios for the live view, one at a time, on the engine worker thread.
/// @unchecked Sendable: `storage` is touched only by `simulate`, which the engine worker calls from its one thread.
final class EngineAdapter: @unchecked Sendable {
    /// The workspace of the last shape run: reused for the same shape, released before another is allocated.
    private let storage = WorkspaceStore()

    /// An adapter with no storage yet.
    init() {}

    /// Runs `scenario` until done or cancelled, measuring what `plan` asks (what the screen shows), calling
    /// `onEvent` for every finished layer (forward, then backward) and run. Throws the engine's one-line error
    /// when the scenario is refused (sizes, memory: the live view keeps one copy of every report in its state).
    func simulate(_ scenario: Scenario, _ plan: MeasurementPlan, _ cancellation: CancellationToken,
                  _ onEvent: (PropagationEvent) -> Void) throws {
        // The previous run's reports (dropped by the view when this job was asked for) and experiment are free
        // now: hand their pages back, or glibc keeps them and RSS stays at the largest run's.
        FreedMemory.returnToSystem()
        // The view keeps every report in its state; the engine needs only the run in progress.
        let footprint = RunFootprint(plan: plan, callerReportCopies: 1, keepsFinishedRuns: false)
        let experiment = try Experiment(scenario: scenario, footprint: footprint, storage: storage)
        _ = experiment.run(cancellation: cancellation, onEvent: onEvent)
    }
}
