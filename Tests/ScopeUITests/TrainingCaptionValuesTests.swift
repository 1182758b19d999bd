// The training values of a scene caption, read from a TrainingState: the caption's step (the latest evaluation every
// row still training has reached), each row's held-out loss there, what it did, and the best and worst rows.
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct TrainingCaptionValuesTests {
    /// Three rows of a 50-step run evaluated every 10 steps: a at steps 1, 11, 21 (1, 0.6, 0.3), b at 1, 11
    /// (0.6, 0.55), c at 1 (0.7) then diverged at step 4.
    static func reading(configuration: TrainingConfiguration = TrainingConfiguration(task: .teacher(noise: 0.1), optimizer: OptimizerSettings(kind: .sgd), learningRate: 0.05, steps: 50)) -> TrainingCaptionValues {
        var training = TrainingState(configuration: configuration, generation: 1, rows: 3)
        training.heldOutLosses = [[HeldOutLoss(step: 1, loss: 1), HeldOutLoss(step: 11, loss: 0.6), HeldOutLoss(step: 21, loss: 0.3)],
                                  [HeldOutLoss(step: 1, loss: 0.6), HeldOutLoss(step: 11, loss: 0.55)],
                                  [HeldOutLoss(step: 1, loss: 0.7)]]
        training.divergedAt = [nil, nil, 4]
        return TrainingCaptionValues(training: training, names: ["a", "b", "c"])
    }

    @Test func theStepIsTheLatestEveryRowStillTrainingHasReached() {
        let values = Self.reading()
        #expect(values.step == 11)
        #expect(values.text(of: .step, row: "a") == "11" && values.text(of: .steps, row: "a") == "50")
        #expect(values.text(of: .loss, row: "a") == "0.6" && values.text(of: .loss, row: "b") == "0.55")
        #expect(values.text(of: .loss, row: "c") == "diverged" && values.text(of: .lossStart, row: "c") == "0.7")
        #expect(values.text(of: .outcome, row: "a") == "at 60% of its start")      // 0.6 / 1, at step 11 (not 21)
        #expect(values.text(of: .outcome, row: "b") == "at 92% of its start")
        #expect(values.text(of: .outcome, row: "c") == "diverged at step 4")
        #expect(values.text(of: .best, row: "a") == "b" && values.text(of: .bestLoss, row: "a") == "0.55")
        #expect(values.text(of: .worst, row: "a") == "c" && values.text(of: .worstLoss, row: "a") == "diverged")
        #expect(values.text(of: .learningRate, row: "a") == "0.05" && values.text(of: .optimizer, row: "a") == "sgd")
        #expect(values.text(of: .task, row: "a") == "teacher" && values.text(of: .floor, row: "a") == "0.01")
    }

    @Test func nothingIsStatedBeforeEveryRowHasAHeldOutLoss() {
        var values = Self.reading()
        values.training.heldOutLosses[1] = []
        #expect(values.step == nil)
        for value in [CaptionTemplate.Value.step, .loss, .lossStart, .outcome, .best, .bestLoss, .worst, .worstLoss] {
            #expect(values.text(of: value, row: "a") == nil, "\(value)")
        }
        // The configuration is known from the start.
        #expect(values.text(of: .steps, row: "a") == "50" && values.text(of: .learningRate, row: "a") == "0.05")
        // A template reads "?" for each.
        let caption = try! CaptionTemplate("Step {step}: {loss@a} against {loss@b}, {steps} steps.")
        let scenario = Scenario(activation: .relu, depth: 2, width: 4, batch: 4, seed: 1,
                                initializers: ["a", "b", "c"].map { NamedInitializer(name: $0, initializer: try! Initializer.parse("he")) })
        #expect(caption.filled(runs: [:], focus: "a", scenario: scenario, selectedLayer: 2, training: values.training)
                == "Step ?: ? against ?, 50 steps.")
        #expect(caption.filled(runs: [:], focus: "a", scenario: scenario, selectedLayer: 2) == "Step ?: ? against ?, ? steps.")
    }

    @Test func halvingAndTheWorstDivergenceAndEveryRowDiverged() {
        var values = Self.reading()
        values.training.heldOutLosses[1].append(HeldOutLoss(step: 21, loss: 0.25))
        #expect(values.step == 21)
        #expect(values.text(of: .outcome, row: "a") == "halved by step 21" && values.text(of: .outcome, row: "b") == "halved by step 21")
        #expect(values.text(of: .best, row: "a") == "b" && values.text(of: .bestLoss, row: "a") == "0.25")
        // Every row diverged: the caption's step is the last divergence, every row reads what happened to it.
        values.training.divergedAt = [30, 25, 4]
        #expect(values.step == 30 && values.text(of: .loss, row: "a") == "diverged")
        #expect(values.text(of: .worst, row: "a") == "c" && values.text(of: .best, row: "a") == "a")
        // A row that diverges later than the caption's step still reads its loss there.
        values.training.divergedAt = [nil, 25, 4]
        values.training.heldOutLosses[0].append(HeldOutLoss(step: 31, loss: 0.2))
        #expect(values.step == 31 && values.text(of: .outcome, row: "b") == "diverged at step 25")
        values.training.heldOutLosses[0].removeLast()
        #expect(values.step == 21 && values.text(of: .loss, row: "b") == "0.25" && values.text(of: .worst, row: "a") == "c")
        // Mixture has no floor.
        let mixture = Self.reading(configuration: TrainingConfiguration(task: .mixture(classes: 10), optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3))
        #expect(mixture.text(of: .floor, row: "a") == "-")
    }
}
