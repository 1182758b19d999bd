// `initscope bench`: times the ../shared/bench workload (init, forward, backward, stats) on the engine's
// buffers and kernels, plus cblas_sgemm alone on the same shapes.
import ArgumentParser
import Foundation
import SignalFlow

/// Times one pass of the shared benchmark workload.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Median seconds per phase of the shared benchmark workload, GEMM GFLOP/s and peak RSS.")

    @Option(help: "Number of layers L.") var depth: Int = 50
    @Option(help: "Layer width n.") var width: Int = 512
    @Option(help: "Batch size B.") var batch: Int = 256
    @Option(help: "Activation: tanh or relu (the reference supports these two).") var activation: String = "tanh"
    @Option(name: .customLong("init"), help: "Initializer (the reference uses xavier).") var initializer: String = "xavier"
    @Option(help: "Timed passes after one warm-up (1...1000).") var repeats: Int = 5
    @Option(help: "Engine threads: products and statistics (OpenBLAS itself stays single-threaded).") var threads: Int = 2
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Histograms per quantity: both (linear and log10|x|, as the engine does) or linear (as the reference).")
    var histograms: String = "both"
    @Flag(help: "Print one JSON object instead of the text report.") var json = false

    func run() throws {
        guard let phi = Activation(name: activation) else {
            throw ValidationError("unknown activation '\(activation)'; accepted: \(Activation.acceptedNames)")
        }
        let parsed: Initializer
        do { parsed = try Initializer.parse(initializer) } catch { throw ValidationError("\(error)") }
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeats \(repeats) is out of range: accepted 1...1000") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads \(threads) is out of range: accepted 1...256") }
        let scenario: Scenario
        do {
            // Sizes first, before anything is built from them; then memory.
            scenario = try Scenario.uniform(activation: phi, depth: depth, width: width, batch: batch, seed: seed,
                                            initializers: [NamedInitializer(name: initializer, initializer: parsed)])
            try scenario.validate()
        } catch { throw ValidationError("\(error)") }
        Parallelism.setThreadCount(threads)
        let start = LoadMeter.snapshot()
        guard ["both", "linear"].contains(histograms) else {
            throw ValidationError("unknown --histograms '\(histograms)'; accepted: both, linear")
        }
        let workload = BenchWorkload(scenario: scenario, initializer: parsed)
        workload.linearHistogramOnly = histograms == "linear"
        _ = workload.pass()                                       // warm-up
        var passes: [BenchPhases] = []
        for _ in 0..<repeats { passes.append(workload.pass()) }
        _ = workload.gemmOnly()                                   // warm-up
        var gemmAlone: [Double] = []
        for _ in 0..<repeats { gemmAlone.append(workload.gemmOnly()) }
        let result = BenchResult(scenario: scenario, threads: threads, passes: passes, gemmAloneSeconds: gemmAlone,
                                 peakRSSMebibytes: LoadMeter.peakRSSMebibytes(), otherLoadCores: LoadMeter.otherLoad(since: start),
                                 check: workload.check)
        print(json ? result.json() : result.text())
    }
}
