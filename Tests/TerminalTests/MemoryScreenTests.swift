// MemoryScreen: shows canvases, counts rewritten cells, plays a script of inputs, follows resizes.
import Testing
@testable import Terminal

@Suite struct MemoryScreenTests {
    @Test func drawsAndCountsOnlyChangedCells() {
        let screen = MemoryScreen(width: 10, height: 2)
        var canvas = Canvas(width: 10, height: 2)
        canvas.write("abc", x: 0, y: 0)
        screen.draw(canvas)
        canvas.write("x", x: 1, y: 1)
        screen.draw(canvas)
        screen.draw(canvas)
        #expect(screen.cellsWrittenByFrame == [20, 1, 0])
        #expect(screen.lines == ["abc       ", " x        "])
        #expect(screen.frames.count == 3)
    }

    @Test func scriptResizeWakeAndEnd() {
        let screen = MemoryScreen(width: 10, height: 2, script: [.key(.character("q")), .resize(width: 4, height: 3)])
        screen.wake()
        #expect(screen.nextInput(timeoutMilliseconds: 5) == .wake)
        #expect(screen.nextInput(timeoutMilliseconds: nil) == .key(.character("q")))
        #expect(screen.nextInput(timeoutMilliseconds: 0) == .resize(width: 4, height: 3))
        #expect(screen.width == 4 && screen.height == 3)
        if case .endOfInput = screen.nextInput(timeoutMilliseconds: nil) {} else { Issue.record("expected end of input") }
        #expect(screen.requestedTimeouts == [5, nil, 0, nil])
        screen.draw(Canvas(width: 6, height: 1, fill: Cell("z")))  // clipped to 4 x 3
        #expect(screen.lines == ["zzzz", "    ", "    "])
        screen.restore()
        #expect(screen.restored)
    }
}
