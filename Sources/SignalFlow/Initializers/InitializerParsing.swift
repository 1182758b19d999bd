// Command-line grammar of initializer names, and the canonical name of each scheme.
// Legend: STD, BOUND, GAIN = decimals in [1e-30, 1e30]; TOL = decimal in (0, 1); TMAX = integer 1...1000; [..] = optional.
import Foundation

/// A malformed or unknown initializer name; `description` is one line naming the problem and the accepted values.
public struct InitializerParseError: Error, Equatable, CustomStringConvertible {
    /// The one-line message.
    public let description: String
}

extension Initializer {
    /// The accepted spellings, for error messages and `--help`.
    public static let acceptedNames = "zeros, normal:STD, uniform:BOUND, xavier-uniform[:GAIN], xavier-normal[:GAIN] (xavier), "
        + "he-uniform[:fan-in|fan-out][:GAIN], he-normal[:fan-in|fan-out][:GAIN] (he, kaiming), lecun-normal (lecun), "
        + "lecun-uniform, glorot-truncated, he-truncated, lecun-truncated, orthogonal[:GAIN], torch-default, lsuv[:TOL[:TMAX]], "
        + "fixup, rezero, skipinit[:VALUE] (resnet only), gpt2[:STD] (STD default 0.02), t-fixup, deepnorm (transformer only) (STD, BOUND, GAIN in [1e-30, 1e30]; TOL in (0, 1); TMAX in 1...1000)"

    /// Largest accepted STD, BOUND or GAIN: keeps every weight a finite Float32 (a larger value would draw inf).
    public static let maximumParameter = 1e30
    /// Smallest accepted STD, BOUND or GAIN: keeps every weight a normal Float32 even divided by sqrt(fan_in) at
    /// the largest width (1e-30 / 1024 ~ 1e-33 > 1.2e-38); a smaller value would draw subnormals or zeros.
    public static let minimumParameter = 1e-30

    /// GPT-2's std of every weight (the output projections get it divided by sqrt(2L)).
    public static let defaultGPT2StandardDeviation = 0.02

    /// Default LSUV variance tolerance Tol_var (reference section 2.8).
    public static let defaultLSUVTolerance = 0.1
    /// Default LSUV cap on rescalings per layer T_max.
    public static let defaultLSUVMaxIterations = 10

    /// Parses a name. Grammar (case-insensitive, `_` may replace `-`; parameters separated by `:`):
    ///
    ///     zeros                                   all zero
    ///     normal:STD                              N(0, STD^2), STD in [1e-30, 1e30]
    ///     uniform:BOUND                           U(-BOUND, BOUND), BOUND > 0
    ///     xavier-uniform[:GAIN]                   alias glorot-uniform; GAIN default 1
    ///     xavier-normal[:GAIN]                    aliases xavier, glorot-normal (untruncated, PyTorch)
    ///     he-uniform[:fan-in|fan-out][:GAIN]      alias kaiming-uniform; mode default fan-in
    ///     he-normal[:fan-in|fan-out][:GAIN]       aliases he, kaiming, kaiming-normal
    ///     lecun-normal | lecun                    N(0, 1/fan_in), untruncated
    ///     lecun-uniform                           U(+-sqrt(3/fan_in))
    ///     glorot-truncated | he-truncated | lecun-truncated   JAX/Keras *_normal (+-2 sigma0, corrected)
    ///     orthogonal[:GAIN]                       alias ortho; Haar orthogonal times GAIN
    ///     torch-default                           aliases pytorch-default, default; U(+-1/sqrt(fan_in))
    ///     lsuv[:TOL[:TMAX]]                       TOL in (0, 1), default 0.1; TMAX in 1...1000, default 10
    ///     fixup | rezero | skipinit[:VALUE]      residual networks only (VALUE = branch multiplier, default 0)
    ///     gpt2[:STD] | t-fixup | deepnorm         transformers only (STD in [1e-30, 1e30], default 0.02)
    ///
    /// When GAIN is omitted, he-* and orthogonal use the activation's PyTorch gain (`Activation.gain`: sqrt 2 for
    /// ReLU, 5/3 for tanh), so `he` and `orthogonal` are the fair, variance-preserving choice for the network
    /// being drawn, i.e. `kaiming_normal_(w, nonlinearity=<activation>)`. PyTorch's bare `kaiming_normal_(w)` always
    /// uses sqrt 2 (write `he:1.4142135623730951` for that; it differs for tanh, sigmoid, GELU, SELU, linear), and
    /// PyTorch's `orthogonal_` itself defaults to gain 1 (write `orthogonal:1` for that).
    /// xavier-* default to gain 1, as PyTorch does.
    public static func parse(_ text: String) throws -> Initializer {
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        let parts = normalized.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        let parameters = Array(parts.dropFirst())

        // The problem quotes the text as given: control characters in it must not split or drive the message.
        func fail(_ problem: String) -> InitializerParseError {
            InitializerParseError(description: "\(PrintableText.quoted(problem, limit: 400)); accepted: \(acceptedNames)")
        }
        func positive(_ raw: String, _ what: String) throws -> Double {
            guard let value = Double(raw), value.isFinite, value >= minimumParameter, value <= maximumParameter else {
                throw fail("invalid \(what) '\(raw)' in initializer '\(text)' (expected a positive number from 1e-30 up to 1e30)")
            }
            return value
        }
        /// A word, not a number: read as a fan mode that is not fan-in or fan-out.
        func isWord(_ raw: String) -> Bool {
            Double(raw) == nil && raw.first.map { $0.isLetter } == true
        }
        func noParameters(_ result: Initializer) throws -> Initializer {
            guard parameters.isEmpty else { throw fail("initializer '\(name)' takes no parameters (got '\(text)')") }
            return result
        }
        func optionalGain(default defaultGain: Double) throws -> Double {
            guard parameters.count <= 1 else { throw fail("too many parameters in '\(text)'") }
            return try parameters.first.map { try positive($0, "gain") } ?? defaultGain
        }
        func modeAndGain() throws -> (FanMode, Double?) {
            var mode = FanMode.fanIn
            var gain: Double? = nil
            var rest = parameters[...]
            if let first = rest.first, let parsedMode = FanMode(rawValue: first) { mode = parsedMode; rest = rest.dropFirst() }
            if let gainText = rest.first {
                if FanMode(rawValue: gainText) != nil { throw fail("fan mode given twice in '\(text)'") }
                if isWord(gainText) {
                    throw fail("unknown fan mode '\(gainText)' in '\(text)' (expected fan-in or fan-out, then an optional gain)")
                }
                gain = try positive(gainText, "gain"); rest = rest.dropFirst()
            }
            guard rest.isEmpty else { throw fail("unexpected parameter '\(rest.first!)' in '\(text)' (mode is fan-in or fan-out)") }
            return (mode, gain)
        }

        switch name {
        case "zeros", "zero": return try noParameters(.zeros)
        case "normal", "uniform":
            guard parameters.count == 1 else {
                throw fail("initializer '\(name)' needs exactly one parameter, e.g. \(name):0.01 (got '\(text)')")
            }
            let value = try positive(parameters[0], name == "normal" ? "standard deviation" : "bound")
            return name == "normal" ? .normal(std: value) : .uniform(bound: value)
        case "xavier-uniform", "glorot-uniform": return .xavierUniform(gain: try optionalGain(default: 1))
        case "xavier-normal", "xavier", "glorot-normal", "glorot": return .xavierNormal(gain: try optionalGain(default: 1))
        case "he-uniform", "kaiming-uniform":
            let (mode, gain) = try modeAndGain(); return .heUniform(mode: mode, gain: gain)
        case "he-normal", "he", "kaiming", "kaiming-normal":
            let (mode, gain) = try modeAndGain(); return .heNormal(mode: mode, gain: gain)
        case "lecun-normal", "lecun": return try noParameters(.lecunNormal)
        case "lecun-uniform": return try noParameters(.lecunUniform)
        case "glorot-truncated", "xavier-truncated": return try noParameters(.truncatedNormal(.glorot))
        case "he-truncated", "kaiming-truncated": return try noParameters(.truncatedNormal(.he))
        case "lecun-truncated": return try noParameters(.truncatedNormal(.lecun))
        case "orthogonal", "ortho":
            guard parameters.count <= 1 else { throw fail("too many parameters in '\(text)'") }
            return .orthogonal(gain: try parameters.first.map { try positive($0, "gain") })
        case "torch-default", "pytorch-default", "default": return try noParameters(.torchDefault)
        case "lsuv":
            guard parameters.count <= 2 else { throw fail("too many parameters in '\(text)' (lsuv[:TOL[:TMAX]])") }
            var tolerance = defaultLSUVTolerance, maxIterations = defaultLSUVMaxIterations
            if parameters.count >= 1 {
                guard let value = Double(parameters[0]), value > 0, value < 1 else {
                    throw fail("invalid LSUV tolerance '\(parameters[0])' in '\(text)' (expected a number above 0 and below 1, e.g. 0.1)")
                }
                tolerance = value
            }
            if parameters.count == 2 {
                guard let count = Int(parameters[1]), (1...1000).contains(count) else {
                    throw fail("invalid LSUV iteration cap '\(parameters[1])' (expected an integer 1...1000)")
                }
                maxIterations = count
            }
            return .lsuv(tolerance: tolerance, maxIterations: maxIterations)
        case "fixup": return try noParameters(.fixup)
        case "rezero": return try noParameters(.rezero)
        case "skipinit", "skip-init":
            guard parameters.count <= 1 else { throw fail("too many parameters in '\(text)' (skipinit[:VALUE])") }
            guard let raw = parameters.first else { return .skipInit(multiplier: 0) }
            guard let value = Double(raw), value.isFinite, Swift.abs(value) <= maximumParameter else {
                throw fail("invalid branch multiplier '\(raw)' in '\(text)' (expected a number from -1e30 up to 1e30, e.g. 0.1)")
            }
            return .skipInit(multiplier: value)
        case "gpt2", "gpt-2":
            guard parameters.count <= 1 else { throw fail("too many parameters in '\(text)' (gpt2[:STD])") }
            guard let raw = parameters.first else { return .gpt2(std: defaultGPT2StandardDeviation) }
            guard let value = Double(raw), value.isFinite, value >= minimumParameter, value <= maximumParameter else {
                throw fail("invalid std '\(raw)' in '\(text)' (expected a number from 1e-30 up to 1e30, e.g. 0.02)")
            }
            return .gpt2(std: value)
        case "t-fixup", "tfixup": return try noParameters(.tFixup)
        case "deepnorm", "deep-norm", "deepnet": return try noParameters(.deepNorm)
        case "":
            throw fail("empty initializer name")
        default:
            throw fail("unknown initializer '\(parts[0])'")
        }
    }

    /// The name in the grammar of `parse`, with defaults left out; `parse(canonicalName) == self`.
    public var canonicalName: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        }
        func modeGain(_ base: String, _ mode: FanMode, _ gain: Double?) -> String {
            var text = base
            if mode == .fanOut { text += ":fan-out" }
            if let gain { text += ":" + number(gain) }
            return text
        }
        switch self {
        case .zeros: return "zeros"
        case .normal(let std): return "normal:" + number(std)
        case .uniform(let bound): return "uniform:" + number(bound)
        case .xavierUniform(let gain): return gain == 1 ? "xavier-uniform" : "xavier-uniform:" + number(gain)
        case .xavierNormal(let gain): return gain == 1 ? "xavier-normal" : "xavier-normal:" + number(gain)
        case .heUniform(let mode, let gain): return modeGain("he-uniform", mode, gain)
        case .heNormal(let mode, let gain): return modeGain("he-normal", mode, gain)
        case .lecunNormal: return "lecun-normal"
        case .lecunUniform: return "lecun-uniform"
        case .truncatedNormal(let family): return family.rawValue + "-truncated"
        case .orthogonal(let gain): return gain.map { "orthogonal:" + number($0) } ?? "orthogonal"
        case .torchDefault: return "torch-default"
        case .lsuv(let tolerance, let maxIterations):
            if maxIterations != Self.defaultLSUVMaxIterations { return "lsuv:\(number(tolerance)):\(maxIterations)" }
            return tolerance == Self.defaultLSUVTolerance ? "lsuv" : "lsuv:" + number(tolerance)
        case .fixup: return "fixup"
        case .rezero: return "rezero"
        case .skipInit(let multiplier): return multiplier == 0 ? "skipinit" : "skipinit:" + number(multiplier)
        case .gpt2(let std): return std == Self.defaultGPT2StandardDeviation ? "gpt2" : "gpt2:" + number(std)
        case .tFixup: return "t-fixup"
        case .deepNorm: return "deepnorm"
        }
    }
}
