// Learning-rate sensitivity: every initializer trained at every rate of a log-spaced range, each pair an
// independent run on one thread, the pairs spread over the engine's threads; the final held-out loss of a run is
// the median of the last 10% of its evaluations (at least one), or the step it diverged at.
// Legend: LOW..HIGH:N, rate_i = LOW (HIGH/LOW)^(i/(N-1)), i = 0...N-1 (N = 1: LOW alone).
import Foundation
import Synchronization

/// A log-spaced range of learning rates, "LOW..HIGH:N".
public struct LearningRateRange: Equatable, Sendable {
    /// Smallest rate (> 0).
    public var low: Double
    /// Largest rate (>= low).
    public var high: Double
    /// Number of rates N (1...maximumCount).
    public var count: Int

    /// Most rates in one sweep.
    public static let maximumCount = 100

    /// Parses "LOW..HIGH:N" (e.g. "1e-4..1:13"); throws a one-line TrainingError naming what is wrong.
    public static func parse(_ text: String) throws -> LearningRateRange {
        let shown = PrintableText.quoted(text)
        let format = "expected LOW..HIGH:N with 0 < LOW <= HIGH finite and N in 1...\(maximumCount), e.g. 1e-4..1:13"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[1]) else { throw TrainingError("malformed --lr-sweep '\(shown)'; \(format)") }
        let bounds = parts[0].components(separatedBy: "..")
        guard bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]) else {
            throw TrainingError("malformed --lr-sweep '\(shown)'; \(format)")
        }
        guard low.isFinite, high.isFinite, low > 0, high >= low, (1...maximumCount).contains(count) else {
            throw TrainingError("--lr-sweep '\(shown)' is out of range; \(format)")
        }
        return LearningRateRange(low: low, high: high, count: count)
    }

    /// Creates a range (unchecked; `parse` checks).
    public init(low: Double, high: Double, count: Int) { self.low = low; self.high = high; self.count = count }

    /// The N rates, log-spaced from low to high (both included).
    public var rates: [Double] {
        guard count > 1 else { return [low] }
        return (0..<count).map { i in i == count - 1 ? high : low * Foundation.pow(high / low, Double(i) / Double(count - 1)) }
    }
}

/// One (initializer, rate) pair of a sweep.
public struct SweepResult: Equatable, Sendable {
    /// The initializer's name.
    public var initializer: String
    /// The peak learning rate.
    public var learningRate: Double
    /// Median held-out loss of the last 10% of evaluations; nil when the run diverged.
    public var finalLoss: Double?
    /// The step the run diverged at; nil when it did not.
    public var divergedAt: Int?
}

extension Trainer {
    /// Median of the last ceil(10%) of a run's held-out evaluations; nil when it diverged or never evaluated.
    public static func finalLoss(of run: TrainingRunReport) -> Double? {
        guard run.divergedAtStep == nil else { return nil }
        let evaluations = run.steps.compactMap(\.heldOutLoss)
        guard !evaluations.isEmpty else { return nil }
        let tail = evaluations.suffix(Swift.max(1, (evaluations.count + 9) / 10)).sorted()
        let middle = tail.count / 2
        return tail.count % 2 == 1 ? tail[middle] : (tail[middle - 1] + tail[middle]) / 2
    }

    /// Trains every initializer at every rate, pairs in the order initializer-major, spread over `threads`
    /// threads (each run's products on its own thread, so the results do not depend on `threads`).
    /// `onDone(finished, total)` is called after each pair, from the thread that ran it.
    public func sweep(_ rates: [Double], threads: Int? = nil,
                      onDone: (@Sendable (Int, Int) -> Void)? = nil) -> [SweepResult] {
        let pairs = scenario.initializers.flatMap { named in rates.map { (named, $0) } }
        let results = Mutex([SweepResult?](repeating: nil, count: pairs.count))
        let finished = Atomic<Int>(0)
        Parallelism.run(pairs.count, threads: threads) { index in
            let (named, rate) = pairs[index]
            var configuration = self.configuration
            configuration.learningRate = rate
            configuration.threads = 1
            let run = (try? Trainer(scenario: scenario, configuration: configuration))?.train(named)
            let result = SweepResult(initializer: named.name, learningRate: rate, finalLoss: run.flatMap(Self.finalLoss),
                                     divergedAt: run?.divergedAtStep)
            results.withLock { $0[index] = result }
            let done = finished.add(1, ordering: .relaxed).newValue
            onDone?(done, pairs.count)
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}
