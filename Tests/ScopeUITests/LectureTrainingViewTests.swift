// A training scene in the live view: it starts training every row when it opens, exactly as T would; n/p leave it
// and stop the run; every other key still works; its caption is filled from the run at one step every row has
// reached, so its numbers are points of the loss chart, and reads "?" before them. Snapshot at 80x24.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct LectureTrainingViewTests {
    /// The synthetic ReLU scenario at step 0, then trained (Adam at 2e-3, 100 steps), then tanh at step 0.
    static let text = """
        title = "training lecture"

        [[scene]]
        title = "ReLU at step 0"
        activation = "relu"
        init = ["xavier", "he", "lsuv"]
        seed = 1
        caption = "He keeps {last@he} at layer {depth}."

        [[scene]]
        title = "does it train?"
        train = true
        lr = 0.002
        steps = 100
        focus = "he"
        caption = "Same batches, {optimizer} at lr {lr}, step {step}/{steps}: held-out loss {loss} for He, {loss@xavier} for Xavier; LSUV {outcome@lsuv}. Lowest: {best} ({best_loss})."

        [[scene]]
        title = "tanh"
        train = false
        activation = "tanh"
        depth = 20
        caption = "Another network."
        """

    static func lecture() -> Lecture { try! LectureParser.parse(text: text, file: "/t/train.toml").get() }

    /// The lecture at its first scene, every synthetic ReLU event revealed.
    static func firstScene(width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(lecture: lecture(), width: width, height: height, sweepMilliseconds: 0)
        _ = update(&state, .start)
        for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: state.generation)) }
        _ = update(&state, .engineFinished(generation: state.generation))
        return state
    }

    /// Feeds steps `steps` of `rows` with held-out losses at the evaluation steps: he falls fast, xavier slowly,
    /// lsuv diverges at step 37 (no step from 37 on).
    static func feed(_ state: inout AppState, steps: ClosedRange<Int>, rows: [Int] = [0, 1, 2]) {
        let g = state.generation, configuration = state.training!.configuration
        for t in steps {
            let x = Double(t)
            for row in rows {
                let loss = [0.45 * (0.4 + 0.6 * exp(-x / 60)), 0.5 * exp(-x / 20) + 0.012, 0.5 * exp(x / 12)][row]
                if row == 2 && t >= 37 { continue }
                _ = update(&state, .training(.step(row: row, step: t, loss: loss,
                                                   heldOutLoss: configuration.evaluates(atStep: t) ? 1.1 * loss : nil), generation: g))
            }
        }
        if steps.contains(37) && rows.contains(2) { _ = update(&state, .training(.diverged(row: 2, step: 37), generation: g)) }
    }

    /// The caption area's lines, joined.
    static func caption(_ state: AppState) -> String {
        let area = ScreenLayout(state).caption, lines = view(state).lines
        return lines[area.y..<(area.y + area.height)].map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    @Test func openingATrainingSceneStartsTrainingEveryRowExactlyAsTWould() throws {
        var state = Self.firstScene()
        let scene = Self.lecture().scenes[1]
        let configuration = try #require(scene.trainingConfiguration)
        #expect(configuration.learningRate == 0.002 && configuration.steps == 100 && configuration.task == .teacher(noise: 0.1))
        let before = state.generation
        let effects = update(&state, .key(.character("n")))
        // No step-0 run is started (its rows are cached from scene 1): training starts at once.
        #expect(effects == [.cancelSimulation, .startTraining(scene.scenario, configuration, plan: state.measurementPlan,
                                                               generation: before + 2)], "\(effects)")
        #expect(state.training?.phase == .running && state.training?.configuration == configuration)
        #expect(state.trainingPanel == .curves && !state.simulationRunning && state.focusedInitializer?.name == "he")
        #expect(view(state).lines[0].hasPrefix("scene 2/3 does it train?") && view(state).lines[0].contains("training 0/100"))
        #expect(state.statusMessage.hasPrefix("training 3 rows: adam lr 0.002, 100 steps (T stop)"), "\(state.statusMessage)")
        // Esc stops, T trains again: the same effect as opening the scene, the scene's settings (not the command line's).
        state.trainingSettings = LiveTrainingSettings(configuration: TrainingConfiguration(task: .teacher(noise: 0), optimizer: OptimizerSettings(kind: .sgd), learningRate: 0.5))
        #expect(update(&state, .key(.escape)) == [.pauseTraining(false), .cancelSimulation])
        #expect(state.training?.phase == .stopped)
        let again = update(&state, .key(.character("T")))
        #expect(again == [.startTraining(scene.scenario, configuration, plan: state.measurementPlan, generation: before + 3)])
        #expect(state.training?.step == 0 && state.training?.phase == .running)
    }

    @Test func aLectureWhoseFirstSceneTrainsTrainsFromTheStart() throws {
        let text = Self.text.replacingOccurrences(of: "seed = 1\n", with: "seed = 1\ntrain = true\n")
            .replacingOccurrences(of: "He keeps {last@he} at layer {depth}.", with: "Step {step}.")
        let lecture = try LectureParser.parse(text: text, file: "/t/first.toml").get()
        var state = AppState(lecture: lecture, width: 80, height: 24, sweepMilliseconds: 0)
        let effects = update(&state, .start)
        guard case .startTraining(let scenario, let configuration, _, let generation)? = effects.last else {
            Issue.record("\(effects)"); return
        }
        #expect(scenario == lecture.scenes[0].scenario && configuration == LiveTraining.configuration)
        #expect(generation == state.generation && !effects.contains { if case .startSimulation = $0 { return true } else { return false } })
    }

    @Test func nAndPLeaveATrainingSceneAndStopItsRun() {
        var state = Self.firstScene()
        _ = update(&state, .key(.character("n")))
        Self.feed(&state, steps: 1...20)
        let trainingGeneration = state.generation
        #expect(state.training?.step == 20)
        // n: the next scene's step-0 run starts; the curves are gone and the run's late events are ignored.
        let next = update(&state, .key(.character("n")))
        #expect(state.lecture?.sceneIndex == 2 && state.training == nil && state.trainingPanel == nil)
        #expect(state.generation > trainingGeneration && next.contains { if case .startSimulation = $0 { return true } else { return false } })
        #expect(!view(state).lines[0].contains("training"))
        _ = update(&state, .training(.step(row: 0, step: 21, loss: 0.3, heldOutLoss: nil), generation: trainingGeneration))
        #expect(state.training == nil)
        // p: back in the training scene, which trains anew from step 0; p again (PageUp) leaves it for scene 1.
        let back = update(&state, .key(.character("p")))
        #expect(state.lecture?.sceneIndex == 1 && state.training?.step == 0 && state.training?.phase == .running)
        #expect(back.contains { if case .startTraining = $0 { return true } else { return false } })
        let previous = update(&state, .key(.pageUp))
        #expect(state.lecture?.sceneIndex == 0 && state.training == nil && state.trainingPanel == nil)
        #expect(previous.allSatisfy { if case .startTraining = $0 { return false } else { return true } })
    }

    @Test func otherKeysStillWorkInATrainingScene() {
        var state = Self.firstScene()
        _ = update(&state, .key(.character("n")))
        Self.feed(&state, steps: 1...12)
        // L sweeps the rates with the scene's optimizer and steps (50 per run); the scene's caption gives way to the sweep's.
        let sweep = update(&state, .key(.character("L")))
        guard case .startSweep(_, let configuration, _, _)? = sweep.first else { Issue.record("\(sweep)"); return }
        #expect(configuration.optimizer.kind == .adam && configuration.steps == LiveTraining.sweepSteps && configuration.learningRate == 0.002)
        #expect(state.trainingPanel == .sweep && !state.sceneCaptionApplies)
        _ = update(&state, .key(.character("L")))   // hides it: the stopped run's curves and the scene's caption are back
        #expect(state.trainingPanel == .curves && state.sceneCaptionApplies)
        // A key that changes the network drops the curves; the usual caption is shown; T trains the new network.
        _ = update(&state, .key(.character("a")))
        #expect(state.training == nil && state.scenario.activation != .relu && !state.sceneCaptionApplies)
        _ = update(&state, .key(.character("T")))
        #expect(state.training?.configuration.learningRate == 0.002 && !state.sceneCaptionApplies)
        // The focus and layer keys work and leave the run alone.
        _ = update(&state, .key(.character("j"))); _ = update(&state, .key(.left))
        #expect(state.focusedRow == 2 && state.selectedLayer == 49 && state.training?.phase == .running)
    }

    @Test func theCaptionReadsTheRunAtAStepEveryRowHasReached() throws {
        var state = Self.firstScene()
        _ = update(&state, .key(.character("n")))
        // Before the first held-out loss: no number at all, the words wait with "?".
        #expect(state.sceneCaptionApplies)
        #expect(Self.caption(state) == "Same batches, adam at lr 0.002, step ?/100: held-out loss ? for He, ? for Xavier; LSUV ?. Lowest: ? (?).",
                "\(Self.caption(state))")
        // he and xavier reach step 21, lsuv step 11 only: the caption reads step 11, where every row has a point.
        Self.feed(&state, steps: 1...21, rows: [0, 1])
        Self.feed(&state, steps: 1...11, rows: [2])
        let training = try #require(state.training)
        func heldOut(_ row: Int, _ step: Int) -> String { Caption.format(training.heldOutLosses[row].first { $0.step == step }!.loss) }
        var text = Self.caption(state)
        #expect(text.contains("step 11/100: held-out loss \(heldOut(1, 11)) for He, \(heldOut(0, 11)) for Xavier"), "\(text)")
        #expect(text.contains("LSUV at \(Int((training.heldOutLosses[2][1].loss / training.heldOutLosses[2][0].loss * 100).rounded()))% of its start"), "\(text)")
        #expect(text.contains("Lowest: he (\(heldOut(1, 11)))."), "\(text)")
        // lsuv diverges at step 37; at step 41 the others read their losses, lsuv what happened.
        Self.feed(&state, steps: 12...41, rows: [2])
        Self.feed(&state, steps: 22...41, rows: [0, 1])
        let later = try #require(state.training)
        text = Self.caption(state)
        #expect(text.contains("step 41/100: held-out loss \(Caption.format(later.heldOutLosses[1].last!.loss)) for He"), "\(text)")
        #expect(text.contains("LSUV diverged at step 37."), "\(text)")
        // The numbers are the last points of the chart's held-out curves.
        #expect(later.heldOutLosses[1].last?.step == 41 && later.heldOutLosses[0].last?.step == 41)
        // Esc stops: the caption still holds (the run's numbers at step 41); the header leaves "training".
        _ = update(&state, .key(.escape))
        #expect(state.sceneCaptionApplies && Self.caption(state) == text)
    }

    @Test func aSceneWithoutTrainingGivesWayToTheTrainingCaptionWhenTTrains() {
        var state = Self.firstScene()
        #expect(state.sceneCaptionApplies)
        _ = update(&state, .key(.character("T")))
        // Training snapshots replace the step-0 rows the scene's caption reads: the training caption is shown.
        #expect(!state.sceneCaptionApplies && Self.caption(state).hasPrefix("training starts"))
        _ = update(&state, .key(.escape))
        #expect(!state.sceneCaptionApplies)
        _ = update(&state, .key(.character("r")))   // back to step 0: the scene's caption again
        #expect(state.sceneCaptionApplies)
    }

    @Test func trainingSceneAt80x24() {
        var state = Self.firstScene()
        _ = update(&state, .key(.character("n")))
        Self.feed(&state, steps: 1...60)
        UITestSupport.expectSnapshot(view(state), named: "lecture-training-80x24")
    }
}
