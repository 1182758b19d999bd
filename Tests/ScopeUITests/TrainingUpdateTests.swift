// The training keys (T, p, Esc, L) and training events through update(): pure state and effects.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct TrainingUpdateTests {
    func completed() -> AppState { UITestSupport.completedReluState(width: 80, height: 24) }

    @Test func trainKeyStartsEveryRowAndTheSameKeyStops() {
        var state = completed()
        let before = state.generation
        let effects = update(&state, .key(.character("T")))
        #expect(effects == [.startTraining(state.scenario, LiveTraining.configuration, plan: state.measurementPlan,
                                           generation: before + 1)])
        #expect(state.generation == before + 1 && state.trainingPanel == .curves && !state.simulationRunning)
        #expect(state.training?.phase == .running && state.training?.losses.count == 3)
        let stop = update(&state, .key(.character("T")))
        #expect(stop == [.pauseTraining(false), .cancelSimulation])
        #expect(state.training?.phase == .stopped && state.trainingPanel == .curves)
        // T again trains anew, from step 0.
        _ = update(&state, .key(.character("T")))
        #expect(state.training?.phase == .running && state.training?.step == 0 && state.generation == before + 2)
    }

    @Test func pauseKeyHoldsAndResumesAndEscapeStops() {
        var state = completed()
        #expect(update(&state, .key(.character("p"))).isEmpty)
        #expect(state.statusMessage.contains("nothing is training"))
        _ = update(&state, .key(.character("T")))
        #expect(update(&state, .key(.character("p"))) == [.pauseTraining(true)])
        #expect(state.training?.phase == .paused && state.statusMessage.hasPrefix("training paused at step 0"))
        #expect(update(&state, .key(.character("p"))) == [.pauseTraining(false)])
        #expect(state.training?.phase == .running)
        _ = update(&state, .key(.character("p")))
        #expect(update(&state, .key(.escape)) == [.pauseTraining(false), .cancelSimulation])
        #expect(state.training?.phase == .stopped)
        // Nothing runs: Esc does nothing more.
        #expect(update(&state, .key(.escape)).isEmpty)
    }

    @Test func stepsAndSnapshotsFillTheStateAndStaleOnesAreIgnored() {
        var state = completed()
        _ = update(&state, .key(.character("T")))
        let generation = state.generation
        _ = update(&state, .training(.step(row: 1, step: 1, loss: 0.5), generation: generation))
        _ = update(&state, .training(.step(row: 1, step: 2, loss: 0.4), generation: generation))
        _ = update(&state, .training(.step(row: 1, step: 2, loss: 9), generation: generation))      // repeated step
        _ = update(&state, .training(.step(row: 0, step: 1, loss: 7), generation: generation - 1))  // stale
        _ = update(&state, .training(.diverged(row: 2, step: 3), generation: generation))
        #expect(state.training?.losses == [[], [0.5, 0.4], []])
        #expect(state.training?.divergedAt == [nil, nil, 3] && state.training?.step == 2)
        // A snapshot replaces the row's layers (sparklines and histograms follow the network), never cached.
        let layer = UITestSupport.reluLayer(index: 1, q: 4, g: 1, count: 100)
        _ = update(&state, .training(.snapshot(row: 1, step: 10, layers: [layer]), generation: generation))
        #expect(state.runs[1].report(layer: 1) == layer && state.runs[1].report(layer: 2) == nil)
        #expect(state.runs[1].finished == nil && state.training?.snapshotStep[1] == 10)
        _ = update(&state, .engineFinished(generation: generation))
        #expect(state.training?.phase == .finished)
        // T on a finished run trains anew; p has nothing to pause.
        _ = update(&state, .key(.character("p")))
        #expect(state.statusMessage.contains("nothing is training"))
    }

    @Test func aResizeKeepsTrainingRunningOrEndedAndRSwitchesToTheStepZeroRun() {
        for ending in ["running", "finished", "stopped"] {
            var state = completed()
            _ = update(&state, .key(.character("T")))
            let generation = state.generation
            _ = update(&state, .training(.step(row: 0, step: 1, loss: 0.5), generation: generation))
            if ending == "finished" { _ = update(&state, .engineFinished(generation: generation)) }
            if ending == "stopped" { _ = update(&state, .key(.escape)) }
            let training = state.training
            // 200x60 shows weight gradients the 80x24 run did not measure: the curves stay, nothing restarts.
            #expect(!state.measurementPlan.covers(ScreenLayout(width: 200, height: 60, rowCount: 3, focusedRow: 0).measurementPlan))
            let effects = update(&state, .resize(width: 200, height: 60))
            #expect(effects.isEmpty && state.generation == generation && state.training == training, "\(ending)")
            #expect((state.statusMessage == keptTrainingMessage) == (ending != "running"), "\(ending)")
            // r drops the training and measures the larger screen at step 0.
            let rerun = update(&state, .key(.character("r")))
            #expect(state.training == nil && state.generation == generation + 1, "\(ending)")
            #expect(rerun.contains { if case .startSimulation = $0 { return true }; return false }, "\(ending)")
            #expect(state.measurementPlan.covers(layoutMeasurementPlan(state)), "\(ending)")
        }
    }

    @Test func aScenarioChangeCancelsTrainingAndRowRemovalRestoresTheStepZeroPicture() {
        var state = completed()
        let stepZero = state.runs
        _ = update(&state, .key(.character("T")))
        _ = update(&state, .training(.snapshot(row: 0, step: 10, layers: []), generation: state.generation))
        #expect(state.runs[0] != stepZero[0])
        // Removing a row keeps the scenario: the other rows come back from the cache at step 0 (a trained
        // snapshot is never cached), and the training is gone.
        _ = update(&state, .key(.down)); _ = update(&state, .key(.down))
        let removal = update(&state, .key(.character("D")))
        #expect(removal == [.cancelSimulation] && state.training == nil && state.trainingPanel == nil)
        #expect(state.runs == Array(stepZero.prefix(2)))
        // A new scenario (next activation) during training: cancelled, and the new run starts.
        _ = update(&state, .key(.character("T")))
        let effects = update(&state, .key(.character("a")))
        #expect(state.training == nil && effects.contains { if case .startSimulation = $0 { return true }; return false })
    }

    @Test func sweepKeyRunsTheSweepAndHidesIt() {
        var state = completed()
        let effects = update(&state, .key(.character("L")))
        var configuration = LiveTraining.configuration
        configuration.steps = LiveTraining.sweepSteps
        #expect(effects == [.startSweep(state.scenario, configuration, rates: LiveTraining.sweepRange.rates, generation: state.generation)])
        #expect(state.trainingPanel == .sweep && state.sweep?.results.count == 3 && state.sweep?.rates.count == 9)
        let result = SweepResult(named: "he", learningRate: 1e-3, finalLoss: 0.02, divergedAt: nil)
        _ = update(&state, .training(.sweep(row: 1, rateIndex: 2, result: result), generation: state.generation))
        #expect(state.sweep?.results[1][2] == result && state.sweep?.finishedCount == 1)
        // L while the sweep runs: hides it and stops it.
        #expect(update(&state, .key(.character("L"))) == [.pauseTraining(false), .cancelSimulation])
        #expect(state.trainingPanel == nil && state.sweep?.phase == .stopped)
        // L again: a stopped sweep runs again.
        #expect(update(&state, .key(.character("L"))).count == 1 && state.sweep?.finishedCount == 0)
        _ = update(&state, .engineFinished(generation: state.generation))
        // A finished sweep is shown again without a run.
        _ = update(&state, .key(.character("L")))
        #expect(state.trainingPanel == nil)
        #expect(update(&state, .key(.character("L"))).isEmpty && state.trainingPanel == .sweep)
    }

    @Test func aResnetAndATransformerTrainTheirRows() throws {
        var state = completed()
        _ = update(&state, .key(.character("m")))   // resnet
        let effects = update(&state, .key(.character("T")))
        guard case .startTraining(let scenario, let configuration, _, _)? = effects.first else {
            Issue.record("T on a resnet: \(effects), \(state.statusMessage)"); return
        }
        #expect(scenario.architecture.residual != nil && configuration.task == .teacher(noise: 0.1))
        #expect(state.training?.losses.count == scenario.initializers.count && state.training?.floor == 0.1 * 0.1)
        _ = update(&state, .key(.character("T")))   // stop
        _ = update(&state, .key(.character("m")))   // transformer
        let generation = state.generation
        // The transformer trains on bigram (V = 64) from the same key, every row; the floor is the language's
        // exact conditional entropy for the scenario's seed and tokens.
        let started = update(&state, .key(.character("T")))
        guard case .startTraining(let transformer, let sequenceConfiguration, _, let startedGeneration)? = started.first else {
            Issue.record("T on a transformer: \(started), \(state.statusMessage)"); return
        }
        #expect(transformer.architecture.transformer != nil && sequenceConfiguration.task == .bigram(vocabulary: 64))
        #expect(startedGeneration == generation + 1 && state.training?.phase == .running && state.trainingPanel == .curves)
        #expect(state.training?.losses.count == 4 && state.statusMessage.hasPrefix("training 4 rows: adam lr 0.001, 200 steps"))
        // The floor comes from the engine (.floor): none until then; stale generations are ignored.
        #expect(state.training?.floor == nil)
        _ = update(&state, .training(.floor(9), generation: startedGeneration - 1))
        _ = update(&state, .training(.floor(1.9), generation: startedGeneration))
        #expect(state.training?.floor == 1.9)
        // p pauses, Esc stops; L runs the sweep of the transformer's rows.
        #expect(update(&state, .key(.character("p"))) == [.pauseTraining(true)])
        #expect(update(&state, .key(.escape)) == [.pauseTraining(false), .cancelSimulation] && state.training?.phase == .stopped)
        let sweep = update(&state, .key(.character("L")))
        guard case .startSweep(_, let sweepConfiguration, _, _)? = sweep.first else {
            Issue.record("L on a transformer: \(sweep), \(state.statusMessage)"); return
        }
        #expect(sweepConfiguration.task == .bigram(vocabulary: 64) && sweepConfiguration.steps == LiveTraining.sweepSteps)
        #expect(state.sweep?.results.count == 4 && state.trainingPanel == .sweep)
    }

    @Test func aBlockSnapshotFeedsTheRowsSparklinesThroughItsStream() {
        // A resnet or transformer snapshot carries sites only: the stream and its gradient stand in for the
        // activations, as they do in a propagation run's events, so the rows' sparklines follow the training.
        var state = completed()
        _ = update(&state, .key(.character("m")))
        _ = update(&state, .key(.character("T")))
        let stream = SiteReport(name: ResidualSite.stream, quantity: UITestSupport.quantity(variance: 3, count: 1000))
        let gradient = SiteReport(name: ResidualSite.streamGradient, quantity: UITestSupport.quantity(variance: 0.5, count: 1000))
        let block = LayerReport(index: 2, quantities: [:], sites: [stream, gradient])
        _ = update(&state, .training(.snapshot(row: 0, step: 10, layers: [block]), generation: state.generation))
        #expect(state.runs[0].series(.activation, \.variance)[1] == stream.quantity.stats.variance)
        #expect(state.runs[0].series(.activationGradient, \.variance)[1] == gradient.quantity.stats.variance)
        #expect(state.runs[0].report(layer: 2)?.sites == [stream, gradient])
    }

    @Test func theCaptionSaysWhichRowHalvedAndWhichDiverged() {
        var state = completed()
        _ = update(&state, .key(.character("T")))
        let g = state.generation
        for (t, loss) in [0.5, 0.4, 0.3, 0.2].enumerated() { _ = update(&state, .training(.step(row: 1, step: t + 1, loss: 0.9, heldOutLoss: loss), generation: g)) }
        for (t, loss) in [0.5, 0.45, 0.44, 0.43].enumerated() { _ = update(&state, .training(.step(row: 0, step: t + 1, loss: 0.01, heldOutLoss: loss), generation: g)) }
        _ = update(&state, .training(.step(row: 2, step: 1, loss: 0.6, heldOutLoss: 0.6), generation: g))
        _ = update(&state, .training(.diverged(row: 2, step: 2), generation: g))
        #expect(TrainingCaption.halvingStep([0.5, 0.4, 0.3, 0.2]) == 4 && TrainingCaption.halvingStep([1, 0.9]) == nil)
        #expect(TrainingCaption.halvingStep([HeldOutLoss(step: 1, loss: 0.5), HeldOutLoss(step: 11, loss: 0.3),
                                             HeldOutLoss(step: 21, loss: 0.2)]) == 21)
        #expect(Caption.phrasings(for: state)[0]
                == "step 4/200, held-out loss: lsuv diverged at step 2; he fell below half its start at step 4 (0.5 -> 0.2); xavier still at 86% of its start (0.43)")
        // The claims are the held-out loss's: xavier's training loss (0.01 from step 1) and he's (0.9) say nothing.
        #expect(state.training?.heldOutLosses[1] == [0.5, 0.4, 0.3, 0.2].enumerated().map { HeldOutLoss(step: $0.offset + 1, loss: $0.element) })
        #expect(Caption.text(for: state, width: 80) == "step 4/200: lsuv diverged at 2; he halved by step 4 (0.5 -> 0.2); xavier at 86%")
        #expect(Caption.text(for: state, width: 66) == "step 4/200: lsuv diverged at 2; he halved by step 4 (0.5 -> 0.2)")
    }
}
