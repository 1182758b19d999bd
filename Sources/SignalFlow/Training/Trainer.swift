// Trains a scenario's network (an MLP or a resnet on teacher or mixture, a transformer on bigram) once per initializer on the
// same task, batches, read-out (and embeddings), and reports every step; the loop itself is TrainingLoop.swift.
// Legend: B = batch (sequences for the transformer), n_l = widths[l], L = depth, o = outputs, S = steps,
// P = parameters; transformer: d = width, T = tokens, V = vocabulary.
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
    /// Largest vocabulary accepted by the bigram task.
    public static let maximumVocabulary = 4096

    /// The lowest expected loss: the task's (teacher), or the bigram language's conditional entropy over a
    /// sequence (exact, `BigramLanguage.floor`); nil for mixture.
    public var floor: Double? {
        if case .bigram(let vocabulary) = configuration.task {
            return BigramLanguage(vocabulary: vocabulary, seed: scenario.seed)
                .floor(tokens: scenario.architecture.transformer?.tokens ?? 1)
        }
        return configuration.task.floor
    }

    /// A trainer, its inputs checked: throws a one-line `TrainingError` for anything it cannot run.
    public init(scenario: Scenario, configuration: TrainingConfiguration) throws {
        let c = configuration
        switch scenario.architecture {
        case .mlp, .resnet:
            guard !c.task.isSequenceTask else {
                throw TrainingError("task bigram needs the transformer (--arch transformer): it predicts the next token of sequences through token embeddings")
            }
        case .transformer:
            guard c.task.isSequenceTask else {
                throw TrainingError("the transformer trains on --task bigram only (teacher and mixture are vectors, not token sequences)")
            }
        }
        try c.check()
        guard !scenario.initializers.isEmpty else { throw TrainingError("no initializer to train") }
        self.scenario = scenario; self.configuration = configuration
    }

    /// Bytes one Float32 run holds at its peak: parameters, gradients, optimizer state and the pre-update copy
    /// (5 P floats when Adam; the rest fewer), forward and backward buffers of the training and held-out batches,
    /// the teacher (Double, d x d) and a batch being generated in Double. Saturates instead of overflowing.
    public static func memoryBytes(scenario: Scenario, configuration: TrainingConfiguration) -> Int {
        if let options = scenario.architecture.transformer { return transformerMemoryBytes(scenario, options, configuration) }
        if scenario.architecture.residual != nil { return resnetMemoryBytes(scenario, configuration) }
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

    /// Bytes one Float32 resnet run holds: parameters, gradients, optimizer state, the pre-update copy and the
    /// backward pass's new gradients (6 P floats with Adam; P = L (2 n^2 + 4 n + 1) + n o + o with the norms' gamma
    /// and delta), the kept pass of one batch at a time (x, u, Nhat, H, A, F per block: 6 B n L floats) and a few
    /// B x n scratch arrays, the task's fixed part.
    static func resnetMemoryBytes(_ scenario: Scenario, _ configuration: TrainingConfiguration) -> Int {
        let n = scenario.width, depth = scenario.depth, outputs = configuration.task.outputCount, rows = scenario.batch
        let parameters = SaturatingSize.sum([SaturatingSize.product(depth, SaturatingSize.sum(SaturatingSize.product(n, n, 2), 4 * n + 1)),
                                             SaturatingSize.product(n, outputs + 1)])
        let floats = SaturatingSize.sum(SaturatingSize.product(parameters, 6),
                                        SaturatingSize.product(rows, n, SaturatingSize.sum(SaturatingSize.product(depth, 6), 8)))
        let fixedPart: Int
        if case .teacher = configuration.task { fixedPart = SaturatingSize.product(n, n + 1) }
        else { fixedPart = SaturatingSize.product(outputs, n) }
        let doubles = SaturatingSize.sum(fixedPart, SaturatingSize.product(rows, n, 2))
        return SaturatingSize.sum(SaturatingSize.product(floats, 4), SaturatingSize.product(doubles, 8))
    }

    /// Bytes one Float32 transformer run holds: parameters, gradients and optimizer state (5 P floats with Adam), the
    /// kept activations and scratch of one pass, the logits and their gradient (2 R V), the transitions (V^2 Double).
    static func transformerMemoryBytes(_ scenario: Scenario, _ options: TransformerOptions,
                                       _ configuration: TrainingConfiguration) -> Int {
        let d = scenario.width, v = configuration.task.outputCount, depth = scenario.depth
        let geometry = TransformerGeometry(sequences: scenario.batch, tokens: options.tokens, width: d, heads: options.heads)
        let parameters = SaturatingSize.sum([SaturatingSize.product(v, d, 2), v,
                                             SaturatingSize.product(depth, SaturatingSize.sum(SaturatingSize.product(d, d, 12), 2 * d))])
        let floats = SaturatingSize.sum([SaturatingSize.product(parameters, 5),
                                         TransformerTrainingBuffers<Float>.elementCount(geometry, depth: depth),
                                         SaturatingSize.product(geometry.rows, v, 3)])
        return SaturatingSize.sum(SaturatingSize.product(floats, 4), SaturatingSize.product(v, v, 16))
    }

    /// Trains every initializer in turn (Float32); `onStep(run, report)` after each step, from this thread.
    public func run(onStep: ((Int, TrainingStepReport) -> Void)? = nil) -> [TrainingRunReport] {
        scenario.initializers.enumerated().map { index, named in
            train(named, onStep: { onStep?(index, $0) })
        }
    }

    /// Trains one initializer in Float32.
    public func train(_ initializer: NamedInitializer, onStep: ((TrainingStepReport) -> Void)? = nil) -> TrainingRunReport {
        if scenario.architecture.transformer != nil { return trainTransformer(initializer, as: Float.self, onStep: onStep).report }
        if scenario.architecture.residual != nil { return trainResNet(initializer, as: Float.self, onStep: onStep).report }
        return train(initializer, as: Float.self, onStep: onStep).report
    }

    /// Trains one initializer's MLP in T; returns the report and the network after the last step taken.
    /// `beforeStep(t, network)` (TrainingControl.swift) runs before each step t; true stops the run there.
    func train<T: EngineScalar>(_ named: NamedInitializer, as: T.Type,
                                onStep: ((TrainingStepReport) -> Void)? = nil,
                                beforeStep: ((Int, TrainableMLP<T>) -> Bool)? = nil) -> (report: TrainingRunReport, network: TrainableMLP<T>) {
        let c = configuration, rows = scenario.batch, seed = scenario.seed
        let generator = TaskGenerator(task: c.task, inputWidth: scenario.widths[0], seed: seed)
        var calibration: TrainingBatch<T>? = nil
        if case .lsuv = named.initializer {
            var calibrationRandom = RandomSource(seed: seed, stream: TrainingStreams.calibration)
            calibration = generator.batch(rows: rows, random: &calibrationRandom)
        }
        var network = TrainableMLP<T>.initialized(scenario: scenario, initializer: named.initializer,
                                                  outputs: c.task.outputCount, calibration: calibration, threads: c.threads)
        let report = trainLoop(named, network: &network, generator: generator, onStep: onStep, beforeStep: beforeStep)
        return (report, network)
    }

    /// Trains one initializer's residual network in T (teacher or mixture); returns the report and the network.
    /// `beforeStep(t, network)` (TrainingControl.swift) runs before each step t; true stops the run there.
    func trainResNet<T: EngineScalar>(_ named: NamedInitializer, as: T.Type, onStep: ((TrainingStepReport) -> Void)? = nil,
                                      beforeStep: ((Int, TrainableResNet<T>) -> Bool)? = nil)
        -> (report: TrainingRunReport, network: TrainableResNet<T>) {
        let c = configuration
        var network = TrainableResNet<T>.initialized(scenario: scenario, initializer: named.initializer,
                                                     outputs: c.task.outputCount, threads: c.threads)
        let generator = TaskGenerator(task: c.task, inputWidth: scenario.width, seed: scenario.seed)
        let report = trainLoop(named, network: &network, generator: generator, onStep: onStep, beforeStep: beforeStep)
        return (report, network)
    }

    /// Trains one initializer's transformer in T on the bigram task; returns the report and the network.
    /// `beforeStep(t, network)` (TrainingControl.swift) runs before each step t; true stops the run there.
    func trainTransformer<T: EngineScalar>(_ named: NamedInitializer, as: T.Type, onStep: ((TrainingStepReport) -> Void)? = nil,
                                           beforeStep: ((Int, TrainableTransformer<T>) -> Bool)? = nil)
        -> (report: TrainingRunReport, network: TrainableTransformer<T>) {
        let c = configuration
        var network = TrainableTransformer<T>.initialized(scenario: scenario, initializer: named.initializer,
                                                          vocabulary: c.task.outputCount, threads: c.threads)
        let generator = TaskGenerator(task: c.task, inputWidth: scenario.width, seed: scenario.seed,
                                      tokens: network.geometry.tokens)
        let report = trainLoop(named, network: &network, generator: generator, onStep: onStep, beforeStep: beforeStep)
        return (report, network)
    }
}
