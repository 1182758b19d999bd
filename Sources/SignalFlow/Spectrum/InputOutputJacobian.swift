// The input-output Jacobian of an MLP's first layers on one input, and its spectrum (reference section 3.9):
// J_l = W_1 D_1 W_2 D_2 ... W_l D_l (row-vector convention: h^k = x^{k-1} W_k + b_k, x^k = phi(h^k),
// D_k = diag(phi'(h^k))), formed by pushing the n_0 x n_0 identity through the layers in Double, rescaled every
// layer (the scale kept as a logarithm, so depth cannot overflow it); singular values by LAPACK's dgesdd. A
// scenario's layers come one at a time (JacobianLayerSource.swift); wider than `singularValueWidthLimit` the moments
// are estimated from random probes instead (JacobianProbeEstimate.swift).
// Legend: n_0 = input width, n_k = width of layer k, l = layers; M is n_0 x n_k; lambda = squared singular values.
import COpenBLAS
import Foundation

/// The spectrum's moments after one layer.
public struct JacobianLayerMoments: Equatable, Sendable {
    /// Layer l (1-based): the Jacobian of layers 1...l.
    public var layer: Int
    /// log10 of m_1 = tr(J J^T) / n_0, the mean squared singular value (mean field: the product of chi_1 over
    /// the layers); -inf when J is zero.
    public var log10MeanSquaredSingularValue: Double
    /// m_2 / m_1^2 - 1 with m_2 = tr((J J^T)^2) / n_0: the normalized variance of lambda (0 when every singular
    /// value is equal; l for a deep linear Gaussian network, Fuss-Catalan); NaN when J is zero.
    public var normalizedSpread: Double
    /// Probe estimates only: the standard error of m_1 relative to m_1 (nil when computed exactly).
    public var meanRelativeStandardError: Double?
    /// Probe estimates only: the standard error of `normalizedSpread` (nil when computed exactly).
    public var spreadStandardError: Double?

    /// Creates the moments of one layer (standard errors for probe estimates only).
    public init(layer: Int, log10MeanSquaredSingularValue: Double, normalizedSpread: Double,
                meanRelativeStandardError: Double? = nil, spreadStandardError: Double? = nil) {
        self.layer = layer; self.log10MeanSquaredSingularValue = log10MeanSquaredSingularValue
        self.normalizedSpread = normalizedSpread
        self.meanRelativeStandardError = meanRelativeStandardError; self.spreadStandardError = spreadStandardError
    }
}

/// How a `JacobianSpectrum`'s numbers were computed.
public enum JacobianMethod: Equatable, Hashable, Sendable {
    /// J formed in Double, exact moments, singular values by LAPACK's dgesdd (width <= 1024).
    case singularValues
    /// m_1 and the spread estimated from this many random unit probes pushed through the layers (no singular
    /// values: `log10SingularValues` is empty).
    case probes(Int)
}

/// The spectrum of one network's input-output Jacobian: per-layer moments and the singular values at one layer
/// (or, for `.probes`, estimated moments only).
public struct JacobianSpectrum: Equatable, Sendable {
    /// How the numbers were computed.
    public var method: JacobianMethod
    /// The moments after each layer 1...l.
    public var layers: [JacobianLayerMoments]
    /// The layer whose singular values are given.
    public var singularValueLayer: Int
    /// log10 of the singular values of J at `singularValueLayer` that Double resolves, largest first.
    public var log10SingularValues: [Double]
    /// log10 of the smallest singular value the computation resolves: sigma_max * n_0 * l * eps(Double) (each
    /// layer's rounding is relative to the largest direction); the rest of the min(n_0, n_l) are below it.
    public var log10ResolutionFloor: Double
    /// How many singular values are below the floor (not resolved: zero or too small to tell from rounding).
    public var unresolvedCount: Int

    /// Creates a spectrum.
    public init(layers: [JacobianLayerMoments], singularValueLayer: Int, log10SingularValues: [Double],
                log10ResolutionFloor: Double, unresolvedCount: Int, method: JacobianMethod = .singularValues) {
        self.method = method; self.layers = layers; self.singularValueLayer = singularValueLayer; self.log10SingularValues = log10SingularValues
        self.log10ResolutionFloor = log10ResolutionFloor; self.unresolvedCount = unresolvedCount
    }
}

/// Computes input-output Jacobians and their spectra.
public enum InputOutputJacobian {
    /// The spectrum of J_1 ... J_l for `weights` W_k (n_{k-1} x n_k, k = 1...l), optional `biases` b_k (1 x n_k,
    /// empty = none), phi, on one input `x0` (n_0 values), with singular values at `singularValueLayer` (1...l,
    /// default l). Moments cost two n_0 x n_{k-1} x n_k products per layer; the SVD one at the chosen layer.
    public static func spectrum(weights: [Matrix], biases: [Matrix] = [], activation: Activation, input x0: [Double],
                                singularValueLayer: Int? = nil) -> JacobianSpectrum {
        Invariant.require(!weights.isEmpty, "spectrum: shapes")
        return spectrum(depth: weights.count, activation: activation, input: x0, singularValueLayer: singularValueLayer) { k in
            (weights[k - 1], k - 1 < biases.count ? biases[k - 1] : nil)
        }!
    }

    /// The spectrum of J_1 ... J_depth with W_k, b_k from `layer(k)` (called once per k in order; nil = cancelled,
    /// and then the answer is nil), so only one layer's weights need exist at a time.
    static func spectrum(depth: Int, activation: Activation, input x0: [Double], singularValueLayer: Int? = nil,
                         layer: (Int) -> (weights: Matrix, bias: Matrix?)?) -> JacobianSpectrum? {
        Invariant.require(depth >= 1, "spectrum: shapes")
        let chosen = Swift.min(Swift.max(singularValueLayer ?? depth, 1), depth)
        let n0 = x0.count
        var x = x0
        var m = [Double](repeating: 0, count: n0 * n0)
        for i in 0..<n0 { m[i * n0 + i] = 1 }
        var columns = n0
        var log10Scale = 0.0, isZero = false
        var moments: [JacobianLayerMoments] = []
        var singularValues: [Double] = []
        for k in 1...depth {
            guard let (w, bias) = layer(k) else { return nil }
            let rows = w.rows, n = w.cols
            Invariant.require(rows == columns, "spectrum: W_\(k) is \(rows) x \(n) after \(columns) columns")
            let wd = w.elements.map(Double.init)
            // h^k = x^{k-1} W_k + b_k (one input), then D_k.
            var h = [Double](repeating: 0, count: n)
            cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(n), 1, wd, Int32(n), x, 1, 0, &h, 1)
            if let bias {
                let b = bias.elements
                for j in 0..<n { h[j] += Double(b[j]) }
            }
            let d = h.map { activation.derivative($0) }
            x = h.map { activation.value($0) }
            // M <- (M W_k) D_k.
            var next = [Double](repeating: 0, count: n0 * n)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n0), Int32(n), Int32(rows), 1, m, Int32(rows),
                        wd, Int32(n), 0, &next, Int32(n))
            for r in 0..<n0 { for j in 0..<n { next[r * n + j] *= d[j] } }
            m = next; columns = n
            // Rescale so that ||M||_F^2 = n_0 (m_1 of M is 1); the scale goes to log10Scale.
            let squaredNorm = m.reduce(0) { $0 + $1 * $1 }
            if !isZero && squaredNorm > 0 && squaredNorm.isFinite {
                let s = (squaredNorm / Double(n0)).squareRoot()
                for i in m.indices { m[i] /= s }
                log10Scale += Foundation.log10(s)
            } else {
                isZero = true
            }
            moments.append(isZero ? JacobianLayerMoments(layer: k, log10MeanSquaredSingularValue: -.infinity, normalizedSpread: .nan)
                                  : JacobianLayerMoments(layer: k, log10MeanSquaredSingularValue: 2 * log10Scale,
                                                         normalizedSpread: spread(m, rows: n0, cols: n)))
            if k == chosen {
                singularValues = isZero ? Array(repeating: -.infinity, count: Swift.min(n0, n))
                    : singularValuesOf(m, rows: n0, cols: n).map { $0.isNaN ? .nan : $0 > 0 ? Foundation.log10($0) + log10Scale : -.infinity }
            }
        }
        // Values below sigma_max * n_0 * l * eps are rounding, not the network: they are counted, not given.
        let largest = singularValues.first ?? -.infinity
        let floor = largest + Foundation.log10(Double(n0) * Double(chosen) * Double.ulpOfOne)
        let resolved = largest.isFinite ? singularValues.filter { $0 >= floor } : []
        return JacobianSpectrum(layers: moments, singularValueLayer: chosen, log10SingularValues: resolved,
                                log10ResolutionFloor: floor, unresolvedCount: singularValues.count - resolved.count)
    }

    /// m_2 / m_1^2 - 1 of M M^T (rows x rows) for M with ||M||_F^2 = rows (so m_1 = 1): ||M^T M||_F^2 / rows - 1.
    static func spread(_ m: [Double], rows: Int, cols: Int) -> Double {
        // The Gram matrix on the smaller side has the same nonzero eigenvalues.
        let side = Swift.min(rows, cols)
        var gram = [Double](repeating: 0, count: side * side)
        if rows <= cols {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(rows), Int32(cols), 1, m, Int32(cols), 0, &gram, Int32(side))
        } else {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(cols), Int32(rows), 1, m, Int32(cols), 0, &gram, Int32(side))
        }
        var squared = 0.0
        for i in 0..<side {
            squared += gram[i * side + i] * gram[i * side + i]
            for j in stride(from: i + 1, to: side, by: 1) { squared += 2 * gram[i * side + j] * gram[i * side + j] }
        }
        return squared / Double(rows) - 1
    }

    /// The singular values of M (rows x cols, row-major), largest first (LAPACK dgesdd, values only); NaN when
    /// LAPACK fails. Row-major M is column-major M^T, which has the same singular values.
    static func singularValuesOf(_ m: [Double], rows: Int, cols: Int) -> [Double] {
        var a = m
        var values = [Double](repeating: 0, count: Swift.min(rows, cols))
        var u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
        let status = LAPACKE_dgesdd(Int32(LAPACK_COL_MAJOR), Int8(UInt8(ascii: "N")), Int32(cols), Int32(rows), &a,
                                    Int32(cols), &values, &u, 1, &vt, 1)
        return status == 0 ? values : Array(repeating: .nan, count: values.count)
    }
}

extension InputOutputJacobian {
    /// The widest n_0 whose J is formed and given singular values (J is n_0 x n_l in Double, n_0 x n_0 SVD); wider
    /// networks get the probe estimate of the moments.
    public static let singularValueWidthLimit = 1024

    /// How `spectrum(scenario:...)` computes a scenario's numbers by default: the SVD up to the width limit, else
    /// `defaultProbeCount` probes.
    public static func defaultMethod(_ scenario: Scenario) -> JacobianMethod {
        (scenario.widths.max() ?? 0) <= singularValueWidthLimit ? .singularValues : .probes(defaultProbeCount)
    }

    /// The spectrum of `initializer`'s network in `scenario` (a plain MLP) on the shared batch's first input:
    /// the same weights as the scenario's run (LSUV calibrated on the whole batch), by `method` (default
    /// `defaultMethod`): singular values at `singularValueLayer` (default L), or the probes' moment estimate.
    /// Holds one layer's weights at a time (LSUV also two B x n activations), never the scenario's workspace.
    /// Throws the scenario's `ScenarioError` (sizes, memory) before allocating; nil when cancelled.
    public static func spectrum(scenario: Scenario, initializer: NamedInitializer, singularValueLayer: Int? = nil,
                                method: JacobianMethod? = nil,
                                cancellation: CancellationToken = CancellationToken()) throws -> JacobianSpectrum? {
        Invariant.require(scenario.architecture == .mlp, "spectrum: the MLP only")
        var single = scenario
        single.initializers = [initializer]
        let footprint = RunFootprint(plan: .statisticsOnly, keepsFinishedRuns: false)
        try single.validate(footprint)
        let source = JacobianLayerSource(scenario: scenario, initializer: initializer.initializer)
        let input = JacobianLayerSource.firstInput(scenario)
        let layer: (Int) -> (weights: Matrix, bias: Matrix?)? = { _ in source.nextLayer(cancellation: cancellation) }
        switch method ?? defaultMethod(scenario) {
        case .singularValues:
            return spectrum(depth: scenario.depth, activation: scenario.activation, input: input,
                            singularValueLayer: singularValueLayer, layer: layer)
        case .probes(let count):
            return probeEstimate(depth: scenario.depth, activation: scenario.activation, input: input, probeCount: count,
                                 seed: scenario.seed, layer: layer)
        }
    }
}
