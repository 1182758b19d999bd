// A Screen that draws into memory: the canvas it shows, every frame drawn, and a count of the cells that a real
// terminal would have been sent. Input is scripted. For tests and snapshots; no terminal involved.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An in-memory screen with scripted input (use from one thread).
public final class MemoryScreen: Screen {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// What this screen claims to support.
    public let capabilities: TerminalCapabilities
    /// The canvas as currently shown (blank until the first draw).
    public private(set) var shown: Canvas
    /// Every canvas passed to `draw`, oldest first.
    public private(set) var frames: [Canvas] = []
    /// Cells rewritten by each draw (the erase-free diff against the previous frame).
    public private(set) var cellsWrittenByFrame: [Int] = []
    /// Scripted inputs returned by `nextInput`, first first; when empty, `nextInput` returns `.timeout`
    /// (or `.endOfInput` when `endWhenScriptRunsOut`).
    public var script: [ScreenInput]
    /// When true, running out of script reads as end of input, so a run loop under test terminates.
    public var endWhenScriptRunsOut: Bool
    /// Timeouts asked for by each `nextInput` call (nil = block), for tests of the run loop's pacing.
    public private(set) var requestedTimeouts: [Int?] = []
    /// When true, a scripted `.timeout` really waits the requested time (for tests of pacing by the clock).
    public var honoursTimeouts = false
    /// How many times `repaint()` was asked for.
    public private(set) var repaints = 0
    /// True once `restore()` was called.
    public private(set) var restored = false
    private var pendingWakes = 0
    private var lastDrawn: Canvas?

    /// Creates a blank screen of the given size with a script of inputs.
    public init(width: Int, height: Int, capabilities: TerminalCapabilities = .init(colorDepth: .truecolor, unicode: true),
                script: [ScreenInput] = [], endWhenScriptRunsOut: Bool = true) {
        self.width = width; self.height = height; self.capabilities = capabilities
        self.script = script; self.endWhenScriptRunsOut = endWhenScriptRunsOut
        shown = Canvas(width: width, height: height)
    }

    /// Shows `canvas` (it must match the screen size to be shown whole; larger canvases are clipped).
    public func draw(_ canvas: Canvas) {
        cellsWrittenByFrame.append(canvas.changedCellCount(since: lastDrawn))
        frames.append(canvas)
        var next = Canvas(width: width, height: height)
        for y in 0..<min(height, canvas.height) {
            for x in 0..<min(width, canvas.width) { next.set(x: x, y: y, canvas[x, y]!) }
        }
        shown = next
        lastDrawn = canvas
    }

    /// Returns the next scripted input; a `.resize` also changes the screen's size.
    public func nextInput(timeoutMilliseconds: Int?) -> ScreenInput {
        requestedTimeouts.append(timeoutMilliseconds)
        if pendingWakes > 0 { pendingWakes -= 1; return .wake }
        guard !script.isEmpty else { return endWhenScriptRunsOut ? .endOfInput("script ended") : .timeout }
        let input = script.removeFirst()
        if input == .timeout, honoursTimeouts, let milliseconds = timeoutMilliseconds, milliseconds > 0 {
            usleep(UInt32(min(milliseconds, 1000)) * 1000)
        }
        if case .resize(let newWidth, let newHeight) = input {
            width = newWidth; height = newHeight; lastDrawn = nil
            shown = Canvas(width: width, height: height)
        }
        return input
    }

    /// Forgets what is shown, so the next draw rewrites every cell (counted in `repaints`).
    public func repaint() { repaints += 1; lastDrawn = nil }

    /// Queues a `.wake` for the next `nextInput`.
    public func wake() { pendingWakes += 1 }

    /// Marks the screen restored.
    public func restore() { restored = true }

    /// The rows of the shown canvas as text (trailing spaces kept).
    public var lines: [String] { shown.lines }
}
