// `initscope train`: trains the scenario's MLP or resnet (or transformer, on bigram) once per initializer on a synthetic task and prints the curves as
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
        abstract: "Train the MLP, the resnet or the transformer once per initializer on a synthetic task; loss curves and per-layer statistics.",
        discussion: "Exit status 64 on bad input (one line on stderr, nothing on stdout); 74 when the output cannot be written.")

    @OptionGroup var scenarioFlags: ScenarioFlags

    @OptionGroup var architectureFlags: ArchitectureFlags

    @OptionGroup var trainingFlags: TrainingFlags

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    /// The scenario, the trainer and the format from the flags; throws ValidationError (exit 64) naming the problem.
    func makeTrainer() throws -> (Trainer, TrainFormat, LearningRateRange?) {
        guard let parsedFormat = TrainFormat(rawValue: format.lowercased()) else {
            throw ValidationError("unknown format '\(PrintableText.quoted(format))'; accepted: table, csv, json")
        }
        let architecture = try architectureFlags.architecture()
        let task = try trainingFlags.namedTask(defaultNoise: 0) ?? trainingFlags.defaultTask(for: architecture, defaultNoise: 0)
        let configuration = try trainingFlags.configuration(task: task)
        let scenario = try scenarioFlags.scenario(defaultActivation: architecture.transformer != nil ? .gelu : .relu,
                                                  footprint: ReportFormat.json.footprint(histograms: false),
                                                  architecture: architecture) { named in
            named ?? ArchitectureFlags.defaultComparison(for: architecture)
        }
        let trainer: Trainer
        var sweep: LearningRateRange? = nil
        do {
            trainer = try Trainer(scenario: scenario, configuration: configuration)
        } catch { throw ValidationError("\(error)") }
        sweep = try trainingFlags.sweepRange()
        // Memory: parameters, gradients, optimizer state, both batches' buffers, and the reports (per step and
        // layer); a sweep holds one run per thread and one report at a time per run.
        let concurrentRuns = sweep == nil ? 1 : Parallelism.threadCount
        let keptRuns = sweep == nil ? scenario.initializers.count : concurrentRuns
        let reportBytes = SaturatingSize.product(keptRuns, configuration.steps, SaturatingSize.product(SaturatingSize.sum(scenario.depth, 2), 64))
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
