// The comparison rows: column headings with the selected-layer marker, one row per initializer (activation and
// gradient variance sparklines with their layer-1 and last-layer numbers and the scale's span), and the mean-field
// line.
// Legend: L = depth; columns are relative to the widget's rect; each group = sparkline, space, two numbers, scale
// label ("16d": the sparkline's full height spans 16 decades).
import Foundation
import SignalFlow
import Terminal

/// Where the parts of a comparison row go, for a rect `width` columns wide (same arithmetic as ScreenLayout).
public struct RowColumns: Equatable, Sendable {
    /// Width of the name column (focus marker + name).
    public var nameWidth: Int
    /// Width of each first/last number.
    public var numberWidth: Int
    /// Width of the scale label after the numbers.
    public var scaleLabelWidth: Int
    /// Width of each sparkline.
    public var sparklineWidth: Int
    /// Offsets (from the rect's x) of the activation and gradient groups.
    public var activationGroupX: Int, gradientGroupX: Int

    /// The columns of `layout`'s rows.
    public init(_ layout: ScreenLayout) {
        nameWidth = ScreenLayout.nameWidth; numberWidth = ScreenLayout.numberWidth
        scaleLabelWidth = ScreenLayout.scaleLabelWidth
        sparklineWidth = layout.sparklineWidth
        activationGroupX = layout.activationGroupX; gradientGroupX = layout.gradientGroupX
    }

    /// Offset of the scale label within a group (after the sparkline and both numbers).
    public var scaleLabelOffset: Int { sparklineWidth + 2 * (numberWidth + 1) + 1 }

    /// The two groups: offset and the quantity each shows.
    public var groups: [(x: Int, quantity: Quantity)] {
        [(activationGroupX, .activation), (gradientGroupX, .activationGradient)]
    }
}

/// One quantity of one run as a row shows it: variance per layer and the health of each layer (count L).
public struct RowSeries: Equatable, Sendable {
    /// Variance by layer - 1, nil = not computed.
    public var values: [Double?]
    /// Health by layer - 1.
    public var health: [Health]

    /// Creates a series.
    public init(values: [Double?], health: [Health]) { self.values = values; self.health = health }

    /// The variance of `quantity` of `run` with each layer's health for `activation`.
    public init(run: RunData, quantity: Quantity, activation: Activation) {
        values = run.perLayer.variances(quantity)
        health = Health.series(run, quantity, activation: activation)
    }

    /// How a value of layer `layer` (1-based) is printed: the number, "NaN/inf" for a non-finite layer (its
    /// finite-only variance would mislead), "-" when not computed.
    public func text(layer: Int, width: Int) -> String {
        guard values.indices.contains(layer - 1), let value = values[layer - 1] else { return "-" }
        if health[layer - 1] == .nonFinite { return "NaN/inf" }
        return Caption.tableNumber(value).count <= width ? Caption.tableNumber(value) : NumberFormat.compact(value, maxWidth: width)
    }

    /// Health of layer `layer` (1-based), pending outside the series.
    public func health(layer: Int) -> Health { health.indices.contains(layer - 1) ? health[layer - 1] : .pending }
}

/// The headings line: "initializer", each group's title, number headings (layer 1 and layer L) and "dec" over the
/// scale labels, and the selected-layer marker above its column, bold, in the focused run's colour at that layer, with the layer number
/// beside it (every left/right step changes it; the exact value is in the statistics table's "var" row).
public struct RowHeadings {
    /// Row geometry.
    public var columns: RowColumns
    /// Number of layers L.
    public var depth: Int
    /// Selected layer, 1...L.
    public var selectedLayer: Int
    /// The focused run's activation and gradient series (the marker's values), nil when there is none.
    public var focused: [RowSeries]?
    /// Each group's title, longest first (the shortest may touch the marker).
    public var titles: [[String]]

    /// The MLP's titles: activation and gradient variance.
    public static let layerTitles = [["act variance", "act var", "act"], ["grad variance", "grad var", "grad"]]
    /// A residual network's: the stream after each block and its gradient.
    public static let blockTitles = [["stream variance", "stream var", "stream"], ["stream gradient", "grad var", "grad"]]

    /// Creates the headings.
    public init(columns: RowColumns, depth: Int, selectedLayer: Int, focused: [RowSeries]?,
                titles: [[String]] = RowHeadings.layerTitles) {
        self.columns = columns; self.depth = depth; self.selectedLayer = selectedLayer; self.focused = focused
        self.titles = titles
    }

    /// The sparkline column (0-based within the sparkline) that shows `layer`, nil when none does.
    public static func column(of layer: Int, layerCount: Int, columns: Int) -> Int? {
        Sparkline.columnLayers(layerCount: layerCount, columns: columns).firstIndex { $0.contains(layer) }
    }

    /// Draws into the first line of `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let muted = theme.style(.mutedText), y = rect.y
        canvas.write("initializer", x: rect.x + 1, y: y, style: muted, clip: rect)
        for ((offset, _), (index, title)) in zip(columns.groups, titles.enumerated()) {
            let x = rect.x + offset, sw = columns.sparklineWidth, nw = columns.numberWidth
            let numbers = x + sw + 1
            canvas.write(NumberFormat.padLeft("L1", nw), x: numbers, y: y, style: muted, clip: rect)
            canvas.write(NumberFormat.padLeft("L\(depth)", nw), x: numbers + nw + 1, y: y, style: muted, clip: rect)
            canvas.write(NumberFormat.padLeft("dec", columns.scaleLabelWidth), x: x + columns.scaleLabelOffset, y: y,
                         style: muted, clip: rect)
            guard let column = RowHeadings.column(of: selectedLayer, layerCount: depth, columns: sw) else {
                canvas.write(NumberFormat.fit(title[0], sw), x: x, y: y, style: muted, clip: rect); continue
            }
            let series = focused.flatMap { $0.indices.contains(index) ? $0[index] : nil }
            let label = "L\(selectedLayer)"
            let markerX = x + column
            // The label right of the marker (it may run into the blank padding of the number headings, leaving one
            // blank before "L1"); where it would touch "L1" ("▼L10000L1"), left of the marker ("L10000▼").
            let firstHeadingX = numbers + nw - min(nw, "L1".count)
            let rightSpan = (markerX + 1)..<(markerX + 1 + label.count)
            let labelSpan = rightSpan.upperBound < firstHeadingX || markerX - label.count < x
                ? rightSpan : (markerX - label.count)..<markerX
            // The title at the left when the marker and label leave room, else right after them; full or shorter.
            // A gap before the marker when there is room; the shortest title may touch it ("grad▼L20").
            placing: for (candidate, gap) in title.map({ ($0, true) }) + [(title[title.count - 1], false)] {
                for start in [x, max(labelSpan.upperBound, markerX + 1) + 1] {
                    let span = start..<(start + candidate.count)
                    if span.upperBound <= x + sw && !span.overlaps(labelSpan) && !span.contains(markerX)
                        && !(gap && span.upperBound == markerX) && span.upperBound != labelSpan.lowerBound {
                        canvas.write(candidate, x: start, y: y, style: muted, clip: rect); break placing
                    }
                }
            }
            var markerStyle = theme.style(series.map { $0.health(layer: selectedLayer).role } ?? .accent)
            markerStyle.bold = true
            canvas.set(x: markerX, y: y, Cell(glyphs.layerMarkerAbove, style: markerStyle))
            canvas.write(label, x: labelSpan.lowerBound, y: y, style: markerStyle,
                         clip: Rect(x: x, y: y, width: sw + 1 + 2 * nw, height: 1))
        }
    }
}

/// One initializer's row: focus marker and name in its identity colour, then per group the sparkline (each
/// state its own colour and, without colour, its own glyph), the exact values at layer 1 and layer L, and the
/// decades the sparkline's scale spans ("16d").
public struct InitializerRow {
    /// Row geometry.
    public var columns: RowColumns
    /// The initializer's name as given.
    public var name: String
    /// Position in the comparison set (picks the identity colour).
    public var index: Int
    /// True for the focused row.
    public var focused: Bool
    /// Activation and gradient series.
    public var series: [RowSeries]
    /// Value axis of each group's sparkline (activation, gradient).
    public var scales: [LogScale]
    /// Selected layer, 1...L.
    public var selectedLayer: Int

    /// Creates a row.
    public init(columns: RowColumns, name: String, index: Int, focused: Bool, series: [RowSeries], scales: [LogScale],
                selectedLayer: Int) {
        self.columns = columns; self.name = name; self.index = index; self.focused = focused
        self.series = series; self.scales = scales; self.selectedLayer = selectedLayer
    }

    /// Draws into `rect` (one or two lines high).
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        var nameStyle = theme.seriesStyle(index)
        if focused { nameStyle.bold = true; nameStyle.reverse = !theme.hasColor }
        canvas.write(focused ? String(glyphs.focus) : " ", x: rect.x, y: rect.y, style: theme.style(.accent), clip: rect)
        canvas.write(NumberFormat.fit(name, columns.nameWidth - 1), x: rect.x + 1, y: rect.y, style: nameStyle, clip: rect)
        for ((offset, _), (group, row)) in zip(columns.groups, series.enumerated()) {
            let x = rect.x + offset
            let scale = scales.indices.contains(group) ? scales[group] : LogScale(lowerExponent: -2, upperExponent: 2)
            Sparkline(values: row.values, health: row.health, scale: scale, selectedLayer: selectedLayer)
                .draw(into: &canvas, rect: Rect(x: x, y: rect.y, width: columns.sparklineWidth, height: rect.height),
                      glyphs: glyphs, theme: theme)
            let numbersX = x + columns.sparklineWidth + 1, y = rect.maxY - 1
            let first = row.values.firstIndex { $0 != nil }, last = row.values.lastIndex { $0 != nil }
            for (slot, layer) in [first, last].enumerated() {
                guard let layer = layer.map({ $0 + 1 }) else { continue }
                canvas.write(NumberFormat.padLeft(row.text(layer: layer, width: columns.numberWidth), columns.numberWidth),
                             x: numbersX + slot * (columns.numberWidth + 1), y: y, style: theme.style(row.health(layer: layer).role),
                             clip: rect)
            }
            canvas.write(NumberFormat.padLeft(InitializerRow.scaleLabel(scale), columns.scaleLabelWidth),
                         x: x + columns.scaleLabelOffset, y: y, style: theme.style(.mutedText), clip: rect)
        }
    }

    /// "16d": the decades `scale` spans from the sparkline's bottom to its top.
    public static func scaleLabel(_ scale: LogScale) -> String { "\(scale.upperExponent - scale.lowerExponent)d" }
}

/// The mean-field line for the focused initializer: what mean field predicts for the quantities the rows show,
/// var(x) = E[phi(h)^2] - E[phi(h)]^2 with h ~ N(0, q) from its q(h), and var(dL/dh) = g, as muted sparklines on
/// the focused row's scales (so the line sits under the row it predicts, like with like), the selected-layer
/// marker below its column, and the largest distance between the two in decades (or, where mean field is
/// marginal, the finite-width band as factors on the prediction).
public struct MeanFieldRow {
    /// Row geometry.
    public var columns: RowColumns
    /// The focused run (nil: nothing focused).
    public var run: RunData?
    /// The focused initializer's name.
    public var name: String
    /// The scenario's activation and width (for the finite-width band).
    public var activation: Activation, width: Int
    /// Value axis of each group (activation, gradient).
    public var scales: [LogScale]
    /// Selected layer, 1...L.
    public var selectedLayer: Int

    /// Creates the line.
    public init(columns: RowColumns, run: RunData?, name: String, activation: Activation, width: Int, scales: [LogScale],
                selectedLayer: Int) {
        self.columns = columns; self.run = run; self.name = name; self.activation = activation; self.width = width
        self.scales = scales; self.selectedLayer = selectedLayer
    }

    /// Mean field's value of what the row's group of `quantity` shows, by layer (nil where there is no
    /// prediction): var(x) from q(h) for `.activation`, g for `.activationGradient`.
    public func predicted(_ quantity: Quantity) -> [Double?] {
        guard let series = run?.perLayer else { return [] }
        // Kept as the layers arrived when the run knows its activation (a quadrature per layer).
        if let line = series.meanFieldLine(quantity, activation: activation) { return line }
        let kept = series.activation == activation ? series.predictedActivationVariance : nil
        return zip(series.streamTheory, series.theory).enumerated().map { index, pair in
            let (streamTheory, theory) = pair
            // A residual block: mean field's second moment of the stream (its mean is 0: its variance).
            if let stream = streamTheory { return quantity == .activationGradient ? nil : stream }
            guard let theory else { return nil }
            if quantity == .activationGradient { return theory.gradientSecondMoment }
            return kept?[index] ?? predictedActivationVariance(activation, q: theory.preactivationSecondMoment)
        }
    }

    /// The text right of each group: "off 0.06 dec" (the largest gap between the row's measured variance and the
    /// line's prediction of it), or "band x0.2..3.1" where mean field is marginal.
    public func summary(_ quantity: Quantity) -> String {
        guard let run else { return "" }
        if quantity != .activationGradient, let last = run.perLayer.theory.lastIndex(where: { $0 != nil }),
           let band = FiniteWidthBand.forRun(run, activation: activation, width: width, layer: last + 1) {
            return "band x" + Caption.format(band.lowerFactor, digits: 2) + ".." + Caption.format(band.upperFactor, digits: 2)
        }
        let gaps = run.perLayer.predictionGaps(quantity, activation: activation).map { PredictionDistance.largest($0) }
        return (gaps ?? PredictionDistance.decades(measured: run.perLayer.variances(quantity), predicted: predicted(quantity))).map {
            "off " + NumberFormat.compact($0) + " dec"
        } ?? ""
    }

    /// Draws into the first line of `rect`.
    public func draw(into canvas: inout Canvas, rect: Rect, glyphs: GlyphSet, theme: Theme) {
        guard !rect.isEmpty else { return }
        let muted = theme.style(.mutedText)
        canvas.write(NumberFormat.fit(" mean-field", columns.nameWidth), x: rect.x, y: rect.y, style: muted, clip: rect)
        guard let run else { return }
        let x0 = rect.x + columns.activationGroupX
        if !run.perLayer.theory.contains(where: { $0 != nil }) && !run.perLayer.streamTheory.contains(where: { $0 != nil }) {
            let text = run.forwardCount > 0 ? "no prediction for \(name)" : "waiting for layer 1"
            canvas.write(text, x: x0, y: rect.y, style: muted, clip: rect)
            return
        }
        let depth = run.layers.count
        for (group, (offset, quantity)) in columns.groups.enumerated() {
            let x = rect.x + offset
            let predictions = predicted(quantity)
            if !predictions.contains(where: { $0 != nil }) {
                canvas.write("no prediction", x: x, y: rect.y, style: muted, clip: rect)
                continue
            }
            let scale = scales.indices.contains(group) ? scales[group] : LogScale(lowerExponent: -2, upperExponent: 2)
            Sparkline(values: predictions, scale: scale, selectedLayer: selectedLayer, muted: true)
                .draw(into: &canvas, rect: Rect(x: x, y: rect.y, width: columns.sparklineWidth, height: 1), glyphs: glyphs, theme: theme)
            if let column = RowHeadings.column(of: selectedLayer, layerCount: depth, columns: columns.sparklineWidth) {
                var style = theme.style(.accent); style.bold = true
                canvas.set(x: x + column, y: rect.y, Cell(glyphs.layerMarker, style: style))
            }
            canvas.write(NumberFormat.padLeft(summary(quantity), 2 * columns.numberWidth + 1),
                         x: x + columns.sparklineWidth + 1, y: rect.y, style: muted, clip: rect)
        }
    }
}
