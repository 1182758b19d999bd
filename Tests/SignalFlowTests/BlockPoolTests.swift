// BlockPool: every block of every job runs exactly once, whether helpers are spinning, parked or busy, and
// whether one or two threads hand it jobs.
import Dispatch
import Glibc
import Synchronization
import Testing
@testable import SignalFlow

private final class Tally: Sendable {
    let counts: Mutex<[Int]>
    init(_ size: Int) { counts = Mutex(Array(repeating: 0, count: size)) }
    func add(_ index: Int) { counts.withLock { $0[index] += 1 } }
    func values() -> [Int] { counts.withLock { $0 } }
}

@Test func everyBlockRunsExactlyOnce() {
    let pool = BlockPool(helperCount: 3)
    var random = RandomSource(seed: 1, stream: 1)
    for job in 0..<3000 {
        let count = 1 + Int(random.next() % 9)
        let tally = Tally(count)
        // Some jobs leave a pause so the helpers park in between.
        if job % 500 == 0 { usleep(2000) }
        pool.run(count: count, threads: 1 + job % 4) { tally.add($0) }
        let values = tally.values()
        if values != Array(repeating: 1, count: count) {
            Issue.record("job \(job): counts \(values)"); return
        }
    }
}

@Test func blocksRunAtTheSameTime() {
    // Each of two blocks waits (at most 2 s) until both have started: only two threads at once can finish
    // quickly, so this shows a helper took part, even on a loaded machine (a parked helper is woken).
    let pool = BlockPool(helperCount: 1)
    for _ in 0..<20 {
        let started = Mutex(0)
        let overlapped = Mutex(0)
        pool.run(count: 2, threads: 2) { _ in
            started.withLock { $0 += 1 }
            for _ in 0..<2000 {
                if started.withLock({ $0 }) == 2 { overlapped.withLock { $0 += 1 }; return }
                usleep(1000)
            }
        }
        if overlapped.withLock({ $0 }) != 2 { Issue.record("the two blocks never ran at the same time"); return }
        usleep(1000)   // let the helper park now and then
    }
}

@Test func twoCallersAtOnceBothFinish() {
    let pool = BlockPool(helperCount: 1)
    let tallies = (0..<2).map { _ in Tally(8) }
    DispatchQueue.concurrentPerform(iterations: 2) { caller in
        for _ in 0..<500 { pool.run(count: 8, threads: 2) { tallies[caller].add($0) } }
    }
    #expect(tallies.allSatisfy { $0.values() == Array(repeating: 500, count: 8) })
}
