// The health of every layer of one quantity of a run, kept in step with its statistics as the layers arrive, so a
// frame reads it instead of classifying all L layers (a log10 each) for every row, heading and panel.
// Legend: L = depth; arrays have count L, index layer - 1. The reference layer is the first the signal reaches:
// the first reported layer for forward quantities, the last for gradients (Health.series).
import SignalFlow

/// `Health.series` of one quantity, updated one layer at a time: O(1) per layer, O(L) when the reference changes
/// (the first report of a run, or a report replacing the reference layer's with a different variance).
struct HealthSeries: Equatable, Sendable {
    /// The quantity classified.
    let quantity: Quantity
    /// The network's activation (saturation is checked for bounded ones).
    let activation: Activation
    /// Health by layer - 1 (count L).
    private(set) var health: [Health]
    /// Index of the reference layer (nil: no layer reported).
    private var referenceIndex: Int?
    /// The reference variance as `Health.series` takes it (nil: a non-finite reference, or none).
    private var referenceVariance: Double?

    /// Every layer pending, for a run of `depth` layers.
    init(depth: Int, quantity: Quantity, activation: Activation) {
        self.quantity = quantity; self.activation = activation
        health = Array(repeating: .pending, count: max(0, depth))
    }

    /// True for the quantities whose reference is the last reported layer (gradients flow from layer L down).
    private var isBackward: Bool { quantity == .activationGradient || quantity == .weightGradient }

    /// Takes `stats[index]`'s change from `old` (stats: the quantity's statistics by layer - 1, count L, already
    /// holding the new value).
    mutating func update(_ stats: [SummaryStats?], changed index: Int, old: SummaryStats?) {
        guard health.indices.contains(index), stats.count == health.count else { return }
        let new = stats[index]
        if old == nil && new == nil { return }
        var reference = referenceIndex
        if let current = reference {
            if new != nil && (isBackward ? index > current : index < current) {
                reference = index
            } else if index == current && new == nil {
                reference = isBackward ? stats[..<current].lastIndex { $0 != nil }
                    : stats[(current + 1)...].firstIndex { $0 != nil }
            }
        } else if new != nil {
            reference = index
        }
        let variance = reference.flatMap { stats[$0] }.flatMap { $0.nonFiniteCount == 0 ? $0.variance : nil }
        if reference != referenceIndex || variance?.bitPattern != referenceVariance?.bitPattern {
            referenceIndex = reference; referenceVariance = variance
            health = stats.map { classify($0) }
        } else {
            health[index] = classify(new)
        }
    }

    /// One layer's health against the kept reference, as `Health.series` classifies it.
    private func classify(_ layer: SummaryStats?) -> Health {
        guard let layer else { return .pending }
        let unitChecks = quantity == .activation
        return Health.classify(variance: layer.variance, nonFiniteCount: layer.nonFiniteCount, reference: referenceVariance,
                               saturatedFraction: unitChecks && activation.isBounded ? layer.saturatedFraction : 0,
                               zeroFraction: unitChecks ? layer.zeroFraction : 0)
    }
}
