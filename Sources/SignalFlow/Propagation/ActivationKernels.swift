// Element-wise Float32 kernels of the propagation: phi in place, and phi' recovered from the kept
// activation x = phi(h) (or from h for GELU, and for leaky ReLU with a non-positive slope).
// Legend: N = number of elements of a B x n block.
import Foundation

extension Activation {
    /// True when phi'(h) can be computed from x = phi(h) alone, so h need not be kept.
    public var derivativeFromActivationValue: Bool {
        switch self {
        case .gelu: return false
        case .leakyRelu(let slope): return slope > 0
        default: return true
        }
    }

    /// Applies phi in place to the N elements of `values` (h in, x = phi(h) out); large blocks in two halves
    /// on two threads (element-wise, so the result is the same).
    public func applyInPlace(_ values: inout MutableSpan<Float>) {
        values.withUnsafeMutableBufferPointer { applyInPlace($0) }
    }

    /// `applyInPlace` on a buffer (engine-internal).
    func applyInPlace(_ values: UnsafeMutableBufferPointer<Float>) {
        guard values.count >= Activation.parallelThreshold, let base = values.baseAddress else { applySerially(values); return }
        let half = values.count / 2
        Parallelism.run(2) { part in
            applySerially(part == 0 ? UnsafeMutableBufferPointer(start: base, count: half)
                                    : UnsafeMutableBufferPointer(start: base + half, count: values.count - half))
        }
    }

    /// Blocks of at least this many elements are split over two threads.
    static let parallelThreshold = 1 << 16

    /// `applyInPlace` on the calling thread.
    func applySerially(_ values: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .linear: return
        case .tanh: for i in values.indices { values[i] = fastTanh(values[i]) }
        case .relu: for i in values.indices { values[i] = Swift.max(values[i], 0) }
        case .leakyRelu(let slope):
            let s = Float(slope)
            for i in values.indices { let h = values[i]; values[i] = h > 0 ? h : s * h }
        case .sigmoid: for i in values.indices { values[i] = 1 / (1 + Foundation.expf(-values[i])) }
        case .gelu:
            let r = Float(0.5.squareRoot())
            for i in values.indices { let h = values[i]; values[i] = 0.5 * h * (1 + Foundation.erff(h * r)) }
        case .selu:
            let lambda = Float(Activation.seluLambda), la = Float(Activation.seluLambda * Activation.seluAlpha)
            for i in values.indices { let h = values[i]; values[i] = h > 0 ? lambda * h : la * Foundation.expm1f(h) }
        }
    }

    /// gradient[i] *= phi'(h_i) where `kept` holds x = phi(h) (or h itself when
    /// `derivativeFromActivationValue` is false). Shapes of `gradient` and `kept` are equal. With `preactivation`
    /// (h, same shape), phi'(h_i) is NaN where h_i is NaN or infinite: the gradient there is not a number.
    /// A non-finite upstream gradient stays non-finite (NaN * 0 = NaN), also where ReLU is off.
    public func multiplyByDerivative(_ gradient: inout MutableSpan<Float>, kept: Span<Float>,
                                     preactivation: Span<Float>? = nil) {
        gradient.withUnsafeMutableBufferPointer { g in
            kept.withUnsafeBufferPointer { k in
                guard let preactivation else { multiplyByDerivative(g, kept: k); return }
                preactivation.withUnsafeBufferPointer { multiplyByDerivative(g, kept: k, preactivation: $0) }
            }
        }
    }

    /// `multiplyByDerivative` on buffers (engine-internal).
    func multiplyByDerivative(_ gradient: UnsafeMutableBufferPointer<Float>, kept: UnsafeBufferPointer<Float>,
                              preactivation: UnsafeBufferPointer<Float>? = nil) {
        multiplyByDerivativeOfValues(gradient, kept: kept)
        guard let h = preactivation else { return }
        Invariant.require(h.count == gradient.count, "derivative: shape mismatch")
        for i in gradient.indices where !h[i].isFinite { gradient[i] = .nan }
    }

    /// `multiplyByDerivative` without the pre-activation check.
    func multiplyByDerivativeOfValues(_ gradient: UnsafeMutableBufferPointer<Float>, kept: UnsafeBufferPointer<Float>) {
        Invariant.require(gradient.count == kept.count, "derivative: shape mismatch")
        guard gradient.count >= Activation.parallelThreshold, let g = gradient.baseAddress, let k = kept.baseAddress else {
            multiplyByDerivativeSerially(gradient, kept: kept); return
        }
        let half = gradient.count / 2, rest = gradient.count - half
        Parallelism.run(2) { part in
            if part == 0 {
                multiplyByDerivativeSerially(UnsafeMutableBufferPointer(start: g, count: half), kept: UnsafeBufferPointer(start: k, count: half))
            } else {
                multiplyByDerivativeSerially(UnsafeMutableBufferPointer(start: g + half, count: rest),
                                             kept: UnsafeBufferPointer(start: k + half, count: rest))
            }
        }
    }

    /// `multiplyByDerivative` on the calling thread.
    func multiplyByDerivativeSerially(_ gradient: UnsafeMutableBufferPointer<Float>, kept: UnsafeBufferPointer<Float>) {
        switch self {
        case .linear: return
        case .tanh: for i in gradient.indices { let x = kept[i]; gradient[i] *= 1 - x * x }
        case .sigmoid: for i in gradient.indices { let x = kept[i]; gradient[i] *= x * (1 - x) }
        case .relu:
            // Off units give g - g: +0 for a finite g (as before), NaN for NaN or infinity (as NaN * 0 would).
            for i in gradient.indices { let g = gradient[i]; gradient[i] = kept[i] > 0 ? g : g - g }
        case .leakyRelu(let slope):
            let s = Float(slope)
            // x > 0 iff h > 0 when slope > 0; otherwise `kept` holds h. Either way the test is on kept > 0.
            for i in gradient.indices { gradient[i] *= kept[i] > 0 ? 1 : s }
        case .selu:
            let lambda = Float(Activation.seluLambda), la = Float(Activation.seluLambda * Activation.seluAlpha)
            // x = la (e^h - 1) for h <= 0, so phi'(h) = la e^h = x + la.
            for i in gradient.indices { let x = kept[i]; gradient[i] *= x > 0 ? lambda : x + la }
        case .gelu:
            let r = Float(0.5.squareRoot()), c = Float(1 / (2 * Double.pi).squareRoot())
            for i in gradient.indices {
                let h = kept[i]
                gradient[i] *= 0.5 * (1 + Foundation.erff(h * r)) + h * c * Foundation.expf(-0.5 * h * h)
            }
        }
    }
}

/// tanh in Float32 by Eigen's 13/6 rational approximation (branch-free, so loops over it vectorise);
/// clamps |x| at 7.9053111 where tanh rounds to +-1; max error a few ulp (tested against Double tanh).
@inline(__always)
public func fastTanh(_ input: Float) -> Float {
    let x = Swift.min(Swift.max(input, -7.90531110763549805), 7.90531110763549805)
    let x2 = x * x
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 - 8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p = p * x
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    let y = p / q
    return Swift.abs(input) < 0.0004 ? input : y
}
