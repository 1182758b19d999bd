// Whole screens at 80x24 and 160x48 (and odd sizes) from a synthetic ReLU run, compared with text snapshots.
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct ScreenSnapshotTests {
    @Test func reluComparisonAt80x24() {
        UITestSupport.expectSnapshot(view(UITestSupport.completedReluState(width: 80, height: 24)), named: "relu-80x24")
    }

    @Test func reluComparisonAt160x48() {
        UITestSupport.expectSnapshot(view(UITestSupport.completedReluState(width: 160, height: 48)), named: "relu-160x48")
    }

    @Test func asciiAt80x24() {
        UITestSupport.expectSnapshot(view(UITestSupport.completedReluState(width: 80, height: 24, glyphs: .ascii)),
                                     named: "relu-80x24-ascii")
    }

    @Test func midRunAt80x24ShowsPendingLayers() {
        // Animation on: the sweep at 30 of 100 steps (every row 30 forward layers), the rest queued; layer 20 selected.
        var state = AppState(scenario: UITestSupport.reluScenario(), sweepMilliseconds: 1500)
        _ = update(&state, .start)
        for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: state.generation)) }
        _ = update(&state, .engineFinished(generation: state.generation))
        _ = update(&state, .tick(elapsedMilliseconds: 30 * 15))
        for _ in 0..<30 { _ = update(&state, .key(.left)) }
        #expect(state.runs.allSatisfy { $0.forwardCount == 30 } && state.selectedLayer == 20)
        UITestSupport.expectSnapshot(view(state), named: "relu-80x24-midrun")
    }

    @Test func helpOverlayAt80x24() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("?")))
        UITestSupport.expectSnapshot(view(state), named: "help-80x24")
    }

    @Test func tooSmallSaysHowLarge() {
        var state = UITestSupport.completedReluState(width: 40, height: 10)
        let lines = view(state).lines.joined(separator: " ")
        #expect(lines.contains("40x10"))
        #expect(lines.contains("\(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight)"))
        _ = update(&state, .resize(width: 80, height: 24))
        #expect(view(state).lines[0].hasPrefix("initscope"))
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 40), (59, 18), (60, 17), (60, 18), (71, 20), (72, 19), (72, 20), (79, 23), (81, 25),
                      (119, 40), (120, 40), (500, 200)])
    func anySizeRendersWithoutTrap(size: (Int, Int)) {
        var state = UITestSupport.completedReluState(width: size.0, height: size.1)
        let canvas = view(state)
        #expect(canvas.width == size.0 && canvas.height == size.1)
        _ = update(&state, .key(.character("?")))
        #expect(view(state).cells.count == size.0 * size.1)
    }
}

@Suite struct PlainTerminalTests {
    @Test(arguments: [(80, 24), (160, 48)])
    func asciiGlyphsOnlyEverywhere(size: (Int, Int)) {
        var state = UITestSupport.completedReluState(width: size.0, height: size.1, glyphs: .ascii)
        for help in [false, true] {
            if help { _ = update(&state, .key(.character("?"))) }
            let nonASCII = view(state).cells.map(\.character).filter { !$0.isASCII }
            #expect(nonASCII.isEmpty, "non-ASCII glyphs: \(Set(nonASCII))")
        }
    }

    @Test func monochromeScreenStillReads() {
        let mono = Theme.builtInDefault.resolved(for: .monochrome)
        let state = UITestSupport.completedReluState(width: 80, height: 24, glyphs: .ascii, theme: mono)
        let canvas = view(state)
        #expect(canvas.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let x0 = layout.activationGroupX, xLast = x0 + layout.sparklineWidth - 1
        let healthy = canvas[x0, layout.rows[0].y]!.style, vanishing = canvas[xLast - 1, layout.rows[0].y]!.style
        #expect(healthy != vanishing)                                   // health differs by attribute
        #expect(canvas[xLast, layout.rows[1].y]!.style.reverse)         // selected layer column
        #expect(!canvas[xLast - 1, layout.rows[1].y]!.style.reverse)
        #expect(canvas[1, layout.rows[0].y]!.style.reverse && canvas[1, layout.rows[0].y]!.style.bold)  // focused name
        #expect(canvas[0, layout.rows[0].y]!.character == ">")
    }
}

@Suite struct LayoutTests {
    @Test func rowsScrollToKeepTheFocusedInitializerVisible() {
        let layout = ScreenLayout(width: 72, height: 20, rowCount: 7, focusedRow: 6)
        #expect(layout.rows.count == 3 && layout.firstRow == 4)
        let top = ScreenLayout(width: 72, height: 20, rowCount: 7, focusedRow: 0)
        #expect(top.firstRow == 0)
        var state = UITestSupport.completedReluState(width: 72, height: 20)
        for key: Character in ["o", "n", "N", "d"] { _ = update(&state, .key(.character(key))) }
        let lines = view(state).lines
        #expect(lines.contains { $0.hasPrefix("▶torch-default") })
        #expect(!lines.contains { $0.hasPrefix(" xavier") })
    }

    /// At the minimum size nothing is cut: every statistics label whole, every panel titled; one column or line
    /// less and the view says how large it must be (at 60x20 the table read "satu" and "q me").
    @Test func theMinimumSizeCutsNoLabel() {
        var state = UITestSupport.completedReluState(width: ScreenLayout.minimumWidth, height: ScreenLayout.minimumHeight)
        for key: Character in ["o", "n", "N"] { _ = update(&state, .key(.character(key))) }   // six rows: they scroll
        let text = view(state).lines.joined(separator: "\n")
        #expect(text.contains("waiting for backward\n") || text.contains("waiting for backward "))  // not "pa"
        for label in ["var ", "mean ", "std ", "satur. ", "dead ", "non-fin ", "q meas ", "q MF ", "LSUV it ", " act ",
                      " grad ", "mean-field", "healthy", "vanishing", " dec"] {
            #expect(text.contains(label), "\(label) cut at the minimum size:\n\(text)")
        }
        for size in [(ScreenLayout.minimumWidth - 1, ScreenLayout.minimumHeight), (ScreenLayout.minimumWidth, ScreenLayout.minimumHeight - 1)] {
            let small = UITestSupport.completedReluState(width: size.0, height: size.1)
            #expect(view(small).lines.joined(separator: " ").contains("needs at least 72x20"))
        }
    }

    @Test func statusLineShowsWholeHintsThatFit() {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        let status = view(state).lines[23]
        // The essential (pinned) hints first, then as many more as fit, keys not used yet first.
        #expect(status.hasPrefix("?:help q:quit x h l o n N d:init a:act ←→:layer ↑↓:focus +-:depth D:drop R:reset"))
        let hints = KeyMap.hints(glyphs: .unicode)
        #expect(hints.contains(String(status.split(separator: " ").last!)))  // no hint cut in half
        let wide = view(UITestSupport.completedReluState(width: 160, height: 48)).lines[47]
        #expect(wide.contains("r:rerun"))
    }

    @Test func tallTerminalsGetHeatMapsAndFourHistograms() {
        let small = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        #expect(small.histogramQuantities == [.activation, .activationGradient] && small.heatMaps.isEmpty)
        let large = ScreenLayout(width: 160, height: 48, rowCount: 3, focusedRow: 0)
        #expect(large.histogramQuantities.count == 4 && large.heatMaps.count == 2)
        for rect in large.histograms + large.heatMaps + [large.stats] {
            #expect(rect.maxX <= 160 && rect.maxY <= large.caption.y)
        }
    }
}
