// A scenario: everything that defines a run, as a value. Same scenario = same numbers, bit for bit.
// Legend: B = batch, n = width, L = depth (number of weight layers).

/// An initializer together with the name the user gave it ("xavier", "normal:0.01").
public struct NamedInitializer: Equatable, Hashable, Sendable {
    /// The name as given on the command line or chosen by a key.
    public var name: String
    /// The parsed scheme.
    public var initializer: Initializer

    /// Creates a named initializer.
    public init(name: String, initializer: Initializer) { self.name = name; self.initializer = initializer }
}

/// Everything that defines an experiment: architecture, sizes, activation, bias, initializers and seed.
public struct Scenario: Equatable, Hashable, Sendable {
    /// Layer widths n_0 (input) ... n_L; depth L = widths.count - 1.
    public var widths: [Int]
    /// Batch size B (rows of the input).
    public var batch: Int
    /// The nonlinearity phi applied after every layer.
    public var activation: Activation
    /// Standard deviation of the N(0, biasStd^2) biases; 0 = no bias.
    public var biasStandardDeviation: Double
    /// Seed of every random stream (input batch, upstream gradient, weights).
    public var seed: UInt64
    /// The initializers compared on the same input batch and upstream gradient.
    public var initializers: [NamedInitializer]
    /// The network: the plain MLP (default) or a residual network of `depth` blocks on `width`.
    public var architecture: Architecture = .mlp

    /// A plain MLP of `depth` layers of equal `width`. Never allocates more than maximumDimension + 2 widths: a
    /// depth beyond maximumDimension is kept as maximumDimension + 1, which `validate` refuses; use
    /// `uniform(...)` to have the exact depth named in the message.
    public init(activation: Activation, depth: Int, width: Int, batch: Int, seed: UInt64,
                biasStandardDeviation: Double = 0, initializers: [NamedInitializer]) {
        let layers = Swift.min(Swift.max(depth, 0), Scenario.maximumDimension + 1)
        self.init(activation: activation, widths: Array(repeating: width, count: layers + 1), batch: batch,
                  seed: seed, biasStandardDeviation: biasStandardDeviation, initializers: initializers)
    }

    /// A plain MLP of `depth` layers of equal `width`, its sizes checked before anything is built from them:
    /// throws a one-line `ScenarioError` for a depth, width or batch outside 1...maximumDimension, whatever the
    /// numbers (Int.max included), allocating nothing. Memory is checked by `validate`.
    public static func uniform(activation: Activation, depth: Int, width: Int, batch: Int, seed: UInt64,
                               biasStandardDeviation: Double = 0, initializers: [NamedInitializer]) throws -> Scenario {
        try checkSizes(depth: depth, width: width, batch: batch)
        return Scenario(activation: activation, depth: depth, width: width, batch: batch, seed: seed,
                        biasStandardDeviation: biasStandardDeviation, initializers: initializers)
    }

    /// An MLP with per-layer widths n_0 ... n_L.
    public init(activation: Activation, widths: [Int], batch: Int, seed: UInt64,
                biasStandardDeviation: Double = 0, initializers: [NamedInitializer]) {
        self.widths = widths; self.batch = batch; self.activation = activation
        self.biasStandardDeviation = biasStandardDeviation; self.seed = seed; self.initializers = initializers
    }

    /// Number of weight layers L.
    public var depth: Int { widths.count - 1 }
    /// Width of the first hidden layer (the "n" of a uniform MLP).
    public var width: Int { widths.count > 1 ? widths[1] : 0 }
}
