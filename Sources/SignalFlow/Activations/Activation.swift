// Element-wise activation functions phi, their derivatives phi', and PyTorch's calculate_gain.
// Legend: x = pre-activation value (scalar); all functions act on one element.
import Foundation

/// A point-wise nonlinearity phi with its derivative and PyTorch gain (reference section 1.3).
public enum Activation: Equatable, Hashable, Sendable {
    case linear
    case tanh
    case relu
    /// Leaky ReLU: x for x > 0, slope * x otherwise.
    case leakyRelu(slope: Double)
    case sigmoid
    /// GELU, exact form x * Phi(x) with the error function.
    case gelu
    case selu

    /// SELU alpha (Klambauer et al. 2017), 30 digits in the reference section 2.9.
    public static let seluAlpha = 1.6732632423543772848170429916717
    /// SELU lambda (scale).
    public static let seluLambda = 1.0507009873554804934193349852946

    /// Every activation with its default parameters, in the order the UI cycles through them.
    public static let all: [Activation] = [.tanh, .relu, .leakyRelu(slope: 0.01), .linear, .sigmoid, .gelu, .selu]

    /// The command-line name: linear, tanh, relu, leaky-relu[:slope], sigmoid, gelu, selu.
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyRelu(let slope): return slope == 0.01 ? "leaky-relu" : "leaky-relu:\(slope)"
        case .sigmoid: return "sigmoid"
        case .gelu: return "gelu"
        case .selu: return "selu"
        }
    }

    /// A human-readable name for captions ("ReLU", "tanh").
    public var displayName: String {
        switch self {
        case .linear: return "linear"
        case .tanh: return "tanh"
        case .relu: return "ReLU"
        case .leakyRelu(let slope): return "leaky ReLU (\(slope))"
        case .sigmoid: return "sigmoid"
        case .gelu: return "GELU"
        case .selu: return "SELU"
        }
    }

    /// The accepted spellings, for error messages.
    public static let acceptedNames = "linear, tanh, relu, leaky-relu[:SLOPE] (SLOPE in -1000...1000, default 0.01), "
        + "sigmoid, gelu, selu"

    /// Parses a command-line name; nil when unknown or malformed (`parse` says why).
    public init?(name raw: String) {
        guard let parsed = try? Activation.parse(raw) else { return nil }
        self = parsed
    }

    /// PyTorch `calculate_gain` for this nonlinearity (multiplies the weight std). GELU has none in
    /// PyTorch; we use 1 (as for linear) and say so in the docs.
    public var gain: Double {
        switch self {
        case .linear, .sigmoid, .gelu: return 1
        case .tanh: return 5.0 / 3.0
        case .relu: return 2.0.squareRoot()
        case .leakyRelu(let slope): return (2.0 / (1.0 + slope * slope)).squareRoot()
        case .selu: return 0.75
        }
    }

    /// True when the range is bounded, so that "saturated" is meaningful (tanh, sigmoid).
    public var isBounded: Bool { self == .tanh || self == .sigmoid }

    /// Whether |phi(h)| counts as saturated: within 1% of the bound for tanh (|y| > 0.99) and sigmoid
    /// (y < 0.01 or y > 0.99). Always false for unbounded activations.
    @inline(__always)
    public func isSaturated(activationValue y: Float) -> Bool {
        switch self {
        case .tanh: return Swift.abs(y) > 0.99
        case .sigmoid: return y < 0.01 || y > 0.99
        default: return false
        }
    }

    /// phi(x) in Double (reference and finite-difference paths).
    public func value(_ x: Double) -> Double {
        switch self {
        case .linear: return x
        case .tanh: return Foundation.tanh(x)
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let slope): return x > 0 ? x : slope * x
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .gelu: return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .selu: return x > 0 ? Self.seluLambda * x : Self.seluLambda * Self.seluAlpha * Foundation.expm1(x)
        }
    }

    /// phi'(x) in Double. At the kinks (x = 0) ReLU and leaky ReLU use the left derivative (0, slope).
    public func derivative(_ x: Double) -> Double {
        switch self {
        case .linear: return 1
        case .tanh: let t = Foundation.tanh(x); return 1 - t * t
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu(let slope): return x > 0 ? 1 : slope
        case .sigmoid: let s = 1 / (1 + Foundation.exp(-x)); return s * (1 - s)
        case .gelu:
            let cdf = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot()))
            let pdf = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            return cdf + x * pdf
        case .selu: return x > 0 ? Self.seluLambda : Self.seluLambda * Self.seluAlpha * Foundation.exp(x)
        }
    }

    /// phi(x) in Float (the engine's hot path).
    @inline(__always)
    public func value(_ x: Float) -> Float {
        switch self {
        case .linear: return x
        case .tanh: return Foundation.tanhf(x)
        case .relu: return x > 0 ? x : 0
        case .leakyRelu(let slope): return x > 0 ? x : Float(slope) * x
        case .sigmoid: return 1 / (1 + Foundation.expf(-x))
        case .gelu: return 0.5 * x * (1 + Foundation.erff(x * 0.70710678118654752))
        case .selu:
            return x > 0 ? Float(Self.seluLambda) * x : Float(Self.seluLambda * Self.seluAlpha) * Foundation.expm1f(x)
        }
    }

    /// phi'(x) in Float, same conventions as the Double version.
    @inline(__always)
    public func derivative(_ x: Float) -> Float {
        switch self {
        case .linear: return 1
        case .tanh: let t = Foundation.tanhf(x); return 1 - t * t
        case .relu: return x > 0 ? 1 : 0
        case .leakyRelu(let slope): return x > 0 ? 1 : Float(slope)
        case .sigmoid: let s = 1 / (1 + Foundation.expf(-x)); return s * (1 - s)
        case .gelu:
            let cdf = 0.5 * (1 + Foundation.erff(x * 0.70710678118654752))
            let pdf = Foundation.expf(-0.5 * x * x) * 0.39894228040143268
            return cdf + x * pdf
        case .selu: return x > 0 ? Float(Self.seluLambda) : Float(Self.seluLambda * Self.seluAlpha) * Foundation.expf(x)
        }
    }
}
