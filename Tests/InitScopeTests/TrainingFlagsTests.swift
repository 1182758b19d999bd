// The training flags are one definition for `initscope train`, the live view and lectures: the same values parse
// to the same configuration, the same bad input gives the same one-line message, and the live view's defaults
// (teacher, noise 0.1, Adam 1e-3, 200 steps, sweep 1e-4..1:9 of 50 steps) hold without flags.
import ArgumentParser
import Testing
import ScopeUI
import SignalFlow
@testable import initscope

private func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return InitScope.message(for: error) }
}

@Test func liveFlagsGiveTheTrainCommandsConfiguration() throws {
    let arguments = ["--optimizer", "sgd", "--lr", "0.05", "--steps", "80", "--warmup", "5", "--clip", "1.5", "--noise", "0.2"]
    let live = try LiveCommand.parse(arguments).trainingFlags.liveSettings(for: nil)
    let train = try TrainCommand.parse(arguments)
    let (trainer, _, _) = try train.makeTrainer()
    #expect(live.configuration(for: .mlp) == trainer.configuration)
    #expect(live.configuration.optimizer.kind == .sgd && live.configuration.learningRate == 0.05)
    #expect(live.configuration.steps == 80 && live.sweepSteps == 80 && live.configuration.clipNorm == 1.5)
    let lecture = try LectureCommand.parse(arguments).trainingFlags.liveSettings(for: nil)
    #expect(lecture == live)
}

@Test func liveDefaultsAreTheFixedSettingsAndTheTaskFollowsTheArchitecture() throws {
    let settings = try LiveCommand.parse([]).trainingFlags.liveSettings(for: nil)
    #expect(settings == .standard)
    #expect(settings.configuration(for: .mlp) == LiveTraining.configuration)
    #expect(settings.configuration(for: .transformer(TransformerOptions())).task == .bigram(vocabulary: 64))
    #expect(settings.sweepConfiguration(for: .mlp).steps == 50 && settings.sweepRange.rates.count == 9)
    let swept = try LiveCommand.parse(["--lr-sweep", "1e-3..1e-1:3", "--task", "mixture", "--classes", "4"])
        .trainingFlags.liveSettings(for: nil)
    #expect(swept.sweepRange == LearningRateRange(low: 1e-3, high: 1e-1, count: 3))
    #expect(swept.configuration(for: .mlp).task == .mixture(classes: 4))
    #expect(try TrainCommand.parse([]).makeTrainer().0.configuration.task == .teacher(noise: 0))
}

@Test(arguments: [
    (["--optimizer", "rmsprop"], "unknown optimizer 'rmsprop'; accepted: sgd, momentum, adam, adamw"),
    (["--lr", "-1"], "--lr must be a positive finite number (got '-1')"),
    (["--lr", "fast"], "--lr must be a positive finite number (got 'fast')"),
    (["--steps", "0"], "steps 0 is out of range: accepted 1...1000000"),
    (["--task", "poetry"], "unknown task 'poetry'; accepted: teacher, mixture (--arch mlp, resnet), bigram (--arch transformer)"),
    (["--lr-sweep", "1..2"], "malformed --lr-sweep '1..2'; expected LOW..HIGH:N with 0 < LOW <= HIGH finite and N in 1...100, e.g. 1e-4..1:13"),
    (["--momentum", "1"], "momentum must be in [0, 1) (got 1.0)"),
    (["--task", "bigram"], "task bigram needs the transformer (--arch transformer): it predicts the next token of sequences through token embeddings"),
])
func badTrainingFlagsGiveTheSameLineInTrainAndLive(arguments: [String], expected: String) throws {
    let live = message {
        let command = try LiveCommand.parse(arguments)
        _ = try command.trainingFlags.liveSettings(for: try command.scenarioFlags.liveScenario())
    }
    let train = message { _ = try TrainCommand.parse(arguments).makeTrainer() }
    #expect(live == expected)
    #expect(train == expected)
}
