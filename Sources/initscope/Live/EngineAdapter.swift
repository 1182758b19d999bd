// The simulation run on the engine worker thread: SignalFlow's Experiment, reporting each layer.
import SignalFlow

/// Runs scenarios for the live view.
enum EngineAdapter {
    /// Errors the adapter reports in one line.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `scenario` until done or cancelled, calling `onEvent` for every layer as it finishes.
    static func simulate(_ scenario: Scenario, _ cancellation: CancellationToken,
                         _ onEvent: (PropagationEvent) -> Void) throws {
        // SignalFlow's Experiment (branch `engine`) is not merged yet: say so on the status line.
        throw Unavailable(description: "the propagation engine is not in this build yet")
    }
}
