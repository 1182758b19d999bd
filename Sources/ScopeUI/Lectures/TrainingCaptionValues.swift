// A training scene's caption values, read from the training run on screen: every row's held-out loss at one step,
// the caption's step s = the latest evaluation step every row still training has reached, so the numbers of one
// caption belong together and each is a point of the loss chart (rows train side by side and may be a few steps
// apart). Before the first evaluation every value reads "?" (pending), never a stale or made-up number.
// Legend: s = the caption's step; l_1 = a row's held-out loss at step 1, l_s = at step s; d = the step a row diverged at.
import SignalFlow

/// The values of a training run as a scene caption states them.
struct TrainingCaptionValues {
    /// The run on screen.
    var training: TrainingState
    /// The rows' names, in row order.
    var names: [String]

    /// The caption's step s: the latest evaluation step every row that has not diverged has a held-out loss at (when
    /// every row diverged, the last divergence); nil before that (a row still without a held-out loss).
    var step: Int? {
        let rows = training.heldOutLosses.indices.filter { names.indices.contains($0) }
        let going = rows.filter { divergedAt($0) == nil }
        if going.isEmpty { return rows.compactMap { divergedAt($0) }.max() }
        let lasts = going.map { training.heldOutLosses[$0].last?.step }
        guard !lasts.contains(where: { $0 == nil }) else { return nil }
        return lasts.compactMap { $0 }.min()
    }

    /// The step row `row` diverged at, nil while it has not.
    func divergedAt(_ row: Int) -> Int? {
        training.divergedAt.indices.contains(row) ? training.divergedAt[row] : nil
    }

    /// Row `row`'s held-out losses up to step `s`.
    func points(_ row: Int, upTo s: Int) -> [HeldOutLoss] {
        guard training.heldOutLosses.indices.contains(row) else { return [] }
        return training.heldOutLosses[row].filter { $0.step <= s }
    }

    /// Row `row` at step `s`: its held-out loss there, or nil when it had diverged by then (d <= s).
    enum Standing: Equatable { case loss(Double), diverged(Int), unknown }

    /// Where row `row` stands at step `s`.
    func standing(_ row: Int, at s: Int) -> Standing {
        if let d = divergedAt(row), d <= s { return .diverged(d) }
        guard let point = points(row, upTo: s).last, point.step == s else { return .unknown }
        return .loss(point.loss)
    }

    /// The value `value` of row `row` (a name) as the caption shows it; nil when the run has not reached it yet.
    func text(of value: CaptionTemplate.Value, row name: String) -> String? {
        let configuration = training.configuration
        switch value {
        case .steps: return "\(configuration.steps)"
        case .learningRate: return Caption.format(configuration.learningRate)
        case .optimizer: return configuration.optimizer.kind.rawValue
        case .task: return configuration.task.name
        case .floor: return configuration.task.floor.map { Caption.format($0) } ?? "-"
        default: break
        }
        guard let s = step else { return nil }
        let row = names.firstIndex(of: name)
        switch value {
        case .step: return "\(s)"
        case .loss:
            guard let row else { return nil }
            switch standing(row, at: s) {
            case .loss(let loss): return Self.number(loss)
            case .diverged: return "diverged"
            case .unknown: return nil
            }
        case .lossStart:
            guard let row, let first = points(row, upTo: s).first else { return nil }
            return Self.number(first.loss)
        case .outcome:
            guard let row else { return nil }
            return outcome(row, at: s)
        case .best, .bestLoss, .worst, .worstLoss:
            guard let ranked = ranking(at: s), let pick = (value == .best || value == .bestLoss) ? ranked.first : ranked.last else { return nil }
            if value == .best || value == .worst { return names[pick] }
            if case .loss(let loss) = standing(pick, at: s) { return Self.number(loss) }
            return "diverged"
        default: return nil
        }
    }

    /// "diverged at step 37", "halved by step 21" (the first evaluation below half of l_1) or "at 45% of its start"
    /// (l_s / l_1), by step `s`; nil with fewer than two evaluations.
    func outcome(_ row: Int, at s: Int) -> String? {
        if case .diverged(let d) = standing(row, at: s) { return "diverged at step \(d)" }
        let points = self.points(row, upTo: s)
        if let halved = TrainingCaption.halvingStep(points) { return "halved by step \(halved)" }
        guard points.count >= 2, let first = points.first?.loss, let last = points.last?.loss, first > 0, last.isFinite else {
            return nil
        }
        return "at \(Int((last / first * 100).rounded()))% of its start"
    }

    /// The rows ordered by held-out loss at step `s`, lowest first; rows that diverged by then come last, the
    /// earliest divergence last of all; ties keep row order. Nil while a row's standing is unknown.
    func ranking(at s: Int) -> [Int]? {
        var keyed: [(row: Int, diverged: Int?, loss: Double)] = []
        for row in names.indices where training.heldOutLosses.indices.contains(row) {
            switch standing(row, at: s) {
            case .loss(let loss): keyed.append((row, nil, loss.isFinite ? loss : .infinity))
            case .diverged(let d): keyed.append((row, d, .infinity))
            case .unknown: return nil
            }
        }
        return keyed.sorted { a, b in
            switch (a.diverged, b.diverged) {
            case (nil, nil): return a.loss < b.loss || (a.loss == b.loss && a.row < b.row)
            case (nil, _?): return true
            case (_?, nil): return false
            case (let x?, let y?): return x > y || (x == y && a.row < b.row)
            }
        }.map(\.row)
    }

    /// A loss as the caption and the training panel print it (three significant digits).
    static func number(_ value: Double) -> String { value.isFinite ? Caption.format(value) : "NaN/inf" }
}
