// One spare cell buffer for the next canvas of the same size. A 200x60 canvas is 385 KB, which glibc maps and unmaps
// on its own (its mmap threshold is fixed at 128 KiB: FreedMemory.fixThresholds), so every frame's fresh canvas
// cost about 94 page faults and an unmap (perf: the kernel clearing pages led the worst 200x60 frames at L=10,000).
// A screen hands back the canvas it no longer needs (`Canvas.recycle`); the next `Canvas.init` of that size takes it.
// Legend: n = width * height cells.
import Synchronization

/// The spare cell buffer (any thread; one lock per canvas made or recycled).
enum CanvasStorage {
    /// At most one buffer: the screen's previous frame, while it waits for the next one.
    private static let spare = Mutex<[Cell]?>(nil)

    /// The spare buffer when it holds `count` cells (taking it), else nil.
    static func take(count: Int) -> [Cell]? {
        spare.withLock { buffer in
            guard let cells = buffer, cells.count == count else { return nil }
            buffer = nil
            return cells
        }
    }

    /// Keeps `cells` as the spare buffer (replacing any other).
    static func give(_ cells: [Cell]) {
        guard !cells.isEmpty else { return }
        spare.withLock { $0 = cells }
    }
}

extension Canvas {
    /// Gives this canvas's cell buffer to the next canvas of its size (call when nothing reads it any more; a
    /// buffer still shared is copied by whoever writes it first, so nothing is ever wrong, only not saved).
    public consuming func recycle() {
        CanvasStorage.give(cells)
    }
}
