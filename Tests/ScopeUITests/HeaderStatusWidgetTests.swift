// The header and status-line widgets drawn alone into a rectangle (snapshots beside the other widgets'), the key
// table they and the help are derived from, and the per-row / shared sparkline scales.
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct HeaderStatusWidgetTests {
    func line(width: Int, _ draw: (inout Canvas, Rect) -> Void) -> Canvas {
        var canvas = Canvas(width: width, height: 1)
        draw(&canvas, Rect(x: 0, y: 0, width: width, height: 1))
        return canvas
    }

    @Test func headerSaysProgressAndTimeLeftApartFromTheSelectedLayer() {
        let fields = ["tanh", "L=200", "n=2048", "B=256", "seed=7"]
        let computing = HeaderBar(fields: fields, phase: .computing(fraction: 0.456, secondsLeft: 71.2), selectedLayer: 200, depth: 200)
        var canvases = [100, 80].map { width in line(width: width) { computing.draw(into: &$0, rect: $1, theme: .builtInDefault) } }
        let done = HeaderBar(fields: ["relu", "L=50", "n=512", "B=256", "seed=1"], phase: .done, selectedLayer: 12, depth: 50)
        canvases.append(line(width: 100) { done.draw(into: &$0, rect: $1, theme: .builtInDefault) })
        var all = Canvas(width: 100, height: 3)
        for (row, canvas) in canvases.enumerated() { all.write(canvas.lines[0], x: 0, y: row) }
        UITestSupport.expectSnapshot(all, named: "header-bar")
        #expect(canvases[0].lines[0].hasSuffix("sel L200/200  |  computing 45% ~72 s left"))
        // Narrow: the selection goes first, the scenario is cut, the progress stays whole.
        #expect(canvases[1].lines[0].hasSuffix("computing 45% ~72 s left") && !canvases[1].lines[0].contains("sel"))
        #expect(RunPhase.computing(fraction: 0.5, secondsLeft: 600).text == "computing 50% ~10 min left")
        #expect(RunPhase.computing(fraction: 1.2, secondsLeft: nil).text == "computing 100%")
    }

    @Test func statusLineKeepsTheEssentialHintsAfterALongMessage() {
        let hints = KeyMap.hints(glyphs: .ascii)
        #expect(Array(hints.prefix(3)) == ["?:help", "q:quit", "x h l o n N d:init"])
        let plain = StatusBar(message: "", hints: hints)
        let message = StatusBar(message: "added normal:0.01", hints: hints)
        let long = StatusBar(message: String(repeating: "engine failed: far too long ", count: 4), hints: hints)
        var all = Canvas(width: 80, height: 3)
        for (row, bar) in [plain, message, long].enumerated() {
            all.write(line(width: 80) { bar.draw(into: &$0, rect: $1, theme: .builtInDefault) }.lines[0], x: 0, y: row)
        }
        UITestSupport.expectSnapshot(all, named: "status-bar")
        #expect(all.lines[2].hasSuffix(" | ?:help q:quit"))
        // A cut message says so (64 cells are left for it beside " | ?:help q:quit" at 80 columns): a cut text must
        // not pass for a whole one; a message that fits exactly is whole.
        #expect(all.lines[2].hasPrefix(String(long.message.prefix(63)) + "… | "))
        let ascii = StatusBar(message: long.message, hints: hints, ellipsis: GlyphSet.ascii.ellipsis)
        #expect(line(width: 80) { ascii.draw(into: &$0, rect: $1, theme: .builtInDefault) }.lines[0]
            .hasPrefix(String(long.message.prefix(61)) + "... | ?:help q:quit"))
        let exact = StatusBar(message: String(repeating: "x", count: 64), hints: hints)
        #expect(line(width: 80) { exact.draw(into: &$0, rect: $1, theme: .builtInDefault) }.lines[0]
            == String(repeating: "x", count: 64) + " | ?:help q:quit")
        #expect(plain.fittingHints(width: 80).count > message.fittingHints(width: 80).count)
    }

    /// At 80 columns the essential hints always show (help, quit, initializers, activation, layer, focus, depth);
    /// the room after them goes to keys not used yet, so using keys brings every other hint into view.
    @Test func essentialHintsAlwaysShowAndTheOthersComeByUse() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        let essential = ["?:help", "q:quit", "x h l o n N d:init", "a:act", "←→:layer", "↑↓:focus", "+-:depth"]
        let all = Set(KeyMap.hints(glyphs: .unicode))
        var seen: Set<String> = []
        for _ in 0..<all.count {
            let status = view(state).lines[23]
            #expect(status.hasPrefix(essential.joined(separator: " ")), "\(status)")
            let shown = all.filter { status.contains($0) }
            seen.formUnion(shown)
            if seen == all { break }
            // Use every key of the hints shown after the essential ones.
            for hint in shown where !essential.contains(hint) {
                state.usedKeyLines.insert(KeyMap.table(glyphs: .unicode).firstIndex { $0.hint == hint }!)
            }
        }
        #expect(seen == all)
        // A key used moves its hint back; keys without a hint (Ctrl-L) change nothing.
        var fresh = UITestSupport.completedReluState(width: 80, height: 24)
        let before = view(fresh).lines[23]
        #expect(before.contains("D:drop"))
        _ = update(&fresh, .key(.character("g"))); _ = update(&fresh, .key(.character("g")))
        _ = update(&fresh, .key(.control("l")))
        #expect(fresh.usedKeyLines == [KeyMap.hintedLineIndex(of: .character("g"))!])
        _ = update(&fresh, .key(.character("D")))
        fresh.setStatus("")
        #expect(!view(fresh).lines[23].contains("D:drop") && view(fresh).lines[23].contains("R:reset"))
    }

    @Test func keyMapHelpAndHintsComeFromOneTable() {
        let table = KeyMap.table(glyphs: .ascii)
        for line in table {
            for binding in line.bindings { #expect(KeyMap.command(for: binding.key) == binding.command) }
        }
        // Every hint belongs to a line of the help; keys never bound twice.
        let keys = table.flatMap { $0.bindings.map(\.key) }
        #expect(Set(keys).count == keys.count)
        #expect(KeyMap.hints(glyphs: .ascii).count == table.filter { $0.hint != nil }.count)
        #expect(KeyMap.command(for: .enter) == .skipAnimation && KeyMap.command(for: .character("D")) == .removeRow)
        #expect(KeyMap.command(for: .character("R")) == .resetRows && KeyMap.command(for: .character("S")) == .toggleScale)
        // Esc stops training (and closes the help); it never quits.
        #expect(KeyMap.command(for: .escape) == .stopTraining)
    }

    @Test func eachRowHasItsOwnScaleUnlessShared() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        // He holds var(x) near 0.68 and var(dh) near 0.5 (0.1..1, one decade): its own scale is widened to the
        // minimum four decades around them.
        #expect(sparklineScale(state, row: 1, quantity: .activation) == LogScale(lowerExponent: -3, upperExponent: 1))
        #expect(sparklineScale(state, row: 1, quantity: .activationGradient) == LogScale(lowerExponent: -3, upperExponent: 1))
        // Xavier halves every layer, 0.5^49 ~ 1.8e-15, and its gradients grow as much the other way.
        #expect(sparklineScale(state, row: 0, quantity: .activation) == LogScale(lowerExponent: -16, upperExponent: 0))
        #expect(sparklineScale(state, row: 0, quantity: .activationGradient) == LogScale(lowerExponent: -16, upperExponent: 0))
        // Each row's end says how many decades its sparkline spans.
        let layout = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0)
        let rows = view(state).lines
        #expect(rows[layout.rows[0].y].contains("0.351 6.0e-16 16d ") && rows[layout.rows[0].y].hasSuffix("0.503 16d "))
        #expect(rows[layout.rows[1].y].contains("0.678  4d ") && rows[layout.rows[1].y].hasSuffix("0.503  4d "))
        #expect(rows[layout.headings.y].hasSuffix("L50 dec "))
        _ = update(&state, .key(.character("S")))
        for quantity in [Quantity.activation, .activationGradient] {
            #expect(sparklineScale(state, row: 1, quantity: quantity) == sparklineScale(state, row: 0, quantity: quantity))
        }
        #expect(view(state).lines.contains { $0.contains("log10 shared") })
        #expect(view(state).lines[layout.rows[1].y].hasSuffix("0.503 16d "))
    }

    @Test func helpHasAKeysPageAndAGlossaryPage() {
        var state = UITestSupport.completedReluState(width: 80, height: 24)
        _ = update(&state, .key(.character("?"))); _ = update(&state, .key(.tab))
        // The glossary takes as many pages as the screen needs; every term is on one of them.
        let pages = helpPageCount(state)
        var text = ""
        for _ in 1..<pages { text += view(state).lines.joined(separator: "\n"); _ = update(&state, .key(.tab)) }
        #expect(state.helpPage == 0)
        for entry in HelpGlossary.entries(glyphs: .unicode) {
            #expect(text.contains(String(entry.term.prefix(18))), "glossary misses \(entry.term)")
        }
        #expect(text.contains("page 2/\(pages)") && text.contains("close help and do nothing else"))
    }
}
