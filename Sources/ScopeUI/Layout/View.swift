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
    let scales = state.scenario.initializers.indices.map { sparklineScale(state, row: $0) }
    let scale = scales.indices.contains(state.focusedRow) ? scales[state.focusedRow] : sparklineScale(state, row: 0)
    HeaderBar(state: state).draw(into: &canvas, rect: layout.header, theme: theme)
    drawHeadings(into: &canvas, state: state, layout: layout)
    for (offset, rect) in layout.rows.enumerated() {
        let row = layout.firstRow + offset
        drawRow(into: &canvas, state: state, row: row, rect: rect, layout: layout, scale: scales.indices.contains(row) ? scales[row] : scale)
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
    canvas.write(Caption.fitted(Caption.text(for: state), width: layout.caption.width), x: 0, y: layout.caption.y, style: theme.style(.accent), clip: layout.caption)
    StatusBar(message: state.statusMessage, hints: KeyMap.hints(glyphs: state.glyphs))
        .draw(into: &canvas, rect: layout.status, theme: theme)
    if state.helpVisible {
        HelpOverlay(bindings: KeyMap.bindings(glyphs: state.glyphs), glossary: HelpGlossary.entries(glyphs: state.glyphs),
                    page: state.helpPage)
            .draw(into: &canvas, area: canvas.bounds, glyphs: state.glyphs, theme: theme)
    }
    return canvas
}

/// "terminal 40x10 is too small: initscope needs at least 60x18", wrapped to the width.
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

func drawHeadings(into canvas: inout Canvas, state: AppState, layout: ScreenLayout) {
    let muted = state.theme.style(.mutedText), y = layout.headings.y
    canvas.write("initializer", x: 1, y: y, style: muted, clip: layout.headings)
    for (x, title) in [(layout.activationGroupX, "act variance"), (layout.gradientGroupX, "grad variance")] {
        canvas.write(NumberFormat.fit(title, layout.sparklineWidth), x: x, y: y, style: muted, clip: layout.headings)
        let numbers = x + layout.sparklineWidth + 1
        canvas.write(NumberFormat.padLeft("first", ScreenLayout.numberWidth), x: numbers, y: y, style: muted, clip: layout.headings)
        canvas.write(NumberFormat.padLeft("last", ScreenLayout.numberWidth), x: numbers + ScreenLayout.numberWidth + 1, y: y,
                     style: muted, clip: layout.headings)
    }
}

/// One initializer row: name, then activation and gradient variance sparklines with first/last numbers.
func drawRow(into canvas: inout Canvas, state: AppState, row: Int, rect: Rect, layout: ScreenLayout, scale: LogScale) {
    guard state.scenario.initializers.indices.contains(row), state.runs.indices.contains(row) else { return }
    let theme = state.theme, focused = row == state.focusedRow
    var nameStyle = theme.seriesStyle(row)
    if focused { nameStyle.bold = true; nameStyle.reverse = !theme.hasColor }
    let marker = focused ? String(state.glyphs.focus) : " "
    canvas.write(marker, x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
    canvas.write(NumberFormat.fit(state.scenario.initializers[row].name, ScreenLayout.nameWidth - 1), x: rect.x + 1, y: rect.y,
                 style: nameStyle, clip: rect)
    let run = state.runs[row]
    let groups: [(Int, Quantity)] = [(layout.activationGroupX, .activation), (layout.gradientGroupX, .activationGradient)]
    for (x, quantity) in groups {
        let values = run.series(quantity) { $0.variance }
        let nonFinite = run.series(quantity) { Double($0.nonFiniteCount) }
        let health = zip(values, nonFinite).map { Health.classify(variance: $0, nonFiniteCount: Int($1 ?? 0)) }
        Sparkline(values: values, health: health, scale: scale, selectedLayer: state.selectedLayer)
            .draw(into: &canvas, rect: Rect(x: x, y: rect.y, width: layout.sparklineWidth, height: rect.height),
                  glyphs: state.glyphs, theme: theme)
        let numbersX = x + layout.sparklineWidth + 1
        let known = zip(values, health).filter { $0.0 != nil }
        let firstPair = known.first, lastPair = known.last
        let y = rect.maxY - 1
        // A layer with non-finite elements shows "NaN/inf": its finite-only variance would mislead.
        func number(_ pair: (Double?, Health)) -> String {
            pair.1 == .nonFinite ? "NaN/inf" : NumberFormat.compact(pair.0 ?? .nan, maxWidth: ScreenLayout.numberWidth)
        }
        if let pair = firstPair {
            canvas.write(NumberFormat.padLeft(number(pair), ScreenLayout.numberWidth), x: numbersX, y: y,
                         style: theme.style(pair.1.role), clip: rect)
        }
        if let pair = lastPair {
            canvas.write(NumberFormat.padLeft(number(pair), ScreenLayout.numberWidth),
                         x: numbersX + ScreenLayout.numberWidth + 1, y: y, style: theme.style(pair.1.role), clip: rect)
        }
    }
}

/// The mean-field row for the focused initializer: predicted q^l and g^l as muted sparklines, and the largest
/// distance |log10(measured / predicted)| in decades over the layers revealed so far.
func drawPrediction(into canvas: inout Canvas, state: AppState, layout: ScreenLayout, scale: LogScale) {
    let rect = layout.prediction, muted = state.theme.style(.mutedText)
    canvas.write(NumberFormat.fit(" mean-field", ScreenLayout.nameWidth), x: rect.x, y: rect.y, style: muted, clip: rect)
    guard let run = state.focusedRun else { return }
    let reports = run.layers
    guard reports.contains(where: { $0?.theory != nil }) else {
        canvas.write("no prediction for \(state.focusedInitializer?.name ?? "-")", x: layout.activationGroupX, y: rect.y,
                     style: muted, clip: rect)
        return
    }
    let groups: [(Int, Quantity, (LayerTheory) -> Double?)] = [
        (layout.activationGroupX, .preactivation, { $0.preactivationSecondMoment }),
        (layout.gradientGroupX, .activationGradient, { $0.gradientSecondMoment }),
    ]
    for (x, quantity, predicted) in groups {
        let predictions = reports.map { $0?.theory.flatMap(predicted) }
        Sparkline(values: predictions, scale: scale, selectedLayer: state.selectedLayer, muted: true)
            .draw(into: &canvas, rect: Rect(x: x, y: rect.y, width: layout.sparklineWidth, height: 1),
                  glyphs: state.glyphs, theme: state.theme)
        let measured = reports.map { $0?.stats(quantity)?.secondMoment }
        let text = PredictionDistance.decades(measured: measured, predicted: predictions).map {
            "off " + NumberFormat.compact($0) + " dec"
        } ?? ""
        canvas.write(NumberFormat.padLeft(text, 2 * ScreenLayout.numberWidth + 1), x: x + layout.sparklineWidth + 1, y: rect.y,
                     style: muted, clip: rect)
    }
}

/// Colour/glyph legend and the shared scale's range.
func drawLegend(into canvas: inout Canvas, state: AppState, rect: Rect, scale: LogScale) {
    let theme = state.theme, muted = theme.style(.mutedText)
    var x = canvas.write(" " + scaleLegendText(state, scale: scale) + " ",
                         x: rect.x, y: rect.y, style: muted, clip: rect)
    let top = state.glyphs.levels[state.glyphs.levels.count - 1]
    let swatches: [(Character, Health)] = [(top, .healthy), (top, .vanishing), (top, .exploding),
                                           (state.glyphs.nonFinite, .nonFinite), (state.glyphs.pending, .pending)]
    for (glyph, health) in swatches {
        x = canvas.write(" ", x: x, y: rect.y, style: muted, clip: rect)
        x = canvas.write(String(glyph), x: x, y: rect.y, style: theme.style(health.role), clip: rect)
        x = canvas.write(health.word, x: x, y: rect.y, style: theme.style(health.role), clip: rect)
    }
    let note = "  g: " + (state.histogramMode == .linear ? "linear" : "log10|x|")
    canvas.write(note, x: x, y: rect.y, style: muted, clip: rect)
}

/// One histogram panel: a title row, then bars and axis for the focused initializer's selected layer.
func drawHistogramPanel(into canvas: inout Canvas, state: AppState, quantity: Quantity, rect: Rect) {
    guard !rect.isEmpty else { return }
    let theme = state.theme, muted = theme.style(.mutedText)
    let title = "\(quantityTitle(quantity)) L\(state.selectedLayer)" + (state.histogramMode == .log ? " log|x|" : "")
    canvas.write(title, x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
    let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
    guard let report = state.selectedReport?.quantities[quantity] else {
        let waiting = quantity == .activationGradient || quantity == .weightGradient ? "waiting for backward pass" : "waiting for layer"
        canvas.write(waiting, x: body.x, y: body.y + body.height / 2, style: muted, clip: body)
        return
    }
    guard let histogram = state.histogramMode == .linear ? report.linear : report.logMagnitude else {
        canvas.write("no histogram", x: body.x, y: body.y + body.height / 2, style: muted, clip: body)
        return
    }
    let role: ThemeRole = Health.classify(variance: report.stats.variance, nonFiniteCount: report.stats.nonFiniteCount).role
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
