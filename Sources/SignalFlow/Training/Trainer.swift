// Trains a scenario's MLP once per initializer on the same task, batches and read-out, and reports every step.
// Legend: B = batch, n_l = widths[l], L = depth, o = outputs, S = steps, P = parameters.
// Step t: draw batch t from the task's stream; forward, loss, backward at the current parameters; the held-out
// loss at evaluation steps; clip; update at lr_t. A non-finite loss, gradient norm or held-out loss stops that
// initializer at step t (reported as divergedAtStep = t; the steps before are kept).
import Foundation

/// Why a training run cannot start: one line.
public struct TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The one-line message.
    public var description: String
    /// Creates an error with a one-line message.
    public init(_ description: String) { self.description = description }
}

/// Trains every initializer of a scenario under one configuration.
public struct Trainer: Sendable {
    /// The network, sizes, activation, initializers and seed.
    public let scenario: Scenario
    /// Task, optimizer, rate and schedule.
    public let configuration: TrainingConfiguration

    /// Largest class count accepted by the mixture task.
    public static let maximumClasses = 1_000
    /// Largest label noise accepted by the teacher task.
    public static let maximumNoise = 1e6

    /// A trainer, its inputs checked: throws a one-line `TrainingError` for anything it cannot run.
    public init(scenario: Scenario, configuration: TrainingConfiguration) throws {
        guard scenario.architecture == .mlp else {
            throw TrainingError("training runs the plain MLP only (--arch mlp); other architectures are not trainable yet")
        }
        let c = configuration
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
            guard noise.isFinite, (0...Self.maximumNoise).contains(noise) else {
                throw TrainingError("noise must be in 0...\(Self.maximumNoise) (got \(noise))")
            }
        case .mixture(let classes):
            guard (2...Self.maximumClasses).contains(classes) else {
                throw TrainingError("classes \(classes) is out of range: accepted 2...\(Self.maximumClasses)")
            }
        }
        guard !scenario.initializers.isEmpty else { throw TrainingError("no initializer to train") }
        self.scenario = scenario; self.configuration = configuration
    }

    /// Bytes one Float32 run holds at its peak: parameters, gradients, optimizer state and the pre-update copy
    /// (5 P floats when Adam; the rest fewer), forward and backward buffers of the training and held-out batches,
    /// the teacher (Double, d x d) and a batch being generated in Double. Saturates instead of overflowing.
    public static func memoryBytes(scenario: Scenario, configuration: TrainingConfiguration) -> Int {
        let widths = scenario.widths, outputs = configuration.task.outputCount
        var parameters = SaturatingSize.product(widths.last ?? 0, outputs + 1)
        var units = 0
        for l in 1..<Swift.max(widths.count, 1) {
            parameters = SaturatingSize.sum(parameters, SaturatingSize.product(widths[l - 1] + 1, widths[l]))
            units = SaturatingSize.sum(units, widths[l])
        }
        let floats = SaturatingSize.sum([
            SaturatingSize.product(parameters, 5),
            SaturatingSize.product(scenario.batch, SaturatingSize.sum(units, widths.first ?? 0), 4),
        ])
        let d = widths.first ?? 0
        let fixedPart: Int   // teacher: A (d x d) and v; mixture: the K x d centres
        if case .teacher = configuration.task { fixedPart = SaturatingSize.product(d, d + 1) }
        else { fixedPart = SaturatingSize.product(outputs, d) }
        let doubles = SaturatingSize.sum(fixedPart, SaturatingSize.product(scenario.batch, d, 2))
        return SaturatingSize.sum(SaturatingSize.product(floats, 4), SaturatingSize.product(doubles, 8))
    }

    /// Trains every initializer in turn (Float32); `onStep(run, report)` after each step, from this thread.
    public func run(onStep: ((Int, TrainingStepReport) -> Void)? = nil) -> [TrainingRunReport] {
        scenario.initializers.enumerated().map { index, named in
            train(named, as: Float.self, onStep: { onStep?(index, $0) }).report
        }
    }

    /// Trains one initializer in Float32.
    public func train(_ initializer: NamedInitializer, onStep: ((TrainingStepReport) -> Void)? = nil) -> TrainingRunReport {
        train(initializer, as: Float.self, onStep: onStep).report
    }

    /// Trains one initializer in T; returns the report and the network after the last step taken.
    func train<T: EngineScalar>(_ named: NamedInitializer, as: T.Type,
                                  onStep: ((TrainingStepReport) -> Void)? = nil) -> (report: TrainingRunReport, network: TrainableMLP<T>) {
        let c = configuration, task = c.task, rows = scenario.batch, seed = scenario.seed
        let generator = TaskGenerator(task: task, inputWidth: scenario.widths[0], seed: seed)
        var heldOutRandom = RandomSource(seed: seed, stream: TrainingStreams.heldOut)
        let heldOut: TrainingBatch<T> = generator.batch(rows: rows, random: &heldOutRandom)
        var calibration: TrainingBatch<T>? = nil
        if case .lsuv = named.initializer {
            var calibrationRandom = RandomSource(seed: seed, stream: TrainingStreams.calibration)
            calibration = generator.batch(rows: rows, random: &calibrationRandom)
        }
        var network = TrainableMLP<T>.initialized(scenario: scenario, initializer: named.initializer,
                                                  outputs: task.outputCount, calibration: calibration, threads: c.threads)
        var optimizer = OptimizerState<T>(settings: c.optimizer, threads: c.threads)
        var batchRandom = RandomSource(seed: seed, stream: TrainingStreams.trainingBatches)
        var steps: [TrainingStepReport] = []
        steps.reserveCapacity(c.steps)
        let depth = network.depth
        // Buffers reused by every step: gradients, dL/dh, and what the forward passes keep.
        var gradients = network.parameters.map { [T](repeating: 0, count: $0.count) }
        var scratch: [[T]] = []
        var forward = TrainableMLP<T>.Forward(input: [], preactivations: [], activations: [], outputs: [], rows: rows)
        var heldOutForward = forward
        for t in 1...c.steps {
            let batch: TrainingBatch<T> = generator.batch(rows: rows, random: &batchRandom)
            network.forward(batch.inputs, rows: rows, into: &forward)
            let evaluation = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batch, withGradient: true)
            guard evaluation.loss.isFinite else { return (TrainingRunReport(initializer: named, divergedAtStep: t, steps: steps), network) }
            network.backward(forward, outputGradient: evaluation.outputGradient, into: &gradients, scratch: &scratch)
            let gradientMoments = withBuffers(gradients) { TrainingKernels.moments($0, threads: c.threads) }
            let norm = gradientMoments.reduce(0.0) { $0 + $1.sumOfSquares }.squareRoot()
            guard norm.isFinite else { return (TrainingRunReport(initializer: named, divergedAtStep: t, steps: steps), network) }
            var heldOutLoss: Double? = nil, accuracy: Double? = nil
            if c.evaluates(atStep: t) {
                network.forward(heldOut.inputs, rows: rows, into: &heldOutForward)
                let heldOutEvaluation = TrainingLoss.evaluate(task, outputs: heldOutForward.outputs, batch: heldOut,
                                                              withGradient: false)
                guard heldOutEvaluation.loss.isFinite else {
                    return (TrainingRunReport(initializer: named, divergedAtStep: t, steps: steps), network)
                }
                heldOutLoss = heldOutEvaluation.loss; accuracy = heldOutEvaluation.accuracy
            }
            let activationMoments = withBuffers(forward.activations + [forward.outputs]) {
                TrainingKernels.moments($0, threads: c.threads)
            }
            if let clip = c.clipNorm, norm > clip {
                let coefficient = T(clip / (norm + 1e-6))
                withMutableBuffers(&gradients) { TrainingKernels.scale($0, by: coefficient, threads: c.threads) }
            }
            let updates = optimizer.update(&network.parameters, gradients: gradients, learningRate: c.learningRate(atStep: t))
            let layers = (1...(depth + 1)).map { l in
                let w = TrainableMLP<T>.weightIndex(layer: l)
                return LayerTrainingStatistics(index: l, updateToData: updates[w].updateToData,
                                               gradientVariance: gradientMoments[w].variance,
                                               activationVariance: activationMoments[l - 1].variance)
            }
            let report = TrainingStepReport(step: t, loss: evaluation.loss, heldOutLoss: heldOutLoss, accuracy: accuracy,
                                            gradientNorm: norm, layers: layers)
            steps.append(report)
            onStep?(report)
        }
        return (TrainingRunReport(initializer: named, divergedAtStep: nil, steps: steps), network)
    }
}
