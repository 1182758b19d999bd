// The optimizers, with PyTorch's defaults and update rules (torch.optim, foreach off, no amsgrad/nesterov/maximize).
// Legend: p = a parameter, g = its gradient, t = 1-based step, lr = the step's rate (after warm-up).
//   sgd:      p -= lr g
//   momentum: b = mu b + g (b = g at t = 1; dampening 0); p -= lr b
//   adam:     m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= (lr / (1-b1^t)) m / (sqrt(v) / sqrt(1-b2^t) + eps)
//   adamw:    p *= 1 - lr wd (decoupled decay, every parameter), then the adam step
import Foundation

/// Which optimizer, and its hyper-parameters.
public struct OptimizerSettings: Equatable, Hashable, Sendable {
    /// The update rule.
    public enum Kind: String, Equatable, Hashable, Sendable, CaseIterable {
        case sgd, momentum, adam, adamw
    }
    /// The update rule.
    public var kind: Kind
    /// Momentum mu (momentum only; PyTorch has no default, the 0.9).
    public var momentum: Double = 0.9
    /// Adam's beta1 (0.9), beta2 (0.999) and eps (1e-8).
    public var beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
    /// Decoupled weight decay (AdamW only; PyTorch's default 0.01).
    public var weightDecay: Double = 0.01

    /// Settings with PyTorch's defaults.
    public init(kind: Kind) { self.kind = kind }
}

/// Per-parameter state of an optimizer, and its step.
struct OptimizerState<T: TrainingScalar> {
    let settings: OptimizerSettings
    /// Momentum buffer b, or Adam's first moment m (one array per parameter, empty until the first step).
    var first: [[T]] = []
    /// Adam's second moment v.
    var second: [[T]] = []
    /// Steps taken.
    var step = 0

    init(settings: OptimizerSettings) { self.settings = settings }

    /// Updates `parameters` in place with `gradients` at rate `lr` (one step).
    mutating func update(_ parameters: inout [[T]], gradients: [[T]], learningRate lr: Double) {
        step += 1
        let s = settings
        switch s.kind {
        case .sgd:
            let rate = T(lr)
            for p in parameters.indices { for i in parameters[p].indices { parameters[p][i] -= rate * gradients[p][i] } }
        case .momentum:
            let rate = T(lr), mu = T(s.momentum)
            if first.isEmpty { first = gradients } else {
                for p in first.indices { for i in first[p].indices { first[p][i] = mu * first[p][i] + gradients[p][i] } }
            }
            for p in parameters.indices { for i in parameters[p].indices { parameters[p][i] -= rate * first[p][i] } }
        case .adam, .adamw:
            if first.isEmpty {
                first = gradients.map { [T](repeating: 0, count: $0.count) }
                second = first
            }
            if s.kind == .adamw {
                let keep = T(1 - lr * s.weightDecay)
                for p in parameters.indices { for i in parameters[p].indices { parameters[p][i] *= keep } }
            }
            let b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.epsilon)
            let correction1 = 1 - Foundation.pow(s.beta1, Double(step))
            let correction2 = 1 - Foundation.pow(s.beta2, Double(step))
            let stepSize = T(lr / correction1), root2 = T(correction2.squareRoot())
            for p in parameters.indices {
                for i in parameters[p].indices {
                    let g = gradients[p][i]
                    first[p][i] = b1 * first[p][i] + (1 - b1) * g
                    second[p][i] = b2 * second[p][i] + (1 - b2) * g * g
                    parameters[p][i] -= stepSize * first[p][i] / (T.root(second[p][i]) / root2 + eps)
                }
            }
        }
    }
}

