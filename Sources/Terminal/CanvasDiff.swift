// Erase-free diffing: which cells of a canvas differ from the previous one, grouped into horizontal runs so a
// screen moves the cursor once per run. Pure; shared by CursesScreen and MemoryScreen.

/// A horizontal run of changed cells on one row: columns x ..< x + count of row y.
public struct CellRun: Equatable, Sendable {
    /// Row (0 = top).
    public var y: Int
    /// First column.
    public var x: Int
    /// Number of cells.
    public var count: Int

    /// Creates a run.
    public init(y: Int, x: Int, count: Int) { self.y = y; self.x = x; self.count = count }
}

extension Canvas {
    /// The runs of cells where `self` differs from `previous`; every cell when `previous` is nil or of another size.
    /// Runs separated by at most `gap` unchanged cells are merged (rewriting a few equal cells is cheaper than a
    /// cursor move, which costs 6+ bytes).
    public func changedRuns(since previous: Canvas?, mergingGapsUpTo gap: Int = 4) -> [CellRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).compactMap { width > 0 ? CellRun(y: $0, x: 0, count: width) : nil }
        }
        var runs: [CellRun] = []
        for row in 0..<height {
            var column = 0
            var open: CellRun? = nil
            var lastChanged = -1
            let base = row * width
            while column < width {
                if cells[base + column] != previous.cells[base + column] {
                    if var run = open, column - lastChanged - 1 <= gap {
                        run.count = column - run.x + 1
                        open = run
                    } else {
                        if let run = open { runs.append(run) }
                        open = CellRun(y: row, x: column, count: 1)
                    }
                    lastChanged = column
                }
                column += 1
            }
            if let run = open { runs.append(run) }
        }
        return runs
    }

    /// Number of cells covered by `changedRuns(since:)` (for statistics and tests).
    public func changedCellCount(since previous: Canvas?) -> Int {
        changedRuns(since: previous, mergingGapsUpTo: 0).reduce(0) { $0 + $1.count }
    }
}
