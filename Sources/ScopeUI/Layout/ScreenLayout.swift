// Where each part of the live screen goes for a terminal size. Pure geometry, no drawing.
// Legend: W x H = terminal size in cells; R = number of initializer rows shown.
import SignalFlow
import Terminal

/// The rectangles of the live screen for one terminal size and comparison set.
public struct ScreenLayout: Equatable, Sendable {
    /// Smallest terminal the screen is drawn on; below it the view says how big it must be. 72 columns give the
    /// statistics table its 24 (labels whole: at 60 "satur." read "satu"), 20 lines give it its 11 lines
    /// (title, header, 9 rows) with 3 initializer rows.
    public static let minimumWidth = 72, minimumHeight = 20
    /// Lines the statistics panel needs below the rows: its title, the column header and 9 statistics.
    public static let statsLines = 11
    /// Width of the initializer-name column (focus marker + name).
    public static let nameWidth = 14
    /// Width of each first/last number.
    public static let numberWidth = 7
    /// Width of the scale label at the end of each group ("16d": the sparkline's height spans 16 decades).
    public static let scaleLabelWidth = 3
    /// Width of the statistics table on the right of the histograms.
    public static let statsWidth = 24

    /// False when the terminal is below the minimum.
    public var fits: Bool
    /// Scenario header (top row).
    public var header: Rect
    /// Column headings above the rows.
    public var headings: Rect
    /// Index of the first initializer shown (rows scroll to keep the focused one visible).
    public var firstRow: Int
    /// One rect per shown initializer row (full width).
    public var rows: [Rect]
    /// Mean-field prediction row (full width).
    public var prediction: Rect
    /// Scale and colour legend.
    public var legend: Rect
    /// Histogram panels, titled, left to right (2 on small terminals, 4 on wide ones).
    public var histograms: [Rect]
    /// Which quantity each histogram panel shows.
    public var histogramQuantities: [Quantity]
    /// Heat maps (layers x log10|x|) of the focused run, on tall terminals only (else empty).
    public var heatMaps: [Rect]
    /// Which quantity each heat map shows.
    public var heatMapQuantities: [Quantity]
    /// The selected layer's statistics.
    public var stats: Rect
    /// Caption lines (one, or a lecture scene's 1...3).
    public var caption: Rect
    /// Status line (bottom row).
    public var status: Rect
    /// Width of each sparkline and where the two groups start (activation, gradient).
    public var sparklineWidth: Int, activationGroupX: Int, gradientGroupX: Int
    /// The training panel (loss curves or the sweep's heat map) when shown, else empty: it takes the heat maps'
    /// place on tall terminals (histograms and panel both shown), the histograms' place otherwise (80x24).
    public var trainingPanel: Rect

    /// The layout for a `width` x `height` terminal showing `rowCount` initializers with `focusedRow` focused, the
    /// `panels` asked for (a hidden statistics table gives its width to the histograms; hidden histograms give their
    /// height to the heat maps, shown then at any height), a caption of `captionLines` lines (a lecture's: 1...3)
    /// and the training panel when `showsTraining`.
    public init(width: Int, height: Int, rowCount: Int, focusedRow: Int, panels: PanelSet = .all, captionLines: Int = 1,
                showsTraining: Bool = false) {
        let w = max(0, width), h = max(0, height)
        let captionHeight = min(3, max(1, captionLines))
        fits = w >= ScreenLayout.minimumWidth && h >= ScreenLayout.minimumHeight
        header = Rect(x: 0, y: 0, width: w, height: 1)
        headings = Rect(x: 0, y: 1, width: w, height: 1)
        let rowHeight = h >= 40 ? 2 : 1
        // Keep the statistics panel whole (histograms share its height), plus header, headings, mean-field
        // line, legend, caption and status; more initializers than fit scroll.
        let fixedRows = 2 + 2 + 1 + captionHeight + ScreenLayout.statsLines
        let maxRows = max(1, (h - fixedRows) / rowHeight)
        let shown = min(max(0, rowCount), maxRows)
        firstRow = shown == 0 ? 0 : min(max(0, focusedRow - shown + 1), max(0, rowCount - shown))
        rows = (0..<shown).map { Rect(x: 0, y: 2 + $0 * rowHeight, width: w, height: rowHeight) }
        let afterRows = 2 + shown * rowHeight
        prediction = Rect(x: 0, y: afterRows, width: w, height: 1)
        legend = Rect(x: 0, y: afterRows + 1, width: w, height: 1)
        status = Rect(x: 0, y: max(0, h - 1), width: w, height: 1)
        caption = Rect(x: 0, y: max(0, h - 1 - captionHeight), width: w, height: captionHeight)
        let panelTop = afterRows + 2
        let panelHeight = max(0, h - 1 - captionHeight - panelTop)
        let statsWidth = panels.contains(.stats) ? min(ScreenLayout.statsWidth, max(0, w / 3)) : 0
        stats = Rect(x: max(0, w - statsWidth), y: panelTop, width: statsWidth, height: statsWidth == 0 ? 0 : panelHeight)
        let histogramArea = statsWidth == 0 ? w : max(0, w - statsWidth - 1)
        histogramQuantities = !panels.contains(.histograms) ? []
            : w >= 120 ? [.preactivation, .activation, .activationGradient, .weightGradient] : [.activation, .activationGradient]
        let count = histogramQuantities.count
        let panelWidth = count == 0 ? 0 : (histogramArea - (count - 1)) / count
        // Tall terminals split the panel area: histograms above, two heat maps below. Without histograms the heat
        // maps take the whole area, at any height that leaves them a few lines.
        let heatMapsShown = panels.contains(.heatMaps) && (count == 0 ? panelHeight >= 4 : h >= 40 && panelHeight >= 16)
        let histogramHeight = count == 0 ? 0 : heatMapsShown ? panelHeight / 2 : panelHeight
        histograms = (0..<count).map { Rect(x: $0 * (panelWidth + 1), y: panelTop, width: panelWidth, height: histogramHeight) }
        heatMapQuantities = heatMapsShown ? [.activation, .activationGradient] : []
        let heatWidth = (histogramArea - 1) / 2
        let heatTop = count == 0 ? panelTop : panelTop + histogramHeight + 1
        heatMaps = heatMapQuantities.indices.map {
            Rect(x: $0 * (heatWidth + 1), y: heatTop, width: heatWidth, height: panelTop + panelHeight - heatTop)
        }
        trainingPanel = Rect(x: 0, y: 0, width: 0, height: 0)
        if showsTraining {
            // Tall terminals: histograms above, the panel in the heat maps' place; else the panel alone.
            if h >= 40 && panelHeight >= 16 && count > 0 {
                let upper = panelHeight / 2
                histograms = histograms.map { Rect(x: $0.x, y: $0.y, width: $0.width, height: upper) }
                trainingPanel = Rect(x: 0, y: panelTop + upper + 1, width: histogramArea, height: panelHeight - upper - 1)
                heatMaps = []; heatMapQuantities = []
            } else {
                trainingPanel = Rect(x: 0, y: panelTop, width: histogramArea, height: panelHeight)
                histograms = []; histogramQuantities = []
            }
        }
        let group = max(0, (w - ScreenLayout.nameWidth) / 2)
        // Each group: sparkline, space, two numbers each after a space, space, scale label, one column to spare.
        sparklineWidth = max(0, group - 2 * (ScreenLayout.numberWidth + 1) - (ScreenLayout.scaleLabelWidth + 1) - 1)
        activationGroupX = ScreenLayout.nameWidth
        gradientGroupX = ScreenLayout.nameWidth + group
    }

    /// What the engine must measure for this layout: histograms of the panels' and heat maps' quantities, and
    /// weight gradients only when a panel shows them (no other part of the screen uses them).
    public var measurementPlan: MeasurementPlan {
        MeasurementPlan(histogramQuantities: Set(histogramQuantities + heatMapQuantities),
                        weightGradients: histogramQuantities.contains(.weightGradient))
    }
}

extension ScreenLayout {
    /// The layout of `state`'s screen: its terminal size, rows, panels and caption lines.
    public init(_ state: AppState) {
        self.init(width: state.terminalWidth, height: state.terminalHeight, rowCount: state.scenario.initializers.count,
                  focusedRow: state.focusedRow, panels: state.panels,
                  captionLines: state.captionLineCount(width: state.terminalWidth), showsTraining: state.trainingPanel != nil)
    }
}
