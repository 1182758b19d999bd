// What the live view knows about training: the loss curves of the run in progress (one per row) and the
// learning-rate sweep, as values the engine's training events fill in.
// Legend: S = steps of the run; t = 1-based step; rows = the scenario's initializers, in order; N = sweep rates.
import SignalFlow

/// How training runs in the live view: the same configuration for every row.
public enum LiveTraining {
    /// Teacher regression with label noise 0.1 (floor 0.01, drawn as a line), Adam at 1e-3, 200 steps, held-out
    /// loss every 10 steps.
    public static let configuration = TrainingConfiguration(task: .teacher(noise: 0.1),
                                                            optimizer: OptimizerSettings(kind: .adam),
                                                            learningRate: 1e-3, steps: 200)
    /// The rows' sparklines, histograms and statistics follow the network: a snapshot every this many steps.
    public static let snapshotEvery = 10
    /// The sweep's rates: 9 log-spaced from 1e-4 to 1 (Adam's default 1e-3 among them).
    public static let sweepRange = LearningRateRange(low: 1e-4, high: 1, count: 9)
    /// Steps of each sweep run (shorter than a training run: rows x rates runs).
    public static let sweepSteps = 50
}

/// What the panel under the rows shows while training is on screen.
public enum TrainingPanel: Equatable, Sendable {
    /// Each row's loss curve against steps.
    case curves
    /// The learning-rate sweep's heat map.
    case sweep
}

/// Where a run of the engine (training or sweep) stands.
public enum TrainingPhase: Equatable, Sendable {
    case running, paused, finished
    /// Stopped by the user (Esc, the same key again, or another run).
    case stopped
}

/// One training run of every row, as far as it has come.
public struct TrainingState: Equatable, Sendable {
    /// The configuration every row trains with.
    public var configuration: TrainingConfiguration
    /// The generation whose events fill this state.
    public var generation: Int
    /// Running, paused, finished or stopped.
    public var phase: TrainingPhase
    /// Training loss of each row at steps 1...t (index t - 1).
    public var losses: [[Double]]
    /// Held-out loss of each row at its evaluation steps (every k steps and the last), in step order.
    public var heldOutLosses: [[HeldOutLoss]]
    /// The step each row diverged at (non-finite loss or gradient), nil while it has not.
    public var divergedAt: [Int?]
    /// Updates applied to each row's network when its sparklines and histograms were last refreshed.
    public var snapshotStep: [Int?]
    /// The lowest expected loss, drawn as a line: the task's (teacher), or the bigram language's exact conditional
    /// entropy (the engine's `.floor` event: it depends on the seed and tokens); nil for mixture.
    public var floor: Double?

    /// No steps yet for `rows` rows.
    public init(configuration: TrainingConfiguration, generation: Int, rows: Int) {
        self.configuration = configuration; self.generation = generation; self.phase = .running
        losses = Array(repeating: [], count: rows)
        heldOutLosses = Array(repeating: [], count: rows)
        divergedAt = Array(repeating: nil, count: rows)
        snapshotStep = Array(repeating: nil, count: rows)
        floor = configuration.task.floor
    }

    /// The furthest step any row has reached.
    public var step: Int { losses.map(\.count).max() ?? 0 }

    /// True while the engine runs or holds it.
    public var isActive: Bool { phase == .running || phase == .paused }
}

/// The held-out loss at one evaluation step.
public struct HeldOutLoss: Equatable, Sendable {
    /// 1-based step t.
    public var step: Int
    /// Loss on the held-out batch before step t's update.
    public var loss: Double

    /// Creates a point.
    public init(step: Int, loss: Double) { self.step = step; self.loss = loss }
}

/// One learning-rate sweep of every row.
public struct SweepState: Equatable, Sendable {
    /// The generation whose events fill this state.
    public var generation: Int
    /// The rates, low to high.
    public var rates: [Double]
    /// Steps of each run.
    public var steps: Int
    /// Result of row r at rate i, results[r][i]; nil until that run finished.
    public var results: [[SweepResult?]]
    /// Running, finished or stopped.
    public var phase: TrainingPhase

    /// No results yet for `rows` rows.
    public init(generation: Int, rates: [Double], steps: Int, rows: Int) {
        self.generation = generation; self.rates = rates; self.steps = steps; self.phase = .running
        results = Array(repeating: Array(repeating: nil, count: rates.count), count: rows)
    }

    /// Runs finished so far.
    public var finishedCount: Int { results.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 == nil ? 0 : 1) } } }
}

/// Progress of a training run or sweep, posted by the engine worker.
public enum TrainingEvent: Equatable, Sendable {
    /// Row `row` finished step `step` with training loss `loss` and, at evaluation steps, the held-out loss.
    case step(row: Int, step: Int, loss: Double, heldOutLoss: Double? = nil)
    /// Row `row`'s network after `step` updates, measured per layer.
    case snapshot(row: Int, step: Int, layers: [LayerReport])
    /// Row `row` produced a non-finite loss or gradient at `step` and stopped.
    case diverged(row: Int, step: Int)
    /// One (row, rate) run of a sweep finished.
    case sweep(row: Int, rateIndex: Int, result: SweepResult)
    /// The run's floor, computed on the engine side (the bigram language's exact entropy costs O(T V^2): seconds
    /// at V = 4096, never on the run loop's thread); nil = none.
    case floor(Double?)
}
