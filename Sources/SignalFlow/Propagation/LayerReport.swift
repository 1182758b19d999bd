// What one run reports about one layer: statistics and histograms of every quantity, plus theory.
// Legend: B = batch, n = width, L = depth; layers are numbered 1...L from the first hidden layer.

/// The tensors of a layer that initscope measures.
public enum Quantity: String, CaseIterable, Equatable, Hashable, Sendable, Codable {
    /// h^l = x^{l-1} W^l + b^l, shape B x n.
    case preactivation
    /// x^l = phi(h^l), shape B x n.
    case activation
    /// dL/dh^l, shape B x n (the mean-field g of reference section 3.4).
    case activationGradient
    /// dL/dW^l, shape n_{l-1} x n_l.
    case weightGradient
    /// W^l itself, shape n_{l-1} x n_l.
    case weight
}

/// Statistics and two histograms (linear and log10|x|) of one quantity of one layer.
public struct QuantityReport: Equatable, Sendable {
    /// Moments and counts.
    public var stats: SummaryStats
    /// Histogram in value (range chosen from the data, or fixed by the caller); nil when not asked for.
    public var linear: Histogram?
    /// Histogram in log10|value|; nil when not asked for.
    public var logMagnitude: Histogram?

    /// Creates a quantity report (statistics only when the histograms are nil).
    public init(stats: SummaryStats, linear: Histogram? = nil, logMagnitude: Histogram? = nil) {
        self.stats = stats; self.linear = linear; self.logMagnitude = logMagnitude
    }
}

/// Mean-field predictions for one layer (reference section 3), seeded with the measured input moment.
public struct LayerTheory: Equatable, Sendable {
    /// Predicted pre-activation second moment q^l.
    public var preactivationSecondMoment: Double
    /// Predicted activation-gradient second moment g^l (nil before the backward prediction exists).
    public var gradientSecondMoment: Double?

    /// Creates a prediction.
    public init(preactivationSecondMoment: Double, gradientSecondMoment: Double?) {
        self.preactivationSecondMoment = preactivationSecondMoment
        self.gradientSecondMoment = gradientSecondMoment
    }
}

/// How LSUV calibrated one layer (reference section 2.8).
public struct LSUVLayerTrace: Equatable, Sendable {
    /// Number of rescalings W <- W / sqrt(v) applied.
    public var rescalings: Int
    /// Pre-activation variance measured before each rescaling and after the last one.
    public var varianceAfterIteration: [Double]
    /// True when |v - 1| < tolerance at exit.
    public var converged: Bool
    /// True when the variance was zero or non-finite, or a rescaling did not change it: left unscaled.
    public var degenerate: Bool

    /// Creates a trace.
    public init(rescalings: Int, varianceAfterIteration: [Double], converged: Bool, degenerate: Bool) {
        self.rescalings = rescalings; self.varianceAfterIteration = varianceAfterIteration
        self.converged = converged; self.degenerate = degenerate
    }
}

/// Everything measured about one layer of one run. Gradient quantities are nil until the backward pass
/// has reached the layer.
public struct LayerReport: Equatable, Sendable {
    /// 1-based layer index, 1 = first hidden layer.
    public var index: Int
    /// Per-quantity reports; gradients appear after the backward pass.
    public var quantities: [Quantity: QuantityReport]
    /// Mean-field prediction for this layer, when the scenario has one.
    public var theory: LayerTheory?
    /// LSUV calibration trace, for LSUV runs.
    public var lsuv: LSUVLayerTrace?

    /// Creates a layer report.
    public init(index: Int, quantities: [Quantity: QuantityReport], theory: LayerTheory? = nil, lsuv: LSUVLayerTrace? = nil) {
        self.index = index; self.quantities = quantities; self.theory = theory; self.lsuv = lsuv
    }

    /// Shorthand for `quantities[q]?.stats`.
    public func stats(_ quantity: Quantity) -> SummaryStats? { quantities[quantity]?.stats }
}

/// All layers of one initializer's run.
public struct RunReport: Equatable, Sendable {
    /// The initializer's name as the user gave it ("xavier", "normal:0.01").
    public var initializerName: String
    /// Layers 1...L in order (forward-only entries until the backward pass completes).
    public var layers: [LayerReport]
    /// Mean-field chi_1 at the scenario's fixed point (nil when undefined).
    public var chi1: Double?
    /// Mean-field correlation depth scale xi_c = -1 / ln chi_1 in layers (nil when undefined or infinite).
    public var depthScale: Double?

    /// Creates a run report.
    public init(initializerName: String, layers: [LayerReport], chi1: Double? = nil, depthScale: Double? = nil) {
        self.initializerName = initializerName; self.layers = layers; self.chi1 = chi1; self.depthScale = depthScale
    }
}
