// `initscope train`: trains the scenario's MLP (or transformer, on bigram) once per initializer on a synthetic task and prints the curves as
// a table, CSV or JSON (TrainFormatter). Progress on stderr only when stderr is a terminal.
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SignalFlow

/// Output format of `initscope train`.
enum TrainFormat: String, CaseIterable {
    case table, csv, json
}

/// Trains every initializer on the same task, batches and read-out, and reports each step.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the MLP (or the transformer) once per initializer on a synthetic task; loss curves and per-layer statistics.",
        discussion: "Exit status 64 on bad input (one line on stderr, nothing on stdout); 74 when the output cannot be written.")

    @OptionGroup var scenarioFlags: ScenarioFlags

    @OptionGroup var architectureFlags: ArchitectureFlags

    @Option(help: "Task: teacher (regression onto a 2-layer tanh teacher, MSE) or mixture (K-class Gaussian mixture, cross-entropy) for --arch mlp; bigram (next token of a random bigram language, cross-entropy, causal mask) for --arch transformer (default: teacher, bigram for the transformer).")
    var task: String?

    @Option(help: "Optimizer: sgd, momentum, adam or adamw (PyTorch's defaults; AdamW's weight decay 0.01, decoupled).")
    var optimizer: String = "adam"

    @Option(parsing: .unconditional, help: "Learning rate, a positive finite number (default 1e-3 for adam/adamw, 1e-2 for sgd/momentum).")
    var lr: String?

    @Option(parsing: .unconditional, help: "Training steps (1...\(TrainingConfiguration.stepsLimit)).")
    var steps: Int = 200

    @Option(parsing: .unconditional, help: "Linear warm-up over this many steps (0 = none).")
    var warmup: Int = 0

    @Option(parsing: .unconditional, help: "Clip the global gradient norm to this positive number (default off).")
    var clip: String?

    @Option(parsing: .unconditional, help: "Momentum of --optimizer momentum, in [0, 1).")
    var momentum: String = "0.9"

    @Option(parsing: .unconditional, help: "teacher: standard deviation of the label noise (0...\(Int(Trainer.maximumNoise))); the loss floor is its square.")
    var noise: String = "0"

    @Option(parsing: .unconditional, help: "mixture: number of classes K (2...\(Trainer.maximumClasses)).")
    var classes: Int = 10

    @Option(parsing: .unconditional, help: "bigram: vocabulary V (2...\(Trainer.maximumVocabulary)).")
    var vocab: Int = 64

    @Option(name: .customLong("eval-every"), parsing: .unconditional,
            help: "The held-out loss is measured at steps 1, 1+k, 1+2k, ... and at the last step.")
    var evalEvery: Int = 10

    @Option(name: .customLong("lr-sweep"), parsing: .unconditional,
            help: "Train every initializer at N log-spaced rates LOW..HIGH:N (e.g. 1e-4..1:13) instead of at --lr; reports the final held-out loss (median of the last 10% of evaluations) or the step it diverged at.")
    var lrSweep: String?

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    /// A flag's value as a finite Double, or a one-line ValidationError naming the flag.
    static func number(_ text: String, flag: String, positive: Bool) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, !positive || value > 0 else {
            throw ValidationError("--\(flag) must be a \(positive ? "positive " : "")finite number (got '\(PrintableText.quoted(text))')")
        }
        return value
    }

    /// The scenario, the trainer and the format from the flags; throws ValidationError (exit 64) naming the problem.
    func makeTrainer() throws -> (Trainer, TrainFormat, LearningRateRange?) {
        guard let parsedFormat = TrainFormat(rawValue: format.lowercased()) else {
            throw ValidationError("unknown format '\(PrintableText.quoted(format))'; accepted: table, csv, json")
        }
        guard let kind = OptimizerSettings.Kind(rawValue: optimizer.lowercased()) else {
            throw ValidationError("unknown optimizer '\(PrintableText.quoted(optimizer))'; accepted: sgd, momentum, adam, adamw")
        }
        let architecture = try architectureFlags.architecture()
        let task = self.task ?? (architecture.transformer != nil ? "bigram" : "teacher")
        let trainingTask: TrainingTask
        switch task.lowercased() {
        case "teacher":
            let noiseStd = try Self.number(noise, flag: "noise", positive: false)
            trainingTask = .teacher(noise: noiseStd)
        case "mixture": trainingTask = .mixture(classes: classes)
        case "bigram": trainingTask = .bigram(vocabulary: vocab)
        default:
            throw ValidationError("unknown task '\(PrintableText.quoted(task))'; accepted: teacher, mixture (--arch mlp), bigram (--arch transformer)")
        }
        let rate = try lr.map { try Self.number($0, flag: "lr", positive: true) } ?? (kind == .sgd || kind == .momentum ? 1e-2 : 1e-3)
        var settings = OptimizerSettings(kind: kind)
        settings.momentum = try Self.number(momentum, flag: "momentum", positive: false)
        var configuration = TrainingConfiguration(task: trainingTask, optimizer: settings, learningRate: rate, steps: steps)
        configuration.warmupSteps = warmup
        configuration.evaluationInterval = evalEvery
        configuration.clipNorm = try clip.map { try Self.number($0, flag: "clip", positive: true) }
        let scenario = try scenarioFlags.scenario(defaultActivation: architecture.transformer != nil ? .gelu : .relu,
                                                  footprint: ReportFormat.json.footprint(histograms: false),
                                                  architecture: architecture) { named in
            named ?? ArchitectureFlags.defaultComparison(for: architecture)
        }
        let trainer: Trainer
        var sweep: LearningRateRange? = nil
        do {
            trainer = try Trainer(scenario: scenario, configuration: configuration)
            sweep = try lrSweep.map(LearningRateRange.parse)
        } catch { throw ValidationError("\(error)") }
        // Memory: parameters, gradients, optimizer state, both batches' buffers, and the reports (per step and
        // layer); a sweep holds one run per thread and one report at a time per run.
        let concurrentRuns = sweep == nil ? 1 : Parallelism.threadCount
        let keptRuns = sweep == nil ? scenario.initializers.count : concurrentRuns
        let reportBytes = SaturatingSize.product(keptRuns, steps, SaturatingSize.product(SaturatingSize.sum(scenario.depth, 2), 64))
        let needed = SaturatingSize.sum(SaturatingSize.product(Trainer.memoryBytes(scenario: scenario, configuration: configuration),
                                                               concurrentRuns), reportBytes)
        let limit = Scenario.memoryLimitBytes
        guard needed <= limit else {
            throw ValidationError("training this scenario needs about \(needed >> 20) MiB, more than the \(limit >> 20) MiB limit; reduce --depth, --width, --batch or --steps")
        }
        return (trainer, parsedFormat, sweep)
    }

    func run() throws {
        let (trainer, outputFormat, sweep) = try makeTrainer()
        let progress = isatty(STDERR_FILENO) == 1
        let count = trainer.scenario.initializers.count, total = trainer.configuration.steps
        var runs: [TrainingRunReport] = []
        var results: [SweepResult]? = nil
        if let sweep {
            results = trainer.sweep(sweep.rates) { done, pairs in
                if progress { _ = StandardStreams.write("\r\u{1B}[Klearning-rate sweep: \(done)/\(pairs) runs", to: STDERR_FILENO) }
            }
        } else {
            runs = trainer.run { index, step in
                guard progress, step.step % 5 == 0 || step.step == total else { return }
                let name = PrintableText.quoted(trainer.scenario.initializers[index].name)
                _ = StandardStreams.write("\r\u{1B}[Ktraining \(name) (\(index + 1)/\(count)): step \(step.step)/\(total)", to: STDERR_FILENO)
            }
        }
        if progress { _ = StandardStreams.write("\r\u{1B}[K", to: STDERR_FILENO) }
        var output = BufferedOutput()
        TrainFormatter.write(trainer: trainer, runs: runs, sweep: results, format: outputFormat, to: &output)
        try output.finish(writing: "the training report")
    }
}
