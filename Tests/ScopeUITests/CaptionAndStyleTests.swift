// The caption is derived from the numbers; whole-screen cells carry the theme roles of their health.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct CaptionAndStyleTests {
    @Test func aCaptionTooWideIsCutAtASpaceNeverInsideANumber() {
        // The 80-column caption seen under tmux for tanh with normal:1 (81 characters): cut to 80 it read
        // "gradients grow x2.2e+5" for a growth of 2.2e+53.
        let text = "tanh with normal:1: 90.4% of units saturated at layer 50, gradients grow x2.2e+53"
        #expect(Caption.fitted(text, width: 80) == "tanh with normal:1: 90.4% of units saturated at layer 50, gradients grow...")
        #expect(Caption.fitted(text, width: 81) == text)
        #expect(Caption.fitted("x2.2e+53", width: 5) == "...")
        #expect(Caption.fitted("abc", width: 2) == "..")
    }

    /// A started state whose focused run has activation variances `variances` (layers 1...L), built by hand.
    func state(activation: Activation, variances: [Double], saturated: Double = 0, nonFiniteAt: Int? = nil,
               zeroFraction: Double = 0, revealed: Int? = nil) -> AppState {
        let scenario = Scenario(activation: activation, depth: variances.count, width: 64, batch: 32, seed: 1,
                                initializers: AppState.comparisonSet())
        var state = AppState(scenario: scenario, sweepMilliseconds: 0)
        _ = update(&state, .start)
        for (offset, variance) in variances.prefix(revealed ?? variances.count).enumerated() {
            var quantity = UITestSupport.quantity(variance: variance, count: 2048, saturated: saturated,
                                                  nonFinite: nonFiniteAt == offset + 1 ? 5 : 0)
            quantity.stats.zeroFraction = zeroFraction
            let layer = LayerReport(index: offset + 1, quantities: [.activation: quantity, .preactivation: quantity])
            _ = update(&state, .engine(.forwardLayer(run: 0, layer: layer), generation: state.generation))
        }
        return state
    }

    @Test func reluXavierHalves() {
        let s = state(activation: .relu, variances: (0..<50).map { 0.34 * pow(0.5, Double($0)) })
        #expect(Caption.text(for: s) == "ReLU with xavier: variance halves each layer, 0.5^50 = 8.9e-16 at the top")
    }

    @Test func growthAndShrinkFactorsComeFromTheNumbers() {
        let grow = state(activation: .linear, variances: (0..<10).map { pow(1.3, Double($0)) })
        #expect(Caption.text(for: grow) == "linear with xavier: variance grows x1.3 each layer, 1.3^10 = 13.8 at the top")
        let shrink = state(activation: .tanh, variances: (0..<20).map { pow(0.8, Double($0)) })
        #expect(Caption.text(for: shrink) == "tanh with xavier: variance shrinks x0.8 each layer, 0.8^20 = 0.0115 at the top")
        let doubles = state(activation: .relu, variances: (0..<30).map { pow(2, Double($0)) })
        #expect(Caption.text(for: doubles).hasPrefix("ReLU with xavier: variance doubles each layer, 2^30 = 1.1e+09"))
    }

    @Test func steadySaturatedDeadNonFiniteAndProgress() {
        let steady = state(activation: .tanh, variances: Array(repeating: 0.4, count: 12))
        #expect(Caption.text(for: steady) == "tanh with xavier: variance holds near 0.400 through 12 layers")
        let saturated = state(activation: .tanh, variances: Array(repeating: 0.95, count: 12), saturated: 0.87)
        #expect(Caption.text(for: saturated) == "tanh with xavier: 87.0% of units saturated at layer 12")
        var withGradients = saturated
        for layer in 1...12 {  // gradient variance 10^(12 - l): grows 1e+11 from layer 12 down to layer 1
            var report = withGradients.runs[0].report(layer: layer)!
            report.quantities[.activationGradient] = UITestSupport.quantity(variance: pow(10, Double(12 - layer)), count: 2048)
            _ = update(&withGradients, .engine(.backwardLayer(run: 0, layer: report), generation: withGradients.generation))
        }
        #expect(Caption.text(for: withGradients) == "tanh with xavier: 87.0% of units saturated at layer 12, gradients grow x1.0e+11 toward the input")
        let dead = state(activation: .relu, variances: Array(repeating: 1e-3, count: 5), zeroFraction: 0.97)
        #expect(Caption.text(for: dead) == "ReLU with xavier: 97.0% of units dead (exactly 0) at layer 5")
        let broken = state(activation: .linear, variances: [1, 10, 100, 1000], nonFiniteAt: 3)
        #expect(Caption.text(for: broken) == "linear with xavier: the signal overflows, inf/NaN from layer 3 on")
        let partial = state(activation: .tanh, variances: Array(repeating: 0.4, count: 12), revealed: 4)
        #expect(Caption.text(for: partial) == "tanh with xavier: variance holds near 0.400 through 4 layers (4/12 layers so far)")
        let none = state(activation: .tanh, variances: Array(repeating: 0.4, count: 12), revealed: 0)
        #expect(Caption.text(for: none) == "tanh with xavier: waiting for the first layer")
    }

    @Test func screenCellsCarryHealthRoles() {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        let canvas = view(state)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let x0 = layout.activationGroupX, xLast = x0 + layout.sparklineWidth - 1
        let theme = state.theme
        // xavier: the first activation column is healthy, the last vanishing (6e-16); he stays healthy.
        #expect(canvas[x0, layout.rows[0].y]?.style.foreground == theme.healthy)
        #expect(canvas[xLast, layout.rows[0].y]?.style.foreground == theme.vanishing)
        #expect(canvas[xLast, layout.rows[1].y]?.style.foreground == theme.healthy)
        // The last number ("6.0e-16") is coloured like its layer.
        let numberX = xLast + 1 + 2 * ScreenLayout.numberWidth
        #expect(canvas[numberX, layout.rows[0].y]?.style.foreground == theme.vanishing)
        // The selected layer (50 = last column) is highlighted in every row; the focused name is bold.
        #expect(canvas[xLast, layout.rows[2].y]?.style.background == theme.selection)
        #expect(canvas[x0, layout.rows[2].y]?.style.background == theme.background)
        #expect(canvas[1, layout.rows[0].y]?.style.bold == true && canvas[1, layout.rows[1].y]?.style.bold == false)
        #expect(canvas[1, layout.rows[1].y]?.style.foreground == theme.seriesColor(1))
    }

    @Test func explodingAndNonFiniteRowsOnScreen() {
        var s = state(activation: .linear, variances: [1, 1e3, 1e6, 1e9, 1e40], nonFiniteAt: 5)
        s.terminalWidth = 80; s.terminalHeight = 24
        let canvas = view(s)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let y = layout.rows[0].y
        let groups = Sparkline.columnLayers(layerCount: 5, columns: layout.sparklineWidth)
        func column(_ layer: Int) -> Int { layout.activationGroupX + groups.firstIndex { $0.contains(layer) }! }
        #expect(canvas[column(1), y]?.style.foreground == s.theme.healthy)
        #expect(canvas[column(3), y]?.style.foreground == s.theme.exploding)
        #expect(canvas[column(5), y]?.character == "×")
        #expect(canvas[column(5), y]?.style.foreground == s.theme.nonFinite)
        #expect(sparklineScale(s, row: 0) == LogScale(lowerExponent: 0, upperExponent: 30))  // clamped at 1e+30
        #expect(canvas.lines[layout.caption.y].hasPrefix("linear with xavier: the signal overflows"))
        #expect(canvas.lines[y].contains("NaN/inf"))  // the last value is not a finite-only variance
    }

    @Test func logHistogramModeShowsLogAxis() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("g")))
        let lines = view(state).lines
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        #expect(lines[layout.histograms[0].y].hasPrefix("activations L50 log|x|"))
        // 65536 exact zeros (ReLU) counted apart, 12 values below 1e-11.
        #expect(lines[layout.histograms[0].maxY - 1].hasPrefix("◀12 0:65536 1e-11"))
    }

    @Test func focusAndLayerMoveTheDetailPanels() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.down)); _ = update(&state, .key(.home))
        let lines = view(state).lines
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 1)
        #expect(lines[0].hasSuffix("sel L1/50  |  done"))
        #expect(lines[layout.stats.y].hasSuffix("he L1                   "))
        #expect(lines[layout.caption.y].hasPrefix("ReLU with he: variance holds near"))
    }
}
