// Widgets rendered into small canvases, compared with inline expected strings.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct WidgetTests {
    let theme = Theme.builtInDefault

    func render(width: Int, height: Int, _ draw: (inout Canvas) -> Void) -> [String] {
        var canvas = Canvas(width: width, height: height)
        draw(&canvas)
        return canvas.lines
    }

    @Test func sparklineHalvingOnFixedScale() {
        // Variance 0.5^(l-1) for l = 1...8 on 1e-3...1e+0: log10 falls 0.301 per layer, 7 levels over 3 decades.
        let values: [Double?] = (0..<8).map { Double.pow2(-$0) }
        let scale = LogScale(lowerExponent: -3, upperExponent: 0)
        let lines = render(width: 10, height: 1) { canvas in
            Sparkline(values: values, scale: scale).draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 10, height: 1),
                                                        glyphs: .unicode, theme: theme)
        }
        // Levels round(7 * (1 - 0.30103 k / 3)) = 7 6 6 5 4 3 3 2.
        #expect(lines == ["█▇▇▆▅▄▄▃  "])
    }

    @Test func sparklinePendingNonFiniteAndGrouping() {
        let values: [Double?] = [1, .nan, nil, 1e-9]
        let health: [Health] = [.healthy, .nonFinite, .pending, .vanishing]
        let scale = LogScale(lowerExponent: -9, upperExponent: 0)
        let unicode = render(width: 4, height: 1) { canvas in
            Sparkline(values: values, health: health, scale: scale).draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 4, height: 1),
                                                                        glyphs: .unicode, theme: theme)
        }
        #expect(unicode == ["█×·▁"])
        let ascii = render(width: 2, height: 1) { canvas in  // 4 layers in 2 columns: [1,2] [3,4]
            Sparkline(values: values, health: health, scale: scale).draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 2, height: 1),
                                                                        glyphs: .ascii, theme: theme)
        }
        #expect(ascii == ["!_"])
        #expect(Sparkline.columnLayers(layerCount: 5, columns: 2) == [1...2, 3...5])
        #expect(Sparkline.columnLayers(layerCount: 2, columns: 5) == [1...1, 1...1, 2...2, 2...2])
        #expect(Sparkline.columnLayers(layerCount: 0, columns: 5).isEmpty)
    }

    @Test func sparklineTwoRowsStacksEighths() {
        // Fractions 1, 0.5, 0.25 of 16 eighths = 16, 8, 4.
        let scale = LogScale(lowerExponent: 0, upperExponent: 4)
        let lines = render(width: 3, height: 2) { canvas in
            Sparkline(values: [1e4, 1e2, 1e1], scale: scale).draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 3, height: 2),
                                                                  glyphs: .unicode, theme: theme)
        }
        #expect(lines == ["█  ", "██▄"])
    }

    @Test func sparklineStylesCarryHealthRoles() {
        var canvas = Canvas(width: 4, height: 1)
        let health: [Health] = [.healthy, .vanishing, .exploding, .nonFinite]
        Sparkline(values: [1, 1e-5, 1e5, .infinity], health: health, scale: LogScale(lowerExponent: -5, upperExponent: 5), selectedLayer: 2)
            .draw(into: &canvas, rect: canvas.bounds, glyphs: .unicode, theme: theme)
        #expect(canvas[0, 0]?.style.foreground == theme.healthy)
        #expect(canvas[1, 0]?.style.foreground == theme.vanishing)
        #expect(canvas[1, 0]?.style.background == theme.selection)
        #expect(canvas[0, 0]?.style.background == theme.background)
        #expect(canvas[2, 0]?.style.foreground == theme.exploding)
        #expect(canvas[3, 0]?.style.foreground == theme.nonFinite)
        #expect(canvas[3, 0]?.style.bold == true)  // default theme: non-finite is bold as well
    }

    @Test func monochromeStillDistinguishesHealth() {
        let mono = theme.resolved(for: .monochrome)
        var canvas = Canvas(width: 4, height: 1)
        Sparkline(values: [1, 1e-5, 1e5, .nan], health: [.healthy, .vanishing, .exploding, .nonFinite],
                  scale: LogScale(lowerExponent: -5, upperExponent: 5), selectedLayer: 1)
            .draw(into: &canvas, rect: canvas.bounds, glyphs: .ascii, theme: mono)
        let styles = (0..<4).map { canvas[$0, 0]!.style }
        // The selected column (reverse, bold) shares its attributes with non-finite: the glyphs tell them apart.
        #expect(Set(styles).count == 3)
        // Each state its own glyph without colour (GlyphSet.states), not one block in three attributes.
        #expect((0..<4).map { canvas[$0, 0]!.character } == ["+", "v", "^", "!"])  // healthy keeps its bar height
        #expect(styles[0].reverse)  // the selected layer without colour
        #expect(styles.allSatisfy { $0.foreground == .default })
    }

    /// Health looks past the variance band: saturation, dead units, the change from layer 1, non-finite values.
    @Test func healthSeesSaturationDeadUnitsAndTrend() {
        #expect(Health.classify(variance: 0.9, saturatedFraction: 0.9) == .saturated)   // tanh N(0,1): was green
        #expect(Health.classify(variance: 0.9, saturatedFraction: 0.5) == .healthy)
        #expect(Health.classify(variance: 0.3, zeroFraction: 0.8) == .dead)
        #expect(Health.classify(variance: 0.3, zeroFraction: 0.5) == .healthy)         // ReLU's usual half
        #expect(Health.classify(variance: 0.05, reference: 10) == .vanishing)         // in band, 200x below layer 1
        #expect(Health.classify(variance: 50, reference: 0.3) == .exploding)          // in band, 167x above
        #expect(Health.classify(variance: 0.2, reference: 10) == .healthy)            // 50x: within the trend limit
        #expect(Health.classify(variance: 1e-5, saturatedFraction: 0.9) == .vanishing)  // the band decides first
        #expect(Health.classify(variance: 1, nonFiniteCount: 1, saturatedFraction: 0.9) == .nonFinite)
        #expect(Health.allCases.map(\.role) == [.mutedText, .vanishing, .healthy, .exploding, .saturated, .saturated, .nonFinite])
        // Each state its own glyph in Unicode and in ASCII (the mono and vt100 legend).
        let states = Health.allCases.filter { $0 != .pending }
        #expect(Set(states.map { GlyphSet.unicode.stateGlyph($0) }).count == states.count)
        #expect(Set(states.map { GlyphSet.ascii.stateGlyph($0) }).count == states.count)
        #expect(states.allSatisfy { GlyphSet.ascii.stateGlyph($0).isASCII })
    }

    /// Per layer of a run: saturation counts for tanh activations only, gradients are judged from layer L down.
    @Test func healthSeriesOfARun() {
        var run = RunData(depth: 3)
        for layer in 1...3 {
            var act = UITestSupport.quantity(variance: 0.8, count: 100, saturated: layer == 3 ? 0.9 : 0)
            act.stats.zeroFraction = 0
            let grad = UITestSupport.quantity(variance: pow(1000, Double(3 - layer)) * 1e-2, count: 100)  // 1e+4, 10, 1e-2
            run.apply(.backwardLayer(run: 0, layer: LayerReport(index: layer, quantities: [.activation: act, .activationGradient: grad])))
        }
        #expect(Health.series(run, .activation, activation: .tanh) == [.healthy, .healthy, .saturated])
        #expect(Health.series(run, .activation, activation: .relu) == [.healthy, .healthy, .healthy])
        // Reference = layer 3 (1e-2): layer 2 is 1000x above it, layer 1 above the band.
        #expect(Health.series(run, .activationGradient, activation: .tanh) == [.exploding, .exploding, .healthy])
    }

    @Test func healthClassification() {
        #expect(Health.classify(variance: nil) == .pending)
        #expect(Health.classify(variance: 1) == .healthy)
        #expect(Health.classify(variance: 0.011) == .healthy)
        #expect(Health.classify(variance: 0.009) == .vanishing)
        #expect(Health.classify(variance: 0) == .vanishing)
        #expect(Health.classify(variance: 101) == .exploding)
        #expect(Health.classify(variance: .infinity) == .nonFinite)
        #expect(Health.classify(variance: 1, nonFiniteCount: 3) == .nonFinite)
    }

    @Test func logScaleFitsAndClamps() {
        let scale = LogScale.fitting([8.9e-16, 0.35, 2])
        #expect(scale.lowerExponent == -16 && scale.upperExponent == 1)
        #expect(LogScale.fitting([1]) == LogScale(lowerExponent: -2, upperExponent: 2))
        #expect(LogScale.fitting([]) == LogScale(lowerExponent: -2, upperExponent: 2))
        #expect(LogScale.fitting([1e-15, 1e15]) == LogScale(lowerExponent: -15, upperExponent: 15))
        #expect(scale.fraction(0) == 0 && scale.fraction(.nan) == 0 && scale.fraction(.infinity) == 1)
        #expect(abs(LogScale(lowerExponent: -15, upperExponent: 15).fraction(1) - 0.5) < 1e-12)
        #expect(LogScale.fitting([.greatestFiniteMagnitude, .leastNonzeroMagnitude]).upperExponent == 309)
    }

    @Test func histogramBarsAxisAndOverflow() {
        let histogram = Histogram(scale: .linear, lower: -2, upper: 2, binCounts: [1, 4, 8, 4], underflow: 3, overflow: 1)
        let lines = render(width: 16, height: 3) { canvas in
            HistogramView(histogram: histogram).draw(into: &canvas, rect: canvas.bounds, glyphs: .unicode, theme: theme)
        }
        // 4 bins x 4 columns; 16 eighths max: 2, 8, 16, 8 eighths.
        #expect(lines == [
            "        ████    ",
            "▂▂▂▂████████████",
            "◀3 -2.00 2.00 1▶",  // the centre label "0" has no room between the end labels
        ])
    }

    @Test func histogramGroupsBinsByMeanAndLabelsLogAxis() {
        #expect(HistogramView.columnCounts([2, 2, 2, 2, 2, 2], columns: 4) == [2, 2, 2, 2])
        #expect(HistogramView.columnCounts([1, 3], columns: 5) == [1, 1, 3, 3])
        let log = Histogram(scale: .log10Magnitude, lower: -4, upper: 2, binCounts: [0, 1, 2, 4, 2, 1], zeroCount: 7)
        let lines = render(width: 24, height: 2) { canvas in
            HistogramView(histogram: log).draw(into: &canvas, rect: canvas.bounds, glyphs: .ascii, theme: theme)
        }
        #expect(lines[1] == "7 zeros 1e-04      1e+02")  // zeros in words; centre 1e-01 would overlap the left label
        let empty = Histogram(scale: .linear, lower: 0, upper: 1, binCounts: [0, 0])
        let emptyLines = render(width: 20, height: 2) { canvas in
            HistogramView(histogram: empty).draw(into: &canvas, rect: canvas.bounds, glyphs: .ascii, theme: theme)
        }
        #expect(emptyLines[0] == "no finite values    ")
        // Every value exactly 0 (log10|x| has no bin for it): said so, not "no finite values".
        let zeros = Histogram(scale: .log10Magnitude, lower: -1, upper: 0, binCounts: [0, 0], zeroCount: 2048)
        let zeroLines = render(width: 24, height: 2) { canvas in
            HistogramView(histogram: zeros).draw(into: &canvas, rect: canvas.bounds, glyphs: .ascii, theme: theme)
        }
        #expect(zeroLines[0] == "all values are 0        ")
        #expect(zeroLines[1].hasPrefix("2048 zeros "))
    }

    @Test func statsTableOfAReluLayer() {
        let report = UITestSupport.reluLayer(index: 3, q: 1, g: 0.5, count: 1000, lsuvRescalings: 2)
        let table = StatsTable.layerStatistics(report, activation: .relu)
        let lines = render(width: 24, height: 10) { canvas in table.draw(into: &canvas, rect: canvas.bounds, theme: theme) }
        // wobble at layer 3 = 1 + 0.03 sin(5.1) = 0.97223; act mean sqrt(q/2pi), std sqrt(q (1/2 - 1/2pi)).
        #expect(lines == [
            "             act    grad",
            "var        0.331   0.514",  // as the rows print it: var(x) = q (1/2 - 1/2pi), var(dh) = g
            "mean       0.393       0",
            "std        0.576   0.717",
            "satur.         -       -",
            "dead       50.0%   50.0%",
            "non-fin        0       0",
            "q meas     0.972   0.514",
            "q MF        1.00   0.500",
            "LSUV it        2        ",
        ])
        let empty = StatsTable.layerStatistics(nil, activation: .tanh)
        #expect(empty.rows.allSatisfy { $0.cells.allSatisfy { $0 == "-" || $0.isEmpty } })
    }

    @Test func numberFormats() {
        #expect(NumberFormat.compact(0) == "0")
        #expect(NumberFormat.compact(0.5) == "0.500")
        #expect(NumberFormat.compact(12.34) == "12.3")
        #expect(NumberFormat.compact(999.7) == "1000")
        #expect(NumberFormat.compact(8.881784197001252e-16) == "8.9e-16")
        #expect(NumberFormat.compact(-3e20) == "-3.0e+20")
        #expect(NumberFormat.compact(.nan) == "nan" && NumberFormat.compact(-.infinity) == "-inf")
        #expect(NumberFormat.powerOfTen(-15) == "1e-15" && NumberFormat.powerOfTen(3) == "1e+03")
        #expect(NumberFormat.percent(0.125) == "12.5%" && NumberFormat.percent(.nan) == "-")
        #expect(NumberFormat.compact(-8.9e-16, maxWidth: 7) == "-9e-16")
        #expect(NumberFormat.compact(-6.5e-3, maxWidth: 7) == "-6.5e-3")
    }

    @Test func predictionDistanceInDecades() {
        let d = PredictionDistance.decades(measured: [1, 10, nil, 0, .nan], predicted: [1, 1, 5, 1, 1])
        #expect(d == 1)
        #expect(PredictionDistance.decades(measured: [nil], predicted: [1]) == nil)
    }

    @Test func helpListsEveryKey() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("?")))
        let text = view(state).lines.joined(separator: "\n")
        for binding in KeyMap.bindings(glyphs: .unicode) {
            #expect(text.contains(binding.keys), "help misses \(binding.keys)")
            #expect(text.contains(binding.summary), "help misses \(binding.summary)")
        }
        // At the minimum size every key is still listed (summaries may be cut).
        var small = UITestSupport.completedReluState(width: ScreenLayout.minimumWidth, height: ScreenLayout.minimumHeight)
        _ = update(&small, .key(.character("?")))
        let smallText = view(small).lines.joined(separator: "\n")
        for binding in KeyMap.bindings(glyphs: .unicode) {
            #expect(smallText.contains(binding.keys + " "), "small help misses \(binding.keys)")
        }
        // And every key named in the help does something.
        for key: Character in ["x", "h", "l", "o", "n", "N", "d", "a", "A", "+", "-", "]", "[", "b", "B", "s", "g", "J", " ", ".", "r", "t", "?", "q"] {
            #expect(KeyMap.command(for: .character(key)) != nil, "key \(key) unbound")
        }
    }
}

extension Double {
    /// 2^exponent exactly.
    static func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }
}

@Suite struct HeatMapTests {
    @Test func rebinsByBinCentreOntoTheCommonAxis() {
        // Bins [-4,-3) [-3,-2) [-2,-1) with centres -3.5, -2.5, -1.5 on axis -4...0 in 2 rows ([-4,-2), [-2,0)).
        let h = Histogram(scale: .log10Magnitude, lower: -4, upper: -1, binCounts: [1, 2, 4])
        #expect(HeatMap.rebinned(h, axis: -4...0, rows: 2) == [3, 4])
        let broken = Histogram(scale: .log10Magnitude, lower: -.infinity, upper: 1, binCounts: [5, 5])
        #expect(HeatMap.rebinned(broken, axis: -4...0, rows: 2) == [0, 0])
        let huge = Histogram(scale: .log10Magnitude, lower: 1e300, upper: 1.5e300, binCounts: [5])
        #expect(HeatMap.rebinned(huge, axis: -4...0, rows: 2) == [0, 5])
    }

    @Test func drawsSlidingBandWithShades() {
        // Layer 1 around 1e-1, layer 2 around 1e-3: on axis 1e-4...1e+0 in 2 rows the band moves down.
        let layer1 = Histogram(scale: .log10Magnitude, lower: -2, upper: 0, binCounts: [1, 8])
        let layer2 = Histogram(scale: .log10Magnitude, lower: -4, upper: -2, binCounts: [2, 8])
        var canvas = Canvas(width: 8, height: 2)
        HeatMap(histograms: [layer1, layer2], selectedLayer: 2).draw(into: &canvas, rect: canvas.bounds, glyphs: .ascii,
                                                                      theme: .builtInDefault)
        #expect(canvas.lines == ["1e+00 # ", "1e-04  #"])
        #expect(canvas[7, 0]?.style.background == Theme.builtInDefault.selection)
    }
}

/// The row widgets, the legend and the glossary, each drawn alone into a rectangle and compared with a snapshot.
@Suite struct RowWidgetTests {
    let theme = Theme.builtInDefault

    func render(width: Int, height: Int, _ draw: (inout Canvas) -> Void) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        draw(&canvas)
        return canvas
    }

    @Test func headingsMarkTheSelectedLayerAndEveryStepChangesThem() {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        func headings(_ layer: Int) -> Canvas {
            let series = [Quantity.activation, .activationGradient].map { RowSeries(run: state.runs[0], quantity: $0, activation: .relu) }
            return render(width: 80, height: 1) {
                RowHeadings(columns: RowColumns(layout), depth: 50, selectedLayer: layer, focused: series)
                    .draw(into: &$0, rect: $0.bounds, glyphs: .unicode, theme: theme)
            }
        }
        UITestSupport.expectSnapshot(headings(50), named: "widget-headings-L50")
        UITestSupport.expectSnapshot(headings(1), named: "widget-headings-L1")
        // 16 columns for 50 layers: L49 and L50 share a column, yet the step shows (the label changes).
        for layer in 2...50 { #expect(headings(layer).lines != headings(layer - 1).lines, "L\(layer - 1) -> L\(layer)") }
        let marker = headings(20)
        let column = layout.activationGroupX + RowHeadings.column(of: 20, layerCount: 50, columns: layout.sparklineWidth)!
        #expect(marker[column, 0]?.character == "▼" && marker[column, 0]?.style.bold == true)
    }

    @Test func aFiveDigitLayerLabelNeverRunsIntoTheNumberHeadings() {
        for width in [80, 100, 200] {
            let layout = ScreenLayout(width: width, height: 24, rowCount: 3, focusedRow: 0)
            for layer in [5000, 9_990, 9_999, 10_000] {
                let canvas = render(width: width, height: 1) {
                    RowHeadings(columns: RowColumns(layout), depth: 10_000, selectedLayer: layer, focused: nil,
                                titles: RowHeadings.blockTitles)
                        .draw(into: &$0, rect: $0.bounds, glyphs: .unicode, theme: theme)
                }
                let line = canvas.lines[0]
                // Each group shows its marker with the whole label beside it, and both number headings after a blank.
                let marked = line.components(separatedBy: "▼L\(layer)").count - 1 + line.components(separatedBy: "L\(layer)▼").count - 1
                #expect(marked == 2, "\(width) L\(layer): \(line)")
                #expect(line.matches(of: /\sL1\s+L10000\s/).count == 2, "\(width) L\(layer): \(line)")
                #expect(!line.contains("0L1") && !line.contains("L1L"), "\(width) L\(layer): \(line)")
            }
        }
    }

    @Test func rowAndMeanFieldLineSnapshots() {
        let state = UITestSupport.completedReluState(width: 80, height: 24)
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let rows = render(width: 80, height: 4) { canvas in
            for row in 0..<3 {
                let series = [Quantity.activation, .activationGradient].map { RowSeries(run: state.runs[row], quantity: $0, activation: .relu) }
                InitializerRow(columns: RowColumns(layout), name: state.scenario.initializers[row].name, index: row, focused: row == 0,
                               series: series, scales: rowScales(state, row: row), selectedLayer: 20)
                    .draw(into: &canvas, rect: Rect(x: 0, y: row, width: 80, height: 1), glyphs: .ascii, theme: theme)
            }
            MeanFieldRow(columns: RowColumns(layout), run: state.runs[1], name: "he", activation: .relu, width: 512,
                         scales: rowScales(state, row: 1), selectedLayer: 20)
                .draw(into: &canvas, rect: Rect(x: 0, y: 3, width: 80, height: 1), glyphs: .ascii, theme: theme)
        }
        UITestSupport.expectSnapshot(rows, named: "widget-rows-ascii")
        // he is marginal: its mean-field line states the finite-width band instead of "off .. dec".
        #expect(rows.lines[3].contains("band x0."))
    }

    @Test func meanFieldLineSaysWaitingBeforeTheFirstLayer() {
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let line = render(width: 80, height: 1) {
            MeanFieldRow(columns: RowColumns(layout), run: RunData(depth: 50), name: "he", activation: .relu, width: 512,
                         scales: [], selectedLayer: 50).draw(into: &$0, rect: $0.bounds, glyphs: .unicode, theme: theme)
        }
        #expect(line.lines[0].contains("waiting for layer 1") && !line.lines[0].contains("no prediction"))
    }

    @Test func legendFitsByShorterWordsAndShowsEveryStateGlyph() {
        let legend = Legend(scaleText: "log10 1e-16..1e+00", states: Legend.states(for: .tanh), note: "g: linear")
        for (width, name) in [(100, "widget-legend-100"), (80, "widget-legend-80"), (60, "widget-legend-60")] {
            let canvas = render(width: width, height: 1) { legend.draw(into: &$0, rect: $0.bounds, glyphs: .unicode, theme: theme) }
            UITestSupport.expectSnapshot(canvas, named: name)
        }
        let ascii = render(width: 80, height: 1) {
            Legend(scaleText: nil, states: Legend.states(for: .relu), note: "g: linear")
                .draw(into: &$0, rect: $0.bounds, glyphs: .ascii, theme: theme.resolved(for: .monochrome))
        }
        #expect(ascii.lines[0].contains("#healthy vvanishing ^exploding odead !non-finite"))
        #expect(Legend.states(for: .tanh).contains(.saturated) && !Legend.states(for: .tanh).contains(.dead))
    }

    /// Every label the screen draws has a glossary entry, and every state has its glyph and word there.
    @Test func glossaryExplainsEveryLabelAndColour() {
        let terms = HelpGlossary.entries().map(\.term)
        for label in ["act variance", "grad variance", "mean-field", "off 0.06 dec", "finite-width band", "q meas", "q MF", "var",
                      "LSUV it", "satur.", "non-fin", "log10|x| by layer", "chi1"] {
            #expect(terms.contains { $0.contains(label) }, "no glossary entry for \(label)")
        }
        for state in Health.allCases {
            #expect(terms.contains(String(GlyphSet.unicode.stateGlyph(state)) + " " + state.word), "\(state)")
        }
        #expect(HelpGlossary.entries(glyphs: .ascii).allSatisfy { ($0.term + $0.meaning).allSatisfy(\.isASCII) })
        // One line each at 80 columns, terms within the overlay's 18-column term column.
        for entry in HelpGlossary.entries() {
            #expect(entry.meaning.count <= HelpGlossary.meaningWidth, "\(entry.term): \(entry.meaning.count)")
            #expect(entry.term.count <= 18, "\(entry.term)")
        }
        // The colours come first, so they show even when the help box is short.
        let first: [Health] = [.healthy, .vanishing, .exploding, .saturated, .dead, .nonFinite, .pending]
        #expect(HelpGlossary.entries().prefix(7).map(\.term) == first.map { String(GlyphSet.unicode.stateGlyph($0)) + " " + $0.word })
    }
}

/// The linear histograms' fixed axis: the activation's own range where it has one, else set per scenario.
@Suite struct HistogramAxisTests {
    func stats(min: Double, max: Double) -> SummaryStats {
        SummaryStats(count: 10, mean: 0, variance: 1, secondMoment: 1, min: min, max: max, saturatedFraction: 0,
                     zeroFraction: 0, nonFiniteCount: 0)
    }

    @Test func boundedActivationsKeepTheirRangeOthersRoundUp() {
        #expect(HistogramAxis.fixed(activation: .tanh, quantity: .activation, reference: nil) == -1...1)
        #expect(HistogramAxis.fixed(activation: .sigmoid, quantity: .activation, reference: nil) == 0...1)
        #expect(HistogramAxis.fixed(activation: .relu, quantity: .activation, reference: stats(min: 0, max: 4.2)) == 0...5)
        #expect(HistogramAxis.fixed(activation: .tanh, quantity: .activationGradient, reference: stats(min: -0.3, max: 0.11)) == -0.5...0.5)
        #expect(HistogramAxis.fixed(activation: .relu, quantity: .activation, reference: nil) == nil)
        #expect([0.7, 1, 1.01, 2.5, 7, 1e-33].map(HistogramAxis.niceCeiling) == [1, 1, 2, 5, 10, 1e-33])
    }

    /// Values of size 1e-32 land in the middle bin of a fixed [-1, 1] axis: a spike, not a bell curve.
    @Test func rebinningKeepsEveryCountAndShowsTinyValuesAsASpike() {
        let tiny = Histogram(scale: .linear, lower: -3e-16, upper: 3e-16, binCounts: [1, 5, 20, 5, 1], nonFinite: 2)
        let shown = HistogramAxis.rebinned(tiny, onto: -1...1, bins: 8)
        #expect(shown.binCounts[3] + shown.binCounts[4] == 32)   // the two bins either side of 0
        #expect(shown.binCounts.enumerated().allSatisfy { [3, 4].contains($0.offset) || $0.element == 0 })
        #expect(shown.nonFinite == 2 && shown.lower == -1 && shown.upper == 1)
        let wide = Histogram(scale: .linear, lower: -4, upper: 4, binCounts: [1, 2, 3, 4])
        let clipped = HistogramAxis.rebinned(wide, onto: -1...1, bins: 4)
        #expect(clipped.underflow == 1 && clipped.overflow == 4 && clipped.binCounts.reduce(0, +) == 5)
    }
}
