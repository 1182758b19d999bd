// The training loop every architecture shares, over a `TrainableNetwork`: one run of one initializer.
// Legend: t = 1-based step, S = steps, P = parameter tensors, layers = the network's reported layers (the read-out
// last). Step t: draw batch t from the task's stream; forward, loss, backward at the current parameters; the
// gradients' moments (the global norm); the held-out loss at evaluation steps; clip; update at lr_t. A non-finite
// loss, gradient norm or held-out loss stops the run at step t (reported as divergedAtStep = t; the steps before are
// kept). Every pass reuses the buffers of the step before.

/// A network the training loop can train.
protocol TrainableNetwork {
    associatedtype Scalar: EngineScalar
    /// Every parameter tensor, in the network's order.
    var parameters: [[Scalar]] { get set }
    /// Per reported layer (index 1, 2, ...; the read-out last), the parameter tensors its numbers are over.
    var reportedLayers: [[Int]] { get }
    /// Forward on `batch` and the loss with dL/d(output); when the loss is finite, backward into `gradients`
    /// (shaped as `parameters`, every entry overwritten) and the moments of each reported layer's output.
    mutating func trainingPass(_ batch: TrainingBatch<Scalar>, task: TrainingTask,
                               gradients: inout [[Scalar]]) -> (evaluation: LossEvaluation<Scalar>, outputs: [TensorMoments])
    /// The loss on `batch` (no gradient).
    mutating func evaluate(_ batch: TrainingBatch<Scalar>, task: TrainingTask) -> LossEvaluation<Scalar>
}

extension Trainer {
    /// Trains `network` from its initial parameters on `generator`'s batches; the held-out batch comes from its own
    /// stream. `onStep` after each step, from this thread.
    func trainLoop<N: TrainableNetwork>(_ named: NamedInitializer, network: inout N, generator: TaskGenerator,
                                        onStep: ((TrainingStepReport) -> Void)?,
                                        beforeStep: ((Int, N) -> Bool)? = nil) -> TrainingRunReport {
        typealias T = N.Scalar
        let c = configuration, task = c.task, rows = scenario.batch, seed = scenario.seed
        var heldOutRandom = RandomSource(seed: seed, stream: TrainingStreams.heldOut)
        let heldOut: TrainingBatch<T> = generator.batch(rows: rows, random: &heldOutRandom)
        var optimizer = OptimizerState<T>(settings: c.optimizer, threads: c.threads)
        var batchRandom = RandomSource(seed: seed, stream: TrainingStreams.trainingBatches)
        var steps: [TrainingStepReport] = []
        steps.reserveCapacity(c.steps)
        let layers = network.reportedLayers
        var gradients = network.parameters.map { [T](repeating: 0, count: $0.count) }
        func diverged(_ t: Int) -> TrainingRunReport { TrainingRunReport(initializer: named, divergedAtStep: t, steps: steps) }
        for t in 1...c.steps {
            // TrainingControl.swift: pause and stop between steps (the report then ends at step t - 1).
            if let beforeStep, beforeStep(t, network) { return TrainingRunReport(initializer: named, divergedAtStep: nil, steps: steps) }
            let batch: TrainingBatch<T> = generator.batch(rows: rows, random: &batchRandom)
            let (evaluation, outputMoments) = network.trainingPass(batch, task: task, gradients: &gradients)
            guard evaluation.loss.isFinite else { return diverged(t) }
            let gradientMoments = withBuffers(gradients) { TrainingKernels.moments($0, threads: c.threads) }
            let norm = gradientMoments.reduce(0.0) { $0 + $1.sumOfSquares }.squareRoot()
            guard norm.isFinite else { return diverged(t) }
            var heldOutLoss: Double? = nil, accuracy: Double? = nil
            if c.evaluates(atStep: t) {
                let heldOutEvaluation = network.evaluate(heldOut, task: task)
                guard heldOutEvaluation.loss.isFinite else { return diverged(t) }
                heldOutLoss = heldOutEvaluation.loss; accuracy = heldOutEvaluation.accuracy
            }
            if let clip = c.clipNorm, norm > clip {
                let coefficient = T(clip / (norm + 1e-6))
                withMutableBuffers(&gradients) { TrainingKernels.scale($0, by: coefficient, threads: c.threads) }
            }
            let updates = optimizer.update(&network.parameters, gradients: gradients, learningRate: c.learningRate(atStep: t))
            let statistics = layers.enumerated().map { index, tensors in
                var update = UpdateMoments(), gradient = TensorMoments()
                for p in tensors { update.add(updates[p]); gradient.add(gradientMoments[p]) }
                return LayerTrainingStatistics(index: index + 1, updateToData: update.updateToData,
                                               gradientVariance: gradient.variance,
                                               activationVariance: outputMoments[index].variance)
            }
            let report = TrainingStepReport(step: t, loss: evaluation.loss, heldOutLoss: heldOutLoss, accuracy: accuracy,
                                            gradientNorm: norm, layers: statistics)
            steps.append(report)
            onStep?(report)
        }
        return TrainingRunReport(initializer: named, divergedAtStep: nil, steps: steps)
    }
}

/// What an MLP's passes keep between steps: the training and held-out forward passes and the dL/dh scratch.
struct MLPTrainingWorkspace<T: EngineScalar> {
    var forward: TrainableMLP<T>.Forward? = nil
    var heldOut: TrainableMLP<T>.Forward? = nil
    var scratch: [[T]] = []
}

extension TrainableMLP: TrainableNetwork {
    typealias Scalar = T

    /// Layers 1...L and the read-out L + 1, each its weight matrix.
    var reportedLayers: [[Int]] { (1...(depth + 1)).map { [Self.weightIndex(layer: $0)] } }

    /// A Forward to reuse: the kept one (moved out, so its arrays are unique), or an empty one.
    private static func reuse(_ kept: inout Forward?, rows: Int) -> Forward {
        defer { kept = nil }
        return kept ?? Forward(input: [], preactivations: [], activations: [], outputs: [], rows: rows)
    }

    mutating func trainingPass(_ batch: TrainingBatch<T>, task: TrainingTask,
                               gradients: inout [[T]]) -> (evaluation: LossEvaluation<T>, outputs: [TensorMoments]) {
        var kept = Self.reuse(&workspace.forward, rows: batch.rows)
        defer { workspace.forward = kept }
        forward(batch.inputs, rows: batch.rows, into: &kept)
        let evaluation = TrainingLoss.evaluate(task, outputs: kept.outputs, batch: batch, withGradient: true)
        guard evaluation.loss.isFinite else { return (evaluation, []) }
        var scratch = workspace.scratch
        workspace.scratch = []
        backward(kept, outputGradient: evaluation.outputGradient, into: &gradients, scratch: &scratch)
        workspace.scratch = scratch
        let outputs = withBuffers(kept.activations + [kept.outputs]) { TrainingKernels.moments($0, threads: threads) }
        return (evaluation, outputs)
    }

    mutating func evaluate(_ batch: TrainingBatch<T>, task: TrainingTask) -> LossEvaluation<T> {
        var kept = Self.reuse(&workspace.heldOut, rows: batch.rows)
        defer { workspace.heldOut = kept }
        forward(batch.inputs, rows: batch.rows, into: &kept)
        return TrainingLoss.evaluate(task, outputs: kept.outputs, batch: batch, withGradient: false)
    }
}

extension TrainableTransformer: TrainableNetwork {
    typealias Scalar = T

    /// Blocks 1...L (their six weight matrices) and the read-out L + 1 (W_out).
    var reportedLayers: [[Int]] { blockLayers(weights: Array(0..<6)) }

    mutating func trainingPass(_ batch: TrainingBatch<T>, task: TrainingTask,
                               gradients: inout [[T]]) -> (evaluation: LossEvaluation<T>, outputs: [TensorMoments]) {
        let logits = forward(tokens: batch.tokens)
        let evaluation = TrainingLoss.evaluate(task, outputs: logits, batch: batch, withGradient: true)
        guard evaluation.loss.isFinite else { return (evaluation, []) }
        backward(tokens: batch.tokens, logitGradient: evaluation.outputGradient, into: &gradients)
        let count = geometry.rows * geometry.width
        let streams = (1...depth).map { UnsafeBufferPointer(start: UnsafePointer(buffers.streams[$0]), count: count) }
        let outputs = logits.withUnsafeBufferPointer { TrainingKernels.moments(streams + [$0], threads: threads) }
        return (evaluation, outputs)
    }

    mutating func evaluate(_ batch: TrainingBatch<T>, task: TrainingTask) -> LossEvaluation<T> {
        TrainingLoss.evaluate(task, outputs: forward(tokens: batch.tokens), batch: batch, withGradient: false)
    }
}
