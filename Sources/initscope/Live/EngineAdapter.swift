// The simulation run on the engine worker thread: SignalFlow's Experiment, reporting each layer.
import SignalFlow

/// Runs scenarios for the live view.
enum EngineAdapter {
    /// Runs `scenario` until done or cancelled, measuring what `plan` asks (what the screen shows), calling
    /// `onEvent` for every finished layer (forward, then backward) and run. Throws the engine's one-line error
    /// when the scenario is refused (sizes, memory).
    static func simulate(_ scenario: Scenario, _ plan: MeasurementPlan, _ cancellation: CancellationToken,
                         _ onEvent: (PropagationEvent) -> Void) throws {
        let experiment = try Experiment(scenario: scenario)
        experiment.plan = plan
        _ = experiment.run(cancellation: cancellation, onEvent: onEvent)
    }
}
