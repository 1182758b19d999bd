// update(): actions in, state and effects out.
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct UpdateTests {
    func started(delay: Double = 40) -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), animationDelayMilliseconds: delay)
        _ = update(&state, .start)
        return state
    }

    /// What an 80 x 24 screen shows: activation and gradient histograms, no weight gradients.
    let narrowPlan = MeasurementPlan(histogramQuantities: [.activation, .activationGradient], weightGradients: false)

    func startedGeneration(_ effects: [Effect]) -> Int? {
        for case .startSimulation(_, _, let generation) in effects { return generation }
        return nil
    }

    @Test func aRunMeasuresWhatTheLayoutShowsAndAWiderScreenRemeasures() {
        var state = started()
        #expect(state.measurementPlan == narrowPlan && state.generation == 1)
        // Taller but not wider: heat maps of quantities already measured, no new run.
        #expect(update(&state, .resize(width: 100, height: 50)).isEmpty)
        // 120 columns show pre-activation and weight-gradient panels: a new run that measures them.
        let effects = update(&state, .resize(width: 160, height: 48))
        let wide = MeasurementPlan(histogramQuantities: [.preactivation, .activation, .activationGradient, .weightGradient],
                                   weightGradients: true)
        #expect(effects == [.startSimulation(state.scenario, plan: wide, generation: 2)])
        #expect(state.measurementPlan == wide && state.simulationRunning)
        // Narrower again, then wide again: what was measured still covers the screen.
        #expect(update(&state, .resize(width: 80, height: 24)).isEmpty)
        #expect(update(&state, .resize(width: 200, height: 60)).isEmpty && state.generation == 2)
        // A scenario change measures for the screen as it is now.
        _ = update(&state, .resize(width: 80, height: 24))
        _ = update(&state, .key(.character("s")))
        #expect(state.measurementPlan == narrowPlan && state.generation == 3)
    }

    @Test func startEmitsFirstRunOnceAndFirstResizeStartsToo() {
        var state = AppState(scenario: UITestSupport.reluScenario())
        #expect(state.generation == 0)
        let effects = update(&state, .start)
        #expect(effects == [.startSimulation(UITestSupport.reluScenario(), plan: narrowPlan, generation: 1)])
        #expect(update(&state, .start).isEmpty)
        #expect(update(&state, .resize(width: 100, height: 30)).isEmpty)
        var other = AppState(scenario: UITestSupport.reluScenario())
        #expect(startedGeneration(update(&other, .resize(width: 80, height: 24))) == 1)
        #expect(other.terminalWidth == 80 && other.terminalHeight == 24)
    }

    @Test func defaultComparisonSetAddsFlagNames() {
        #expect(AppState.comparisonSet().map(\.name) == ["xavier", "he", "lsuv"])
        #expect(AppState.comparisonSet(adding: ["normal:1", "he"]).map(\.name) == ["xavier", "he", "lsuv", "normal:1"])
    }

    @Test func focusWrapsBothWays() {
        var state = started()
        #expect(state.focusedRow == 0)
        _ = update(&state, .key(.up)); #expect(state.focusedRow == 2)
        _ = update(&state, .key(.down)); #expect(state.focusedRow == 0)
        _ = update(&state, .key(.character("j"))); #expect(state.focusedRow == 1)
        _ = update(&state, .key(.tab)); #expect(state.focusedRow == 2)
        _ = update(&state, .key(.tab)); #expect(state.focusedRow == 0)
        _ = update(&state, .key(.backTab)); #expect(state.focusedRow == 2)
        _ = update(&state, .key(.character("k"))); #expect(state.focusedRow == 1)
    }

    @Test func initializerKeyFocusesExistingWithoutRerun() {
        var state = started()
        let effects = update(&state, .key(.character("l")))
        #expect(effects.isEmpty)
        #expect(state.focusedRow == 2 && state.generation == 1)
    }

    @Test func initializerKeyAddsMissingAndReruns() {
        var state = started()
        let effects = update(&state, .key(.character("N")))
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "he", "lsuv", "normal:1"])
        #expect(state.scenario.initializers[3].initializer == .normal(std: 1))
        #expect(state.focusedRow == 3)
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2)])
        #expect(state.runs.count == 4)
        for key: Character in ["o", "n", "d"] { _ = update(&state, .key(.character(key))) }
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "he", "lsuv", "normal:1", "orthogonal", "normal:0.01", "torch-default"])
        #expect(state.generation == 5 && state.focusedRow == 6)
    }

    @Test func layerSelectionClamps() {
        var state = started()
        #expect(state.selectedLayer == 50)
        _ = update(&state, .key(.right)); #expect(state.selectedLayer == 50)
        _ = update(&state, .key(.left)); #expect(state.selectedLayer == 49)
        _ = update(&state, .key(.home)); #expect(state.selectedLayer == 1)
        _ = update(&state, .key(.left)); #expect(state.selectedLayer == 1)
        _ = update(&state, .key(.right)); #expect(state.selectedLayer == 2)
        _ = update(&state, .key(.end)); #expect(state.selectedLayer == 50)
    }

    @Test func depthStepsAlongLadderAndKeepsLayerInRange() {
        var state = started()
        _ = update(&state, .key(.character("+")))
        #expect(state.scenario.depth == 75 && state.selectedLayer == 75)  // was on the last layer: stays on the last
        _ = update(&state, .key(.home)); _ = update(&state, .key(.right))
        _ = update(&state, .key(.character("-"))); _ = update(&state, .key(.character("-")))
        #expect(state.scenario.depth == 30 && state.selectedLayer == 2)
        _ = update(&state, .key(.end)); _ = update(&state, .key(.left))  // layer 29 of 30
        _ = update(&state, .key(.character("-")))
        #expect(state.scenario.depth == 20 && state.selectedLayer == 20)
        #expect(state.runs.allSatisfy { $0.layers.count == 20 })
        var shallow = AppState(scenario: Scenario(activation: .tanh, depth: 1, width: 4, batch: 2, seed: 1, initializers: AppState.comparisonSet()))
        _ = update(&shallow, .start)
        #expect(update(&shallow, .key(.character("-"))).isEmpty)
        #expect(shallow.scenario.depth == 1 && shallow.generation == 1)
    }

    @Test func widthBatchSeedActivationRestart() {
        var state = started()
        _ = update(&state, .key(.character("]"))); #expect(state.scenario.width == 1024 && state.scenario.widths.count == 51)
        _ = update(&state, .key(.character("["))); _ = update(&state, .key(.character("[")))
        #expect(state.scenario.width == 256)
        _ = update(&state, .key(.character("b"))); #expect(state.scenario.batch == 512)
        _ = update(&state, .key(.character("B"))); _ = update(&state, .key(.character("B"))); #expect(state.scenario.batch == 128)
        _ = update(&state, .key(.character("s"))); #expect(state.scenario.seed == 2)
        _ = update(&state, .key(.character("a"))); #expect(state.scenario.activation == .leakyRelu(slope: 0.01))
        _ = update(&state, .key(.character("A"))); _ = update(&state, .key(.character("A")))
        #expect(state.scenario.activation == .tanh)
        _ = update(&state, .key(.character("A"))); #expect(state.scenario.activation == .selu)  // wraps
        let effects = update(&state, .key(.character("r")))
        #expect(state.generation == 13)  // 12 scenario keys after the first run
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 13)])
    }

    @Test func scenarioChangeBumpsGenerationAndIgnoresStaleEvents() {
        var state = started(delay: 0)
        let events = UITestSupport.reluEvents()
        _ = update(&state, .engine(events[0], generation: 1))
        #expect(state.runs[0].forwardCount == 1)
        let effects = update(&state, .key(.character("s")))
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2)])
        #expect(state.runs[0].forwardCount == 0)  // old reports cleared
        _ = update(&state, .engine(events[1], generation: 1))  // stale
        #expect(state.runs[0].forwardCount == 0)
        _ = update(&state, .engineFailed(message: "boom", generation: 1))
        #expect(state.statusMessage == "seed 2" && state.simulationRunning)
        _ = update(&state, .engineFinished(generation: 1))
        #expect(state.simulationRunning)
        _ = update(&state, .engine(events[0], generation: 2))
        #expect(state.runs[0].forwardCount == 1)
        _ = update(&state, .engineFailed(message: "out of memory", generation: 2))
        #expect(state.statusMessage == "engine failed: out of memory" && !state.simulationRunning)
    }

    @Test func quitCancelsThenQuits() {
        var state = started()
        #expect(update(&state, .key(.character("q"))) == [.cancelSimulation, .quit])
    }

    @Test func helpSwallowsKeysButNotQuit() {
        var state = started()
        _ = update(&state, .key(.character("?"))); #expect(state.helpVisible)
        #expect(update(&state, .key(.character("s"))).isEmpty)
        #expect(!state.helpVisible && state.scenario.seed == 1)
        _ = update(&state, .key(.character("?")))
        #expect(update(&state, .key(.character("q"))) == [.cancelSimulation, .quit])
    }

    @Test func animationRevealsOneLayerEventPerDelay() {
        var state = started(delay: 40)
        let events = UITestSupport.reluEvents(depth: 50)
        for event in events.prefix(5) { _ = update(&state, .engine(event, generation: 1)) }
        #expect(state.pendingEvents.count == 5 && state.runs[0].forwardCount == 0)
        #expect(needsTick(state))
        #expect(tickIntervalMilliseconds(state) == 40)
        _ = update(&state, .tick(elapsedMilliseconds: 39)); #expect(state.runs[0].forwardCount == 0)
        #expect(tickIntervalMilliseconds(state)! == 1)
        _ = update(&state, .tick(elapsedMilliseconds: 1)); #expect(state.runs[0].forwardCount == 1)
        _ = update(&state, .tick(elapsedMilliseconds: 85)); #expect(state.runs[0].forwardCount == 3)
        #expect(state.animationClockMilliseconds == 5)
        _ = update(&state, .tick(elapsedMilliseconds: 1000)); #expect(state.runs[0].forwardCount == 5)
        #expect(!needsTick(state) && tickIntervalMilliseconds(state) == nil)
        #expect(state.animationClockMilliseconds == 0)
    }

    @Test func pauseStopsTicksAndStepRevealsOne() {
        var state = started(delay: 40)
        for event in UITestSupport.reluEvents().prefix(3) { _ = update(&state, .engine(event, generation: 1)) }
        _ = update(&state, .key(.character(" ")))
        #expect(state.paused && !needsTick(state))
        _ = update(&state, .tick(elapsedMilliseconds: 500)); #expect(state.runs[0].forwardCount == 0)
        _ = update(&state, .key(.character("."))); #expect(state.runs[0].forwardCount == 1 && state.pendingEvents.count == 2)
        _ = update(&state, .key(.character(" ")))
        #expect(!state.paused && needsTick(state))
    }

    @Test func noAnimationRevealsAtOnceAndRunFinishedCostsNoStep() {
        var state = started(delay: 0)
        let events = UITestSupport.reluEvents(depth: 50)
        for event in events { _ = update(&state, .engine(event, generation: 1)) }
        #expect(state.pendingEvents.isEmpty && !needsTick(state))
        #expect(state.runs.allSatisfy { $0.forwardCount == 50 && $0.backwardCount == 50 && $0.finished != nil })

        var animated = started(delay: 10)
        // Last layer event of run 0 followed by its runFinished: one step reveals both.
        let tail = Array(events[99...101])
        for event in tail { _ = update(&animated, .engine(event, generation: 1)) }
        _ = update(&animated, .tick(elapsedMilliseconds: 10))
        #expect(animated.runs[0].finished != nil && animated.runs[1].forwardCount == 0 && animated.pendingEvents.count == 1)
    }

    @Test func forwardNeverOverwritesBackward() {
        var run = RunData(depth: 2)
        let full = UITestSupport.reluLayer(index: 2, q: 1, g: 1, count: 10)
        var forward = full; forward.quantities[.activationGradient] = nil
        run.apply(.backwardLayer(run: 0, layer: full))
        run.apply(.forwardLayer(run: 0, layer: forward))
        #expect(run.report(layer: 2)?.quantities[.activationGradient] != nil)
        run.apply(.forwardLayer(run: 0, layer: LayerReport(index: 7, quantities: [:])))  // out of range: ignored
        #expect(run.forwardCount == 1 && run.backwardCount == 1)
    }

    @Test func resizeAndToggles() {
        var state = started()
        _ = update(&state, .resize(width: -5, height: 300))
        #expect(state.terminalWidth == 0 && state.terminalHeight == 300)
        _ = update(&state, .key(.character("g"))); #expect(state.histogramMode == .log)
        _ = update(&state, .key(.character("g"))); #expect(state.histogramMode == .linear)
        #expect(update(&state, .key(.function(5))).isEmpty)
    }

    @Test func themesCycleKeepingCurrentByName() {
        var state = started()
        let light = Theme.builtInDefault.with { $0.name = "light" }
        let mono = Theme.builtInDefault.with { $0.name = "mono" }
        _ = update(&state, .key(.character("t")))
        #expect(state.statusMessage == "no other theme loaded")
        _ = update(&state, .setThemes([light, .builtInDefault, mono]))
        #expect(state.theme.name == "default" && state.themeIndex == 1)
        _ = update(&state, .key(.character("t"))); #expect(state.theme.name == "mono")
        _ = update(&state, .key(.character("t"))); #expect(state.theme.name == "light")
        _ = update(&state, .setThemes([mono])); #expect(state.theme.name == "mono" && state.themeIndex == 0)
        _ = update(&state, .setGlyphs(.ascii)); #expect(state.glyphs == .ascii)
    }
}
