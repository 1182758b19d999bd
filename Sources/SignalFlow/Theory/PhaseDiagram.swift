// The mean-field order-to-chaos phase diagram of one activation (reference section 3.3): over a grid of
// (sigma_w^2, sigma_b^2), chi_1, the phase and the correlation depth scale xi_c; the chi_1 = 1 boundary per sigma_b^2.
// Legend: sigma_w^2 = fan_in Var(W) (columns, i = 0..<columns); sigma_b^2 = bias variance (rows, j = 0..<rows);
// axis value_i = lower + (upper - lower) i / (count - 1); cells row-major: cells[j * columns + i].
import Foundation

/// An evenly spaced axis of the diagram, "LOW..HIGH:N" (both ends included).
public struct PhaseAxis: Equatable, Sendable {
    /// First value (>= 0).
    public var lower: Double
    /// Last value (> lower).
    public var upper: Double
    /// Number of values N (2...maximumCount).
    public var count: Int

    /// Most values on one axis.
    public static let maximumCount = 201
    /// Largest accepted upper end (sigma_w^2 of N(0, 1) weights at width 10^6 is 10^6).
    public static let maximumValue = 1e6

    /// Creates an axis (unchecked; `parse` checks).
    public init(lower: Double, upper: Double, count: Int) { self.lower = lower; self.upper = upper; self.count = count }

    /// The default sigma_w^2 axis: 0..4 in steps of 0.2 (21 values; ReLU's edge 2 and tanh's 1 are on it).
    public static let defaultWeightVariance = PhaseAxis(lower: 0, upper: 4, count: 21)
    /// The default sigma_b^2 axis: 0..0.5 in steps of 0.05 (11 values; the reference's worked 0.05, 0.1, 0.2, 0.3, 0.5 on it).
    public static let defaultBiasVariance = PhaseAxis(lower: 0, upper: 0.5, count: 11)

    /// The N values, exact at both ends.
    public var values: [Double] { (0..<count).map(value) }

    /// Value i (0..<count).
    public func value(_ i: Int) -> Double {
        i == count - 1 ? upper : lower + (upper - lower) * Double(i) / Double(Swift.max(count - 1, 1))
    }

    /// Parses "LOW..HIGH:N" for the flag `flag`; throws a one-line message naming the flag and what is accepted.
    public static func parse(_ text: String, flag: String) throws -> PhaseAxis {
        let shown = PrintableText.quoted(text)
        let format = "expected LOW..HIGH:N with 0 <= LOW < HIGH <= \(Int(maximumValue)) and N in 2...\(maximumCount), e.g. 0..4:21"
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let bounds = parts.first.map { $0.components(separatedBy: "..") } ?? []
        guard parts.count == 2, let count = Int(parts[1]), bounds.count == 2,
              let lower = Double(bounds[0]), let upper = Double(bounds[1]) else {
            throw PhaseDiagramError("malformed \(flag) '\(shown)'; \(format)")
        }
        guard lower.isFinite, upper.isFinite, lower >= 0, upper > lower, upper <= maximumValue,
              (2...maximumCount).contains(count) else {
            throw PhaseDiagramError("\(flag) '\(shown)' is out of range; \(format)")
        }
        return PhaseAxis(lower: lower, upper: upper, count: count)
    }
}

/// A one-line error of the phase diagram's input.
public struct PhaseDiagramError: Error, CustomStringConvertible, Equatable {
    /// The message.
    public var description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

/// The correlation depth scale xi_c of a point, in layers, or why it is not a finite number.
public enum CorrelationDepthScale: Equatable, Sendable {
    /// xi_c = -1/ln(factor) layers.
    case finite(Double)
    /// The factor is 1 to 1e-12: xi_c diverges (on the chi_1 = 1 curve).
    case infinite
    /// q grows without bound (no finite fixed point q*): the correlation map has no fixed point to converge to.
    case unbounded

    /// The finite value, nil otherwise.
    public var value: Double? { if case .finite(let x) = self { return x }; return nil }
    /// "finite", "infinite" or "unbounded" (the JSON/CSV `xiKind`).
    public var kind: String {
        switch self {
        case .finite: return "finite"
        case .infinite: return "infinite"
        case .unbounded: return "unbounded"
        }
    }
}

/// One point of the diagram.
public struct PhasePoint: Equatable, Sendable {
    /// sigma_w^2.
    public var weightVariance: Double
    /// sigma_b^2.
    public var biasVariance: Double
    /// chi_1 at q* (at the start q = sigma_w^2 + sigma_b^2 when there is no fixed point).
    public var chi1: Double
    /// Phase by chi_1 (critical within 1e-3 of 1).
    public var phase: MeanFieldPhase
    /// q*, nil when q grows without bound.
    public var fixedPoint: Double?
    /// c*, nil when there is no q*.
    public var correlationFixedPoint: Double?
    /// xi_c.
    public var depthScale: CorrelationDepthScale

    /// The point (sigma_w^2, sigma_b^2) of `activation`, its length map started at q = sigma_w^2 + sigma_b^2
    /// (N(0, 1) inputs, whose second moment is 1).
    public init(activation: Activation, weightVariance: Double, biasVariance: Double) {
        self.weightVariance = weightVariance; self.biasVariance = biasVariance
        let map = MeanFieldMap(activation: activation, weightVariance: weightVariance, biasVariance: biasVariance)
        let analysis = map.analysis(startingAt: weightVariance + biasVariance)
        chi1 = analysis.chi1; phase = analysis.phase
        fixedPoint = analysis.fixedPoint; correlationFixedPoint = analysis.correlationFixedPoint
        switch analysis.correlationDepthScale {
        case nil: depthScale = .unbounded
        case let xi? where xi.isInfinite: depthScale = .infinite
        case let xi?: depthScale = .finite(xi)
        }
    }
}

/// Where chi_1 = 1 crosses one sigma_b^2 row.
public struct PhaseBoundaryPoint: Equatable, Sendable {
    /// sigma_b^2 of the row.
    public var biasVariance: Double
    /// The critical sigma_w^2, nil when chi_1 - 1 does not change sign on the sigma_w^2 axis.
    public var weightVariance: Double?
    /// q* there (nil when q grows without bound, as for ReLU with sigma_b^2 > 0, or there is no crossing).
    public var fixedPoint: Double?
}

/// The order-to-chaos diagram of one activation over a sigma_w^2 x sigma_b^2 grid.
public struct PhaseDiagram: Equatable, Sendable {
    /// The nonlinearity.
    public var activation: Activation
    /// Columns: sigma_w^2.
    public var weightAxis: PhaseAxis
    /// Rows: sigma_b^2.
    public var biasAxis: PhaseAxis
    /// rows x columns points, row-major (cells[j * columns + i] is (sigma_w^2_i, sigma_b^2_j)).
    public var cells: [PhasePoint]
    /// The chi_1 = 1 crossing of every row.
    public var boundary: [PhaseBoundaryPoint]

    /// Computes every cell and the boundary, the cells spread over the engine's threads (Parallelism) (each is independent; a chaotic
    /// cell's c* costs up to ~40 ms of 2-D quadrature for tanh).
    public init(activation: Activation, weightAxis: PhaseAxis = .defaultWeightVariance, biasAxis: PhaseAxis = .defaultBiasVariance) {
        self.activation = activation; self.weightAxis = weightAxis; self.biasAxis = biasAxis
        let columns = weightAxis.count, rows = biasAxis.count
        let w = weightAxis.values, b = biasAxis.values
        let count = rows * columns + rows
        let results = UnsafeMutableBufferPointer<PhasePoint?>.allocate(capacity: rows * columns)
        let crossings = UnsafeMutableBufferPointer<PhaseBoundaryPoint?>.allocate(capacity: rows)
        results.initialize(repeating: nil); crossings.initialize(repeating: nil)
        defer { results.deallocate(); crossings.deallocate() }
        Parallelism.run(count) { k in
            if k < rows * columns {
                results[k] = PhasePoint(activation: activation, weightVariance: w[k % columns], biasVariance: b[k / columns])
            } else {
                let j = k - rows * columns
                crossings[j] = PhaseDiagram.criticalPoint(activation: activation, biasVariance: b[j],
                                                              lower: weightAxis.lower, upper: weightAxis.upper)
            }
        }
        cells = results.map { $0! }
        boundary = crossings.map { $0! }
    }

    /// The point of column i, row j.
    public func cell(column i: Int, row j: Int) -> PhasePoint { cells[j * weightAxis.count + i] }

    /// The sigma_w^2 in [lower, upper] where chi_1 = 1 at `biasVariance`, by bisection on chi_1 - 1 (chi_1 at q*, or at
    /// the start q when q grows without bound, where it is exact for the ReLU family), to 1e-12.
    public static func criticalPoint(activation: Activation, biasVariance: Double, lower: Double, upper: Double) -> PhaseBoundaryPoint {
        func excess(_ sigmaW2: Double) -> Double {
            MeanFieldMap(activation: activation, weightVariance: sigmaW2, biasVariance: biasVariance)
                .analysis(startingAt: sigmaW2 + biasVariance, includeCorrelation: false).chi1 - 1
        }
        var low = lower, high = upper
        let lowValue = excess(low), highValue = excess(high)
        guard lowValue.isFinite, highValue.isFinite, lowValue.sign != highValue.sign || lowValue == 0 || highValue == 0 else {
            return PhaseBoundaryPoint(biasVariance: biasVariance, weightVariance: nil, fixedPoint: nil)
        }
        if lowValue == 0 { high = low } else if highValue == 0 { low = high }
        for _ in 0..<100 where high - low > 1e-12 * Swift.max(1, high) {
            let middle = 0.5 * (low + high)
            if excess(middle).sign == lowValue.sign { low = middle } else { high = middle }
        }
        let sigmaW2 = 0.5 * (low + high)
        let qStar = MeanFieldMap(activation: activation, weightVariance: sigmaW2, biasVariance: biasVariance)
            .fixedPoint(startingAt: sigmaW2 + biasVariance)
        return PhaseBoundaryPoint(biasVariance: biasVariance, weightVariance: sigmaW2, fixedPoint: qStar)
    }
}

extension PhasePoint {
    /// Where `initializer` puts `scenario` on the diagram: sigma_w^2 = fan_in Var(W) of the first layer (orthogonal:
    /// gain^2, its rows' squared norm; LSUV: the sigma_w^2 its converged calibration gives the later layers,
    /// (1 - sigma_b^2) / E[phi(z)^2], as `MeanField.analysis` uses), sigma_b^2 = bias std^2. nil for depth 0.
    public init?(scenario: Scenario, initializer: Initializer) {
        let variances = MeanField.weightVariances(scenario: scenario, initializer: initializer)
        guard let sigmaW2 = initializer.needsCalibration ? variances.last : variances.first else { return nil }
        let sigmaB = scenario.biasStandardDeviation
        self.init(activation: scenario.activation, weightVariance: sigmaW2, biasVariance: sigmaB * sigmaB)
    }
}
