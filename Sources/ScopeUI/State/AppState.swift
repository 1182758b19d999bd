// The whole state of the live front end, as one value. `update` changes it, `view` draws it.
// Legend: L = depth; layers are 1...L; rows = the scenario's initializers, in order.
import SignalFlow
import Terminal

/// Everything the live screen shows or remembers. A value: copy it, compare it, test it.
///
/// The run loop owns one AppState, feeds it `Action`s through `update(_:_:)`, performs the returned
/// `Effect`s, and draws `view(_:)` when it changed. Nothing here does I/O.
public struct AppState: Equatable, Sendable {
    /// The experiment being shown; `scenario.initializers` is the comparison set (one row each).
    public var scenario: Scenario
    /// Row of the focused initializer (index into `scenario.initializers`).
    public var focusedRow: Int
    /// Selected layer, 1...L.
    public var selectedLayer: Int
    /// Histograms in value or in log10|value|.
    public var histogramMode: HistogramMode
    /// Animation paused (space): ticks reveal nothing; `.` still steps.
    public var paused: Bool
    /// Milliseconds between revealed layer events; 0 reveals every event as it arrives (`--no-animation`).
    public var animationDelayMilliseconds: Double
    /// The `?` help overlay is shown.
    public var helpVisible: Bool
    /// The theme in use (already resolved for the terminal's colour depth by the caller).
    public var theme: Theme
    /// Themes `t` cycles through (loaded by the caller); may be empty.
    public var availableThemes: [Theme]
    /// Index of `theme` in `availableThemes` (0 when the list is empty).
    public var themeIndex: Int
    /// Terminal size in cells.
    public var terminalWidth: Int, terminalHeight: Int
    /// Characters used to draw (Unicode or ASCII).
    public var glyphs: GlyphSet
    /// Reports revealed so far, one entry per row of the comparison set.
    public var runs: [RunData]
    /// Engine events of the current generation received but not yet revealed (the animation queue).
    public var pendingEvents: [PendingEvent]
    /// Milliseconds of animation time accumulated towards the next reveal.
    public var animationClockMilliseconds: Double
    /// The current run's generation; events tagged with another generation are stale and ignored.
    /// 0 = no run started yet.
    public var generation: Int
    /// True from `.startSimulation` until the engine says the generation finished (or failed).
    public var simulationRunning: Bool
    /// True when the current generation's run failed (the header says "failed", not "done"); a new run clears it.
    public var runFailed: Bool
    /// What the current generation measures (histograms, weight gradients): what the layout showed when it
    /// started. A resize to a layout that shows more starts a new generation.
    public var measurementPlan: MeasurementPlan
    /// A one-line message for the status line (errors, "rerun", ...); empty = none.
    public var statusMessage: String

    /// The initial state: `scenario` (its initializers form the comparison set, the first is focused),
    /// a `width` x `height` terminal, no reports yet. Nothing runs until `.start` (or the first `.resize`).
    public init(scenario: Scenario, width: Int = 80, height: Int = 24, glyphs: GlyphSet = .unicode,
                theme: Theme = .builtInDefault, availableThemes: [Theme] = [],
                animationDelayMilliseconds: Double = 40, focusedRow: Int = 0) {
        self.scenario = scenario
        self.focusedRow = scenario.initializers.isEmpty ? 0 : min(max(0, focusedRow), scenario.initializers.count - 1)
        self.selectedLayer = max(1, scenario.depth)
        self.histogramMode = .linear
        self.paused = false
        self.animationDelayMilliseconds = max(0, animationDelayMilliseconds.isFinite ? animationDelayMilliseconds : 0)
        self.helpVisible = false
        self.theme = theme
        self.availableThemes = availableThemes
        self.themeIndex = availableThemes.firstIndex { $0.name == theme.name } ?? 0
        self.terminalWidth = max(0, width); self.terminalHeight = max(0, height)
        self.glyphs = glyphs
        self.runs = scenario.initializers.map { _ in RunData(depth: scenario.depth) }
        self.pendingEvents = []
        self.animationClockMilliseconds = 0
        self.generation = 0
        self.simulationRunning = false
        self.runFailed = false
        self.measurementPlan = .everything
        self.statusMessage = ""
    }

    /// The comparison set with its default: xavier, he, lsuv, plus `extra` names (e.g. from --init) not
    /// already there. Unparseable names are skipped.
    public static func comparisonSet(adding extra: [String] = []) -> [NamedInitializer] {
        NamedInitializer.defaultComparison(adding: extra)
    }

    /// The focused initializer, nil when the comparison set is empty.
    public var focusedInitializer: NamedInitializer? {
        scenario.initializers.indices.contains(focusedRow) ? scenario.initializers[focusedRow] : nil
    }

    /// The focused run's data, nil when there is none.
    public var focusedRun: RunData? { runs.indices.contains(focusedRow) ? runs[focusedRow] : nil }

    /// The report of the focused initializer at the selected layer, when revealed.
    public var selectedReport: LayerReport? { focusedRun?.report(layer: selectedLayer) }
}

/// An engine event waiting in the animation queue (tagged with its generation when it arrived).
public struct PendingEvent: Sendable, Equatable {
    /// The event.
    public var event: PropagationEvent
    /// Creates a queue entry.
    public init(_ event: PropagationEvent) { self.event = event }

    /// Same event kind, run and report (PropagationEvent itself is not Equatable).
    public static func == (a: PendingEvent, b: PendingEvent) -> Bool {
        switch (a.event, b.event) {
        case let (.forwardLayer(r1, l1), .forwardLayer(r2, l2)): return r1 == r2 && l1 == l2
        case let (.backwardLayer(r1, l1), .backwardLayer(r2, l2)): return r1 == r2 && l1 == l2
        case let (.runFinished(r1, x1), .runFinished(r2, x2)): return r1 == r2 && x1 == x2
        default: return false
        }
    }
}
