// Which log scale each sparkline uses. Activations and gradients each have their own (a row whose gradients reach
// 1e+51 keeps the contrast of its activations), per row by default or shared by every row (`S`).
// A scale never moves while the picture comes in: a row the current run computes is fitted to mean field's
// prediction for it (sent by the engine worker before the numbers) until the whole picture is in (every row
// delivered and swept in); then every scale is fitted once more to prediction and measurement together. So a
// scale changes at most once per run, when the run ends, and the sweep reveals layers as soon as they arrive.
// A row without a prediction (none arrived) is held back from the sweep until its run is complete, and fitted to
// its measured values.
import SignalFlow

/// The two quantities a row shows, each on its own scale.
let rowQuantities = RunSeries.rowGroupQuantities

/// True when every number of `row` is known: the engine delivered its run (revealed or waiting for the sweep),
/// or the row kept a finished run from an earlier generation.
func rowIsFinal(_ state: AppState, row: Int) -> Bool {
    if state.queues.indices.contains(row) && state.queues[row].delivered { return true }
    return state.runs.indices.contains(row) && state.runs[row].finished != nil
}

/// True while the current run's picture is still coming in: a row still computing, or events the sweep has not
/// revealed yet.
func pictureIncomplete(_ state: AppState) -> Bool {
    state.computingRows.contains { !rowIsFinal(state, row: $0) } || hasPendingEvents(state)
}

/// Takes into `extremes` the measured variances of `quantity` for `row`: revealed layers and events still queued.
func includeDeliveredVariances(_ state: AppState, row: Int, quantity: Quantity, into extremes: inout PositiveExtremes) {
    guard state.runs.indices.contains(row) else { return }
    extremes.include(state.runs[row].perLayer.varianceExtremes(quantity))
    guard state.queues.indices.contains(row) else { return }
    for event in state.queues[row].pending {
        switch event {
        case .forwardLayer(_, let layer), .backwardLayer(_, let layer):
            if let value = layer.stats(quantity)?.variance { extremes.include(value) }
        case .runFinished(_, let report):
            for layer in report.layers { if let value = layer.stats(quantity)?.variance { extremes.include(value) } }
        }
    }
}

/// True when mean field's prediction for `row` has arrived (or the row kept it from an earlier run).
func hasPrediction(_ state: AppState, row: Int) -> Bool {
    state.scenario.initializers.indices.contains(row) && state.predictions[state.scenario.initializers[row]] != nil
}

/// Takes into `extremes` what `row`'s scale of `quantity` is fitted to: while the current run's picture comes in,
/// a row it computes is fitted to mean field's prediction alone; otherwise to the prediction and every measured
/// value delivered (a row without a prediction: its measured values alone, held back from the sweep until final).
func includeScaleInputs(_ state: AppState, row: Int, quantity: Quantity, into extremes: inout PositiveExtremes) {
    guard state.scenario.initializers.indices.contains(row) else { return }
    let prediction = state.predictions[state.scenario.initializers[row]]
    if let prediction { extremes.include(prediction.extremes(quantity)) }
    let predicted = !(prediction?.values(quantity).isEmpty ?? true)
    if predicted && state.computingRows.contains(row) && pictureIncomplete(state) { return }
    includeDeliveredVariances(state, row: row, quantity: quantity, into: &extremes)
}

/// The scale of `row`'s sparkline of `quantity` (and of the mean-field line's when the row is focused): all of the
/// row's values (a fall to 1e-81 spans 81 decades: "81d"); the shared scale at most 1e-30...1e+30 so one
/// overflowing run does not flatten the others.
func sparklineScale(_ state: AppState, row: Int, quantity: Quantity) -> LogScale {
    var extremes = PositiveExtremes()
    guard state.scaleMode == .shared else {
        includeScaleInputs(state, row: row, quantity: quantity, into: &extremes)
        return LogScale.fitting(extremes)
    }
    for shown in state.scenario.initializers.indices { includeScaleInputs(state, row: shown, quantity: quantity, into: &extremes) }
    let fitted = LogScale.fitting(extremes)
    return LogScale(lowerExponent: max(-30, fitted.lowerExponent), upperExponent: min(30, fitted.upperExponent))
}

/// The scales of `row`'s two groups, activation then gradient.
func rowScales(_ state: AppState, row: Int) -> [LogScale] {
    rowQuantities.map { sparklineScale(state, row: row, quantity: $0) }
}

/// Every row's scales (index: row), activation then gradient: the same as `rowScales` for each row, with the
/// shared scale fitted once rather than once per row (a frame reads each row's values once).
func allRowScales(_ state: AppState) -> [[LogScale]] {
    guard state.scaleMode == .shared else { return state.scenario.initializers.indices.map { rowScales(state, row: $0) } }
    let shared = rowQuantities.map { sparklineScale(state, row: 0, quantity: $0) }
    return state.scenario.initializers.indices.map { _ in shared }
}

/// The legend's words for the scales: each row and group its own ("log10 per row"), or shared.
func scaleLegendText(_ state: AppState) -> String {
    state.scaleMode == .shared ? "log10 shared" : "log10 per row"
}
