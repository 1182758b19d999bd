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
    /// The site of the selected block the detail panels show (residual networks, `w`); nil = the stream.
    public var selectedSite: String?
    /// Histograms in value or in log10|value|.
    public var histogramMode: HistogramMode
    /// Sparkline scales: one per row (default) or one shared by every row (`S`).
    public var scaleMode: ScaleMode
    /// Animation paused (space): ticks do not move the sweep; `.` still steps.
    public var paused: Bool
    /// Milliseconds the reveal sweep takes for the whole picture, whatever the depth; 0 reveals every event as it
    /// arrives (`--no-animation`).
    public var sweepMilliseconds: Double
    /// Milliseconds of the current sweep elapsed (0...sweepMilliseconds); reset by every new run.
    public var sweepClockMilliseconds: Double
    /// The `?` help overlay is shown.
    public var helpVisible: Bool
    /// Page of the help overlay shown (0 = keys, 1 = labels and colours).
    public var helpPage: Int
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
    /// Engine events received but not yet revealed, one queue per row (the animation queue).
    public var queues: [RevealQueue]
    /// The rows the current generation computes, in the order the engine runs them (focused or new row first);
    /// the other rows kept their numbers from an earlier run of the same scenario.
    public var computingRows: [Int]
    /// Milliseconds since the current generation started (from ticks), for the header's time-left estimate.
    public var runElapsedMilliseconds: Double
    /// Finished runs of `cacheKey`'s scenario by initializer, including rows removed since: a row whose numbers
    /// cannot change (same scenario without the initializer set, same seed and plan) is never computed again.
    public var cachedRuns: [NamedInitializer: RunData]
    /// Mean field's prediction of each row's series by initializer, for `cacheKey`'s scenario (sent by the engine
    /// worker before the numbers); a row's scale is fitted to it while the row computes.
    public var predictions: [NamedInitializer: RowPrediction]
    /// The scenario (initializers left out) and plan `cachedRuns` belong to; nil before the first run.
    public var cacheKey: RunCacheKey?
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
    /// Lines of the key table (indices into `KeyMap.table`) whose keys were used: their hints move behind the
    /// hints of keys not used yet.
    public var usedKeyLines: Set<Int>
    /// A one-line message for the status line (errors, "rerun", ...); empty = none.
    public var statusMessage: String
    /// Milliseconds until `statusMessage` is cleared; nil = it stays until replaced (failures, pause).
    public var statusMessageRemainingMilliseconds: Double?
    /// What `T` and `L` train: the training flags of the command line, or the defaults.
    public var trainingSettings: LiveTrainingSettings
    /// The training run on screen (`T`), nil before the first or after the scenario changed.
    public var training: TrainingState?
    /// Runs, caches, queues and training the view dropped, until the run loop takes them to free off the UI thread.
    public internal(set) var retired = RetiredRuns()
    /// The empty run new rows start from, for the scenario's depth and activation (not compared: a cache).
    var emptyRuns = EmptyRunCache()
    /// The learning-rate sweep on screen (`L`), nil before the first or after the scenario changed.
    public var sweep: SweepState?
    /// What the training panel shows; nil = no panel (the histograms and heat maps as without training).
    public var trainingPanel: TrainingPanel?
    /// The lecture being given and its current scene; nil in the plain live view.
    public var lecture: LectureProgress?
    /// Panels shown (every one unless a lecture scene chose fewer).
    public var panels: PanelSet
    /// The panel in the histograms' place (`J`): histograms, the Jacobian's spectrum or the phase map.
    public var lowerPanel: LowerPanel = .histograms
    /// The last phase map computed (for its request), nil before the first.
    public var phaseMap: PhaseMapData?
    /// The last Jacobian spectrum computed (for its request), nil before the first.
    public var spectrum: SpectrumPanelData?
    /// The panel work asked for and not answered yet (asked once, not on every update).
    public var requestedPanel: PanelRequest?

    /// The initial state: `scenario` (its initializers form the comparison set, the first is focused),
    /// a `width` x `height` terminal, no reports yet. Nothing runs until `.start` (or the first `.resize`).
    public init(scenario: Scenario, width: Int = 80, height: Int = 24, glyphs: GlyphSet = .unicode,
                theme: Theme = .builtInDefault, availableThemes: [Theme] = [],
                sweepMilliseconds: Double = defaultSweepMilliseconds, focusedRow: Int = 0) {
        self.scenario = scenario
        self.focusedRow = scenario.initializers.isEmpty ? 0 : min(max(0, focusedRow), scenario.initializers.count - 1)
        self.selectedLayer = max(1, scenario.depth)
        self.selectedSite = nil
        self.histogramMode = .linear
        self.scaleMode = .perRow
        self.paused = false
        self.sweepMilliseconds = max(0, sweepMilliseconds.isFinite ? sweepMilliseconds : 0)
        self.sweepClockMilliseconds = 0
        self.helpVisible = false
        self.helpPage = 0
        self.theme = theme
        self.availableThemes = availableThemes
        self.themeIndex = availableThemes.firstIndex { $0.name == theme.name } ?? 0
        self.terminalWidth = max(0, width); self.terminalHeight = max(0, height)
        self.glyphs = glyphs
        let empty = RunData(depth: scenario.depth, activation: scenario.activation)
        self.runs = scenario.initializers.map { _ in empty }  // shared until each row's first layer arrives
        self.emptyRuns = EmptyRunCache(empty)
        self.queues = scenario.initializers.map { _ in RevealQueue() }
        self.computingRows = []
        self.runElapsedMilliseconds = 0
        self.cachedRuns = [:]
        self.predictions = [:]
        self.cacheKey = nil
        self.generation = 0
        self.simulationRunning = false
        self.runFailed = false
        self.measurementPlan = .everything
        self.usedKeyLines = []
        self.statusMessage = ""
        self.statusMessageRemainingMilliseconds = nil
        self.trainingSettings = .standard
        self.training = nil
        self.sweep = nil
        self.trainingPanel = nil
        self.lecture = nil
        self.panels = .all
    }

    /// The default comparison set (xavier, he, lsuv), plus `extra` names not already there. Unparseable names
    /// are skipped.
    public static func comparisonSet(adding extra: [String] = []) -> [NamedInitializer] {
        NamedInitializer.defaultComparison(adding: extra)
    }

    /// Shows `message` in the status line for `StatusMessage.lifetimeMilliseconds`, or until replaced when
    /// `persistent` (failures, pause).
    public mutating func setStatus(_ message: String, persistent: Bool = false) {
        statusMessage = message
        statusMessageRemainingMilliseconds = persistent || message.isEmpty ? nil : StatusMessage.lifetimeMilliseconds
    }

    /// The focused initializer, nil when the comparison set is empty.
    public var focusedInitializer: NamedInitializer? {
        scenario.initializers.indices.contains(focusedRow) ? scenario.initializers[focusedRow] : nil
    }

    /// The focused run's data, nil when there is none.
    public var focusedRun: RunData? { runs.indices.contains(focusedRow) ? runs[focusedRow] : nil }

    /// The report of the focused initializer at the selected layer, when revealed, as the detail panels show it:
    /// in a residual block the selected site takes the activation panel (`shownSite`).
    public var selectedReport: LayerReport? { focusedRun?.report(layer: selectedLayer).map(shownSite) }

    /// `report` as the panels show it: in a residual block each panel's quantity is a site (`panelSite`).
    public func shownSite(_ report: LayerReport) -> LayerReport {
        guard !report.sites.isEmpty else { return report }
        var shown = report
        for quantity in Quantity.allCases {
            if let name = panelSite(quantity), let site = report.site(name) { shown.quantities[quantity] = site }
        }
        return shown
    }

    /// The site a panel of `quantity` shows in a residual network or a transformer (nil for the MLP): the selected
    /// site (the stream unless `w` chose another) for activations, the stream's gradient, the branch's first
    /// pre-activation and first weight gradient for the others (a transformer's FFN's: ffn.pre, ffn.in).
    public func panelSite(_ quantity: Quantity) -> String? {
        guard scenario.architecture != .mlp else { return nil }
        let transformer = scenario.architecture.transformer != nil
        switch quantity {
        case .activation: return selectedSite ?? ResidualSite.stream
        case .activationGradient: return ResidualSite.streamGradient
        case .preactivation: return transformer ? TransformerSite.ffnPre : ResidualSite.branchPre
        case .weightGradient: return transformer ? TransformerSite.weightGradient(.ffnIn) : ResidualSite.branchInWeightGradient
        case .weight: return ResidualSite.branchInWeight
        }
    }
}

/// What a run's numbers depend on besides its initializer: the scenario with its initializer set left out, and
/// what the run measures. Two runs of the same key and initializer give the same numbers, bit for bit.
public struct RunCacheKey: Equatable, Sendable {
    /// The scenario with `initializers` empty.
    public var scenario: Scenario
    /// What the run measured.
    public var plan: MeasurementPlan

    /// The key of `scenario` measured with `plan`.
    public init(_ scenario: Scenario, plan: MeasurementPlan) {
        var base = scenario
        base.initializers = []
        self.scenario = base; self.plan = plan
    }
}

/// How long status messages stay.
public enum StatusMessage {
    /// Milliseconds a message stays in the status line (unless persistent).
    public static let lifetimeMilliseconds = 4000.0
}
