// The simulation run on the engine worker thread: SignalFlow's Experiment, reporting each layer.
import SignalFlow

/// Runs scenarios for the live view.
enum EngineAdapter {
    /// The quantities the live view draws histograms of (histogram panels and heat maps); the weights are
    /// summarised by their statistics only.
    static let liveHistogramQuantities: Set<Quantity> = [.preactivation, .activation, .activationGradient, .weightGradient]

    /// Runs `scenario` until done or cancelled, calling `onEvent` for every finished layer (forward, then
    /// backward) and run. Throws the engine's one-line error when the scenario is refused (sizes, memory).
    static func simulate(_ scenario: Scenario, _ cancellation: CancellationToken,
                         _ onEvent: (PropagationEvent) -> Void) throws {
        let experiment = try Experiment(scenario: scenario)
        experiment.histogramQuantities = liveHistogramQuantities
        _ = experiment.run(cancellation: cancellation, onEvent: onEvent)
    }
}
