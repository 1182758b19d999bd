// How a scenario is trained: task, optimizer, rate and schedule, clipping, evaluation interval; and what one
// training step reports.
// Legend: t = 1-based step, S = steps, k = evaluation interval, lr_t = lr * min(1, t / warmup).

/// Everything that defines a training run besides the scenario.
public struct TrainingConfiguration: Equatable, Hashable, Sendable {
    /// What is learned.
    public var task: TrainingTask
    /// The optimizer and its hyper-parameters.
    public var optimizer: OptimizerSettings
    /// Peak learning rate lr (> 0, finite).
    public var learningRate: Double
    /// Number of steps S.
    public var steps: Int
    /// Linear warm-up over this many steps (0 = none): lr_t = lr * min(1, t / warmup).
    public var warmupSteps: Int = 0
    /// Clip the global gradient norm to this (PyTorch clip_grad_norm_: g *= clip / (norm + 1e-6) when norm > clip);
    /// nil = off.
    public var clipNorm: Double? = nil
    /// The held-out loss is measured at steps 1, 1 + k, 1 + 2k, ... and at the last step.
    public var evaluationInterval: Int = 10
    /// GEMM threads (nil = the engine's count); the curves do not depend on it.
    public var threads: Int? = nil

    /// Steps accepted: 1...stepsLimit.
    public static let stepsLimit = 1_000_000

    /// A configuration; the rest at its defaults.
    public init(task: TrainingTask, optimizer: OptimizerSettings, learningRate: Double, steps: Int = 200) {
        self.task = task; self.optimizer = optimizer; self.learningRate = learningRate; self.steps = steps
    }

    /// The rate of step t (1-based), after warm-up.
    public func learningRate(atStep t: Int) -> Double {
        warmupSteps > 0 ? learningRate * Swift.min(1, Double(t) / Double(warmupSteps)) : learningRate
    }

    /// Throws a one-line `TrainingError` for a rate, step count, warm-up, interval, clip, momentum or task setting
    /// out of range (the architecture is checked by `Trainer.init`).
    public func check() throws {
        let c = self
        guard c.learningRate.isFinite, c.learningRate > 0 else {
            throw TrainingError("learning rate must be a positive finite number (got \(c.learningRate))")
        }
        guard (1...TrainingConfiguration.stepsLimit).contains(c.steps) else {
            throw TrainingError("steps \(c.steps) is out of range: accepted 1...\(TrainingConfiguration.stepsLimit)")
        }
        guard (0...TrainingConfiguration.stepsLimit).contains(c.warmupSteps) else {
            throw TrainingError("warm-up \(c.warmupSteps) is out of range: accepted 0...\(TrainingConfiguration.stepsLimit)")
        }
        guard (1...TrainingConfiguration.stepsLimit).contains(c.evaluationInterval) else {
            throw TrainingError("evaluation interval \(c.evaluationInterval) is out of range: accepted 1...\(TrainingConfiguration.stepsLimit)")
        }
        if let clip = c.clipNorm, !(clip.isFinite && clip > 0) {
            throw TrainingError("clip norm must be a positive finite number (got \(clip))")
        }
        guard c.optimizer.momentum.isFinite, (0..<1).contains(c.optimizer.momentum) else {
            throw TrainingError("momentum must be in [0, 1) (got \(c.optimizer.momentum))")
        }
        switch c.task {
        case .teacher(let noise):
            guard noise.isFinite, (0...Trainer.maximumNoise).contains(noise) else {
                throw TrainingError("noise must be in 0...\(Trainer.maximumNoise) (got \(noise))")
            }
        case .mixture(let classes):
            guard (2...Trainer.maximumClasses).contains(classes) else {
                throw TrainingError("classes \(classes) is out of range: accepted 2...\(Trainer.maximumClasses)")
            }
        case .bigram(let vocabulary):
            guard (2...Trainer.maximumVocabulary).contains(vocabulary) else {
                throw TrainingError("vocabulary \(vocabulary) is out of range: accepted 2...\(Trainer.maximumVocabulary)")
            }
        }
    }

    /// True when the held-out batch is measured at step t.
    public func evaluates(atStep t: Int) -> Bool { (t - 1) % Swift.max(evaluationInterval, 1) == 0 || t == steps }
}

/// One weight layer's numbers at one step (index L + 1 is the read-out).
public struct LayerTrainingStatistics: Equatable, Sendable {
    /// 1-based layer index; depth + 1 = read-out.
    public var index: Int
    /// std(W after - W before) / std(W before) of this step's update; nil when std(W before) = 0.
    public var updateToData: Double?
    /// Var(dL/dW) of the entries (before clipping).
    public var gradientVariance: Double
    /// Var(x^l) on the training batch (the read-out: Var(z)).
    public var activationVariance: Double
}

/// What one training step reports. Loss and gradient are those of the parameters before the step's update.
public struct TrainingStepReport: Equatable, Sendable {
    /// 1-based step t.
    public var step: Int
    /// Loss on the step's training batch.
    public var loss: Double
    /// Loss on the held-out batch (same parameters), at evaluation steps; nil between.
    public var heldOutLoss: Double?
    /// Held-out accuracy (mixture), at evaluation steps; nil otherwise.
    public var accuracy: Double?
    /// Global norm of every parameter's gradient (before clipping).
    public var gradientNorm: Double
    /// Per weight layer, 1...L and the read-out L + 1.
    public var layers: [LayerTrainingStatistics]
}

/// One initializer's training: its steps, and where it diverged.
public struct TrainingRunReport: Equatable, Sendable {
    /// The initializer trained.
    public var initializer: NamedInitializer
    /// The step whose loss, gradient or held-out loss was not finite (the run stopped there); nil = none.
    public var divergedAtStep: Int?
    /// Steps 1...S (or up to the step before divergence).
    public var steps: [TrainingStepReport]
}
