// The training panel: a title with the configuration and each row's glyph, then the loss curves (LossChart) or
// the learning-rate sweep's heat map (SweepHeatMap).
import SignalFlow
import Terminal

/// Draws the training panel of `state` into `rect` (nothing when the rect is empty or no panel is shown).
func drawTrainingPanel(into canvas: inout Canvas, state: AppState, rect: Rect) {
    guard !rect.isEmpty, let panel = state.trainingPanel else { return }
    let theme = state.theme, accent = theme.style(.accent)
    let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
    let names = state.scenario.initializers.map(\.name)
    switch panel {
    case .curves:
        guard let training = state.training else { return }
        let c = training.configuration
        let series = training.losses.indices.filter { names.indices.contains($0) }.map {
            LossSeries(name: names[$0], index: $0, losses: training.losses[$0], heldOut: training.heldOutLosses[$0],
                       divergedAt: training.divergedAt[$0])
        }
        let chart = LossChart(series: series, totalSteps: c.steps, floor: training.floor)
        // Longest first; where optimizer and rate do not fit beside the key, the task's name still may.
        let settings = "\(c.optimizer.kind.rawValue) lr \(Caption.format(c.learningRate))"
        let titles = ["held-out loss (log; training: dots) \(c.task.name), \(settings)", "held-out loss (log) \(c.task.name), \(settings)",
                      "loss (log) \(c.task.name), \(settings)", "loss (log) \(c.task.name)", "loss (log)"]
        // The key with the note on shared cells ("3 = 3 curves") chooses the title; a shorter title before no note.
        let shared = chart.largestSharedCell(height: body.height - 1, columns: body.width - LossChart.labelWidth)
        let key = chart.key(glyphs: state.glyphs, theme: theme, largestSharedCell: shared)
        let keyWidth = key.reduce(0) { $0 + $1.text.count + 1 }, rowsWidth = key.reduce(0) { $0 + ($1.index == nil ? 0 : $1.text.count + 1) }
        let title = titles.first { $0.count + keyWidth <= rect.width } ?? titles.first { $0.count + rowsWidth <= rect.width }
            ?? titles[titles.count - 1]
        var x = canvas.write(title, x: rect.x, y: rect.y, style: accent, clip: rect)
        for piece in key where x + 1 + piece.text.count <= rect.maxX {
            var style = piece.index.map { theme.seriesStyle($0) } ?? theme.style(.text)
            if piece.index == nil { style.bold = true }
            x = canvas.write(piece.text, x: x + 1, y: rect.y, style: style, clip: rect)
        }
        chart.draw(into: &canvas, rect: body, glyphs: state.glyphs, theme: theme)
    case .sweep:
        guard let sweep = state.sweep else { return }
        let titles = ["lr sweep: final held-out loss after \(sweep.steps) steps (\(sweep.finishedCount)/\(sweep.rates.count * sweep.results.count))",
                      "lr sweep (\(sweep.finishedCount)/\(sweep.rates.count * sweep.results.count))"]
        canvas.write(titles.first { $0.count <= rect.width } ?? titles[1], x: rect.x, y: rect.y, style: accent, clip: rect)
        SweepHeatMap(names: names, rates: sweep.rates, results: sweep.results)
            .draw(into: &canvas, rect: body, glyphs: state.glyphs, theme: theme)
    }
}
