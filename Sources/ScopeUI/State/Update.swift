// The pure update function: one action in, the new state and the effects out.
import Foundation
import SignalFlow
import Terminal

/// Applies `action` to `state` and returns what the run loop must do, in order. Pure: no I/O, no clock.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    applyAction(&state, action) + panelEffects(&state)
}

/// `update` without the panel work the new state needs.
func applyAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .panel(let result):
        applyPanelResult(&state, result)
        return []
    case .start:
        return state.generation == 0 ? startFirstRun(&state) : []   // keeps a start-up message (theme fallback)
    case .resize(let width, let height):
        state.terminalWidth = max(0, width); state.terminalHeight = max(0, height)
        if state.generation == 0 { return startFirstRun(&state) }
        // The current run did not measure what the new layout shows (a panel of weight gradients, say). Training and
        // the sweep, running or ended, are kept: their curves and rows are what a resize must not lose (their
        // snapshots measure what training started with); r measures the new layout at step 0.
        guard !state.measurementPlan.covers(layoutMeasurementPlan(state)) else { return [] }
        if state.training != nil || state.sweep != nil {
            if state.training?.isActive != true && state.sweep?.phase != .running {
                state.setStatus(keptTrainingMessage)
            }
            return []
        }
        return restart(&state, message: measuringMoreMessage, persistent: true)
    case .status(let message):
        state.setStatus(message)
        return []
    case .key(let key):
        return handleKey(&state, key)
    case .engine(let event, let generation):
        guard generation == state.generation, state.queues.indices.contains(event.runIndex) else { return [] }
        state.queues[event.runIndex].pending.append(event.displayed)
        if case .runFinished = event { state.queues[event.runIndex].delivered = true }
        revealDue(&state)
        return []
    case .predictions(let byRow, let generation):
        guard generation == state.generation else { return [] }
        for (row, prediction) in byRow where state.scenario.initializers.indices.contains(row) {
            state.predictions[state.scenario.initializers[row]] = prediction
        }
        return []
    case .freshRuns(let byRow, let generation):
        guard generation == state.generation else { return [] }
        for (row, run) in byRow where state.runs.indices.contains(row) && state.computingRows.contains(row) {
            adoptFreshRun(&state, row: row, run)
        }
        return []
    case .engineFailed(let message, let generation):
        guard generation == state.generation else { return [] }
        state.simulationRunning = false
        state.runFailed = true
        state.setStatus("engine failed: " + message, persistent: true)
        return []
    case .training(let event, let generation):
        applyTrainingEvent(&state, event, generation: generation)
        return []
    case .engineFinished(let generation):
        guard generation == state.generation else { return [] }
        finishTraining(&state, generation: generation)
        state.simulationRunning = false
        rememberFinishedRuns(&state)
        // "measuring more" describes the run in progress: once it has measured, it no longer says anything true.
        if state.statusMessage == measuringMoreMessage { state.setStatus("") }
        return []
    case .tick(let elapsed):
        guard elapsed.isFinite, elapsed > 0 else { return [] }
        if state.simulationRunning { state.runElapsedMilliseconds += elapsed }
        if let remaining = state.statusMessageRemainingMilliseconds {
            if remaining <= elapsed { state.setStatus("") } else { state.statusMessageRemainingMilliseconds = remaining - elapsed }
        }
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
/// The status after a resize that kept an ended training run or sweep instead of measuring the larger layout.
let keptTrainingMessage = "training kept; r: step 0 measured for this screen"

/// Milliseconds between progress ticks while a run computes with nothing to animate (header's time left).
let progressTickMilliseconds = 250.0

/// True while time matters to the state: a sweep in progress with something to reveal, a run computing (its
/// progress), or a status message waiting to expire. False when idle: the run loop may block until the next
/// key or engine event.
public func needsTick(_ state: AppState) -> Bool { tickIntervalMilliseconds(state) != nil }

/// Milliseconds until the state wants the next `.tick`, nil when none is needed (see `needsTick`).
public func tickIntervalMilliseconds(_ state: AppState) -> Double? {
    var intervals: [Double] = []
    let waiting = state.computingRows.contains { row in
        state.queues.indices.contains(row) && (!state.queues[row].pending.isEmpty || !state.queues[row].delivered)
    }
    if !state.paused && sweepInProgress(state) && (waiting || hasPendingEvents(state)) {
        let stepLength = state.sweepMilliseconds / Double(2 * max(1, state.scenario.depth))
        let untilNextStep = stepLength - state.sweepClockMilliseconds.truncatingRemainder(dividingBy: stepLength)
        intervals.append(max(minimumTickMilliseconds, untilNextStep))
    }
    if state.simulationRunning { intervals.append(progressTickMilliseconds) }
    if let remaining = state.statusMessageRemainingMilliseconds { intervals.append(max(0, remaining)) }
    return intervals.min()
}

/// Handles one key. With the help open: tab, arrows and page keys turn its pages, q quits, Ctrl-L repaints,
/// and any other key closes it and does nothing else. Otherwise the key maps through `KeyMap`; keys without a
/// command are ignored.
func handleKey(_ state: inout AppState, _ key: KeyPress) -> [Effect] {
    let lecture = state.lecture != nil
    let command = KeyMap.command(for: key, lecture: lecture)
    if state.helpVisible && command != .quit && command != .redraw {
        switch key {
        case .tab, .right, .pageDown, .down:
            state.helpPage = (state.helpPage + 1) % helpPageCount(state)
        case .backTab, .left, .pageUp, .up:
            state.helpPage = (state.helpPage + helpPageCount(state) - 1) % helpPageCount(state)
        default:
            state.helpVisible = false
        }
        return []
    }
    guard let command else { return [] }
    // Esc shares the training line but is named in no hint: it never reorders them.
    if key != .escape, let line = KeyMap.hintedLineIndex(of: key, lecture: lecture) { state.usedKeyLines.insert(line) }
    return perform(&state, command)
}

/// Pages of the help overlay at the state's terminal size: keys, then as many pages of labels and colours as the
/// glossary needs.
func helpPageCount(_ state: AppState) -> Int {
    HelpOverlay.pageCount(glossary: HelpGlossary.entries(glyphs: state.glyphs),
                          width: state.terminalWidth, height: state.terminalHeight)
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
    case .saveScreen:
        return [.saveScreen(foreground: state.theme.assumedForeground, background: state.theme.assumedBackground)]
    case .cycleLowerPanel:
        state.lowerPanel = state.lowerPanel.next; return []
    case .toggleHelp:
        state.helpVisible.toggle(); state.helpPage = 0; return []
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
        state.setStatus(state.paused ? "paused (space resumes, . steps)" : "", persistent: state.paused)
        return []
    case .step:
        stepSweep(&state); return []
    case .skipAnimation:
        skipSweep(&state); return []
    case .toggleScale:
        state.scaleMode = state.scaleMode.toggled
        state.setStatus(state.scaleMode == .perRow ? "scale: one per row" : "scale: shared by every row")
        return []
    case .removeRow:
        guard rows > 1 else { state.setStatus("the last row stays"); return [] }
        let name = state.scenario.initializers[state.focusedRow].name
        rememberFinishedRuns(&state)
        state.scenario.initializers.remove(at: state.focusedRow)
        // The removed row's run and queue are freed off the UI thread (RetiredRuns), like the others the restart drops.
        state.retired.retire(runs: [state.runs.remove(at: state.focusedRow)])
        state.retired.retire(queues: [state.queues.remove(at: state.focusedRow)])
        state.focusedRow = min(state.focusedRow, rows - 2)
        // Row indices moved: a run in progress must restart with the new indices (finished rows are kept).
        return restart(&state, message: "removed \(name)")
    case .resetRows:
        let focusedName = state.focusedInitializer?.name
        rememberFinishedRuns(&state)
        setRows(&state, ArchitectureRows.defaultRows(for: state.scenario.architecture), focusing: focusedName)
        return restart(&state, message: "rows reset to " + state.scenario.initializers.map(\.name).joined(separator: ", "))
    case .architectureNext:
        let catalog = Architecture.catalog
        let index = catalog.firstIndex { $0.name == state.scenario.architecture.name } ?? -1
        var candidate = state.scenario
        candidate.architecture = catalog[(index + 1) % catalog.count]
        candidate.initializers = ArchitectureRows.defaultRows(for: candidate.architecture)
        if let sizes = ArchitectureRows.sizes(for: candidate.architecture, leaving: state.scenario.architecture) {
            candidate.widths = Array(repeating: sizes.width, count: sizes.depth + 1)
            candidate.batch = sizes.batch
        }
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        rememberFinishedRunsIfKept(&state, leavingFor: candidate)
        if candidate.depth != state.scenario.depth { state.selectedLayer = candidate.depth }
        state.scenario = candidate
        state.selectedSite = nil
        setRows(&state, candidate.initializers, focusing: nil)
        return restart(&state, message: "\(candidate.architecture.name): " + candidate.initializers.map(\.name).joined(separator: ", "))
    case .normalizationNext:
        let choices = state.scenario.architecture.normalizationChoices
        guard choices.count > 1 else {
            state.setStatus("no normalization to choose in a \(state.scenario.architecture.name) (m: next architecture)")
            return []
        }
        let index = choices.firstIndex(of: state.scenario.architecture) ?? -1
        var candidate = state.scenario
        candidate.architecture = choices[(index + 1) % choices.count]
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario = candidate
        state.selectedSite = nil
        return restart(&state, message: "normalization " + candidate.architecture.normalizationName)
    case .siteNext, .sitePrevious:
        let sites = blockSiteNames(state)
        guard !sites.isEmpty else {
            state.setStatus(state.scenario.architecture == .mlp ? "sites are inside residual blocks (m: next architecture)"
                                                                 : "no sites measured at this block yet")
            return []
        }
        let current = sites.firstIndex(of: state.selectedSite ?? ResidualSite.stream) ?? 0
        let step = command == .siteNext ? 1 : sites.count - 1
        let next = sites[(current + step) % sites.count]
        state.selectedSite = next == ResidualSite.stream ? nil : next
        state.setStatus("site \(next) of block \(state.selectedLayer)")
        return []
    case .nextTheme:
        guard !state.availableThemes.isEmpty else { state.setStatus("no other theme loaded"); return [] }
        state.themeIndex = (state.themeIndex + 1) % state.availableThemes.count
        state.theme = state.availableThemes[state.themeIndex]
        state.setStatus("theme " + state.theme.name)
        return []
    case .focusInitializer(let name):
        if let row = state.scenario.initializers.firstIndex(where: { $0.name == name }) {
            state.focusedRow = row; return []
        }
        guard let named = InitializerCatalog.named(name) else {
            state.setStatus("cannot parse initializer \(name)"); return []
        }
        var candidate = state.scenario
        candidate.initializers.append(named)
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario.initializers.append(named)
        // A placeholder: the restart below gives every row its run (the new one shares an empty run of depth L).
        state.runs.append(RunData(depth: 0)); state.queues.append(RevealQueue())
        state.focusedRow = state.scenario.initializers.count - 1
        return restart(&state, message: "added \(name)")
    case .activationNext, .activationPrevious:
        var candidate = state.scenario
        candidate.activation = ScenarioSteps.cycle(state.scenario.activation, forward: command == .activationNext)
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario = candidate
        return restart(&state, message: "activation \(state.scenario.activation.name)")
    case .depthUp, .depthDown:
        let newDepth = ScenarioSteps.step(depth, along: ScenarioSteps.depths, up: command == .depthUp)
        guard newDepth != depth else { state.setStatus("depth stays \(depth)"); return [] }
        let wasLast = state.selectedLayer == depth
        var candidate = state.scenario
        candidate.widths = Array(repeating: state.scenario.width, count: newDepth + 1)
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario = candidate
        state.selectedLayer = wasLast ? newDepth : min(state.selectedLayer, newDepth)
        return restart(&state, message: "depth \(newDepth)")
    case .widthUp, .widthDown:
        let width = state.scenario.width
        let newWidth = ScenarioSteps.step(width, along: ScenarioSteps.widths, up: command == .widthUp)
        guard newWidth != width else { state.setStatus("width stays \(width)"); return [] }
        var candidate = state.scenario
        candidate.widths = Array(repeating: newWidth, count: depth + 1)
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario = candidate
        return restart(&state, message: "width \(newWidth)")
    case .batchUp, .batchDown:
        let batch = state.scenario.batch
        let newBatch = ScenarioSteps.step(batch, along: ScenarioSteps.batches, up: command == .batchUp)
        guard newBatch != batch else { state.setStatus("batch stays \(batch)"); return [] }
        var candidate = state.scenario
        candidate.batch = newBatch
        if let refusal = refusal(of: candidate, state) { state.setStatus(refusal); return [] }
        state.scenario = candidate
        return restart(&state, message: "batch \(newBatch)")
    case .newSeed:
        state.scenario.seed &+= 1
        return restart(&state, message: "seed \(state.scenario.seed)")
    case .rerun:
        state.cachedRuns = [:]; state.cacheKey = nil
        return restart(&state, message: "rerun")
    case .toggleTraining, .pauseTraining, .stopTraining, .toggleSweep:
        return performTraining(&state, command)
    case .sceneNext, .scenePrevious:
        return moveScene(&state, by: command == .sceneNext ? 1 : -1)
    }
}

/// Why the engine would refuse `candidate` (sizes, memory with what the screen measures, a scheme that does not apply
/// to the architecture), in one line; nil when it would run it. A refused key leaves the picture as it was.
func refusal(of candidate: Scenario, _ state: AppState) -> String? {
    let footprint = RunFootprint(plan: layoutMeasurementPlan(state), callerReportCopies: 1, keepsFinishedRuns: false)
    // The engine names its flags ("--arch resnet"); the live view has keys, so it names the architectures alone.
    do { try candidate.validate(footprint) } catch { return "\(error)".replacingOccurrences(of: "--arch ", with: "") }
    return nil
}

/// Shows `rows` (no run yet), focusing the row named `focusing` when present, else the first.
func setRows(_ state: inout AppState, _ rows: [NamedInitializer], focusing name: String?) {
    state.scenario.initializers = rows
    state.retired.retire(runs: state.runs)
    state.retired.retire(queues: state.queues)
    let empty = state.emptyRuns.emptyRun(depth: state.scenario.depth, activation: state.scenario.activation)
    state.runs = rows.map { _ in empty }  // shared until each row's first layer arrives (see restart)
    state.queues = rows.map { _ in RevealQueue() }
    state.focusedRow = rows.firstIndex { $0.name == name } ?? 0
}

/// The names of the sites measured at the selected block of the focused run, in the engine's order (the stream
/// first), without the stream's gradient (the gradient panel always shows it); [] for the MLP.
func blockSiteNames(_ state: AppState) -> [String] {
    guard let report = state.focusedRun?.report(layer: state.selectedLayer) else { return [] }
    return report.sites.map(\.name).filter { $0 != ResidualSite.streamGradient }
}

/// Starts a new generation for the current scenario: bumps the generation (so events of the old run are ignored
/// from now on), keeps the rows whose numbers cannot change (finished runs of the same scenario without its
/// initializer set, same plan), and asks the run loop to compute the others, the focused row first. The sweep
/// starts again for the rows computed.
func restart(_ state: inout AppState, message: String, persistent: Bool = false) -> [Effect] {
    // Curves and sweep belong to the scenario they were trained on; the new run cancels them. What is replaced is
    // freed by the run loop, off the UI thread (RetiredRuns).
    state.retired.retire(training: state.training)
    state.training = nil; state.sweep = nil; state.trainingPanel = nil
    state.generation += 1
    state.selectedLayer = min(max(1, state.selectedLayer), max(1, state.scenario.depth))
    if !state.scenario.initializers.isEmpty { state.focusedRow = min(state.focusedRow, state.scenario.initializers.count - 1) }
    state.measurementPlan = layoutMeasurementPlan(state)
    let key = RunCacheKey(state.scenario, plan: state.measurementPlan)
    if state.cacheKey == key {
        rememberFinishedRuns(&state)
    } else {
        // Finished runs of the old key are dropped with its cache: completing them first (O(L) per row with events
        // still queued, 80-190 ms at L = 10,000 measured 2026-12-01) would be thrown away.
        state.retired.retire(cache: state.cachedRuns)
        state.retired.retire(predictions: state.predictions)
        state.cachedRuns = [:]; state.predictions = [:]; state.cacheKey = key
    }
    state.retired.retire(runs: state.runs)
    state.retired.retire(queues: state.queues)
    let initializers = state.scenario.initializers
    // One empty run shared by every row computed anew: its arrays (O(L) each) are allocated once (EmptyRunCache),
    // not row by row while the key waits for its frame. The engine thread then sends each row an empty run of its
    // own (`.freshRuns`), so a row's first layer does not copy the shared one's arrays on this thread either.
    let empty = state.emptyRuns.emptyRun(depth: state.scenario.depth, activation: state.scenario.activation)
    state.runs = initializers.map { state.cachedRuns[$0] ?? empty }
    state.queues = initializers.map { _ in RevealQueue() }
    let missing = initializers.indices.filter { state.cachedRuns[initializers[$0]] == nil }
    state.computingRows = missing.sorted { ($0 == state.focusedRow ? 0 : 1, $0) < ($1 == state.focusedRow ? 0 : 1, $1) }
    state.sweepClockMilliseconds = 0
    state.runElapsedMilliseconds = 0
    state.runFailed = false
    state.setStatus(message, persistent: persistent)
    guard !state.computingRows.isEmpty else {
        state.simulationRunning = false
        return [.cancelSimulation]
    }
    state.simulationRunning = true
    return [.startSimulation(state.scenario, plan: state.measurementPlan, generation: state.generation, rows: state.computingRows)]
}

/// Puts every row whose run the engine finished (revealed or still queued) into the cache, complete. A row already
/// cached is skipped: the same key and initializer give the same numbers, and completing a run with events still
/// queued costs O(L).
func rememberFinishedRuns(_ state: inout AppState) {
    guard state.cacheKey != nil else { return }
    for row in state.runs.indices where state.scenario.initializers.indices.contains(row) {
        guard state.cachedRuns[state.scenario.initializers[row]] == nil else { continue }
        var run = state.runs[row]
        if state.queues.indices.contains(row) && state.queues[row].delivered {
            for event in state.queues[row].pending { run.apply(event) }
        }
        if run.finished != nil { state.cachedRuns[state.scenario.initializers[row]] = run }
    }
}

/// `rememberFinishedRuns` before the state leaves for `next`, only when the cache may survive: the restart keeps the
/// cache only for the same scenario without its initializers (and the same plan), and drops it otherwise.
func rememberFinishedRunsIfKept(_ state: inout AppState, leavingFor next: Scenario) {
    var current = state.scenario, following = next
    current.initializers = []; following.initializers = []
    if current == following { rememberFinishedRuns(&state) }
}

/// What the screen at the state's terminal size shows, so what a run must measure.
func layoutMeasurementPlan(_ state: AppState) -> MeasurementPlan {
    ScreenLayout(state).measurementPlan
}

/// Gives `row` the empty run `fresh` when its current run is still empty and of the same shape (depth and
/// activation): the row then writes into arrays of its own. A row with a layer or a result already keeps its run.
func adoptFreshRun(_ state: inout AppState, row: Int, _ fresh: RunData) {
    let current = state.runs[row]
    guard current.perLayer.reportedLayers == 0, current.finished == nil, fresh.perLayer.reportedLayers == 0,
          fresh.finished == nil, current.layers.count == fresh.layers.count,
          current.perLayer.activation == fresh.perLayer.activation else { return }
    state.runs[row] = fresh
}
