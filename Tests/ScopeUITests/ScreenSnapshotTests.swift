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

    @Test(arguments: [(0, 0), (1, 1), (2, 40), (59, 18), (60, 17), (60, 18), (79, 23), (81, 25), (119, 40), (120, 40), (500, 200)])
    func anySizeRendersWithoutTrap(size: (Int, Int)) {
        var state = UITestSupport.completedReluState(width: size.0, height: size.1)
        let canvas = view(state)
        #expect(canvas.width == size.0 && canvas.height == size.1)
        _ = update(&state, .key(.character("?")))
        #expect(view(state).cells.count == size.0 * size.1)
    }
}
