// Command-line grammar of activation names: NAME, or leaky-relu:SLOPE with SLOPE a decimal in -1000...1000.
// Legend: SLOPE = leaky ReLU's negative-side slope a (PyTorch negative_slope); [..] = optional.
import Foundation

/// A malformed or unknown activation name; `description` is one line naming the problem and the accepted values.
public struct ActivationParseError: Error, Equatable, CustomStringConvertible {
    /// The one-line message.
    public let description: String
}

extension Activation {
    /// Accepted leaky ReLU slopes a: every weight He draws for it (gain sqrt(2 / (1 + a^2)) >= 1.4e-3) and every
    /// activation stays a normal Float32; a slope like 1e308 would make the gain 0 and the weights all zero.
    public static let leakyReluSlopeRange: ClosedRange<Double> = -1000...1000

    /// Parses a command-line name (case-insensitive, `_` may replace `-`, surrounding spaces ignored):
    /// linear (identity), tanh, relu, leaky-relu[:SLOPE] (leakyrelu; default slope 0.01), sigmoid, gelu, selu.
    /// Throws an `ActivationParseError` for an unknown name, a parameter where none is taken, an empty, non-numeric,
    /// NaN, infinite or out-of-range slope, or extra fields.
    public static func parse(_ text: String) throws -> Activation {
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        let parts = normalized.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts[0], parameters = parts.dropFirst()
        func fail(_ problem: String) -> ActivationParseError {
            // The problem quotes the input: control characters replaced, so the message stays one printable line.
            ActivationParseError(description: "\(PrintableText.quoted(problem, limit: 400)); accepted: \(acceptedNames)")
        }
        let plain: Activation?
        switch name {
        case "linear", "identity": plain = .linear
        case "tanh": plain = .tanh
        case "relu": plain = .relu
        case "sigmoid": plain = .sigmoid
        case "gelu": plain = .gelu
        case "selu": plain = .selu
        case "leaky-relu", "leakyrelu":
            plain = nil
        case "":
            throw fail("empty activation name")
        default:
            throw fail("unknown activation '\(parts[0])'")
        }
        if let plain {
            guard parameters.isEmpty else { throw fail("activation '\(name)' takes no parameter (got '\(text)')") }
            return plain
        }
        guard let raw = parameters.first else { return .leakyRelu(slope: 0.01) }
        guard parameters.count == 1 else { throw fail("too many parameters in '\(text)' (leaky-relu[:SLOPE])") }
        let range = leakyReluSlopeRange
        guard let slope = Double(raw), slope.isFinite, range.contains(slope) else {
            throw fail("invalid leaky ReLU slope '\(raw)' in '\(text)' (expected a number in "
                       + "\(Int(range.lowerBound))...\(Int(range.upperBound)), e.g. 0.2)")
        }
        return .leakyRelu(slope: slope)
    }
}
