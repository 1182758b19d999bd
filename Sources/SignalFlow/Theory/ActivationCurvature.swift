// Second derivatives phi'' of the activations, for the slope of the length map (reference section 3.2).
// Legend: x = pre-activation (scalar). Kinks contribute Dirac terms times phi(0) = 0, so they are omitted.
import Foundation

extension Activation {
    /// phi''(x) in Double, away from kinks (ReLU, leaky ReLU, linear: 0; SELU: lambda alpha e^x for x <= 0).
    public func secondDerivative(_ x: Double) -> Double {
        switch self {
        case .linear, .relu, .leakyRelu: return 0
        case .tanh: let t = Foundation.tanh(x); return -2 * t * (1 - t * t)
        case .sigmoid: let s = 1 / (1 + Foundation.exp(-x)); return s * (1 - s) * (1 - 2 * s)
        case .gelu: return Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() * (2 - x * x)
        case .selu: return x > 0 ? 0 : Self.seluLambda * Self.seluAlpha * Foundation.exp(x)
        }
    }
}
