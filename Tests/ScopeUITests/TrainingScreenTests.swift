// The training panel (loss curves) and the sweep's heat map at 80x24 and 160x48, from synthetic runs, compared
// with text snapshots; and the widgets' arithmetic.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct TrainingScreenTests {
    /// Completed ReLU rows, training started; xavier falls slowly, he fast to the floor, lsuv diverges at step 37;
    /// 120 of 200 steps done; the held-out loss at steps 1, 11, ..., 111, 10% above the training loss.
    static func trainingState(width: Int, height: Int, glyphs: GlyphSet = .unicode) -> AppState {
        var state = UITestSupport.completedReluState(width: width, height: height, glyphs: glyphs)
        _ = update(&state, .key(.character("T")))
        let g = state.generation
        for t in 1...120 {
            let x = Double(t)
            let evaluated = t % 10 == 1
            func step(_ row: Int, _ loss: Double) {
                _ = update(&state, .training(.step(row: row, step: t, loss: loss, heldOutLoss: evaluated ? 1.1 * loss : nil), generation: g))
            }
            step(0, 0.45 * (0.4 + 0.6 * exp(-x / 60)))
            step(1, 0.5 * exp(-x / 20) + 0.012)
            if t < 37 { step(2, 0.5 * exp(x / 12)) }
        }
        _ = update(&state, .training(.diverged(row: 2, step: 37), generation: g))
        return state
    }

    /// Completed ReLU rows and a finished sweep: xavier best at 1e-2, he at 3.2e-3, lsuv diverging from 0.1 up.
    static func sweepState(width: Int, height: Int) -> AppState {
        var state = UITestSupport.completedReluState(width: width, height: height)
        _ = update(&state, .key(.character("L")))
        let g = state.generation, rates = LiveTraining.sweepRange.rates
        for row in 0..<3 {
            for (i, rate) in rates.enumerated() {
                let best = [-2.0, -2.5, -3.0][row], diverges = [0.5, 0.9, 0.09][row]
                let result = rate > diverges
                    ? SweepResult(named: ["xavier", "he", "lsuv"][row], learningRate: rate, finalLoss: nil, divergedAt: 3 + i)
                    : SweepResult(named: ["xavier", "he", "lsuv"][row], learningRate: rate,
                                  finalLoss: 0.01 + 0.1 * pow(log10(rate) - best, 2), divergedAt: nil)
                _ = update(&state, .training(.sweep(row: row, rateIndex: i, result: result), generation: g))
            }
        }
        _ = update(&state, .engineFinished(generation: g))
        return state
    }

    @Test func trainingPanelReplacesTheHistogramsAt80x24() {
        let state = Self.trainingState(width: 80, height: 24)
        UITestSupport.expectSnapshot(view(state), named: "training-80x24")
        let text = view(state).lines.joined(separator: "\n")
        #expect(!text.contains("activations L50") && text.contains("floor 0.01"))
    }

    @Test func trainingPanelBesideTheHistogramsAt160x48() {
        let state = Self.trainingState(width: 160, height: 48)
        UITestSupport.expectSnapshot(view(state), named: "training-160x48")
        let text = view(state).lines.joined(separator: "\n")
        #expect(text.contains("activations L50") && text.contains("floor 0.01"))
    }

    @Test func trainingPanelInASCII() {
        UITestSupport.expectSnapshot(view(Self.trainingState(width: 80, height: 24, glyphs: .ascii)), named: "training-80x24-ascii")
    }

    @Test func sweepHeatMapAt80x24() {
        UITestSupport.expectSnapshot(view(Self.sweepState(width: 80, height: 24)), named: "sweep-80x24")
    }

    @Test func sweepHeatMapAt160x48() {
        UITestSupport.expectSnapshot(view(Self.sweepState(width: 160, height: 48)), named: "sweep-160x48")
    }

    @Test(arguments: [(0, 0), (72, 20), (79, 23), (120, 30), (500, 200)])
    func anySizeRendersTheTrainingPanelsWithoutTrap(size: (Int, Int)) {
        var state = Self.trainingState(width: size.0, height: size.1)
        #expect(view(state).cells.count == size.0 * size.1)
        state = Self.sweepState(width: size.0, height: size.1)
        #expect(view(state).cells.count == size.0 * size.1)
    }

    @Test func lossChartRowsAreLogBandsAndColumnsCoverEveryStep() {
        // 1e-2 ... 1e0 over 11 rows: 0.1 is the middle row.
        #expect(LossChart.row(of: 0.1, decades: -2...0, height: 11) == 5)
        #expect(LossChart.row(of: 1, decades: -2...0, height: 11) == 10 && LossChart.row(of: 0.01, decades: -2...0, height: 11) == 0)
        #expect(LossChart.row(of: .nan, decades: -2...0, height: 11) == nil && LossChart.row(of: 0, decades: -2...0, height: 11) == nil)
        let columns = (0..<7).map { LossChart.steps(column: $0, columns: 7, totalSteps: 200) }
        #expect(columns.first?.lowerBound == 1 && columns.last?.upperBound == 200)
        #expect(zip(columns, columns.dropFirst()).allSatisfy { $0.upperBound + 1 == $1.lowerBound })
        let chart = LossChart(series: [LossSeries(name: "he", index: 0, losses: [0.45, 0.03])], totalSteps: 10, floor: 0.01)
        #expect(chart.decades == -2...0)
        // The held-out points count for the scale too.
        let heldOut = LossChart(series: [LossSeries(name: "he", index: 0, losses: [0.45, 0.03], heldOut: [HeldOutLoss(step: 1, loss: 2)])],
                                totalSteps: 10, floor: 0.01)
        #expect(heldOut.decades == -2...1)
    }

    @Test func theChartDrawsTheHeldOutCurveInTheRowsGlyphAndTheTrainingLossAsFaintDots() {
        // 10 steps over 10 plot columns (one step each), decades -2...0 over 11 plot rows: 0.1 is row 5 from the bottom.
        // Training loss 1.0 at every step (top row), held-out 0.1 at steps 1 and 6 (middle row) up to step 6.
        let theme = Theme.builtInDefault
        let chart = LossChart(series: [LossSeries(name: "he", index: 0, losses: Array(repeating: 1.0, count: 10),
                                                  heldOut: [HeldOutLoss(step: 1, loss: 0.1), HeldOutLoss(step: 6, loss: 0.1)])],
                              totalSteps: 10, floor: 0.01)
        var canvas = Canvas(width: 16, height: 12)
        chart.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 16, height: 12), glyphs: .unicode, theme: theme)
        let glyph = theme.seriesGlyph(0)
        let middle = (6..<16).map { canvas[$0, 5]?.character }
        #expect(middle == Array(repeating: glyph, count: 6) + Array(repeating: " ", count: 4), "\(middle)")
        let top = (6..<16).compactMap { canvas[$0, 0] }
        #expect(top.allSatisfy { $0.character == "·" && $0.style.dim }, "\(top.map { $0.character })")
        #expect(canvas[6, 5]?.style.dim == false)
    }

    @Test func aCellTwoOrThreeHeldOutCurvesShareShowsHowManyInsteadOfHidingThem() {
        // 10 steps over 10 columns, decades -2...0 over 11 rows: 0.1 is row 5 from the bottom (y = 5), 1.0 the top.
        // Rows 0 and 1 meet at 0.1 for steps 1-5 and part at step 6 (row 1 to 1.0); row 2 joins them at step 1 only
        // (0.01 at step 2). A curve is drawn up to its last evaluation.
        let theme = Theme.builtInDefault
        let chart = LossChart(series: [
            LossSeries(name: "xavier", index: 0, losses: [], heldOut: [HeldOutLoss(step: 1, loss: 0.1), HeldOutLoss(step: 10, loss: 0.1)]),
            LossSeries(name: "he", index: 1, losses: [], heldOut: [HeldOutLoss(step: 1, loss: 0.1), HeldOutLoss(step: 6, loss: 1)]),
            LossSeries(name: "lsuv", index: 2, losses: [], heldOut: [HeldOutLoss(step: 1, loss: 0.1), HeldOutLoss(step: 2, loss: 0.01)]),
        ], totalSteps: 10, floor: nil)
        #expect(chart.decades == -2...0)
        var canvas = Canvas(width: 16, height: 12)
        chart.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 16, height: 12), glyphs: .unicode, theme: theme)
        let middle = (6..<16).map { canvas[$0, 5]?.character ?? "?" }
        // Column 0: all three; columns 1-4: xavier and he; from column 5 xavier alone (he at the top, lsuv at the bottom).
        #expect(String(middle) == "32222" + String(repeating: theme.seriesGlyph(0), count: 5), "\(middle)")
        #expect(canvas[6, 5]?.style.bold == true && canvas[6, 5]?.style.foreground == theme.text)
        #expect(canvas[11, 0]?.character == theme.seriesGlyph(1) && canvas[7, 10]?.character == theme.seriesGlyph(2))
        #expect(chart.largestSharedCell(height: 11, columns: 10) == 3)
        let key = chart.key(glyphs: .unicode, theme: theme, largestSharedCell: 3)
        #expect(key.last?.text == "3 = 3 curves" && key.last?.index == nil && key.count == 4)
        // Curves that never meet: no count, no note.
        let apart = LossChart(series: [chart.series[0], LossSeries(name: "he", index: 1, losses: [], heldOut: [HeldOutLoss(step: 1, loss: 1)])],
                              totalSteps: 10, floor: nil)
        #expect(apart.largestSharedCell(height: 11, columns: 10) == nil)
        #expect(apart.key(glyphs: .unicode, theme: theme).count == 2)
    }

    @Test func sweepGoodnessIsLogLinearBetweenBestAndWorst() {
        let cells: [[SweepResult?]] = [[SweepResult(named: "a", learningRate: 1, finalLoss: 0.01, divergedAt: nil),
                                        SweepResult(named: "a", learningRate: 2, finalLoss: 1, divergedAt: nil),
                                        SweepResult(named: "a", learningRate: 3, finalLoss: nil, divergedAt: 4), nil]]
        let map = SweepHeatMap(names: ["a"], rates: [1, 2, 3, 4], results: cells)
        #expect(map.goodness(0.01) == 1 && map.goodness(1) == 0 && abs(map.goodness(0.1) - 0.5) < 1e-12)
    }
}
