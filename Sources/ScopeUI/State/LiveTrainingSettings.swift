// What `T` and `L` train in the live view and in lectures: the command line's training flags (the same as
// `initscope train`), or the fixed defaults (teacher with noise 0.1, Adam at 1e-3, 200 steps; the sweep 1e-4..1:9 of
// 50 steps each). Without --task the task follows the architecture on screen (teacher; bigram for the transformer).
import SignalFlow

/// The training settings of the live view.
public struct LiveTrainingSettings: Equatable, Sendable {
    /// Optimizer, rate, steps, warm-up, clip and evaluation interval; its task is used only when `task` is set.
    public var configuration: TrainingConfiguration
    /// The task given with --task; nil = the architecture's default (`defaultVectorTask` or `defaultSequenceTask`).
    public var task: TrainingTask?
    /// The task of the MLP and the resnet when --task is absent (teacher, noise from --noise, default 0.1).
    public var defaultVectorTask: TrainingTask
    /// The transformer's task when --task is absent (bigram over --vocab tokens).
    public var defaultSequenceTask: TrainingTask
    /// The rates `L` sweeps.
    public var sweepRange: LearningRateRange
    /// Steps of each sweep run (rows x rates runs: shorter than a training run unless --steps says otherwise).
    public var sweepSteps: Int

    /// Settings from the flags' values.
    public init(configuration: TrainingConfiguration, task: TrainingTask? = nil,
                defaultVectorTask: TrainingTask = .teacher(noise: 0.1), defaultSequenceTask: TrainingTask = .bigram(vocabulary: 64),
                sweepRange: LearningRateRange = LiveTraining.sweepRange, sweepSteps: Int = LiveTraining.sweepSteps) {
        self.configuration = configuration; self.task = task; self.defaultVectorTask = defaultVectorTask
        self.defaultSequenceTask = defaultSequenceTask; self.sweepRange = sweepRange; self.sweepSteps = sweepSteps
    }

    /// The live view's defaults (no training flags).
    public static let standard = LiveTrainingSettings(configuration: LiveTraining.configuration)

    /// The configuration a training run of `architecture` uses.
    public func configuration(for architecture: Architecture) -> TrainingConfiguration {
        var result = configuration
        result.task = task ?? (architecture.transformer != nil ? defaultSequenceTask : defaultVectorTask)
        return result
    }

    /// The configuration of one sweep run of `architecture` (its steps `sweepSteps`).
    public func sweepConfiguration(for architecture: Architecture) -> TrainingConfiguration {
        var result = configuration(for: architecture)
        result.steps = sweepSteps
        result.warmupSteps = Swift.min(result.warmupSteps, sweepSteps)
        return result
    }
}
