// The fixed value axis of the linear histogram panels, so tiny values look tiny: [-1, 1] for tanh, [0, 1] for
// sigmoid, else fixed per scenario from the layer the signal starts at (layer 1 forward, layer L backward),
// rounded up to 1, 2 or 5 x 10^k. Legend: K = bins of the engine's histogram, M = bins of the re-binned one.
import Foundation
import SignalFlow

/// A linear histogram's axis that does not follow the data from layer to layer.
public enum HistogramAxis {
    /// The axis for `quantity` of a run with `activation`, whose reference layer has `reference` statistics:
    /// the activation's own range for bounded activations, else [0, M] (no negative values at the reference
    /// layer) or [-M, M] with M = max |value| there rounded up to 1, 2 or 5 x 10^k; nil when unknown.
    public static func fixed(activation: Activation, quantity: Quantity, reference: SummaryStats?) -> ClosedRange<Double>? {
        if quantity == .activation {
            switch activation {
            case .tanh: return -1...1
            case .sigmoid: return 0...1
            default: break
            }
        }
        guard let reference, reference.hasFiniteValues, reference.min.isFinite, reference.max.isFinite else { return nil }
        let reach = niceCeiling(max(abs(reference.min), abs(reference.max)))
        guard reach > 0, reach.isFinite else { return nil }
        return reference.min >= 0 ? 0...reach : -reach...reach
    }

    /// The axis for the focused run's `quantity` in `state`: fixed per scenario (see `fixed`).
    public static func fixed(_ state: AppState, quantity: Quantity) -> ClosedRange<Double>? {
        guard let run = state.focusedRun else { return nil }
        let backward = quantity == .activationGradient || quantity == .weightGradient
        let layer = backward ? run.layers.count : 1
        let reference = run.report(layer: layer).map(state.shownSite)?.stats(quantity)
        // In a residual block only the branch's activations have the activation's bounds.
        let bounded = state.panelSite(quantity).map { $0 == ResidualSite.branchAct } ?? (quantity == .activation)
        return fixed(activation: state.scenario.activation, quantity: bounded ? .activation : .preactivation, reference: reference)
    }

    /// The smallest 1, 2 or 5 x 10^k at or above `value` (> 0).
    public static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return value }
        let decade = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * decade >= value * (1 - 1e-12) { return step * decade }
        return 10 * decade
    }

    /// `histogram` (linear) re-binned onto `axis` with `bins` equal bins by bin centre; mass outside the axis goes
    /// to underflow / overflow, so nothing is lost and nothing is stretched.
    public static func rebinned(_ histogram: Histogram, onto axis: ClosedRange<Double>, bins: Int = 64) -> Histogram {
        var counts = [Int](repeating: 0, count: max(1, bins))
        var under = histogram.underflow, over = histogram.overflow
        let span = axis.upperBound - axis.lowerBound
        for (bin, count) in histogram.binCounts.enumerated() where count > 0 {
            let centre = histogram.lower + (Double(bin) + 0.5) * histogram.binWidth
            guard span > 0, centre.isFinite else { under += count; continue }
            if centre < axis.lowerBound { under += count; continue }
            if centre > axis.upperBound { over += count; continue }
            let position = Int(((centre - axis.lowerBound) / span * Double(counts.count)).rounded(.down))
            counts[min(counts.count - 1, max(0, position))] += count
        }
        return Histogram(scale: .linear, lower: axis.lowerBound, upper: axis.upperBound, binCounts: counts,
                         underflow: under, overflow: over, nonFinite: histogram.nonFinite, zeroCount: histogram.zeroCount)
    }
}
