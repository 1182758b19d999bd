// Training driven from another thread (the live view): pause and stop between steps, and snapshots of the network
// as it trains, measured like a propagation run (LayerReports) on the task's held-out batch.
// Legend: t = 1-based step; a snapshot taken before step t shows the network after t - 1 updates; k = snapshot
// interval in steps; B = batch rows, n_l = widths[l], L = depth.
import Foundation
import Synchronization

/// Pause and stop for a training run, checked before every step (a run stops within one step).
public final class TrainingControl: Sendable {
    /// Set to stop the run before its next step.
    public let cancellation: CancellationToken
    private let pausedNow: @Sendable () -> Bool

    /// A control stopped by `cancellation`, held before each step while `isPaused()` is true.
    public init(cancellation: CancellationToken, isPaused: @escaping @Sendable () -> Bool = { false }) {
        self.cancellation = cancellation; self.pausedNow = isPaused
    }

    /// Waits (polling every `pollMilliseconds`) while paused; true when the run must stop.
    public func waitWhilePaused(pollMilliseconds: Int = 10) -> Bool {
        while !cancellation.isCancelled && pausedNow() { usleep(useconds_t(max(1, pollMilliseconds) * 1000)) }
        return cancellation.isCancelled
    }
}

/// The network of one run after `step` updates, measured on the task's held-out batch: per layer h^l, x^l,
/// dL/dh^l, W^l (and dL/dW^l when the plan asks), histograms of the plan's quantities.
public struct TrainingSnapshot: Equatable, Sendable {
    /// Updates applied so far (0 = the initialization).
    public var step: Int
    /// Layers 1...L.
    public var layers: [LayerReport]
}

extension Trainer {
    /// Trains one initializer in Float32 like `train(_:onStep:)`, stopping before a step when `control` says so
    /// (the report then ends at the last step taken, not diverged); `onSnapshot` gets the network measured with
    /// `plan` before steps 1, 1 + k, 1 + 2k, ... (k = `snapshotEvery`, 0 = never) and after the last step taken.
    public func train(_ named: NamedInitializer, control: TrainingControl, snapshotEvery: Int = 0,
                      plan: MeasurementPlan = .everything,
                      onStep: ((TrainingStepReport) -> Void)? = nil,
                      onSnapshot: ((TrainingSnapshot) -> Void)? = nil) -> TrainingRunReport {
        let generator = TaskGenerator(task: configuration.task, inputWidth: scenario.widths[0], seed: scenario.seed,
                                      tokens: scenario.architecture.transformer?.tokens ?? 1)
        var random = RandomSource(seed: scenario.seed, stream: TrainingStreams.heldOut)
        let heldOut: TrainingBatch<Float> = snapshotEvery > 0 && onSnapshot != nil
            ? generator.batch(rows: scenario.batch, random: &random) : TrainingBatch(rows: 0, inputs: [], targets: [], labels: [])
        let task = configuration.task
        /// The hook before step t: pause, a snapshot every k steps, stop.
        func hook<N>(_ measure: @escaping (N) -> [LayerReport]) -> (Int, N) -> Bool {
            { t, network in
                if control.waitWhilePaused() { return true }
                if snapshotEvery > 0, let onSnapshot, (t - 1) % snapshotEvery == 0 {
                    onSnapshot(TrainingSnapshot(step: t - 1, layers: measure(network)))
                }
                return control.cancellation.isCancelled
            }
        }
        let report: TrainingRunReport, finalLayers: () -> [LayerReport]
        if scenario.architecture.transformer != nil {
            let measure = { (network: TrainableTransformer<Float>) in network.measuredLayers(on: heldOut, task: task, plan: plan) }
            let (run, network) = trainTransformer(named, as: Float.self, onStep: onStep, beforeStep: hook(measure))
            report = run; finalLayers = { measure(network) }
        } else if scenario.architecture.residual != nil {
            let measure = { (network: TrainableResNet<Float>) in network.measuredLayers(on: heldOut, task: task, plan: plan) }
            let (run, network) = trainResNet(named, as: Float.self, onStep: onStep, beforeStep: hook(measure))
            report = run; finalLayers = { measure(network) }
        } else {
            let measure = { (network: TrainableMLP<Float>) in network.measuredLayers(on: heldOut, task: task, plan: plan) }
            let (run, network) = train(named, as: Float.self, onStep: onStep, beforeStep: hook(measure))
            report = run; finalLayers = { measure(network) }
        }
        if snapshotEvery > 0, let onSnapshot, report.divergedAtStep == nil, !control.cancellation.isCancelled {
            onSnapshot(TrainingSnapshot(step: report.steps.count, layers: finalLayers()))
        }
        return report
    }
}

extension TrainableMLP {
    /// Forward and backward on `batch` (the task's loss), measured per layer like a propagation run: statistics of
    /// h^l, x^l (saturation by the activation's bounds), dL/dh^l, W^l and, when `plan.weightGradients`, dL/dW^l;
    /// histograms for `plan.histogramQuantities`.
    func measuredLayers(on batch: TrainingBatch<T>, task: TrainingTask, plan: MeasurementPlan) -> [LayerReport] {
        guard depth >= 1, batch.rows > 0 else { return [] }
        let rows = batch.rows
        let forward = self.forward(batch.inputs, rows: rows)
        var delta = TrainingLoss.evaluate(task, outputs: forward.outputs, batch: batch, withGradient: true).outputGradient
        var deltas = [[T]](repeating: [], count: depth)   // dL/dh^l, rows x n_l
        for l in stride(from: depth + 1, through: 2, by: -1) {
            let (fanIn, fanOut) = shape(layer: l)
            var upstream = [T](repeating: 0, count: rows * fanIn)
            T.multiply(m: rows, n: fanIn, k: fanOut, delta, transposeA: false, parameters[Self.weightIndex(layer: l)],
                           transposeB: true, into: &upstream, alpha: 1, beta: 0, threads: threads)
            let h = forward.preactivations[l - 2], a = forward.activations[l - 2], phi = activation
            upstream.withUnsafeMutableBufferPointer { gradient in
                h.withUnsafeBufferPointer { h in
                    a.withUnsafeBufferPointer { a in T.multiplyByDerivative(phi, gradient, preactivation: h, activation: a) }
                }
            }
            deltas[l - 2] = upstream
            delta = upstream
        }
        let saturation = SaturationRule.activationValues(of: activation)
        func measured(_ tensor: [T], _ quantity: Quantity, _ rule: SaturationRule = .none) -> QuantityReport {
            let values = (tensor as? [Float]) ?? tensor.map { Float($0) }   // statistics read Float32
            return plan.histogramQuantities.contains(quantity)
                ? TensorStatistics.report(values.span, saturation: rule)
                : QuantityReport(stats: TensorStatistics.summarize(values.span, saturation: rule))
        }
        return (1...depth).map { l in
            var quantities: [Quantity: QuantityReport] = [
                .preactivation: measured(forward.preactivations[l - 1], .preactivation),
                .activation: measured(forward.activations[l - 1], .activation, saturation),
                .activationGradient: measured(deltas[l - 1], .activationGradient),
                .weight: measured(parameters[Self.weightIndex(layer: l)], .weight),
            ]
            if plan.weightGradients {
                let (fanIn, fanOut) = shape(layer: l)
                var gradient = [T](repeating: 0, count: fanIn * fanOut)
                T.multiply(m: fanIn, n: fanOut, k: rows, forward.activation(l - 1), transposeA: true, deltas[l - 1],
                               transposeB: false, into: &gradient, alpha: 1, beta: 0, threads: threads)
                quantities[.weightGradient] = measured(gradient, .weightGradient)
            }
            return LayerReport(index: l, quantities: quantities)
        }
    }
}

extension SweepResult {
    /// A sweep result made outside the trainer (the live view's sweep runs its pairs itself, to stop them).
    public init(named initializer: String, learningRate: Double, finalLoss: Double?, divergedAt: Int?) {
        self.initializer = initializer; self.learningRate = learningRate; self.finalLoss = finalLoss; self.divergedAt = divergedAt
    }
}
