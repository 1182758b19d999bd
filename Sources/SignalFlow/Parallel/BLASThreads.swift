// OpenBLAS's own thread pool, switched off: the engine splits products over its own threads (GEMM.swift).
// A pthreads build of OpenBLAS starts its workers when the library loads, and each worker spins (sched_yield)
// for about 2^28 cycles, some 0.1 s, before it sleeps: a whole core lost at start-up on a 2-core machine.
#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS

/// Control of OpenBLAS's internal threads.
enum BLASThreads {
    /// Makes OpenBLAS single-threaded and ends its idle worker threads (pthreads builds export
    /// `blas_thread_shutdown_`; other builds have no pool and are only set to one thread). Idempotent.
    static func useCallingThreadOnly() {
        openblas_set_num_threads(1)
        #if canImport(Glibc)
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
        #endif
    }
}
