// A lecture scene's training keys: `train = true` and the settings of the training flags (task, optimizer, lr,
// steps, warmup), inherited like every setting, checked as the flags check them (one located line per problem), and
// the caption placeholders that read the run.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow

@Suite struct LectureTrainingParserTests {
    /// Step 0, then training (Adam at 3e-3 for 120 steps), then SGD with warm-up (inheriting the rate and the
    /// steps), then step 0 again.
    static let text = """
        title = "training lecture"

        [[scene]]
        title = "step zero"
        activation = "relu"
        init = ["normal:1", "xavier", "he"]
        depth = 10
        width = 64
        batch = 64
        caption = "He keeps {last@he} at layer {depth}."

        [[scene]]
        title = "train them"
        train = true
        lr = 0.003
        steps = 120
        caption = "At step {step} of {steps}: He {loss@he}, Xavier {loss@xavier}; N(0, 1) {outcome@normal:1}."

        [[scene]]
        title = "with sgd"
        optimizer = "sgd"
        warmup = 10
        caption = "SGD at lr {lr}: {best} leads with {best_loss}, {worst} trails with {worst_loss}."

        [[scene]]
        title = "back to step zero"
        train = false
        caption = "Step zero again: {first}."
        """

    func parse(_ text: String) -> Result<Lecture, LectureError> { LectureParser.parse(text: text, file: "/t/train.toml") }

    @Test func trainingScenesCarryTheirConfigurationAndInheritIt() throws {
        let scenes = try parse(Self.text).get().scenes
        #expect(scenes[0].training == nil && scenes[3].training == nil)
        let adam = try #require(scenes[1].trainingConfiguration)
        #expect(adam.task == .teacher(noise: 0.1) && adam.optimizer.kind == .adam && adam.learningRate == 0.003)
        #expect(adam.steps == 120 && adam.warmupSteps == 0 && adam.evaluationInterval == 10)
        // Scene 3 changes the optimizer and the warm-up, and keeps the rate and steps it inherits.
        let sgd = try #require(scenes[2].trainingConfiguration)
        #expect(sgd.optimizer.kind == .sgd && sgd.learningRate == 0.003 && sgd.steps == 120 && sgd.warmupSteps == 10)
        #expect(scenes[2].scenario == scenes[1].scenario && scenes[1].scenario.initializers.map(\.name) == ["normal:1", "xavier", "he"])
    }

    @Test func unnamedSettingsAreTheLiveViewsDefaultsAndTheRateFollowsTheOptimizer() throws {
        let defaults = Self.text.replacingOccurrences(of: "lr = 0.003\nsteps = 120\n", with: "")
        let scenes = try parse(defaults).get().scenes
        #expect(scenes[1].trainingConfiguration == LiveTraining.configuration)
        // No rate named anywhere: SGD gets its own default, 1e-2, as --optimizer sgd does.
        #expect(scenes[2].trainingConfiguration?.learningRate == 1e-2 && scenes[2].trainingConfiguration?.steps == 200)
        // Training is inherited: a scene after a training scene trains unless it says train = false.
        #expect(scenes[2].training != nil)
    }

    @Test func aNamedTaskIsKeptUntilTheArchitectureChanges() throws {
        let text = """
            title = "t"

            [[scene]]
            title = "mixture"
            activation = "relu"
            init = ["he"]
            depth = 4
            width = 32
            batch = 32
            train = true
            task = "mixture"
            caption = "{loss}."

            [[scene]]
            title = "same"
            seed = 8
            caption = "{loss}."

            [[scene]]
            title = "resnet"
            arch = "resnet"
            init = ["he"]
            depth = 4
            width = 32
            batch = 32
            caption = "{loss}."
            """
        let scenes = try parse(text).get().scenes
        #expect(scenes.map { $0.trainingConfiguration?.task } == [.mixture(classes: 10), .mixture(classes: 10), .teacher(noise: 0.1)])
        #expect(scenes[2].scenario.architecture.residual != nil && scenes[2].training != nil)
    }

    /// Each broken training input: the line and key the message names, and words of the problem.
    static let broken: [(edit: @Sendable (String) -> String, line: Int?, key: String?, words: String)] = [
        ({ $0.replacingOccurrences(of: "train = true", with: "train = \"yes\"") }, 14, "train", "must be true or false"),
        ({ $0.replacingOccurrences(of: "lr = 0.003", with: "lr = -1") }, 15, "lr", "learning rate must be a positive finite number"),
        ({ $0.replacingOccurrences(of: "lr = 0.003", with: "lr = \"fast\"") }, 15, "lr", "must be a number"),
        ({ $0.replacingOccurrences(of: "steps = 120", with: "steps = 0") }, 16, "steps", "steps 0 is out of range: accepted 1...1000000"),
        ({ $0.replacingOccurrences(of: "steps = 120", with: "steps = 2.5") }, 16, "steps", "must be an integer"),
        ({ $0.replacingOccurrences(of: "warmup = 10", with: "warmup = -1") }, 22, "warmup", "warm-up -1 is out of range"),
        ({ $0.replacingOccurrences(of: "optimizer = \"sgd\"", with: "optimizer = \"rmsprop\"") }, 21, "optimizer",
         "unknown optimizer 'rmsprop'; accepted: sgd, momentum, adam, adamw"),
        ({ $0.replacingOccurrences(of: "steps = 120", with: "task = \"poetry\"") }, 16, "task",
         "unknown task 'poetry'; accepted: teacher, mixture (arch mlp, resnet), bigram (arch transformer)"),
        ({ $0.replacingOccurrences(of: "steps = 120", with: "task = \"bigram\"") }, 16, "task", "task bigram needs the transformer"),
        ({ $0.replacingOccurrences(of: "batch = 64", with: "batch = 64\nlr = 0.01") }, 10, "lr", "applies to a scene with train = true"),
        ({ $0.replacingOccurrences(of: "train = false", with: "train = false\nsteps = 5") }, 28, "steps", "this scene does not train"),
        ({ $0.replacingOccurrences(of: "{last@he} at layer", with: "{loss@he} at layer") }, 10, "caption", "{loss} reads the training run"),
        ({ $0.replacingOccurrences(of: "At step {step}", with: "From {first}, at step {step}") }, 17, "caption",
         "{first} reads the network at step 0"),
        ({ $0.replacingOccurrences(of: "{best} leads", with: "{chi1} leads") }, 23, "caption", "{chi1} reads the network at step 0"),
        ({ $0.replacingOccurrences(of: "{outcome@normal:1}", with: "{outcome@lsuv}") }, 17, "caption", "names no row"),
    ]

    @Test(arguments: broken.indices)
    func eachTrainingProblemNamesItsLineAndKey(index: Int) {
        let case_ = Self.broken[index]
        guard case .failure(let error) = parse(case_.edit(Self.text)) else { Issue.record("case \(index) parsed"); return }
        #expect(error.file == "/t/train.toml")
        #expect(error.line == case_.line, "case \(index): \(error)")
        #expect(error.key == case_.key, "case \(index): \(error)")
        #expect(error.problem.contains(case_.words), "case \(index): \(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func theTrainingPlaceholdersParseAndCountAsWideAsTheyPrint() throws {
        let caption = try CaptionTemplate("{step}/{steps} {lr} {optimizer} {task} {floor} {loss} {loss_start} {outcome} {best} {best_loss} {worst} {worst_loss}.")
        #expect(caption.values.allSatisfy(\.readsTraining) && !caption.values.contains(where: \.readsStepZeroRun))
        #expect(CaptionTemplate.Value.allCases.filter { !$0.readsTraining && !$0.readsStepZeroRun }
                == [.layer, .depth, .width, .batch, .name, .activation, .sigmaW2])
        let scene = try parse(Self.text).get().scenes[1]
        // "normal:1 diverged at step 120" is the widest an outcome prints for 120 steps; every row fits 3 lines.
        #expect(scene.captionLineEstimate(width: 80) == 2)
    }
}
