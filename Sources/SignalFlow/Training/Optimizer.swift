// The optimizers, with PyTorch's defaults and update rules (torch.optim, foreach off, no amsgrad/nesterov/maximize).
// Legend: p = a parameter, g = its gradient, t = 1-based step, lr = the step's rate (after warm-up).
//   sgd:      p -= lr g
//   momentum: b = mu b + g (b = g at t = 1; dampening 0); p -= lr b
//   adam:     m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= (lr / (1-b1^t)) m / (sqrt(v) / sqrt(1-b2^t) + eps)
//   adamw:    p *= 1 - lr wd (decoupled decay, every parameter), then the adam step
// Each element's arithmetic runs in T in that order, eight lanes at a time (TrainingKernels.update).
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
struct OptimizerState<T: EngineScalar> {
    let settings: OptimizerSettings
    /// Momentum buffer b, or Adam's first moment m (one array per parameter, empty until the first step).
    var first: [[T]] = []
    /// Adam's second moment v.
    var second: [[T]] = []
    /// Steps taken.
    var step = 0
    /// Threads of the element-wise pass (nil = the engine's count); the result does not depend on it.
    var threads: Int? = 1

    init(settings: OptimizerSettings, threads: Int? = 1) { self.settings = settings; self.threads = threads }

    /// Updates `parameters` in place with `gradients` at rate `lr` (one step); returns, per parameter, the moments
    /// of its values before the step and of the change.
    @discardableResult
    mutating func update(_ parameters: inout [[T]], gradients: [[T]], learningRate lr: Double) -> [UpdateMoments] {
        step += 1
        let s = settings
        let isFirst = first.isEmpty
        let rule: UpdateRule<T>
        switch s.kind {
        case .sgd:
            rule = .sgd(rate: T(lr))
        case .momentum:
            if isFirst { first = gradients.map { [T](repeating: 0, count: $0.count) } }
            rule = .momentum(rate: T(lr), mu: T(s.momentum), first: isFirst)
        case .adam, .adamw:
            if isFirst {
                first = gradients.map { [T](repeating: 0, count: $0.count) }
                second = first
            }
            let correction1 = 1 - Foundation.pow(s.beta1, Double(step))
            let correction2 = 1 - Foundation.pow(s.beta2, Double(step))
            rule = .adam(keep: s.kind == .adamw ? T(1 - lr * s.weightDecay) : nil, b1: T(s.beta1), b2: T(s.beta2),
                         step: T(lr / correction1), root2: T(correction2.squareRoot()), eps: T(s.epsilon))
        }
        // The state leaves self while its buffers are borrowed (no copy: the arrays move).
        var m = first, v = second
        first = []; second = []
        defer { first = m; second = v }
        let threads = self.threads
        return withMutableBuffers(&parameters) { p in
            withBuffers(gradients) { g in
                withMutableBuffers(&m) { mb in
                    withMutableBuffers(&v) { vb in
                        TrainingKernels.update(rule, parameters: p, gradients: g, first: mb, second: vb, threads: threads)
                    }
                }
            }
        }
    }
}
