// The numbers the per-frame widgets read of one run, by layer, as plain values: kept in step with the run's layer
// reports as events arrive, so a frame of 10,000 blocks reads arrays of numbers instead of copying 10,000 reports
// (each a dictionary and arrays of sites) and looking each quantity up, several times per row.
// Legend: L = depth; every array has count L, index layer - 1; nil = layer not reported (or quantity absent).
import SignalFlow

/// One run's per-layer statistics, mean-field predictions and flags, derived from its layer reports.
public struct RunSeries: Equatable, Sendable {
    /// Summary statistics of each quantity by layer - 1, in `Quantity.allCases` order.
    private var statistics: [[SummaryStats?]]
    /// The variance of each quantity by layer - 1, in `Quantity.allCases` order (what the rows draw).
    private var variances: [[Double?]]
    /// The finite positive extremes of each quantity's `variances` (what the rows' scales are fitted to).
    private var varianceExtremes: [PositiveExtremes]
    /// The health of each quantity by layer, in `Quantity.allCases` order; empty when no activation was given.
    private var healths: [HealthSeries]
    /// The mean-field line of the rows' two groups (`rowGroupQuantities`) by layer - 1: the stream's second moment
    /// for a residual block, else var(phi(h)) and E[(dL/dh)^2]; empty when no activation was given.
    private var meanFieldLines: [[Double?]]
    /// |log10(measured variance / mean-field line)| of the two groups by layer - 1, where both are finite and
    /// positive (PredictionDistance); empty when no activation was given.
    private var predictionGaps: [[Double?]]
    /// Mean field's prediction for each layer (the MLP's q and g), by layer - 1.
    public private(set) var theory: [LayerTheory?]
    /// Mean field's var(phi(h)) with h ~ N(0, q) from each layer's `theory` for `activation` (what the mean-field
    /// line draws under the activation sparkline; a quadrature per layer, so computed once, as the layer arrives);
    /// nil where there is no theory or no activation was given.
    public private(set) var predictedActivationVariance: [Double?]
    /// The activation `predictedActivationVariance` is for (nil: none computed).
    public private(set) var activation: Activation?
    /// Mean field's second moment of the stream after each block (residual networks), by layer - 1.
    public private(set) var streamTheory: [Double?]
    /// NaN or infinite elements over every quantity and site of each layer (0 for a layer not reported).
    public private(set) var nonFiniteCount: [Int]
    /// True for each layer with an LSUV calibration trace.
    private var calibrated: [Bool]
    /// Number of layers with a report.
    public private(set) var reportedLayers: Int
    /// Number of layers with an LSUV calibration trace.
    public private(set) var calibratedLayers: Int
    /// True for each layer with a report.
    private var reported: [Bool]
    /// The log10|x| histogram of each quantity by layer - 1, in `Quantity.allCases` order (the heat maps).
    private var quantityLogHistograms: [[Histogram?]]
    /// The log10|x| histogram of each site (residual networks and transformers) by layer - 1, keyed by the site's
    /// name; a site no layer holds has no key, so two series holding the same numbers compare equal whatever order
    /// the sites arrived in.
    private var siteLogHistograms: [String: [Histogram?]]
    /// The number of layers holding each site of `siteLogHistograms`.
    private var siteLayerCount: [String: Int]

    /// The series of a run of `depth` layers with nothing reported; with `activation`, the mean-field activation
    /// variance of each layer is kept too.
    public init(depth: Int, activation: Activation? = nil) {
        let count = max(0, depth)
        self.activation = activation
        predictedActivationVariance = Array(repeating: nil, count: count)
        statistics = Quantity.allCases.map { _ in Array(repeating: nil, count: count) }
        variances = Quantity.allCases.map { _ in Array(repeating: nil, count: count) }
        varianceExtremes = Array(repeating: PositiveExtremes(), count: Quantity.allCases.count)
        healths = activation.map { activation in
            Quantity.allCases.map { HealthSeries(depth: count, quantity: $0, activation: activation) }
        } ?? []
        let groups = activation == nil ? 0 : RunSeries.rowGroupQuantities.count
        meanFieldLines = Array(repeating: Array(repeating: nil, count: count), count: groups)
        predictionGaps = Array(repeating: Array(repeating: nil, count: count), count: groups)
        theory = Array(repeating: nil, count: count)
        streamTheory = Array(repeating: nil, count: count)
        nonFiniteCount = Array(repeating: 0, count: count)
        calibrated = Array(repeating: false, count: count)
        reported = Array(repeating: false, count: count)
        reportedLayers = 0
        calibratedLayers = 0
        quantityLogHistograms = Quantity.allCases.map { _ in Array(repeating: nil, count: count) }
        siteLogHistograms = [:]
        siteLayerCount = [:]
    }

    /// This series with nothing reported, for `activation`: `init(depth: L, activation: activation)`, equal to it,
    /// built by sharing every per-layer array of this one (copy-on-write, all still empty) and making only the health
    /// series anew (one byte per layer each), instead of filling about 20 arrays of L entries (9 MB of fresh pages
    /// at L = 10,000: 12-65 ms of the live view's `a`). A series that holds anything is built from scratch.
    public func emptied(for activation: Activation?) -> RunSeries {
        let depth = theory.count
        guard reportedLayers == 0, calibratedLayers == 0, siteLogHistograms.isEmpty,
              (self.activation == nil) == (activation == nil) else { return RunSeries(depth: depth, activation: activation) }
        var series = self
        series.activation = activation
        series.healths = activation.map { activation in
            Quantity.allCases.map { HealthSeries(depth: depth, quantity: $0, activation: activation) }
        } ?? []
        return series
    }

    /// The series of `layers` (index layer - 1), for `activation` (see `init(depth:activation:)`).
    public init(layers: [LayerReport?], activation: Activation? = nil) {
        self.init(depth: layers.count, activation: activation)
        for (index, layer) in layers.enumerated() { set(layer, at: index) }
    }

    /// Replaces layer `index + 1`'s entries with those of `report` (nil clears them).
    public mutating func set(_ report: LayerReport?, at index: Int) {
        guard theory.indices.contains(index) else { return }
        for (k, quantity) in Quantity.allCases.enumerated() {
            let old = statistics[k][index]
            statistics[k][index] = report?.stats(quantity)
            let oldVariance = variances[k][index], newVariance = statistics[k][index]?.variance
            variances[k][index] = newVariance
            // An extreme replaced by another value may no longer be one: find them again (rare: a report replacing
            // a layer's carries the same forward numbers); else the new value is all that can move them.
            if let oldVariance, oldVariance.bitPattern != newVariance?.bitPattern, varianceExtremes[k].isExtreme(oldVariance) {
                varianceExtremes[k] = PositiveExtremes(); varianceExtremes[k].include(known: variances[k])
            } else if let newVariance {
                varianceExtremes[k].include(newVariance)
            }
            if !healths.isEmpty { healths[k].update(statistics[k], changed: index, old: old) }
            quantityLogHistograms[k][index] = report?.quantities[quantity]?.logMagnitude
        }
        // The keys are copied out first: mutating the dictionary while a view of it is alive would copy every column.
        for site in Array(siteLogHistograms.keys) where siteLogHistograms[site]?[index] != nil {
            siteLogHistograms[site]?[index] = nil
            siteLayerCount[site, default: 0] -= 1
        }
        for site in report?.sites ?? [] where site.quantity.logMagnitude != nil {
            if siteLogHistograms[site.name]?[index] == nil { siteLayerCount[site.name, default: 0] += 1 }
            siteLogHistograms[site.name, default: Array(repeating: nil, count: theory.count)][index] =
                site.quantity.logMagnitude
        }
        for (site, count) in Array(siteLayerCount) where count == 0 {
            siteLogHistograms[site] = nil
            siteLayerCount[site] = nil
        }
        let theory = report?.theory
        if theory != self.theory[index] || theory == nil {
            predictedActivationVariance[index] = theory.flatMap { theory in
                activation.map { ScopeUI.predictedActivationVariance($0, q: theory.preactivationSecondMoment) }
            }
        }
        self.theory[index] = theory
        streamTheory[index] = report?.streamTheory
        if !meanFieldLines.isEmpty {
            let stream = report?.streamTheory
            let line = [stream ?? predictedActivationVariance[index], stream == nil ? theory?.gradientSecondMoment : nil]
            for (group, quantity) in RunSeries.rowGroupQuantities.enumerated() {
                meanFieldLines[group][index] = line[group]
                predictionGaps[group][index] = PredictionDistance.decades(
                    measured: variances[RunSeries.quantityIndex(quantity)][index], predicted: line[group])
            }
        }
        nonFiniteCount[index] = report?.nonFiniteCount ?? 0
        let isCalibrated = report?.lsuv != nil, isReported = report != nil
        calibratedLayers += (isCalibrated ? 1 : 0) - (calibrated[index] ? 1 : 0)
        reportedLayers += (isReported ? 1 : 0) - (reported[index] ? 1 : 0)
        calibrated[index] = isCalibrated
        reported[index] = isReported
    }

    /// The summary statistics of `quantity` by layer - 1 (count L).
    public func stats(_ quantity: Quantity) -> [SummaryStats?] {
        statistics[RunSeries.quantityIndex(quantity)]
    }

    /// The variance of `quantity` by layer - 1 (count L), nil where not reported.
    public func variances(_ quantity: Quantity) -> [Double?] {
        variances[RunSeries.quantityIndex(quantity)]
    }

    /// The finite positive extremes of `variances(quantity)`.
    public func varianceExtremes(_ quantity: Quantity) -> PositiveExtremes {
        varianceExtremes[RunSeries.quantityIndex(quantity)]
    }

    /// `Health.series` of `quantity` as kept for this run's activation; nil when `activation` is not the one kept.
    public func health(_ quantity: Quantity, activation: Activation) -> [Health]? {
        guard self.activation == activation, !healths.isEmpty else { return nil }
        return healths[RunSeries.quantityIndex(quantity)].health
    }

    /// The mean-field line of the row group showing `quantity` (`MeanFieldRow.predicted`) by layer - 1, as kept
    /// for this run's activation; nil for another activation or a quantity no group shows.
    public func meanFieldLine(_ quantity: Quantity, activation: Activation) -> [Double?]? {
        guard self.activation == activation, let group = RunSeries.rowGroupQuantities.firstIndex(of: quantity),
              meanFieldLines.indices.contains(group) else { return nil }
        return meanFieldLines[group]
    }

    /// |log10(measured / predicted)| by layer - 1 for the row group showing `quantity` (nil where either is missing,
    /// non-finite or not positive), as kept for this run's activation; nil as for `meanFieldLine`.
    public func predictionGaps(_ quantity: Quantity, activation: Activation) -> [Double?]? {
        guard self.activation == activation, let group = RunSeries.rowGroupQuantities.firstIndex(of: quantity),
              predictionGaps.indices.contains(group) else { return nil }
        return predictionGaps[group]
    }

    /// The quantities of a row's two groups, in order (activation, gradient).
    static let rowGroupQuantities: [Quantity] = [.activation, .activationGradient]

    /// The position of `quantity` in `Quantity.allCases`.
    static func quantityIndex(_ quantity: Quantity) -> Int { Quantity.allCases.firstIndex(of: quantity) ?? 0 }

    /// The log10|x| histograms by layer - 1 (count L) of the site named `site` where a layer has it, else of
    /// `quantity` (as `AppState.shownSite` picks a panel's numbers).
    public func logHistograms(_ quantity: Quantity, site: String?) -> [Histogram?] {
        let byQuantity = quantityLogHistograms[Quantity.allCases.firstIndex(of: quantity) ?? 0]
        guard let site, let bySite = siteLogHistograms[site] else { return byQuantity }
        return zip(bySite, byQuantity).map { $0 ?? $1 }
    }

    /// One statistic of `quantity` by layer - 1, e.g. the variance (count L).
    public func series(_ quantity: Quantity, _ value: (SummaryStats) -> Double) -> [Double?] {
        stats(quantity).map { $0.map(value) }
    }
}
