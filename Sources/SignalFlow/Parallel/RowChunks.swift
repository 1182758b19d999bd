// Row-wise and element-wise passes split over the engine's threads in fixed chunks of whole rows: the split depends
// on the shape alone and every row is computed as on one thread, so the results are the same bits for any thread
// count. Inside another parallel job the chunks run on the calling thread (the pool runs one job at a time).
// Legend: R = rows, C = columns; a chunk holds about `elementsPerChunk` elements.

/// Fixed chunks of rows run on the engine's threads.
enum RowChunks {
    /// Elements per chunk (256 KiB of Float): a tensor below this runs on the calling thread. Measured on a loaded
    /// machine, 2^14 (four hand-offs per R x d tensor of a training step, R = 256, d = 256) made a transformer step
    /// 7% slower than one thread: a helper that loses its core holds up the whole pass.
    static let elementsPerChunk = 1 << 16

    /// Runs `body` on consecutive row ranges covering 0..<rows, in parallel when there is more than one.
    static func forEach(rows: Int, cols: Int, _ body: (Range<Int>) -> Void) {
        guard rows > 0 else { return }
        let perChunk = Swift.max(1, elementsPerChunk / Swift.max(cols, 1))
        let chunks = (rows + perChunk - 1) / perChunk
        Parallelism.run(chunks) { chunk in body(chunk * perChunk ..< Swift.min(rows, (chunk + 1) * perChunk)) }
    }

    /// Runs `body` on consecutive index ranges covering 0..<count (element-wise passes).
    static func forEach(count: Int, _ body: (Range<Int>) -> Void) { forEach(rows: count, cols: 1, body) }
}
