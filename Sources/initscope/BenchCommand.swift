// `initscope bench`: times the engine's own pass (Experiment.run of one initializer) per phase, and the same
// GEMMs alone on the same buffers: the pass / GEMM ratio, in one run.
import ArgumentParser
import Foundation
import SignalFlow

/// Times one pass of the shared benchmark workload.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Median seconds per phase of the engine's pass, its GEMMs alone, the ratio, and peak RSS.")

    @Option(parsing: .unconditional, help: "Number of layers L (default: 50; a transformer 12).") var depth: Int?
    @Option(parsing: .unconditional, help: "Layer width n (default: 512; a transformer 256).") var width: Int?
    @Option(parsing: .unconditional, help: "Batch size B (default: 256; a transformer 8 sequences).") var batch: Int?
    @Option(help: "Activation: tanh or relu (the references support these two; default tanh, relu with --train).") var activation: String?
    @Option(name: .customLong("init"), help: "Initializer (default xavier as the reference, he with --train).") var initializer: String?
    @Option(parsing: .unconditional, help: "Timed passes after one warm-up (1...1000).") var repeats: Int = 5
    @Flag(help: "Time training steps instead of one pass: the trainer's loop (Adam at lr 1e-3; an MLP on teacher, default L=20, n=512, B=256; a resnet on teacher, default 10 blocks, n=512, B=256; a transformer on bigram with V=64).")
    var train = false
    @Option(parsing: .unconditional, help: "With --train: timed steps (1...10000), after --warmup-steps untimed ones.") var steps: Int = 30
    @Option(name: .customLong("warmup-steps"), parsing: .unconditional, help: "With --train: untimed steps first (1...1000).")
    var warmupSteps: Int = 3
    @Option(parsing: .unconditional, help: "Engine threads: products and statistics (OpenBLAS itself stays single-threaded).") var threads: Int = 2
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 0
    @Option(help: "What is measured: reference (histograms of x, dL/dh, dW as ../shared/bench), everything (report --histograms), statistics (no histograms).")
    var plan: String = "reference"
    @Flag(help: "Print one JSON object instead of the text report.") var json = false
    @OptionGroup var architectureFlags: ArchitectureFlags

    func run() throws {
        let activation = self.activation ?? (train ? "relu" : "tanh"), initializer = self.initializer ?? (train ? "he" : "xavier")
        let phi: Activation
        do { phi = try Activation.parse(activation) } catch { throw ValidationError("--activation: \(error)") }
        let parsed: Initializer
        do { parsed = try Initializer.parse(initializer) } catch { throw ValidationError("\(error)") }
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeats \(repeats) is out of range: accepted 1...1000") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads \(threads) is out of range: accepted 1...256") }
        let architecture = try architectureFlags.architecture()
        let scenario: Scenario
        do {
            // Sizes first, before anything is built from them; then memory.
            let defaults = !train ? ScenarioFlags.SizeDefaults.of(architecture)
                : architecture == .mlp ? Self.trainingDefaults
                : architecture.residual != nil ? Self.resnetTrainingDefaults : ScenarioFlags.SizeDefaults.of(architecture)
            var sized = try Scenario.uniform(activation: phi, depth: depth ?? defaults.depth, width: width ?? defaults.width,
                                             batch: batch ?? defaults.batch, seed: seed,
                                             initializers: [NamedInitializer(name: initializer, initializer: parsed)])
            sized.architecture = architecture
            scenario = sized
            try scenario.validate()
        } catch { throw ValidationError("\(error)") }
        Parallelism.setThreadCount(threads)
        if train { try runTraining(scenario); return }
        let start = LoadMeter.snapshot()
        guard let benchPlan = BenchPlan(rawValue: plan) else {
            throw ValidationError("unknown --plan '\(plan)'; accepted: \(BenchPlan.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let workload = try BenchWorkload(scenario: scenario, plan: benchPlan)
        _ = workload.pass()                                       // warm-up
        var passes: [BenchPhases] = []
        for _ in 0..<repeats { passes.append(workload.pass()) }
        _ = workload.gemmOnly()                                   // warm-up
        var gemmAlone: [Double] = []
        for _ in 0..<repeats { gemmAlone.append(workload.gemmOnly()) }
        let result = BenchResult(scenario: scenario, plan: benchPlan, threads: threads, passes: passes, gemmAloneSeconds: gemmAlone,
                                 flopsPerPass: workload.flopsPerPass,
                                 peakRSSMebibytes: LoadMeter.peakRSSMebibytes(), otherLoadCores: LoadMeter.otherLoad(since: start),
                                 check: workload.check)
        // One line and EX_IOERR (74) when the figures cannot be written.
        let output = BufferedOutput()
        output.write(json ? result.json() + "\n" : result.text() + "\n")
        try output.finish(writing: "the benchmark figures")
    }

    /// Sizes of `bench --train` on an MLP: L = 20, n = 512, B = 256.
    static let trainingDefaults = ScenarioFlags.SizeDefaults(depth: 20, width: 512, batch: 256)
    /// Sizes of `bench --train` on a resnet: 10 blocks (20 n x n weights, the MLP's GEMMs), n = 512, B = 256.
    static let resnetTrainingDefaults = ScenarioFlags.SizeDefaults(depth: 10, width: 512, batch: 256)

    /// `bench --train`: W + S steps of the trainer (teacher task, or bigram with V = 64 on a transformer; Adam at
    /// 1e-3), S of them timed.
    func runTraining(_ scenario: Scenario) throws {
        guard (1...10_000).contains(steps) else { throw ValidationError("--steps \(steps) is out of range: accepted 1...10000") }
        guard (1...1000).contains(warmupSteps) else {
            throw ValidationError("--warmup-steps \(warmupSteps) is out of range: accepted 1...1000")
        }
        let task: TrainingTask = scenario.architecture.transformer != nil ? .bigram(vocabulary: 64) : .teacher(noise: 0)
        var configuration = TrainingConfiguration(task: task, optimizer: OptimizerSettings(kind: .adam),
                                                  learningRate: 1e-3, steps: warmupSteps + steps)
        configuration.threads = threads
        let result: TrainingBenchResult
        do {
            result = try TrainingBenchResult.measure(scenario: scenario, configuration: configuration, warmupSteps: warmupSteps,
                                                     threads: threads)
        } catch { throw ValidationError("\(error)") }
        let output = BufferedOutput()
        output.write(json ? result.json() + "\n" : result.text())
        try output.finish(writing: "the benchmark figures")
    }
}
