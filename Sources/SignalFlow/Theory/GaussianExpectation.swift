// One-dimensional Gaussian expectations E_z[g(sqrt(q) z)] for the mean-field maps (reference sections 2.9, 3.5, 3.6).
// Legend: q = pre-activation second moment (>= 0), z ~ N(0, 1), s = sqrt(q).
import Foundation

/// E_z of activation-derived functions at pre-activation second moment q: closed forms where they exist
/// (linear, ReLU, leaky ReLU, SELU), otherwise quadrature chosen by q (see `expectation(q:_:)`).
public enum GaussianExpectation {
    /// E_z[g(sqrt(q) z)] by the node-count rule of reference 3.6: 64 Gauss-Hermite nodes for q <= 1, 256 for
    /// q <= 5; beyond, composite Simpson on z in [-8.5, 8.5], split at +-min(8.5, 24/sqrt q) so that the steep
    /// centre (|sqrt(q) z| <= 24, where bounded activations still vary) gets 1200 intervals and each flank 1200
    /// (absolute error < 1e-7 for tanh/sigmoid/GELU integrands at any finite q). q <= 0 gives g(0).
    public static func expectation(q: Double, _ g: (Double) -> Double) -> Double {
        guard q > 0 else { return g(0) }
        let s = q.squareRoot()
        if q <= 1 { return GaussHermiteRule.sixtyFour.expectation { g(s * $0) } }
        if q <= 5 { return GaussHermiteRule.twoHundredFiftySix.expectation { g(s * $0) } }
        let outer = 8.5
        let inner = Swift.min(outer, 24 / s)
        func density(_ z: Double) -> Double { Foundation.exp(-0.5 * z * z) * 0.3989422804014327 }
        func simpson(_ a: Double, _ b: Double, intervals: Int) -> Double {
            let h = (b - a) / Double(intervals)
            var sum = density(a) * g(s * a) + density(b) * g(s * b)
            for k in 1..<intervals {
                let z = a + Double(k) * h
                sum += (k % 2 == 1 ? 4 : 2) * density(z) * g(s * z)
            }
            return sum * h / 3
        }
        var total = simpson(-inner, inner, intervals: 1200)
        if inner < outer { total += simpson(-outer, -inner, intervals: 1200) + simpson(inner, outer, intervals: 1200) }
        return total
    }

    /// E[phi(sqrt(q) z)^2]. Infinite q: +inf for unbounded phi, the saturation limit for tanh (1) and sigmoid (1/2).
    public static func squaredValue(_ activation: Activation, q: Double) -> Double {
        let q = Swift.max(q, 0)
        switch activation {
        case .linear: return q
        case .relu: return q / 2
        case .leakyRelu(let slope): return (1 + slope * slope) * q / 2
        case .selu:
            if q == .infinity { return .infinity }
            let lambda = Activation.seluLambda, alpha = Activation.seluAlpha, s = q.squareRoot()
            let tails = ScaledErrorFunction.gaussianTailProduct(2 * s) - 2 * ScaledErrorFunction.gaussianTailProduct(s) + 0.5
            return lambda * lambda * (q / 2 + alpha * alpha * tails)
        case .tanh: if q == .infinity { return 1 }
        case .sigmoid: if q == .infinity { return 0.5 }
        case .gelu: if q == .infinity { return .infinity }
        }
        if q.isNaN { return .nan }
        return expectation(q: q) { let y = activation.value($0); return y * y }
    }

    /// E[phi'(sqrt(q) z)^2] (the per-layer backward factor divided by sigma_w^2). ReLU: 1/2 at every q (even-n
    /// quadrature would agree; odd n would not, reference A16). Infinite q: the limit.
    public static func squaredDerivative(_ activation: Activation, q: Double) -> Double {
        let q = Swift.max(q, 0)
        switch activation {
        case .linear: return 1
        case .relu: return q > 0 ? 0.5 : 0
        case .leakyRelu(let slope): return q > 0 ? (1 + slope * slope) / 2 : slope * slope
        case .selu:
            let lambda = Activation.seluLambda, alpha = Activation.seluAlpha
            if q == 0 { return lambda * lambda * alpha * alpha }
            return lambda * lambda * (0.5 + alpha * alpha * ScaledErrorFunction.gaussianTailProduct(2 * q.squareRoot()))
        case .tanh, .sigmoid: if q == .infinity { return 0 }
        case .gelu: if q == .infinity { return 0.5 }
        }
        if q.isNaN { return .nan }
        return expectation(q: q) { let d = activation.derivative($0); return d * d }
    }

    /// E[phi(sqrt(q) z)] (mean of the activations).
    public static func mean(_ activation: Activation, q: Double) -> Double {
        let q = Swift.max(q, 0)
        let s = q.squareRoot()
        switch activation {
        case .linear, .tanh: return 0
        case .relu: return s * 0.3989422804014327
        case .leakyRelu(let slope): return (1 - slope) * s * 0.3989422804014327
        case .selu:
            if q == .infinity { return .infinity }
            return Activation.seluLambda * (s * 0.3989422804014327 + Activation.seluAlpha * (ScaledErrorFunction.gaussianTailProduct(s) - 0.5))
        case .sigmoid: return 0.5
        case .gelu: if q == .infinity { return .infinity }
        }
        if q.isNaN { return .nan }
        return expectation(q: q) { activation.value($0) }
    }

    /// E[phi(sqrt(q) z) phi''(sqrt(q) z)] (enters the slope of the length map). Kinked activations: the closed form
    /// derivative of their linear-in-q pieces (ReLU, leaky, linear: 0; SELU: by quadrature of the smooth part).
    public static func valueTimesSecondDerivative(_ activation: Activation, q: Double) -> Double {
        let q = Swift.max(q, 0)
        switch activation {
        case .linear, .relu, .leakyRelu: return 0
        default: break
        }
        if !q.isFinite { return q.isNaN ? .nan : 0 }
        return expectation(q: q) { activation.value($0) * activation.secondDerivative($0) }
    }

    /// d/dq E[phi(sqrt(q) z)^2] = E[phi'^2] + E[phi phi''] (Gaussian integration by parts). For SELU computed by
    /// a central difference of the closed form (its phi' jumps at 0).
    public static func squaredValueSlope(_ activation: Activation, q: Double) -> Double {
        switch activation {
        case .selu:
            let h = Swift.max(1e-6, 1e-5 * q)
            let low = Swift.max(q - h, 0)
            return (squaredValue(activation, q: q + h) - squaredValue(activation, q: low)) / (q + h - low)
        default:
            return squaredDerivative(activation, q: q) + valueTimesSecondDerivative(activation, q: q)
        }
    }
}
