// A small table of labelled numbers in columns (the selected layer's statistics).
import SignalFlow
import Terminal

/// Rows of a label and one cell per column, drawn right-aligned under column headers.
public struct StatsTable: Equatable {
    /// Column headers (one per value column).
    public var headers: [String]
    /// Each row: a label and one text per column.
    public var rows: [(label: String, cells: [String])]

    /// Same headers, labels and cells.
    public static func == (a: StatsTable, b: StatsTable) -> Bool {
        a.headers == b.headers && a.rows.map(\.label) == b.rows.map(\.label) && a.rows.map(\.cells) == b.rows.map(\.cells)
    }

    /// Creates a table.
    public init(headers: [String], rows: [(label: String, cells: [String])]) { self.headers = headers; self.rows = rows }

    /// The statistics of one layer: activation and activation-gradient columns; "-" where unknown, and for the
    /// moments of a quantity with no finite element.
    /// `activation` decides whether saturation is meaningful.
    public static func layerStatistics(_ report: LayerReport?, activation: Activation) -> StatsTable {
        let act = report?.stats(.activation), grad = report?.stats(.activationGradient)
        let pre = report?.stats(.preactivation)
        func cell(_ stats: SummaryStats?, _ value: (SummaryStats) -> String) -> String { stats.map(value) ?? "-" }
        // Mean, std and q are over the finite elements: with none (all NaN/inf) there are none to show.
        func moment(_ stats: SummaryStats?, _ value: (SummaryStats) -> Double) -> String {
            guard let stats, stats.hasFiniteValues else { return "-" }
            return NumberFormat.compact(value(stats), maxWidth: 7)
        }
        func varianceText(_ stats: SummaryStats?) -> String {
            guard let stats else { return "-" }
            return stats.nonFiniteCount > 0 || !stats.variance.isFinite ? "NaN/inf" : Caption.tableNumber(stats.variance)
        }
        let theory = report?.theory
        return StatsTable(headers: ["act", "grad"], rows: [
            // The same text the rows print for this layer, so a left/right step shows the exact value it moved to.
            ("var", [varianceText(act), varianceText(grad)]),
            ("mean", [moment(act) { $0.mean }, moment(grad) { $0.mean }]),
            ("std", [moment(act) { $0.standardDeviation }, moment(grad) { $0.standardDeviation }]),
            ("satur.", [activation.isBounded ? cell(act) { NumberFormat.percent($0.saturatedFraction) } : "-", "-"]),
            ("dead", [cell(act) { NumberFormat.percent($0.zeroFraction) }, cell(grad) { NumberFormat.percent($0.zeroFraction) }]),
            ("non-fin", [cell(act) { String($0.nonFiniteCount) }, cell(grad) { String($0.nonFiniteCount) }]),
            ("q meas", [moment(pre) { $0.secondMoment }, moment(grad) { $0.secondMoment }]),
            ("q MF", [theory.map { NumberFormat.compact($0.preactivationSecondMoment, maxWidth: 7) } ?? "-",
                        theory?.gradientSecondMoment.map { NumberFormat.compact($0, maxWidth: 7) } ?? "-"]),
            ("LSUV it", [report?.lsuv.map { "\($0.rescalings)\($0.converged ? "" : "*")" } ?? "-", ""]),
        ])
    }

    /// Draws the header row then one row per line, labels left, cells right-aligned in columns of
    /// `columnWidth`; rows beyond the rect are dropped.
    public func draw(into canvas: inout Canvas, rect: Rect, theme: Theme, columnWidth: Int = 8) {
        guard !rect.isEmpty else { return }
        let labelWidth = max(0, rect.width - columnWidth * headers.count)
        let muted = theme.style(.mutedText), text = theme.style(.text)
        for (index, header) in headers.enumerated() {
            canvas.write(NumberFormat.padLeft(header, columnWidth), x: rect.x + labelWidth + index * columnWidth, y: rect.y,
                         style: muted, clip: rect)
        }
        for (number, row) in rows.enumerated() {
            let y = rect.y + 1 + number
            guard y < rect.maxY else { break }
            canvas.write(NumberFormat.fit(row.label, labelWidth), x: rect.x, y: y, style: muted, clip: rect)
            for (index, value) in row.cells.enumerated() {
                // A leading space always separates columns; longer cells are cut.
                canvas.write(" " + NumberFormat.padLeft(String(value.prefix(columnWidth - 1)), columnWidth - 1), x: rect.x + labelWidth + index * columnWidth, y: y,
                             style: text, clip: rect)
            }
        }
    }
}
