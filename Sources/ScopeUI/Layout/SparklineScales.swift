// Which log scale each row's sparklines use: one per row (default) or one shared by every row (`S`). A scale is
// fitted to every value the engine has delivered for the row, revealed or still waiting for the sweep, and a row
// is revealed only once complete (or after the sweep), so the scale never moves while the picture sweeps in.
import SignalFlow

/// Activation and gradient variances of `row` known so far: revealed layers and events still queued.
func deliveredVariances(_ state: AppState, row: Int) -> [Double] {
    guard state.runs.indices.contains(row) else { return [] }
    var values: [Double] = []
    let quantities: [Quantity] = [.activation, .activationGradient]
    for layer in state.runs[row].layers { if let layer { values += quantities.compactMap { layer.stats($0)?.variance } } }
    if state.queues.indices.contains(row) {
        for event in state.queues[row].pending {
            switch event {
            case .forwardLayer(_, let layer), .backwardLayer(_, let layer):
                values += quantities.compactMap { layer.stats($0)?.variance }
            case .runFinished: break
            }
        }
    }
    return values
}

/// The scale of `row`'s sparklines (and of the mean-field line when it is focused): fitted to the row's own
/// values, or to every row's with `ScaleMode.shared`; at most 1e-30...1e+30 so one overflowing run does not
/// flatten the others.
func sparklineScale(_ state: AppState, row: Int) -> LogScale {
    let values = state.scaleMode == .shared
        ? state.runs.indices.flatMap { deliveredVariances(state, row: $0) }
        : deliveredVariances(state, row: row)
    let fitted = LogScale.fitting(values)
    return LogScale(lowerExponent: max(-30, fitted.lowerExponent), upperExponent: min(30, fitted.upperExponent))
}

/// The legend's words for the scale in use: "log10 per row 1e-2..1e+1 (S: shared)" names the focused row's range.
func scaleLegendText(_ state: AppState, scale: LogScale) -> String {
    let range = "\(NumberFormat.powerOfTen(scale.lowerExponent))..\(NumberFormat.powerOfTen(scale.upperExponent))"
    return state.scaleMode == .shared ? "log10 shared \(range)" : "log10 row \(range)"
}
