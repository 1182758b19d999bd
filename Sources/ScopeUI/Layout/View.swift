// The pure view: the whole live screen drawn from the state into a Canvas of the terminal's size.
import SignalFlow
import Terminal

/// The screen for `state`, sized `state.terminalWidth` x `state.terminalHeight`. Pure; any size (0x0, 1x1,
/// 500x200) renders without a trap; below `ScreenLayout.minimum*` it says how large the terminal must be.
public func view(_ state: AppState) -> Canvas {
    let theme = state.theme
    var canvas = Canvas(width: state.terminalWidth, height: state.terminalHeight,
                        fill: Cell(" ", style: theme.style(.background)))
    let layout = ScreenLayout(state)
    guard layout.fits else {
        drawTooSmall(into: &canvas, state: state)
        return canvas
    }
    HeaderBar(state: state).draw(into: &canvas, rect: layout.header, theme: theme)
    drawHeadings(into: &canvas, state: state, layout: layout)
    let scales = allRowScales(state)
    for (offset, rect) in layout.rows.enumerated() {
        let row = layout.firstRow + offset
        drawRow(into: &canvas, state: state, row: row, rect: rect, layout: layout, scales: scales)
    }
    drawPrediction(into: &canvas, state: state, layout: layout, scales: scales)
    drawLegend(into: &canvas, state: state, rect: layout.legend)
    if state.lowerPanel != .histograms, let area = lowerPanelArea(layout) {
        drawLowerPanel(into: &canvas, state: state, rect: area)
    } else {
        for (rect, quantity) in zip(layout.histograms, layout.histogramQuantities) {
            drawHistogramPanel(into: &canvas, state: state, quantity: quantity, rect: rect)
        }
    }
    for (rect, quantity) in zip(layout.heatMaps, layout.heatMapQuantities) {
        drawHeatMapPanel(into: &canvas, state: state, quantity: quantity, rect: rect)
    }
    drawStats(into: &canvas, state: state, rect: layout.stats)
    drawTrainingPanel(into: &canvas, state: state, rect: layout.trainingPanel)
    for (offset, line) in LectureCaption.lines(for: state, count: layout.caption.height, width: layout.caption.width).enumerated() {
        canvas.write(line, x: 0, y: layout.caption.y + offset, style: theme.style(.accent), clip: layout.caption)
    }
    let lecture = state.lecture != nil
    StatusBar(message: state.statusMessage, hints: KeyMap.hints(glyphs: state.glyphs, used: state.usedKeyLines, lecture: lecture),
              ellipsis: state.glyphs.ellipsis)
        .draw(into: &canvas, rect: layout.status, theme: theme)
    if state.helpVisible {
        HelpOverlay(bindings: KeyMap.bindings(glyphs: state.glyphs, lecture: lecture), glossary: HelpGlossary.entries(glyphs: state.glyphs),
                    page: state.helpPage)
            .draw(into: &canvas, area: canvas.bounds, glyphs: state.glyphs, theme: theme)
    }
    return canvas
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

/// The headings line with the selected-layer marker (RowHeadings).
func drawHeadings(into canvas: inout Canvas, state: AppState, layout: ScreenLayout) {
    let focused = state.focusedRun.map { run in
        [Quantity.activation, .activationGradient].map { RowSeries(run: run, quantity: $0, activation: state.scenario.activation) }
    }
    RowHeadings(columns: RowColumns(layout), depth: state.scenario.depth, selectedLayer: state.selectedLayer, focused: focused,
                titles: state.scenario.architecture == .mlp ? RowHeadings.layerTitles : RowHeadings.blockTitles)
        .draw(into: &canvas, rect: layout.headings, glyphs: state.glyphs, theme: state.theme)
}

/// One initializer row (InitializerRow): name, then activation and gradient variance sparklines, each on its own
/// scale, with the values at layer 1 and layer L and the scale's span. `scales`: every row's (allRowScales).
func drawRow(into canvas: inout Canvas, state: AppState, row: Int, rect: Rect, layout: ScreenLayout, scales: [[LogScale]]) {
    guard state.scenario.initializers.indices.contains(row), state.runs.indices.contains(row) else { return }
    let run = state.runs[row]
    let series = [Quantity.activation, .activationGradient].map { RowSeries(run: run, quantity: $0, activation: state.scenario.activation) }
    InitializerRow(columns: RowColumns(layout), name: state.scenario.initializers[row].name, index: row,
                   focused: row == state.focusedRow, series: series, scales: scales.indices.contains(row) ? scales[row] : [],
                   selectedLayer: state.selectedLayer)
        .draw(into: &canvas, rect: rect, glyphs: state.glyphs, theme: state.theme)
}

/// The mean-field line for the focused initializer (MeanFieldRow), on the focused row's scales (of `scales`, every
/// row's).
func drawPrediction(into canvas: inout Canvas, state: AppState, layout: ScreenLayout, scales: [[LogScale]]) {
    MeanFieldRow(columns: RowColumns(layout), run: state.focusedRun, name: state.focusedInitializer?.name ?? "-",
                 activation: state.scenario.activation, width: state.scenario.width,
                 scales: scales.indices.contains(state.focusedRow) ? scales[state.focusedRow] : [],
                 selectedLayer: state.selectedLayer)
        .draw(into: &canvas, rect: layout.prediction, glyphs: state.glyphs, theme: state.theme)
}

/// The legend line (Legend): which scales the sparklines use, each state's glyph and colour, the histogram mode.
func drawLegend(into canvas: inout Canvas, state: AppState, rect: Rect) {
    Legend(scaleText: scaleLegendText(state), states: Legend.states(for: state.scenario.activation),
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
    let names = (state.panelSite(quantity).map { [$0] } ?? [quantityTitle(quantity), shortQuantityTitle(quantity)])
        .map { "\($0) L\(state.selectedLayer)" }
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
    canvas.write("\(state.panelSite(quantity) ?? quantityTitle(quantity)) log10|x| by layer (\(name))", x: rect.x, y: rect.y,
                 style: state.theme.style(.accent), clip: rect)
    let histograms = state.focusedRun?.perLayer.logHistograms(quantity, site: state.panelSite(quantity)) ?? []
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
    let site = state.panelSite(.activation).map { " " + $0 } ?? ""
    canvas.write("\(name) L\(state.selectedLayer)\(site)", x: rect.x, y: rect.y, style: state.theme.style(.accent), clip: rect)
    StatsTable.layerStatistics(state.selectedReport, activation: state.scenario.activation)
        .draw(into: &canvas, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1), theme: state.theme)
}
