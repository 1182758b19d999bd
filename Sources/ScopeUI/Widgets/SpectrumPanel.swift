// The Jacobian-spectrum panel (reference 3.9): a histogram of log10 of the singular values of J_l, the focused
// row's input-output Jacobian of layers 1...l on one input, with the mean squared singular value, the spread and a
// caption from the numbers. Values below the resolution floor are counted at the axis' left end, not drawn.
// Wider than `LowerPanel.spectrumWidthLimit` there are no singular values: the probe estimate of m_1 and the spread,
// with their standard errors, drawn as text (SpectrumEstimateText.swift).
// Legend: sigma = singular value; m_1 = mean sigma^2; spread = m_2/m_1^2 - 1 of sigma^2 (0 when all are equal).
import Foundation
import SignalFlow
import Terminal

/// What the spectrum panel shows.
public enum SpectrumPanelContent: Equatable, Sendable {
    /// A network the panel does not apply to (resnet, transformer).
    case mlpOnly
    /// Waiting for the worker (the row's name, l, and whether it estimates from probes: wider than the limit).
    case computing(name: String, layer: Int, estimate: Bool)
    /// The worker's one-line failure.
    case failed(String)
    /// The spectrum of `name`'s J at `layer`.
    case spectrum(name: String, spectrum: JacobianSpectrum)
}

/// The spectrum panel.
public struct SpectrumPanel {
    /// What to show.
    public var content: SpectrumPanelContent
    /// The activation (for the caption).
    public var activation: Activation
    /// Bins of the histogram.
    public static let binCount = 40

    /// Creates the panel.
    public init(content: SpectrumPanelContent, activation: Activation) { self.content = content; self.activation = activation }

    /// The content for `state`: its focused row, selected layer, and what the worker sent.
    public static func content(_ state: AppState) -> SpectrumPanelContent {
        guard state.scenario.architecture == .mlp else { return .mlpOnly }
        let estimate = (state.scenario.widths.max() ?? 0) > LowerPanel.spectrumWidthLimit
        guard let request = SpectrumRequest(state) else { return .computing(name: "-", layer: state.selectedLayer, estimate: estimate) }
        guard let data = state.spectrum, data.request == request else {
            return .computing(name: request.name, layer: request.layer, estimate: estimate)
        }
        if let spectrum = data.spectrum { return .spectrum(name: request.name, spectrum: spectrum) }
        return .failed(data.failure ?? "no spectrum")
    }

    /// log10 of the singular values as a histogram of `binCount` bins on their own range (a single value: +-0.5
    /// decades), the unresolved ones counted as underflow.
    public static func histogram(_ spectrum: JacobianSpectrum, binCount: Int = SpectrumPanel.binCount) -> Histogram? {
        let binCount = max(1, binCount)
        let values = spectrum.log10SingularValues.filter(\.isFinite)
        guard let low = values.min(), let high = values.max() else { return nil }
        let lower = high - low < 1e-3 ? low - 0.5 : low, upper = high - low < 1e-3 ? high + 0.5 : high
        var counts = [Int](repeating: 0, count: binCount)
        for value in values {
            let bin = Int(((value - lower) / (upper - lower) * Double(binCount)).rounded(.down))
            counts[min(binCount - 1, max(0, bin))] += 1
        }
        return Histogram(scale: .log10Magnitude, lower: lower, upper: upper, binCounts: counts, underflow: spectrum.unresolvedCount)
    }

    /// The numbers line: mean squared singular value, spread, range in decades.
    public static func numbers(_ spectrum: JacobianSpectrum) -> String {
        guard let last = spectrum.layers.last else { return "" }
        let values = spectrum.log10SingularValues.filter(\.isFinite)
        var text = "mean sigma^2 = \(power(last.log10MeanSquaredSingularValue))  spread = \(Caption.format(last.normalizedSpread, digits: 3))"
        if let low = values.min(), let high = values.max() {
            text += "  sigma in [\(power(low)), \(power(high))]"
        }
        if spectrum.unresolvedCount > 0 { text += "  \(spectrum.unresolvedCount) below \(power(spectrum.log10ResolutionFloor))" }
        return text
    }

    /// 10^x as a number ("1.02", "3.1e-05").
    static func power(_ log10Value: Double) -> String {
        guard log10Value.isFinite else { return log10Value > 0 ? "inf" : "0" }
        let value = pow(10, log10Value)
        return value >= 0.01 && value < 1000 ? Caption.format(value, digits: 3) : NumberFormat.scientific(value, digits: 1)
    }

    /// The caption from the numbers: how far the singular values stay from 1 and from each other at layer l.
    public static func caption(name: String, activation: Activation, spectrum: JacobianSpectrum) -> String {
        let values = spectrum.log10SingularValues.filter(\.isFinite)
        let l = spectrum.singularValueLayer
        guard let low = values.min(), let high = values.max(), let last = spectrum.layers.last else {
            return "\(name) + \(activation.displayName): J is zero at layer \(l) (every unit of a layer dead)."
        }
        let decades = high - low + (spectrum.unresolvedCount > 0 ? Double.infinity : 0)
        let span = pow(10, high - low)
        if decades <= log10(2), abs(last.log10MeanSquaredSingularValue) <= 2 * log10(2) {
            return "\(name) + \(activation.displayName): singular values stay near 1 to layer \(l) "
                + "(all within a factor \(Caption.format(span, digits: 2)); spread \(Caption.format(last.normalizedSpread, digits: 2)))."
        }
        if decades <= log10(2) {
            return "\(name) + \(activation.displayName): singular values stay together (within a factor \(Caption.format(span, digits: 2))) "
                + "but their size is \(power(last.log10MeanSquaredSingularValue / 2)) at layer \(l)."
        }
        let width = decades.isInfinite ? "over \(Caption.format(high - low, digits: 2))+ decades (\(spectrum.unresolvedCount) below the floor)"
            : "over \(Caption.format(high - low, digits: 2)) decades"
        return "\(name) + \(activation.displayName): singular values spread \(width) at layer \(l); "
            + "spread \(Caption.format(last.normalizedSpread, digits: 3))."
    }

    /// Draws the title, the histogram with its axis, the numbers and the caption into `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let muted = theme.style(.mutedText)
        let middle = rect.y + rect.height / 2
        switch content {
        case .mlpOnly:
            title("Jacobian spectrum", into: &canvas, rect: rect, theme: theme)
            canvas.write("MLP only: J is formed for plain MLPs", x: rect.x, y: middle, style: muted, clip: rect)
        case .computing(let name, let layer, let estimate):
            title("Jacobian spectrum J_1..\(layer) (\(name))", into: &canvas, rect: rect, theme: theme)
            canvas.write(estimate ? "estimating the moments of J_1..\(layer) from random probes..."
                                  : "computing the singular values of J_1..\(layer)...", x: rect.x, y: middle, style: muted, clip: rect)
        case .spectrum(let name, let spectrum) where spectrum.method != .singularValues:
            SpectrumEstimateText(name: name, activation: activation, spectrum: spectrum, ascii: glyphs.name == "ascii")
                .draw(into: &canvas, rect: rect, theme: theme)
        case .failed(let message):
            title("Jacobian spectrum", into: &canvas, rect: rect, theme: theme)
            canvas.write("no spectrum: " + message, x: rect.x, y: middle, style: theme.style(.exploding), clip: rect)
        case .spectrum(let name, let spectrum):
            let l = spectrum.singularValueLayer
            let titles = ["Jacobian spectrum J_1..\(l) (\(name)): singular values, log axis", "Jacobian spectrum J_1..\(l) (\(name))"]
            title(titles.first { $0.count <= rect.width } ?? titles[1], into: &canvas, rect: rect, theme: theme)
            let captionLines = rect.height >= 7
                ? PhaseMapPanel.wrap(SpectrumPanel.caption(name: name, activation: activation, spectrum: spectrum), width: rect.width, lines: 2) : []
            for (offset, line) in captionLines.enumerated() {
                canvas.write(line, x: rect.x, y: rect.maxY - captionLines.count + offset, style: theme.style(.text), clip: rect)
            }
            // The numbers on one line, or two when they do not fit.
            let numbers = PhaseMapPanel.wrap(SpectrumPanel.numbers(spectrum).replacingOccurrences(of: "  ", with: ", "),
                                             width: rect.width, lines: rect.height >= 9 ? 2 : 1)
            let numbersY = rect.maxY - captionLines.count - numbers.count
            for (offset, line) in numbers.enumerated() {
                canvas.write(line, x: rect.x, y: numbersY + offset, style: theme.style(.text), clip: rect)
            }
            let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: max(0, numbersY - rect.y - 1))
            // One bin per column: each column is its own bin, nothing averaged or left empty.
            if let histogram = SpectrumPanel.histogram(spectrum, binCount: body.width), body.height >= 2 {
                HistogramView(histogram: histogram, barRole: .accent).draw(into: &canvas, rect: body, glyphs: glyphs, theme: theme)
            } else if body.height >= 1 {
                canvas.write("J is zero: no singular values", x: rect.x, y: body.y, style: muted, clip: rect)
            }
        }
    }

    func title(_ text: String, into canvas: inout Canvas, rect: Rect, theme: Theme) {
        canvas.write(NumberFormat.fit(text, rect.width), x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
    }
}
