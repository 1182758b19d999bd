// The pure view: the whole live screen drawn from the state into a Canvas of the terminal's size.
import SignalFlow
import Terminal

/// The screen for `state`, sized `state.terminalWidth` x `state.terminalHeight`. Pure; any size (0x0, 1x1,
/// 500x200) renders without a trap; below `ScreenLayout.minimum*` it says how large the terminal must be.
public func view(_ state: AppState) -> Canvas {
    let theme = state.theme
    var canvas = Canvas(width: state.terminalWidth, height: state.terminalHeight,
                        fill: Cell(" ", style: theme.style(.background)))
    let layout = ScreenLayout(width: state.terminalWidth, height: state.terminalHeight,
                              rowCount: state.scenario.initializers.count, focusedRow: state.focusedRow)
    guard layout.fits else {
        drawTooSmall(into: &canvas, state: state)
        return canvas
    }
    let scale = sharedScale(state)
    drawHeader(into: &canvas, state: state, rect: layout.header)
    drawHeadings(into: &canvas, state: state, layout: layout)
    for (offset, rect) in layout.rows.enumerated() {
        drawRow(into: &canvas, state: state, row: layout.firstRow + offset, rect: rect, layout: layout, scale: scale)
    }
    drawPrediction(into: &canvas, state: state, layout: layout, scale: scale)
    drawLegend(into: &canvas, state: state, rect: layout.legend, scale: scale)
    for (rect, quantity) in zip(layout.histograms, layout.histogramQuantities) {
        drawHistogramPanel(into: &canvas, state: state, quantity: quantity, rect: rect)
    }
    for (rect, quantity) in zip(layout.heatMaps, layout.heatMapQuantities) {
        drawHeatMapPanel(into: &canvas, state: state, quantity: quantity, rect: rect)
    }
    drawStats(into: &canvas, state: state, rect: layout.stats)
    canvas.write(Caption.text(for: state, width: layout.caption.width), x: 0, y: layout.caption.y, style: theme.style(.accent), clip: layout.caption)
    drawStatus(into: &canvas, state: state, rect: layout.status)
    if state.helpVisible {
        HelpOverlay(bindings: KeyMap.bindings(glyphs: state.glyphs))
            .draw(into: &canvas, area: canvas.bounds, glyphs: state.glyphs, theme: theme)
    }
    return canvas
}

/// The log scale every sparkline on screen shares: fitted to every revealed measured variance (predictions are
/// drawn on it, clipped), at most 1e-30...1e+30 so one overflowing run does not flatten the others.
func sharedScale(_ state: AppState) -> LogScale {
    var values: [Double] = []
    for run in state.runs {
        values += run.series(.activation) { $0.variance }.compactMap { $0 }
        values += run.series(.activationGradient) { $0.variance }.compactMap { $0 }
    }
    let fitted = LogScale.fitting(values)
    return LogScale(lowerExponent: max(-30, fitted.lowerExponent), upperExponent: min(30, fitted.upperExponent))
}

/// "terminal 40x10 is too small: initscope needs at least 72x20", wrapped to the width.
func drawTooSmall(into canvas: inout Canvas, state: AppState) {
    let message = "terminal \(state.terminalWidth)x\(state.terminalHeight) is too small: initscope needs at least "
        + "\(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight). Enlarge it, or press q to quit."
    guard canvas.width > 0 else { return }
    var line = 0, current = ""
    for word in message.split(separator: " ") {
        if !current.isEmpty && current.count + 1 + word.count > canvas.width {
            canvas.write(current, x: 0, y: line, style: state.theme.style(.text)); line += 1; current = ""
        }
        current += (current.isEmpty ? "" : " ") + word
    }
    canvas.write(current, x: 0, y: line, style: state.theme.style(.text))
}

func drawHeader(into canvas: inout Canvas, state: AppState, rect: Rect) {
    let s = state.scenario
    let accent = state.theme.style(.accent), text = state.theme.style(.text), muted = state.theme.style(.mutedText)
    var x = canvas.write("initscope ", x: rect.x, y: rect.y, style: accent, clip: rect)
    let fields = [s.activation.name, "L=\(s.depth)", "n=\(s.width)", "B=\(s.batch)", "seed=\(s.seed)"]
        + (s.biasStandardDeviation > 0 ? ["bias=\(NumberFormat.compact(s.biasStandardDeviation))"] : [])
    x = canvas.write(fields.joined(separator: "  "), x: x + 1, y: rect.y, style: text, clip: rect)
    let phase: String
    if state.runFailed { phase = "failed" }
    else if state.paused { phase = "paused" }
    else if state.simulationRunning || !state.pendingEvents.isEmpty { phase = "running" }
    else { phase = state.generation == 0 ? "starting" : "done" }
    let right = "layer \(state.selectedLayer)/\(s.depth)  \(phase)"
    let start = rect.maxX - right.count
    if start > x + 1 { canvas.write(right, x: start, y: rect.y, style: muted, clip: rect) }
}

/// The headings line with the selected-layer marker (RowHeadings).
func drawHeadings(into canvas: inout Canvas, state: AppState, layout: ScreenLayout) {
    let focused = state.focusedRun.map { run in
        [Quantity.activation, .activationGradient].map { RowSeries(run: run, quantity: $0, activation: state.scenario.activation) }
    }
    RowHeadings(columns: RowColumns(layout), depth: state.scenario.depth, selectedLayer: state.selectedLayer, focused: focused)
        .draw(into: &canvas, rect: layout.headings, glyphs: state.glyphs, theme: state.theme)
}

/// One initializer row (InitializerRow): name, then activation and gradient variance sparklines with the values
/// at layer 1 and layer L.
func drawRow(into canvas: inout Canvas, state: AppState, row: Int, rect: Rect, layout: ScreenLayout, scale: LogScale) {
    guard state.scenario.initializers.indices.contains(row), state.runs.indices.contains(row) else { return }
    let run = state.runs[row]
    let series = [Quantity.activation, .activationGradient].map { RowSeries(run: run, quantity: $0, activation: state.scenario.activation) }
    InitializerRow(columns: RowColumns(layout), name: state.scenario.initializers[row].name, index: row,
                   focused: row == state.focusedRow, series: series, scales: [scale, scale], selectedLayer: state.selectedLayer)
        .draw(into: &canvas, rect: rect, glyphs: state.glyphs, theme: state.theme)
}

/// The mean-field line for the focused initializer (MeanFieldRow).
func drawPrediction(into canvas: inout Canvas, state: AppState, layout: ScreenLayout, scale: LogScale) {
    MeanFieldRow(columns: RowColumns(layout), run: state.focusedRun, name: state.focusedInitializer?.name ?? "-",
                 activation: state.scenario.activation, width: state.scenario.width, scales: [scale, scale],
                 selectedLayer: state.selectedLayer)
        .draw(into: &canvas, rect: layout.prediction, glyphs: state.glyphs, theme: state.theme)
}

/// The legend line (Legend): the shared scale's range, each state's glyph and colour, the histogram mode.
func drawLegend(into canvas: inout Canvas, state: AppState, rect: Rect, scale: LogScale) {
    let scaleText = "log10 \(NumberFormat.powerOfTen(scale.lowerExponent))..\(NumberFormat.powerOfTen(scale.upperExponent))"
    Legend(scaleText: scaleText, states: Legend.states(for: state.scenario.activation),
           note: "g: " + (state.histogramMode == .linear ? "linear" : "log10|x|"))
        .draw(into: &canvas, rect: rect, glyphs: state.glyphs, theme: state.theme)
}

/// One histogram panel: a title row naming the layer and the axis, then bars and axis for the focused
/// initializer's selected layer. Linear histograms are re-binned onto the scenario's fixed axis (HistogramAxis).
func drawHistogramPanel(into canvas: inout Canvas, state: AppState, quantity: Quantity, rect: Rect) {
    guard !rect.isEmpty else { return }
    let theme = state.theme, muted = theme.style(.mutedText)
    let axis = state.histogramMode == .linear ? HistogramAxis.fixed(state, quantity: quantity) : nil
    let scaleText = state.histogramMode == .log ? " log|x|"
        : axis.map { " [\(Caption.format($0.lowerBound)), \(Caption.format($0.upperBound))]" } ?? ""
    // The axis is part of the title; a narrow panel shortens the name before it drops the axis.
    let names = [quantityTitle(quantity), shortQuantityTitle(quantity)].map { "\($0) L\(state.selectedLayer)" }
    let title = names.first { $0.count + scaleText.count <= rect.width } ?? names[0]
    canvas.write(title, x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
    if title.count + scaleText.count <= rect.width {
        var style = theme.style(.text); style.bold = true
        canvas.write(scaleText, x: rect.x + title.count, y: rect.y, style: style, clip: rect)
    }
    let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
    guard let report = state.selectedReport?.quantities[quantity] else {
        let phrasings = quantity == .activationGradient || quantity == .weightGradient
            ? ["waiting for backward pass", "waiting for backward", "waiting"] : ["waiting for layer", "waiting"]
        let waiting = phrasings.first { $0.count <= body.width } ?? ""
        canvas.write(waiting, x: body.x, y: body.y + body.height / 2, style: muted, clip: body)
        return
    }
    guard var histogram = state.histogramMode == .linear ? report.linear : report.logMagnitude else {
        canvas.write("no histogram", x: body.x, y: body.y + body.height / 2, style: muted, clip: body)
        return
    }
    if let axis { histogram = HistogramAxis.rebinned(histogram, onto: axis) }
    let health = state.focusedRun.map { Health.series($0, quantity, activation: state.scenario.activation) }
    let role = health.flatMap { $0.indices.contains(state.selectedLayer - 1) ? $0[state.selectedLayer - 1] : nil }?.role ?? .mutedText
    HistogramView(histogram: histogram, barRole: role).draw(into: &canvas, rect: body, glyphs: state.glyphs, theme: theme)
}

/// A heat map panel: title row, then layers x log10|x| of the focused run.
func drawHeatMapPanel(into canvas: inout Canvas, state: AppState, quantity: Quantity, rect: Rect) {
    guard !rect.isEmpty else { return }
    let name = state.focusedInitializer?.name ?? "-"
    canvas.write("\(quantityTitle(quantity)) log10|x| by layer (\(name))", x: rect.x, y: rect.y,
                 style: state.theme.style(.accent), clip: rect)
    let histograms = state.focusedRun?.layers.map { $0?.quantities[quantity]?.logMagnitude } ?? []
    HeatMap(histograms: histograms, selectedLayer: state.selectedLayer)
        .draw(into: &canvas, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1),
              glyphs: state.glyphs, theme: state.theme)
}

/// Shortest panel titles, for narrow panels.
func shortQuantityTitle(_ quantity: Quantity) -> String {
    switch quantity {
    case .preactivation: return "h"
    case .activation: return "x"
    case .activationGradient: return "dL/dh"
    case .weightGradient: return "dL/dW"
    case .weight: return "W"
    }
}

/// Short panel titles.
func quantityTitle(_ quantity: Quantity) -> String {
    switch quantity {
    case .preactivation: return "pre-activations"
    case .activation: return "activations"
    case .activationGradient: return "act. gradients"
    case .weightGradient: return "weight gradients"
    case .weight: return "weights"
    }
}

func drawStats(into canvas: inout Canvas, state: AppState, rect: Rect) {
    guard !rect.isEmpty else { return }
    let name = state.focusedInitializer?.name ?? "-"
    canvas.write("\(name) L\(state.selectedLayer)", x: rect.x, y: rect.y, style: state.theme.style(.accent), clip: rect)
    StatsTable.layerStatistics(state.selectedReport, activation: state.scenario.activation)
        .draw(into: &canvas, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), theme: state.theme)
}

/// The status line: the status message (if any), then as many key hints as fit, most important first.
func drawStatus(into canvas: inout Canvas, state: AppState, rect: Rect) {
    let a = state.glyphs.arrows
    let hints = ["?:help", "q:quit", "x h l o n N d:init", "\(a.left)\(a.right):layer", "\(a.up)\(a.down):focus", "a:act",
                 "+-:depth", "][:width", "bB:batch", "s:seed", "g:log", "space:pause", ".:step", "r:rerun", "t:theme"]
    var x = rect.x
    if !state.statusMessage.isEmpty {
        x = canvas.write(state.statusMessage + " | ", x: x, y: rect.y, style: state.theme.style(.accent), clip: rect)
    }
    var shown: [String] = []
    for hint in hints {
        let length = shown.reduce(0) { $0 + $1.count + 1 } + hint.count
        if x + length > rect.maxX && !shown.isEmpty { break }
        shown.append(hint)
    }
    canvas.write(shown.joined(separator: " "), x: x, y: rect.y, style: state.theme.style(.mutedText), clip: rect)
}
