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
    @Option(help: "Activation: tanh or relu (the reference supports these two).") var activation: String = "tanh"
    @Option(name: .customLong("init"), help: "Initializer (the reference uses xavier).") var initializer: String = "xavier"
    @Option(parsing: .unconditional, help: "Timed passes after one warm-up (1...1000).") var repeats: Int = 5
    @Option(parsing: .unconditional, help: "Engine threads: products and statistics (OpenBLAS itself stays single-threaded).") var threads: Int = 2
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64 = 0
    @Option(help: "What is measured: reference (histograms of x, dL/dh, dW as ../shared/bench), everything (report --histograms), statistics (no histograms).")
    var plan: String = "reference"
    @Flag(help: "Print one JSON object instead of the text report.") var json = false
    @OptionGroup var architectureFlags: ArchitectureFlags

    func run() throws {
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
            let defaults = ScenarioFlags.SizeDefaults.of(architecture)
            var sized = try Scenario.uniform(activation: phi, depth: depth ?? defaults.depth, width: width ?? defaults.width,
                                             batch: batch ?? defaults.batch, seed: seed,
                                             initializers: [NamedInitializer(name: initializer, initializer: parsed)])
            sized.architecture = architecture
            scenario = sized
            try scenario.validate()
        } catch { throw ValidationError("\(error)") }
        Parallelism.setThreadCount(threads)
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
}
