// update(): actions in, state and effects out.
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct UpdateTests {
    func started(sweep: Double = 1500) -> AppState {
        var state = AppState(scenario: UITestSupport.reluScenario(), sweepMilliseconds: sweep)
        _ = update(&state, .start)
        return state
    }

    /// What an 80 x 24 screen shows: activation and gradient histograms, no weight gradients.
    let narrowPlan = MeasurementPlan(histogramQuantities: [.activation, .activationGradient], weightGradients: false)

    func startedGeneration(_ effects: [Effect]) -> Int? {
        for case .startSimulation(_, _, let generation, _) in effects { return generation }
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
        #expect(effects == [.startSimulation(state.scenario, plan: wide, generation: 2, rows: [0, 1, 2])])
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
        #expect(effects == [.startSimulation(UITestSupport.reluScenario(), plan: narrowPlan, generation: 1, rows: [0, 1, 2])])
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
        // Nothing had finished yet: every row is computed, the new (focused) one first.
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2, rows: [3, 0, 1, 2])])
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
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 13, rows: [0, 1, 2])])
    }

    @Test func scenarioChangeBumpsGenerationAndIgnoresStaleEvents() {
        var state = started(sweep: 0)
        let events = UITestSupport.reluEvents()
        _ = update(&state, .engine(events[0], generation: 1))
        #expect(state.runs[0].forwardCount == 1)
        let effects = update(&state, .key(.character("s")))
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2, rows: [0, 1, 2])])
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

    @Test func helpTurnsPagesAndItsClosingKeyDoesNothingElse() {
        var state = started()
        _ = update(&state, .key(.character("?"))); #expect(state.helpVisible && state.helpPage == 0)
        let pages = helpPageCount(state)
        #expect(pages >= 2)
        _ = update(&state, .key(.tab)); #expect(state.helpVisible && state.helpPage == 1)
        for _ in 1..<pages { _ = update(&state, .key(.right)) }
        #expect(state.helpPage == 0)
        _ = update(&state, .key(.left)); #expect(state.helpPage == pages - 1 && state.focusedRow == 0 && state.selectedLayer == 50)
        #expect(update(&state, .key(.character("s"))).isEmpty)
        #expect(!state.helpVisible && state.scenario.seed == 1)
        _ = update(&state, .key(.character("?"))); #expect(state.helpPage == 0)
        #expect(update(&state, .key(.character("?"))).isEmpty && !state.helpVisible)
        _ = update(&state, .key(.character("?")))
        #expect(update(&state, .key(.character("q"))) == [.cancelSimulation, .quit])
    }

    @Test func sweepRevealsEveryRowTogetherInAFixedTimeWhateverTheDepth() {
        for depth in [50, 200] {
            var state = AppState(scenario: UITestSupport.reluScenario(depth: depth), sweepMilliseconds: 1000)
            _ = update(&state, .start)
            for event in UITestSupport.reluEvents(depth: depth) { _ = update(&state, .engine(event, generation: 1)) }
            _ = update(&state, .engineFinished(generation: 1))
            #expect(state.runs.allSatisfy { $0.forwardCount == 0 } && needsTick(state))
            #expect(tickIntervalMilliseconds(state) == 15)  // steps of 10 or 2.5 ms: one tick reveals several
            _ = update(&state, .tick(elapsedMilliseconds: 250))  // a quarter: forward half-way
            #expect(state.runs.allSatisfy { $0.forwardCount == depth / 2 && $0.backwardCount == 0 })
            #expect(HeaderBar.phase(state) == .sweeping)
            _ = update(&state, .tick(elapsedMilliseconds: 500))  // three quarters: backward half-way
            #expect(state.runs.allSatisfy { $0.forwardCount == depth && $0.backwardCount == depth / 2 && $0.finished == nil })
            _ = update(&state, .tick(elapsedMilliseconds: 250))
            #expect(state.runs.allSatisfy { $0.finished != nil && $0.backwardCount == depth } && !hasPendingEvents(state))
            #expect(!needsTick(state) && HeaderBar.phase(state) == .done)
        }
    }

    @Test func aRowStillComputingWaitsUntilCompleteThenJoinsTheSweep() {
        var state = started(sweep: 1000)
        let events = UITestSupport.reluEvents(depth: 50)  // 101 per run: 50 forward, 50 backward, runFinished
        for event in events.prefix(60) { _ = update(&state, .engine(event, generation: 1)) }
        _ = update(&state, .tick(elapsedMilliseconds: 300))  // cursor at step 30 of 100
        #expect(state.runs[0].forwardCount == 0)  // incomplete: held, so its scale cannot move mid-sweep
        if case .computing(let fraction, let left) = HeaderBar.phase(state) {
            #expect(abs(fraction - 60.0 / 300) < 1e-12 && left == nil)  // 60 of 3 x 100 passes; no estimate before 1 s
        } else { Issue.record("expected computing, got \(HeaderBar.phase(state))") }
        for event in events[60..<101] { _ = update(&state, .engine(event, generation: 1)) }
        #expect(state.runs[0].forwardCount == 30 && state.runs[0].backwardCount == 0)
        // Once the sweep is over, a long run's events are shown as they arrive.
        _ = update(&state, .tick(elapsedMilliseconds: 700))
        #expect(state.runs[0].finished != nil)
        _ = update(&state, .engine(events[101], generation: 1))
        #expect(state.runs[1].forwardCount == 1)
        // The estimate of the time left: 1 s for 101 of 300 passes -> about 1.97 s more.
        _ = update(&state, .tick(elapsedMilliseconds: 0.001))
        if case .computing(_, let left?) = HeaderBar.phase(state) {
            #expect(abs(left - 1.000001 * 199 / 101) < 1e-6)
        } else { Issue.record("expected an estimate, got \(HeaderBar.phase(state))") }
    }

    @Test func pauseStopsTheSweepStepMovesItAndEnterSkipsToTheEnd() {
        var state = started(sweep: 1000)
        for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: 1)) }
        _ = update(&state, .engineFinished(generation: 1))
        _ = update(&state, .key(.character(" ")))
        #expect(state.paused && !needsTick(state))
        _ = update(&state, .tick(elapsedMilliseconds: 500)); #expect(state.runs[0].forwardCount == 0)
        _ = update(&state, .key(.character("."))); #expect(state.runs.allSatisfy { $0.forwardCount == 1 })
        _ = update(&state, .key(.character("."))); #expect(state.runs.allSatisfy { $0.forwardCount == 2 })
        _ = update(&state, .key(.enter))
        #expect(state.runs.allSatisfy { $0.finished != nil } && !hasPendingEvents(state))
        _ = update(&state, .key(.character(" ")))
        #expect(!state.paused && !needsTick(state))
    }

    @Test func noAnimationRevealsAtOnce() {
        var state = started(sweep: 0)
        for event in UITestSupport.reluEvents(depth: 50) { _ = update(&state, .engine(event, generation: 1)) }
        #expect(!hasPendingEvents(state))
        #expect(state.runs.allSatisfy { $0.forwardCount == 50 && $0.backwardCount == 50 && $0.finished != nil })
        _ = update(&state, .engineFinished(generation: 1))
        #expect(!needsTick(state))
    }

    /// A started state with every ReLU event delivered and the run finished (`sweep` 0: all revealed).
    func completed(sweep: Double = 0) -> AppState {
        var state = started(sweep: sweep)
        for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: state.generation)) }
        _ = update(&state, .engineFinished(generation: state.generation))
        return state
    }

    @Test func addingARowComputesOnlyThatRowAndKeepsTheOthersNumbers() {
        var state = completed(sweep: 1500)  // delivered, still waiting for the sweep: final all the same
        var revealed = state
        _ = update(&revealed, .key(.enter))
        let effects = update(&state, .key(.character("o")))
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2, rows: [3])])
        #expect(Array(state.runs.prefix(3)) == Array(revealed.runs.prefix(3)) && state.runs[3].forwardCount == 0)
        #expect(state.computingRows == [3])
        // Removing a row computes nothing; adding it back neither, once its run had finished.
        state = completed()
        _ = update(&state, .key(.character("l"))); #expect(state.focusedRow == 2)
        #expect(update(&state, .key(.character("D"))) == [.cancelSimulation])
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "he"] && state.focusedRow == 1)
        #expect(state.statusMessage == "removed lsuv" && !state.simulationRunning)
        #expect(update(&state, .key(.character("l"))) == [.cancelSimulation])
        #expect(state.runs == revealed.runs && state.focusedRow == 2)
        // R brings back the default set: its three rows are all known; the focus stays on its initializer.
        _ = update(&state, .key(.character("o")))
        #expect(update(&state, .key(.character("R"))) == [.cancelSimulation])
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "he", "lsuv"] && state.focusedRow == 0)
        #expect(state.runs == revealed.runs)
        // A new scenario computes every row again, the focused one first; so does r.
        _ = update(&state, .key(.character("k")))
        #expect(update(&state, .key(.character("a"))).first.map { if case .startSimulation(_, _, _, let rows) = $0 { rows == [2, 0, 1] } else { false } } == true)
        var again = completed()
        #expect(update(&again, .key(.character("r"))) == [.startSimulation(again.scenario, plan: again.measurementPlan, generation: 2, rows: [0, 1, 2])])
    }

    @Test func removingARowDuringARunRestartsTheRowsNotFinished() {
        var state = started(sweep: 0)
        let events = UITestSupport.reluEvents()
        for event in events.prefix(101) { _ = update(&state, .engine(event, generation: 1)) }  // xavier finished
        _ = update(&state, .key(.character("j")))  // he, still computing
        let effects = update(&state, .key(.character("D")))
        #expect(state.scenario.initializers.map(\.name) == ["xavier", "lsuv"] && state.focusedRow == 1)
        #expect(effects == [.startSimulation(state.scenario, plan: state.measurementPlan, generation: 2, rows: [1])])
        #expect(state.runs[0].finished != nil)
        var single = AppState(scenario: Scenario(activation: .relu, depth: 3, width: 4, batch: 2, seed: 1,
                                                 initializers: [InitializerCatalog.named("he")!]))
        _ = update(&single, .start)
        #expect(update(&single, .key(.character("D"))).isEmpty && single.statusMessage == "the last row stays")
    }

    @Test func statusMessagesExpireButFailuresAndPauseStay() {
        var state = completed()
        _ = update(&state, .key(.character("S")))
        #expect(state.scaleMode == .shared && state.statusMessage == "scale: shared by every row")
        #expect(tickIntervalMilliseconds(state) == StatusMessage.lifetimeMilliseconds)
        _ = update(&state, .tick(elapsedMilliseconds: 3999)); #expect(!state.statusMessage.isEmpty)
        _ = update(&state, .tick(elapsedMilliseconds: 1)); #expect(state.statusMessage.isEmpty && !needsTick(state))
        _ = update(&state, .key(.character(" ")))
        _ = update(&state, .tick(elapsedMilliseconds: 60_000)); #expect(state.statusMessage.hasPrefix("paused"))
        _ = update(&state, .key(.character("s")))
        _ = update(&state, .engineFailed(message: "out of memory", generation: state.generation))
        _ = update(&state, .tick(elapsedMilliseconds: 60_000)); #expect(state.statusMessage == "engine failed: out of memory")
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
