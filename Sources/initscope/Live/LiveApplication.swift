// The contract between the run loop and the application it drives (ScopeUI's AppState/update/view behind an
// adapter). Events go in, effects come out, a canvas is drawn from the state. Nothing here does I/O.
import SignalFlow
import Terminal

/// Something that happened, delivered to the application by the run loop.
enum LoopEvent: Sendable {
    /// A key press.
    case key(KeyPress)
    /// The terminal is now `width` x `height` cells.
    case resize(width: Int, height: Int)
    /// Progress of the simulation started with `generation`.
    case engine(PropagationEvent, generation: Int)
    /// The simulation of `generation` failed; `message` says why in one line.
    case engineFailed(message: String, generation: Int)
    /// The simulation of `generation` returned (finished or cancelled).
    case engineFinished(generation: Int)
    /// An animation tick: `elapsedMilliseconds` since the previous tick (or since the tick was asked for).
    case tick(elapsedMilliseconds: Int)
}

/// What the application asks the run loop to do.
enum LoopEffect: Equatable {
    /// Cancel any run in progress and start `scenario` now, measuring what `plan` asks, tagging its events
    /// with `generation`.
    case startSimulation(Scenario, plan: MeasurementPlan, generation: Int)
    /// Cancel the run in progress.
    case cancelSimulation
    /// End the program normally (exit status 0).
    case quit
}

/// An Elm-style application as the run loop sees it.
protocol LiveApplication {
    /// Applies one event; returns the effects to perform, in order.
    mutating func handle(_ event: LoopEvent) -> [LoopEffect]
    /// The whole screen for a `width` x `height` terminal (pure).
    func render(width: Int, height: Int) -> Canvas
    /// Milliseconds until the application wants the next `.tick` (animation pending), nil when idle.
    var tickIntervalMilliseconds: Int? { get }
}
