// Helper threads for the blocks of one product at a time. Products come back to back (a few per layer, tens of
// microseconds apart when the layers are small), and waking a parked thread costs about as much as a small
// block: so a helper spins for a short while after each job before it parks. OpenBLAS's own workers spin for
// about 0.1 s, which starves the statistics pass; these spin at most `spinMicroseconds` and idle at 0% CPU.
// Waiting spins on the CPU's pause hint, not sched_yield: on a loaded machine a yield hands the core to another
// process for a whole time slice (milliseconds), so a yielding helper missed nearly every product and the
// engine ran on one thread (measured: the helper ran 0.6% of the sgemm time of a transformer training step).
// Legend: J = blocks of the current job; H = helper threads (cores - 1).
#if canImport(Glibc)
import Glibc
#endif
import COpenBLAS
import Synchronization

/// Runs `count` independent blocks on the calling thread plus up to `helperCount` helper threads.
/// @unchecked: raw helper threads share the heap pthread mutex/condition (pointers are not Sendable) and each
/// job by an unretained pointer in `current`, kept alive by `inFlight`: hand-offs the compiler cannot follow.
final class BlockPool: @unchecked Sendable {
    /// One product's blocks: claimed one at a time by whoever is free, counted when done.
    /// @unchecked: `body` is not @Sendable (callers capture raw buffers); helpers run it only while `run`
    /// blocks the caller until every block is done.
    private final class Job: @unchecked Sendable {
        let count: Int
        let body: (Int) -> Void
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        /// Helpers still allowed to join (the caller asked for fewer threads than the pool has).
        let helperSlots: Atomic<Int>

        init(count: Int, helpers: Int, body: @escaping (Int) -> Void) {
            self.count = count; self.body = body; helperSlots = Atomic(helpers)
        }

        /// Claims and runs blocks until every block is claimed.
        func work() {
            while true {
                let block = next.wrappingAdd(1, ordering: .sequentiallyConsistent).oldValue
                guard block < count else { return }
                body(block)
                finished.wrappingAdd(1, ordering: .sequentiallyConsistent)
            }
        }
    }

    /// How long a helper keeps looking for the next job before it parks.
    static let spinMicroseconds = 300

    /// Number of helper threads.
    let helperCount: Int
    /// Bits of the current job's unretained pointer, 0 when there is none.
    private let current = Atomic<UInt>(0)
    /// Bumped once per job: helpers watch it.
    private let epoch = Atomic<Int>(0)
    /// Helpers between "saw a new epoch" and "done with the job it pointed to".
    private let inFlight = Atomic<Int>(0)
    /// Helpers parked on `condition`.
    private let parked = Atomic<Int>(0)
    /// One job at a time; a second caller meanwhile runs its blocks alone.
    private let busy = Atomic<Bool>(false)
    /// Guard and signal of parked helpers (heap-allocated: pthread objects must not move). The pool lives as
    /// long as the process, as do its helpers, so they are never freed.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// A pool of `helperCount` helper threads, started at once and parked until the first job.
    init(helperCount: Int) {
        self.helperCount = Swift.max(0, helperCount)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<self.helperCount { startHelper() }
    }

    /// Runs body(0) ... body(count - 1), each exactly once, on this thread and up to `threads - 1` helpers;
    /// returns when all are done.
    func run(count: Int, threads: Int, _ body: @escaping (Int) -> Void) {
        let helpers = Swift.min(helperCount, threads - 1, count - 1)
        guard helpers > 0, busy.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else {
            for block in 0..<count { body(block) }
            return
        }
        let job = Unmanaged.passRetained(Job(count: count, helpers: helpers, body: body))
        current.store(UInt(bitPattern: job.toOpaque()), ordering: .sequentiallyConsistent)
        epoch.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if parked.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex); pthread_cond_broadcast(condition); pthread_mutex_unlock(mutex)
        }
        let work = job.takeUnretainedValue()
        work.work()
        // The last blocks are running on helpers: they take about as long as one block.
        Self.wait { work.finished.load(ordering: .sequentiallyConsistent) >= count }
        current.store(0, ordering: .sequentiallyConsistent)
        // A helper may still hold the pointer (it claims nothing more, but must not see it freed).
        Self.wait { inFlight.load(ordering: .sequentiallyConsistent) == 0 }
        job.release()
        busy.store(false, ordering: .sequentiallyConsistent)
    }

    private func startHelper() {
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { argument in
            Unmanaged<BlockPool>.fromOpaque(argument!).takeRetainedValue().helperLoop()
            return nil
        }, box.toOpaque())
        if created == 0 { pthread_detach(handle) } else { box.release() }
    }

    /// Waits for each new epoch (spinning briefly, then parked) and helps with its job. Runs forever.
    private func helperLoop() {
        var seen = 0   // the epoch before any job: a helper that starts late still joins the first job
        while true {
            var now = epoch.load(ordering: .sequentiallyConsistent)
            if now == seen {
                let deadline = Self.microseconds() + Self.spinMicroseconds
                while now == seen && Self.microseconds() < deadline {
                    for _ in 0..<Self.pausesPerCheck { initscope_spin_pause() }
                    now = epoch.load(ordering: .sequentiallyConsistent)
                }
                if now == seen {
                    pthread_mutex_lock(mutex)
                    parked.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while epoch.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(condition, mutex) }
                    parked.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    now = epoch.load(ordering: .sequentiallyConsistent)
                }
            }
            seen = now
            inFlight.wrappingAdd(1, ordering: .sequentiallyConsistent)
            let bits = current.load(ordering: .sequentiallyConsistent)
            if bits != 0, let pointer = UnsafeRawPointer(bitPattern: bits) {
                let job = Unmanaged<Job>.fromOpaque(pointer).takeUnretainedValue()
                if job.helperSlots.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue >= 0 { job.work() }
            }
            inFlight.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Pause hints between two looks at a shared counter (about 1 microsecond on current x86 cores).
    static let pausesPerCheck = 8

    /// Returns once `done()` holds: spinning on the pause hint for up to `spinMicroseconds`, then yielding (the
    /// thread being waited for may have lost its core).
    private static func wait(until done: () -> Bool) {
        let deadline = microseconds() + spinMicroseconds
        while !done() {
            if microseconds() < deadline { for _ in 0..<pausesPerCheck { initscope_spin_pause() } } else { sched_yield() }
        }
    }

    /// Monotonic clock in microseconds.
    private static func microseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1000
    }
}
