// The pure update function: one action in, the new state and the effects out.
import SignalFlow
import Terminal

/// Applies `action` to `state` and returns what the run loop must do, in order. Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .start:
        return state.generation == 0 ? restart(&state, message: state.statusMessage) : []   // keeps a start-up message (theme fallback)
    case .resize(let width, let height):
        state.terminalWidth = max(0, width); state.terminalHeight = max(0, height)
        if state.generation == 0 { return restart(&state, message: state.statusMessage) }
        // The current run did not measure what the new layout shows (a panel of weight gradients, say).
        if !state.measurementPlan.covers(layoutMeasurementPlan(state)) {
            return restart(&state, message: measuringMoreMessage)
        }
        return []
    case .key(let key):
        return handleKey(&state, key)
    case .engine(let event, let generation):
        guard generation == state.generation else { return [] }
        if state.animationDelayMilliseconds <= 0 { reveal(&state, event) }
        else { state.pendingEvents.append(PendingEvent(event)) }
        return []
    case .engineFailed(let message, let generation):
        guard generation == state.generation else { return [] }
        state.simulationRunning = false
        state.runFailed = true
        state.statusMessage = "engine failed: " + message
        return []
    case .engineFinished(let generation):
        guard generation == state.generation else { return [] }
        state.simulationRunning = false
        // "measuring more" describes the run in progress: once it has measured, it no longer says anything true.
        if state.statusMessage == measuringMoreMessage { state.statusMessage = "" }
        return []
    case .tick(let elapsed):
        advanceAnimation(&state, elapsedMilliseconds: elapsed)
        return []
    case .setThemes(let themes):
        state.availableThemes = themes
        if let index = themes.firstIndex(where: { $0.name == state.theme.name }) {
            state.themeIndex = index; state.theme = themes[index]
        } else if let first = themes.first {
            state.themeIndex = 0; state.theme = first
        }
        return []
    case .setGlyphs(let glyphs):
        state.glyphs = glyphs
        return []
    }
}

/// The status line while a run started by a wider screen measures what it adds (cleared when that run ends).
let measuringMoreMessage = "measuring more for the larger screen"

/// True while revealing is pending: the run loop should send `.tick` every `tickIntervalMilliseconds(state)`.
/// False when idle (nothing queued, or paused): the run loop may block until the next key or engine event.
public func needsTick(_ state: AppState) -> Bool {
    !state.paused && !state.pendingEvents.isEmpty && state.animationDelayMilliseconds > 0
}

/// Milliseconds until the next reveal, nil when no tick is needed (see `needsTick`).
public func tickIntervalMilliseconds(_ state: AppState) -> Double? {
    guard needsTick(state) else { return nil }
    return max(0, state.animationDelayMilliseconds - state.animationClockMilliseconds)
}

/// Handles one key: the help overlay swallows keys other than quit and redraw; everything else maps through
/// `KeyMap`; keys without a command are ignored.
func handleKey(_ state: inout AppState, _ key: KeyPress) -> [Effect] {
    let command = KeyMap.command(for: key)
    if state.helpVisible && command != .quit && command != .redraw {
        state.helpVisible = false
        return []
    }
    guard let command else { return [] }
    return perform(&state, command)
}

/// Performs one command.
func perform(_ state: inout AppState, _ command: Command) -> [Effect] {
    let rows = state.scenario.initializers.count
    let depth = state.scenario.depth
    switch command {
    case .quit:
        return [.cancelSimulation, .quit]
    case .redraw:
        return [.redraw]
    case .toggleHelp:
        state.helpVisible.toggle(); return []
    case .focusNext:
        if rows > 0 { state.focusedRow = (state.focusedRow + 1) % rows }; return []
    case .focusPrevious:
        if rows > 0 { state.focusedRow = (state.focusedRow + rows - 1) % rows }; return []
    case .layerNext:
        state.selectedLayer = min(max(1, depth), state.selectedLayer + 1); return []
    case .layerPrevious:
        state.selectedLayer = max(1, state.selectedLayer - 1); return []
    case .layerFirst:
        state.selectedLayer = 1; return []
    case .layerLast:
        state.selectedLayer = max(1, depth); return []
    case .toggleHistogramScale:
        state.histogramMode = state.histogramMode.toggled; return []
    case .togglePause:
        state.paused.toggle()
        state.statusMessage = state.paused ? "paused (space resumes, . steps)" : ""
        return []
    case .step:
        revealNextLayerEvent(&state); return []
    case .nextTheme:
        guard !state.availableThemes.isEmpty else { state.statusMessage = "no other theme loaded"; return [] }
        state.themeIndex = (state.themeIndex + 1) % state.availableThemes.count
        state.theme = state.availableThemes[state.themeIndex]
        state.statusMessage = "theme " + state.theme.name
        return []
    case .focusInitializer(let name):
        if let row = state.scenario.initializers.firstIndex(where: { $0.name == name }) {
            state.focusedRow = row; return []
        }
        guard let named = InitializerCatalog.named(name) else {
            state.statusMessage = "cannot parse initializer \(name)"; return []
        }
        state.scenario.initializers.append(named)
        state.focusedRow = state.scenario.initializers.count - 1
        return restart(&state, message: "added \(name)")
    case .activationNext, .activationPrevious:
        state.scenario.activation = ScenarioSteps.cycle(state.scenario.activation, forward: command == .activationNext)
        return restart(&state, message: "activation \(state.scenario.activation.name)")
    case .depthUp, .depthDown:
        let newDepth = ScenarioSteps.step(depth, along: ScenarioSteps.depths, up: command == .depthUp)
        guard newDepth != depth else { state.statusMessage = "depth stays \(depth)"; return [] }
        let wasLast = state.selectedLayer == depth
        state.scenario.widths = Array(repeating: state.scenario.width, count: newDepth + 1)
        state.selectedLayer = wasLast ? newDepth : min(state.selectedLayer, newDepth)
        return restart(&state, message: "depth \(newDepth)")
    case .widthUp, .widthDown:
        let width = state.scenario.width
        let newWidth = ScenarioSteps.step(width, along: ScenarioSteps.widths, up: command == .widthUp)
        guard newWidth != width else { state.statusMessage = "width stays \(width)"; return [] }
        state.scenario.widths = Array(repeating: newWidth, count: depth + 1)
        return restart(&state, message: "width \(newWidth)")
    case .batchUp, .batchDown:
        let batch = state.scenario.batch
        let newBatch = ScenarioSteps.step(batch, along: ScenarioSteps.batches, up: command == .batchUp)
        guard newBatch != batch else { state.statusMessage = "batch stays \(batch)"; return [] }
        state.scenario.batch = newBatch
        return restart(&state, message: "batch \(newBatch)")
    case .newSeed:
        state.scenario.seed &+= 1
        return restart(&state, message: "seed \(state.scenario.seed)")
    case .rerun:
        return restart(&state, message: "rerun")
    }
}

/// Starts a new generation for the current scenario: clears reports and the queue, bumps the generation
/// (so events of the old run are ignored from now on) and asks the run loop to start it.
func restart(_ state: inout AppState, message: String) -> [Effect] {
    state.generation += 1
    state.runs = state.scenario.initializers.map { _ in RunData(depth: state.scenario.depth) }
    state.pendingEvents.removeAll()
    state.animationClockMilliseconds = 0
    state.simulationRunning = true
    state.runFailed = false
    state.selectedLayer = min(max(1, state.selectedLayer), max(1, state.scenario.depth))
    if !state.scenario.initializers.isEmpty { state.focusedRow = min(state.focusedRow, state.scenario.initializers.count - 1) }
    state.statusMessage = message
    state.measurementPlan = layoutMeasurementPlan(state)
    return [.startSimulation(state.scenario, plan: state.measurementPlan, generation: state.generation)]
}

/// What the screen at the state's terminal size shows, so what a run must measure.
func layoutMeasurementPlan(_ state: AppState) -> MeasurementPlan {
    ScreenLayout(width: state.terminalWidth, height: state.terminalHeight, rowCount: state.scenario.initializers.count,
                 focusedRow: state.focusedRow).measurementPlan
}
