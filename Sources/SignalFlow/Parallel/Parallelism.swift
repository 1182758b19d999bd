// How many threads the engine's parallel passes use (products, statistics), and the one pool that runs them.
// OpenBLAS itself runs single-threaded: its workers spin for about 0.1 s after every call, which on a 2-core
// machine steals the core the statistics need. One pool of our own for every short parallel pass means the
// thread that spins between products is the thread that does the statistics.
// Legend: P = threadCount.
import Foundation
import Synchronization

/// Thread count and pool of the engine's parallel passes.
public enum Parallelism {
    private static let configuredThreads = Atomic<Int>(0)
    /// Helper threads: P - 1 when first used, but never more than the cores (helpers spin between jobs).
    static let pool = BlockPool(helperCount: Swift.min(threadCount, ProcessInfo.processInfo.activeProcessorCount) - 1)

    /// Threads a pass is split over: `setThreadCount`, else `defaultThreadCount`.
    public static var threadCount: Int {
        let configured = configuredThreads.load(ordering: .relaxed)
        if configured > 0 { return configured }
        let threads = defaultThreadCount
        setThreadCount(threads)
        return threads
    }

    /// OPENBLAS_NUM_THREADS when set (1...64), else the active cores (at most 64).
    public static var defaultThreadCount: Int {
        let environment = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }
        return Swift.max(1, Swift.min(environment ?? ProcessInfo.processInfo.activeProcessorCount, 64))
    }

    /// Sets the number of threads passes are split over and makes OpenBLAS single-threaded. Call it before
    /// any BLAS or LAPACK work (a threaded OpenBLAS call leaves its workers spinning) and before the first
    /// pass (the pool is sized then).
    public static func setThreadCount(_ threads: Int) {
        BLASThreads.useCallingThreadOnly()
        configuredThreads.store(Swift.max(threads, 1), ordering: .relaxed)
    }

    /// Runs body(0) ... body(count - 1), each once, on up to `threads` (default P) threads; returns when done.
    /// Results must not depend on which thread runs a block.
    static func run(_ count: Int, threads: Int? = nil, _ body: (Int) -> Void) {
        let workers = Swift.min(threads ?? threadCount, count)
        guard workers > 1 else {
            for block in 0..<count { body(block) }
            return
        }
        withoutActuallyEscaping(body) { escaping in pool.run(count: count, threads: workers, escaping) }
    }
}
