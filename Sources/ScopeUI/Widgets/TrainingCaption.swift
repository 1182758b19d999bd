// The caption while the training panel is shown: the step and what is happening, with the held-out numbers of the
// run ("step 60/200, held-out loss: he fell below half its start at step 21 (0.41 -> 0.19); normal:1 diverged at
// step 37"), or what the sweep shows so far.
// Legend: S = steps of the run; l_1 = a row's held-out loss at step 1, l_t = at its last evaluation t.
import Foundation
import SignalFlow

/// Sentences about a training run or sweep, longest first.
public enum TrainingCaption {
    /// The caption's phrasings when the training panel is shown, nil otherwise.
    public static func phrasings(for state: AppState) -> [String]? {
        switch state.trainingPanel {
        case .curves?: return state.training.map { curves($0, names: state.scenario.initializers.map(\.name)) }
        case .sweep?: return state.sweep.map { sweep($0, names: state.scenario.initializers.map(\.name)) }
        case nil: return nil
        }
    }

    /// The first step at which `losses` (steps 1, 2, ...) fell below half of its first value, nil when it has not.
    public static func halvingStep(_ losses: [Double]) -> Int? {
        halvingStep(losses.enumerated().map { HeldOutLoss(step: $0.offset + 1, loss: $0.element) })
    }

    /// The first evaluation step at which the held-out loss fell below half of its first value, nil when it has not.
    public static func halvingStep(_ points: [HeldOutLoss]) -> Int? {
        guard let first = points.first?.loss, first.isFinite, first > 0 else { return nil }
        return points.first { $0.loss < first / 2 }?.step
    }

    /// Where the run stands: "step 37/200", "paused at step 37/200", "stopped at step 37/200", "done: 200 steps".
    static func where_(_ training: TrainingState) -> String {
        let total = training.configuration.steps, step = training.step
        switch training.phase {
        case .running: return step == 0 ? "training starts" : "step \(step)/\(total)"
        case .paused: return "paused at step \(step)/\(total)"
        case .stopped: return "stopped at step \(step)/\(total)"
        case .finished: return "done, step \(step)/\(total)"
        }
    }

    /// The run's phrasings: where it stands, then diverged rows, rows that halved their held-out loss (fastest
    /// first) and rows that have not, each with its held-out numbers; shorter phrasings keep fewer facts.
    static func curves(_ training: TrainingState, names: [String]) -> [String] {
        let head = where_(training)
        var facts: [(order: Int, long: String, short: String)] = []
        for (row, points) in training.heldOutLosses.enumerated() where names.indices.contains(row) {
            let name = names[row]
            if let step = training.divergedAt.indices.contains(row) ? training.divergedAt[row] : nil {
                facts.append((0, "\(name) diverged at step \(step)", "\(name) diverged at \(step)"))
                continue
            }
            guard let first = points.first?.loss, let last = points.last?.loss else { continue }
            let numbers = "(\(Caption.format(first)) -> \(Caption.format(last)))"
            if let step = halvingStep(points) {
                facts.append((1 + step, "\(name) fell below half its start at step \(step) \(numbers)",
                              "\(name) halved by step \(step) \(numbers)"))
            } else if points.count >= 2, first > 0 {
                let percent = Int((last / first * 100).rounded())
                facts.append((Int.max, "\(name) still at \(percent)% of its start (\(Caption.format(last)))",
                              "\(name) at \(percent)%"))
            }
        }
        // Diverged rows first, then rows by the step they halved their loss, then the rows that have not.
        facts.sort { $0.order < $1.order }
        guard !facts.isEmpty else { return [head + ": every row trains on the same batches", head] }
        var result = [head + ", held-out loss: " + facts.map(\.long).joined(separator: "; "),
                      head + ": " + facts.map(\.long).joined(separator: "; "), head + ": " + facts.map(\.short).joined(separator: "; ")]
        for count in stride(from: facts.count - 1, through: 1, by: -1) {
            result.append(head + ": " + facts.prefix(count).map(\.short).joined(separator: "; "))
        }
        result.append(head)
        return result
    }

    /// The sweep's phrasings: runs done, each row's best rate and the lowest rate it diverged at.
    static func sweep(_ sweep: SweepState, names: [String]) -> [String] {
        let total = sweep.rates.count * sweep.results.count
        let phase = sweep.phase == .running ? "" : sweep.phase == .stopped ? " (stopped)" : ""
        let head = "lr sweep, \(sweep.finishedCount)/\(total) runs of \(sweep.steps) steps\(phase)"
        var facts: [String] = [], short: [String] = []
        for (row, cells) in sweep.results.enumerated() where names.indices.contains(row) {
            let done = cells.compactMap { $0 }
            guard !done.isEmpty else { continue }
            var parts: [String] = []
            if let best = done.filter({ $0.finalLoss != nil }).min(by: { $0.finalLoss! < $1.finalLoss! }), let loss = best.finalLoss {
                parts.append("best at lr \(SweepHeatMap.rateLabel(best.learningRate)) (\(Caption.format(loss)))")
                short.append("\(names[row]) \(SweepHeatMap.rateLabel(best.learningRate))")
            }
            if let diverging = done.filter({ $0.finalLoss == nil }).map(\.learningRate).min() {
                parts.append("diverges from \(SweepHeatMap.rateLabel(diverging))")
            }
            guard !parts.isEmpty else { continue }
            facts.append("\(names[row]) " + parts.joined(separator: ", "))
        }
        guard !facts.isEmpty else { return [head] }
        var result = [head + ": " + facts.joined(separator: "; ")]
        for count in stride(from: short.count, through: 1, by: -1) {
            result.append(head + ": best lr " + short.prefix(count).joined(separator: ", "))
        }
        return result + [head]
    }
}
