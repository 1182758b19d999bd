// The losses: mean squared error (teacher) and softmax cross-entropy (mixture), with their gradients with respect
// to the read-out's output z. Sums in Double.
// Legend: z = B x o outputs; y = B x o targets; labels = B class indices; MSE = sum (z - y)^2 / (B o);
// CE = mean over rows of logsumexp(z_r) - z_r[label_r].
import Foundation

/// A loss value, the fraction of rows classified right (nil for regression), and dL/dz (B x o).
struct LossEvaluation<T: EngineScalar> {
    var loss: Double
    var accuracy: Double?
    var outputGradient: [T]
}

enum TrainingLoss {
    /// The task's loss of outputs `z` (rows x o) on `batch`, and dL/dz when `withGradient`.
    static func evaluate<T: EngineScalar>(_ task: TrainingTask, outputs z: [T], batch: TrainingBatch<T>,
                                            withGradient: Bool) -> LossEvaluation<T> {
        switch task {
        case .teacher: return meanSquaredError(outputs: z, targets: batch.targets, withGradient: withGradient)
        case .mixture(let classes), .bigram(let classes):
            return crossEntropy(logits: z, labels: batch.labels, classes: classes, withGradient: withGradient)
        }
    }

    /// sum (z - y)^2 / count, dL/dz = 2 (z - y) / count.
    static func meanSquaredError<T: EngineScalar>(outputs z: [T], targets y: [T], withGradient: Bool) -> LossEvaluation<T> {
        Invariant.require(z.count == y.count, "MSE: \(z.count) outputs for \(y.count) targets")
        var sum = 0.0
        for i in z.indices { let e = Double(z[i]) - Double(y[i]); sum += e * e }
        let count = Double(Swift.max(z.count, 1))
        var gradient: [T] = []
        if withGradient {
            let factor = T(2 / count)
            gradient = (0..<z.count).map { factor * (z[$0] - y[$0]) }
        }
        return LossEvaluation(loss: sum / count, accuracy: nil, outputGradient: gradient)
    }

    /// Mean softmax cross-entropy (stable: logits shifted by their row maximum); dL/dz = (softmax - onehot) / B.
    static func crossEntropy<T: EngineScalar>(logits z: [T], labels: [Int], classes k: Int,
                                                withGradient: Bool) -> LossEvaluation<T> {
        let rows = labels.count
        Invariant.require(z.count == rows * k, "cross-entropy: \(z.count) logits for \(rows) x \(k)")
        var sum = 0.0, right = 0
        var gradient = withGradient ? [T](repeating: 0, count: z.count) : []
        for r in 0..<rows {
            let row = r * k
            var maximum = Double(z[row]), best = 0
            for c in 1..<Swift.max(k, 1) where Double(z[row + c]) > maximum { maximum = Double(z[row + c]); best = c }
            if !maximum.isFinite { maximum = 0 }   // a non-finite logit makes the loss non-finite below
            var total = 0.0
            for c in 0..<k { total += Foundation.exp(Double(z[row + c]) - maximum) }
            sum += maximum + Foundation.log(total) - Double(z[row + labels[r]])
            if best == labels[r] { right += 1 }
            if withGradient {
                let scale = 1 / (total * Double(rows))
                for c in 0..<k {
                    let p = Foundation.exp(Double(z[row + c]) - maximum) * scale
                    gradient[row + c] = T(p - (c == labels[r] ? 1 / Double(rows) : 0))
                }
            }
        }
        return LossEvaluation(loss: sum / Double(Swift.max(rows, 1)), accuracy: Double(right) / Double(Swift.max(rows, 1)),
                              outputGradient: gradient)
    }
}

