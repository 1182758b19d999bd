// The training flags, shared by `initscope train`, the live view and `initscope lecture`: one set of names, limits
// and messages. Only the label noise's default differs (0 for `train`, 0.1 in the live view, where the floor line
// shows) and where the configuration goes.
import ArgumentParser
import Foundation
import ScopeUI
import SignalFlow

/// --task, --optimizer, --lr, --steps, --warmup, --clip, --momentum, --noise, --classes, --vocab, --eval-every and
/// --lr-sweep.
struct TrainingFlags: ParsableArguments {
    @Option(help: "Task: teacher (regression onto a 2-layer tanh teacher, MSE) or mixture (K-class Gaussian mixture, cross-entropy) for --arch mlp and resnet; bigram (next token of a random bigram language, cross-entropy, causal mask) for --arch transformer (default: teacher, bigram for the transformer).")
    var task: String?

    @Option(help: "Optimizer: sgd, momentum, adam or adamw (PyTorch's defaults; AdamW's weight decay 0.01, decoupled).")
    var optimizer: String = "adam"

    @Option(parsing: .unconditional, help: "Learning rate, a positive finite number (default 1e-3 for adam/adamw, 1e-2 for sgd/momentum).")
    var lr: String?

    @Option(parsing: .unconditional, help: "Training steps (1...\(TrainingConfiguration.stepsLimit); default 200; the live view's lr sweep: 50 unless given).")
    var steps: Int?

    @Option(parsing: .unconditional, help: "Linear warm-up over this many steps (0 = none).")
    var warmup: Int = 0

    @Option(parsing: .unconditional, help: "Clip the global gradient norm to this positive number (default off).")
    var clip: String?

    @Option(parsing: .unconditional, help: "Momentum of --optimizer momentum, in [0, 1).")
    var momentum: String = "0.9"

    @Option(parsing: .unconditional, help: "teacher: standard deviation of the label noise (0...\(Int(Trainer.maximumNoise)); default 0, in the live view 0.1); the loss floor is its square.")
    var noise: String?

    @Option(parsing: .unconditional, help: "mixture: number of classes K (2...\(Trainer.maximumClasses)).")
    var classes: Int = 10

    @Option(parsing: .unconditional, help: "bigram: vocabulary V (2...\(Trainer.maximumVocabulary)).")
    var vocab: Int = 64

    @Option(name: .customLong("eval-every"), parsing: .unconditional,
            help: "The held-out loss is measured at steps 1, 1+k, 1+2k, ... and at the last step.")
    var evalEvery: Int = 10

    @Option(name: .customLong("lr-sweep"), parsing: .unconditional,
            help: "Train every initializer at N log-spaced rates LOW..HIGH:N (e.g. 1e-4..1:13): `train` does so instead of training at --lr and reports the final held-out loss (median of the last 10% of evaluations) or the step it diverged at; the live view's L sweeps these rates (default 1e-4..1:9).")
    var lrSweep: String?

    /// Default steps of a training run.
    static let defaultSteps = 200

    /// A flag's value as a finite Double, or a one-line ValidationError naming the flag.
    static func number(_ text: String, flag: String, positive: Bool) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, !positive || value > 0 else {
            throw ValidationError("--\(flag) must be a \(positive ? "positive " : "")finite number (got '\(PrintableText.quoted(text))')")
        }
        return value
    }

    /// The task --task names (nil when absent); teacher's noise from --noise or `defaultNoise`.
    func namedTask(defaultNoise: Double) throws -> TrainingTask? {
        guard let task else { return nil }
        let parsed: TrainingTask
        do { parsed = try TrainingTask.parse(task, noise: 0, classes: classes, vocabulary: vocab) }
        catch { throw ValidationError("\(error)") }
        // --noise is read (and checked) for teacher only.
        if case .teacher = parsed { return .teacher(noise: try noiseStd(default: defaultNoise)) }
        return parsed
    }

    /// --noise as a number, `default` when absent.
    func noiseStd(default value: Double) throws -> Double {
        try noise.map { try Self.number($0, flag: "noise", positive: false) } ?? value
    }

    /// The architecture's task when --task is absent: teacher, bigram for the transformer.
    func defaultTask(for architecture: Architecture, defaultNoise: Double) throws -> TrainingTask {
        architecture.transformer != nil ? .bigram(vocabulary: vocab) : .teacher(noise: try noiseStd(default: defaultNoise))
    }

    /// The configuration with `task`, every value checked (exit 64 naming the flag's problem).
    func configuration(task: TrainingTask) throws -> TrainingConfiguration {
        let kind: OptimizerSettings.Kind
        do { kind = try OptimizerSettings.Kind.parse(optimizer) } catch { throw ValidationError("\(error)") }
        let rate = try lr.map { try Self.number($0, flag: "lr", positive: true) } ?? kind.defaultLearningRate
        var settings = OptimizerSettings(kind: kind)
        settings.momentum = try Self.number(momentum, flag: "momentum", positive: false)
        var configuration = TrainingConfiguration(task: task, optimizer: settings, learningRate: rate, steps: steps ?? Self.defaultSteps)
        configuration.warmupSteps = warmup
        configuration.evaluationInterval = evalEvery
        configuration.clipNorm = try clip.map { try Self.number($0, flag: "clip", positive: true) }
        do { try configuration.check() } catch { throw ValidationError("\(error)") }
        return configuration
    }

    /// The parsed --lr-sweep, nil when absent.
    func sweepRange() throws -> LearningRateRange? {
        do { return try lrSweep.map(LearningRateRange.parse) } catch { throw ValidationError("\(error)") }
    }

    /// The live view's settings (label noise 0.1 unless --noise); a --task that does not fit `scenario`'s network is
    /// refused here (exit 64), as `initscope train` refuses it.
    func liveSettings(for scenario: Scenario?) throws -> LiveTrainingSettings {
        let defaultNoise = 0.1
        let named = try namedTask(defaultNoise: defaultNoise)
        let vectorTask = TrainingTask.teacher(noise: try noiseStd(default: defaultNoise))
        let configuration = try self.configuration(task: named ?? vectorTask)
        if let scenario, named != nil {
            do { _ = try Trainer(scenario: scenario, configuration: configuration) } catch { throw ValidationError("\(error)") }
        }
        var bigram = configuration
        bigram.task = .bigram(vocabulary: vocab)
        do { try bigram.check() } catch { throw ValidationError("\(error)") }
        var result = LiveTrainingSettings(configuration: configuration, task: named, defaultVectorTask: vectorTask,
                                          defaultSequenceTask: .bigram(vocabulary: vocab))
        if let range = try sweepRange() { result.sweepRange = range }
        if let steps { result.sweepSteps = steps }
        return result
    }
}
