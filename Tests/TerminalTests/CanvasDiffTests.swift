// Erase-free diffing: only changed cells are rewritten, grouped into runs.
import Testing
@testable import Terminal

@Suite struct CanvasDiffTests {
    @Test func firstFrameOrNewSizeRewritesEveryRow() {
        let canvas = Canvas(width: 5, height: 3)
        #expect(canvas.changedRuns(since: nil) == (0..<3).map { CellRun(y: $0, x: 0, count: 5) })
        #expect(canvas.changedRuns(since: Canvas(width: 4, height: 3)).count == 3)
        #expect(canvas.changedCellCount(since: nil) == 15)
    }

    @Test func identicalCanvasesProduceNoRuns() {
        var canvas = Canvas(width: 10, height: 4)
        canvas.write("hello", x: 2, y: 1)
        #expect(canvas.changedRuns(since: canvas).isEmpty)
        #expect(canvas.changedCellCount(since: canvas) == 0)
    }

    @Test func changedCellsAndStyleChangesAreFoundAndNearbyRunsMerged() {
        let before = Canvas(width: 20, height: 2)
        var after = before
        after.set(x: 1, y: 0, Cell("a"))
        after.set(x: 3, y: 0, Cell("b"))              // gap of 1: merged with x = 1
        after.set(x: 15, y: 0, Cell("c"))             // gap of 11: separate run
        after.set(x: 7, y: 1, Cell(" ", style: Style(reverse: true)))  // same character, new style
        #expect(after.changedRuns(since: before) == [CellRun(y: 0, x: 1, count: 3), CellRun(y: 0, x: 15, count: 1),
                                                    CellRun(y: 1, x: 7, count: 1)])
        #expect(after.changedRuns(since: before, mergingGapsUpTo: 0).count == 4)
        #expect(after.changedCellCount(since: before) == 4)
    }
}
