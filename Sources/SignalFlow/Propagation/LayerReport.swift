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

/// One named measurement site of a block ("stream", "branch.pre", "norm.out", ...) and what was measured there.
public struct SiteReport: Equatable, Sendable {
    /// The site's name.
    public var name: String
    /// Statistics (and histograms) of the tensor at the site.
    public var quantity: QuantityReport

    /// Creates a site report.
    public init(name: String, quantity: QuantityReport) { self.name = name; self.quantity = quantity }
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
    /// Named sites of a block (residual networks: "stream", "streamGradient", then the sites inside, in the
    /// order of the pass); empty for the MLP, whose quantities are in `quantities`.
    public var sites: [SiteReport]
    /// Mean-field second moment of the stream after this block (residual networks where theory gives one).
    public var streamTheory: Double?

    /// Creates a layer report.
    public init(index: Int, quantities: [Quantity: QuantityReport], theory: LayerTheory? = nil, lsuv: LSUVLayerTrace? = nil,
                sites: [SiteReport] = [], streamTheory: Double? = nil) {
        self.index = index; self.quantities = quantities; self.theory = theory; self.lsuv = lsuv
        self.sites = sites; self.streamTheory = streamTheory
    }

    /// The report of the site named `name`, nil when it was not measured.
    public func site(_ name: String) -> QuantityReport? { sites.first { $0.name == name }?.quantity }

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
    /// The residual options this run used (the scenario's as the scheme set them); nil for the MLP.
    public var residualOptions: ResidualOptions?
    /// The transformer options this run used (the scenario's as the scheme set them); nil for the other networks.
    public var transformerOptions: TransformerOptions?

    /// Creates a run report.
    public init(initializerName: String, layers: [LayerReport], chi1: Double? = nil, depthScale: Double? = nil,
                residualOptions: ResidualOptions? = nil, transformerOptions: TransformerOptions? = nil) {
        self.initializerName = initializerName; self.layers = layers; self.chi1 = chi1; self.depthScale = depthScale
        self.residualOptions = residualOptions; self.transformerOptions = transformerOptions
    }
}
