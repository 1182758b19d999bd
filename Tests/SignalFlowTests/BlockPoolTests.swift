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
    let threads = Mutex<Set<UInt>>([])
    var random = RandomSource(seed: 1, stream: 1)
    for job in 0..<3000 {
        let count = 1 + Int(random.next() % 9)
        let tally = Tally(count)
        // Some jobs leave a pause so the helpers park in between.
        if job % 500 == 0 { usleep(2000) }
        pool.run(count: count, threads: 1 + job % 4) { block in
            tally.add(block)
            let me = UInt(pthread_self())
            threads.withLock { _ = $0.insert(me) }
        }
        let values = tally.values()
        if values != Array(repeating: 1, count: count) {
            Issue.record("job \(job): counts \(values)"); return
        }
    }
    // The helpers did take part (the blocks are tiny, so the caller often claims them all first).
    #expect(threads.withLock { $0.count } > 1)
}

@Test func twoCallersAtOnceBothFinish() {
    let pool = BlockPool(helperCount: 1)
    let tallies = (0..<2).map { _ in Tally(8) }
    DispatchQueue.concurrentPerform(iterations: 2) { caller in
        for _ in 0..<500 { pool.run(count: 8, threads: 2) { tallies[caller].add($0) } }
    }
    #expect(tallies.allSatisfy { $0.values() == Array(repeating: 500, count: 8) })
}
