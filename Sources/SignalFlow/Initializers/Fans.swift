// fan_in / fan_out of a weight tensor under each framework's layout convention (reference section 1.1-1.2).
// Legend: shape = tensor dimensions; rf = receptive field (product of the kernel's spatial dimensions).

/// Whose layout rule a tensor shape follows when computing fans.
public enum FanConvention: String, Equatable, Hashable, Sendable, CaseIterable {
    /// PyTorch `(out, in, k...)`: fan_in = shape[1] * rf, fan_out = shape[0] * rf; rank < 2 is an error.
    case pytorch
    /// JAX `_compute_fans` defaults (in_axis -2, out_axis -1): `(k..., in, out)`; rank < 2 is an error.
    case jax
    /// Keras 3 `compute_fans`: rank 0 -> (1, 1), rank 1 `(n,)` -> (n, n), otherwise `(k..., in, out)`.
    case keras
}

/// A failure to compute fans (e.g. PyTorch on a 1-D tensor).
public struct FanError: Error, Equatable, CustomStringConvertible {
    /// One-line explanation.
    public let description: String
}

/// Number of inputs each output sums over (fan_in) and of outputs each input feeds (fan_out).
public struct Fans: Equatable, Hashable, Sendable {
    /// Inputs per output unit (times the receptive field for convolutions).
    public var fanIn: Int
    /// Outputs per input unit (times the receptive field for convolutions).
    public var fanOut: Int

    /// Creates fans from the two counts.
    public init(fanIn: Int, fanOut: Int) { self.fanIn = fanIn; self.fanOut = fanOut }

    /// Fans of a dense layer with `inputs` -> `outputs` units (our layout: W is inputs x outputs, h = x W).
    public static func dense(inputs: Int, outputs: Int) -> Fans { Fans(fanIn: inputs, fanOut: outputs) }

    /// Fans of a tensor of `shape` under `convention`; throws for shapes the framework rejects.
    public static func of(shape: [Int], convention: FanConvention) throws -> Fans {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw FanError(description: "tensor shape \(shape) has a negative dimension")
        }
        switch convention {
        case .pytorch:
            guard shape.count >= 2 else {
                throw FanError(description: "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape \(shape))")
            }
            let receptiveField = shape.dropFirst(2).reduce(1, *)
            return Fans(fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField)
        case .jax:
            guard shape.count >= 2 else {
                throw FanError(description: "JAX initializers need a tensor of rank >= 2 (shape \(shape))")
            }
            let receptiveField = shape.dropLast(2).reduce(1, *)
            return Fans(fanIn: shape[shape.count - 2] * receptiveField, fanOut: shape[shape.count - 1] * receptiveField)
        case .keras:
            switch shape.count {
            case 0: return Fans(fanIn: 1, fanOut: 1)
            case 1: return Fans(fanIn: shape[0], fanOut: shape[0])
            default:
                let receptiveField = shape.dropLast(2).reduce(1, *)
                return Fans(fanIn: shape[shape.count - 2] * receptiveField, fanOut: shape[shape.count - 1] * receptiveField)
            }
        }
    }
}
