// The panel `J` puts in the histograms' place (Jacobian spectrum or phase map), drawn from the state: the same
// area the histograms take (their panels side by side, at any terminal size), so nothing else moves.
import SignalFlow
import Terminal

/// The area of the histogram panels (left edge of the first to right edge of the last), nil when none is shown.
func lowerPanelArea(_ layout: ScreenLayout) -> Rect? {
    guard let first = layout.histograms.first, let last = layout.histograms.last, !first.isEmpty else { return nil }
    return Rect(x: first.x, y: first.y, width: last.maxX - first.x, height: first.height)
}

/// Draws the lower panel `state` shows (not the histograms) into `rect`.
func drawLowerPanel(into canvas: inout Canvas, state: AppState, rect: Rect) {
    switch state.lowerPanel {
    case .histograms:
        return
    case .spectrum:
        SpectrumPanel(content: SpectrumPanel.content(state), activation: state.scenario.activation)
            .draw(into: &canvas, rect: rect, glyphs: state.glyphs, theme: state.theme)
    case .phaseMap:
        guard state.scenario.architecture == .mlp else {
            canvas.write("phase map", x: rect.x, y: rect.y, style: state.theme.style(.accent), clip: rect)
            canvas.write("MLP only: the map is a plain MLP's mean field", x: rect.x,
                         y: rect.y + rect.height / 2, style: state.theme.style(.mutedText), clip: rect)
            return
        }
        PhaseMapPanel(diagram: state.phaseMap?.diagram, activation: state.scenario.activation, point: phaseMapPoint(state))
            .draw(into: &canvas, rect: rect, glyphs: state.glyphs, theme: state.theme)
    }
}

/// The focused row's point when the phase map in the state was computed for this very scenario, else nil.
func phaseMapPoint(_ state: AppState) -> (name: String, point: PhasePoint)? {
    guard let data = state.phaseMap, data.request == PhaseMapRequest(state), let focused = state.focusedInitializer,
          data.points.indices.contains(state.focusedRow), let point = data.points[state.focusedRow] else { return nil }
    return (focused.name, point)
}
