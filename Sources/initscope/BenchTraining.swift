// `initscope bench --train`: steps per second of the trainer's own loop (`Trainer.train` of one initializer, the
// code `initscope train` runs), timed step by step after warm-up steps; Benchmarks/train.sh runs the NumPy
// reference of the same loop (Benchmarks/train_numpy.py) beside it and quotes the ratio.
// Legend: L = depth, n = width, B = batch; S = timed steps, W = warm-up steps (the first W steps are not timed).
import Foundation
import SignalFlow

/// The figures of one training benchmark.
struct TrainingBenchResult {
    let scenario: Scenario
    let configuration: TrainingConfiguration
    let threads: Int
    /// Wall seconds of each timed step.
    let stepSeconds: [Double]
    /// Training loss of the first and the last timed step.
    let firstLoss: Double, lastLoss: Double
    let peakRSSMebibytes: Double
    let otherLoadCores: Double

    /// Timed steps over their total wall time.
    var stepsPerSecond: Double { Double(stepSeconds.count) / stepSeconds.reduce(0, +) }

    /// Trains `scenario`'s first initializer for W + S steps and times steps W+1 ... W+S (each from the end of the
    /// step before to the end of its own: batch, forward, loss, backward, held-out evaluation, statistics, update).
    static func measure(scenario: Scenario, configuration: TrainingConfiguration, warmupSteps: Int,
                        threads: Int) throws -> TrainingBenchResult {
        let trainer = try Trainer(scenario: scenario, configuration: configuration)
        let start = LoadMeter.snapshot()
        var ends: [Double] = [], losses: [Double] = []
        ends.reserveCapacity(configuration.steps); losses.reserveCapacity(configuration.steps)
        let run = trainer.train(scenario.initializers[0]) { step in
            ends.append(BenchWorkload.now()); losses.append(step.loss)
        }
        if let step = run.divergedAtStep { throw TrainingError("the benchmark run diverged at step \(step); lower --lr") }
        // Step k (1-based) ends at ends[k - 1] and starts at ends[k - 2]: steps W + 1 ... W + S (W >= 1).
        let seconds = (warmupSteps..<ends.count).map { ends[$0] - ends[$0 - 1] }
        return TrainingBenchResult(scenario: scenario, configuration: configuration, threads: threads, stepSeconds: seconds,
                                   firstLoss: losses[warmupSteps], lastLoss: losses[losses.count - 1],
                                   peakRSSMebibytes: LoadMeter.peakRSSMebibytes(), otherLoadCores: LoadMeter.otherLoad(since: start))
    }

    func text() -> String {
        let s = scenario, c = configuration
        // The MLP's line as before; a resnet's or transformer's names its architecture (and normalization).
        let arch = s.architecture == .mlp ? "" : "arch=\(s.architecture.name) "
            + (s.architecture.residual.map { "norm=\($0.normalization.rawValue) " } ?? "")
        var out = "# initscope train bench: \(arch)L=\(s.depth) n=\(s.width) B=\(s.batch) act=\(s.activation.name) "
            + "init=\(s.initializers[0].name) optimizer=\(c.optimizer.kind.rawValue) lr=\(c.learningRate) "
            + "task=\(c.task.name) threads=\(threads) timed steps=\(stepSeconds.count)\n"
        out += String(format: "steps per second: %.3f  (step median %.4f s, min %.4f, max %.4f)\n", stepsPerSecond,
                      BenchResult.median(stepSeconds), stepSeconds.min() ?? .nan, stepSeconds.max() ?? .nan)
        out += String(format: "loss: %.5g at the first timed step, %.5g at the last\n", firstLoss, lastLoss)
        out += String(format: "peak RSS: %.0f MiB; other processes used %.2f of %d cores meanwhile\n",
                      peakRSSMebibytes, otherLoadCores, ProcessInfo.processInfo.activeProcessorCount)
        return out
    }

    func json() -> String {
        func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        let s = scenario, c = configuration
        var fields = ["\"impl\":\"initscope\"", "\"arch\":\"\(s.architecture.name)\"", "\"L\":\(s.depth)", "\"n\":\(s.width)",
                      "\"B\":\(s.batch)", "\"act\":\"\(s.activation.name)\"", "\"optimizer\":\"\(c.optimizer.kind.rawValue)\"",
                      "\"task\":\"\(c.task.name)\"", "\"threads\":\(threads)", "\"steps\":\(stepSeconds.count)"]
        if let options = s.architecture.residual {
            fields.append("\"norm\":\"\(options.normalization.rawValue)\"")
        }
        if let options = s.architecture.transformer {
            fields.append("\"T\":\(options.tokens)")
            fields.append("\"H\":\(options.heads)")
        }
        fields.append("\"steps_per_second\":\(number(stepsPerSecond))")
        fields.append("\"median_step_seconds\":\(number(BenchResult.median(stepSeconds)))")
        fields.append("\"first_loss\":\(number(firstLoss))")
        fields.append("\"last_loss\":\(number(lastLoss))")
        fields.append("\"peak_rss_mib\":\(number(peakRSSMebibytes))")
        fields.append("\"other_load\":\(number(otherLoadCores))")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
