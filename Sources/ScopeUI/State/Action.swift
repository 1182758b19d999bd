// What can happen to the live front end (Action) and what it asks the run loop to do (Effect).
import SignalFlow
import Terminal

/// Something that happened, fed to `update(_:_:)` by the run loop.
public enum Action: Equatable, Sendable {
    /// Start the first run (emits `.startSimulation` for the current scenario). The first `.resize`
    /// does the same when nothing has been started yet, so a run loop that only sends `.resize` works too.
    case start
    /// A key press.
    case key(KeyPress)
    /// The terminal is now `width` x `height` cells.
    case resize(width: Int, height: Int)
    /// Progress of the run started with `generation`; stale generations are ignored.
    case engine(PropagationEvent, generation: Int)
    /// Mean field's prediction for rows of the run started with `generation` (by row), sent before their numbers:
    /// the scale of a row still computing is fitted to it.
    case predictions([Int: RowPrediction], generation: Int)
    /// Empty runs for rows of the run started with `generation` (by row), built off the UI thread: a row still
    /// holding the empty run every new row shares takes its own, so its first layer does not copy that run's O(L)
    /// arrays on the UI thread (40-80 ms at L = 10,000, two rows, measured 2026-12-01).
    case freshRuns([Int: RunData], generation: Int)
    /// The run of `generation` failed; `message` says why in one line.
    case engineFailed(message: String, generation: Int)
    /// The run of `generation` returned (finished or cancelled).
    case engineFinished(generation: Int)
    /// Progress of the training run or sweep started with `generation`; stale generations are ignored.
    case training(TrainingEvent, generation: Int)
    /// Animation time passed: `elapsedMilliseconds` since the previous tick.
    case tick(elapsedMilliseconds: Double)
    /// The themes `t` cycles through (already resolved for the terminal); keeps the current theme by
    /// name when it is in the list, else switches to the first.
    case setThemes([Theme])
    /// Draw with these glyphs (Unicode or ASCII).
    case setGlyphs(GlyphSet)
    /// Show `message` in the status line (what the run loop did for an effect, e.g. where the screen was saved).
    case status(String)
    /// The panel worker finished a phase diagram or a Jacobian spectrum (`Effect.computePanel`).
    case panel(PanelResult)
}

/// What `update` asks the run loop to do, in order.
public enum Effect: Equatable, Sendable {
    /// Cancel any run in progress and start `scenario`, measuring what `plan` asks (what the layout shows),
    /// at once, tagging its events with `generation`. Only `rows` (indices into `scenario.initializers`) are
    /// computed, in that order; events keep the row index as their run index.
    case startSimulation(Scenario, plan: MeasurementPlan, generation: Int, rows: [Int])
    /// Cancel whatever runs and train every row of `scenario` with `configuration` at once (rows in parallel),
    /// snapshots measured with `plan` every `LiveTraining.snapshotEvery` steps, events tagged with `generation`.
    case startTraining(Scenario, TrainingConfiguration, plan: MeasurementPlan, generation: Int)
    /// Cancel whatever runs and train every row at every rate of `rates` (`configuration` otherwise), events tagged
    /// with `generation`.
    case startSweep(Scenario, TrainingConfiguration, rates: [Double], generation: Int)
    /// Hold (true) or resume (false) the training run in progress, between two steps.
    case pauseTraining(Bool)
    /// Cancel the run in progress.
    case cancelSimulation
    /// End the program normally.
    case quit
    /// Repaint the whole terminal from scratch (its contents were damaged), then draw the current state.
    case redraw
    /// Write the screen as drawn now to files (txt, ansi, svg), the terminal's default colours being `foreground`
    /// and `background` (the theme's assumed ones), and say where in the status line (`Action.status`).
    case saveScreen(foreground: RGBColor, background: RGBColor)
    /// Compute what the shown panel needs on the panel worker (never the UI thread), replacing any panel work in
    /// progress; the answer comes back as `Action.panel`.
    case computePanel(PanelRequest)
}
