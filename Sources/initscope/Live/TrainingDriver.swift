// Training for the live view on the engine worker: every row of the scenario trains at once, each on a thread of
// its own (the curves grow side by side; a row's numbers do not depend on the threads), posting each step, a
// snapshot of its network every few steps and its divergence; or the learning-rate sweep, its (row, rate) runs
// spread over the cores. Both stop within one step when their job is cancelled; training holds between steps
// while paused.
import Foundation
import ScopeUI
import SignalFlow
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes the worker's training jobs and holds their pause switch.
final class TrainingDriver: Sendable {
    private let paused = Atomic<Bool>(false)

    /// A driver, not paused.
    init() {}

    /// Holds (true) or resumes (false) the training job in progress between two steps.
    func setPaused(_ value: Bool) { paused.store(value, ordering: .relaxed) }

    /// True while held.
    var isPaused: Bool { paused.load(ordering: .relaxed) }

    /// The job training every row of `scenario` with `configuration`: `.floor` first, then per row `.step` after each step,
    /// `.snapshot` (measured with `plan`) every `LiveTraining.snapshotEvery` steps and at the end, `.diverged`.
    /// Resumes a paused driver.
    func trainingWork(_ scenario: Scenario, _ configuration: TrainingConfiguration, plan: MeasurementPlan,
                      generation: Int) -> CustomWork {
        setPaused(false)
        return { [self] token, post in
            var single = configuration
            single.threads = 1   // one thread per row; the rows share the cores
            let trainers: [Trainer]
            do { trainers = try scenario.initializers.indices.map { try Trainer(scenario: Self.rowScenario(scenario, row: $0), configuration: single) } }
            catch {
                post(.engineFailed(message: "\(error)", generation: generation)); return
            }
            // The floor (the bigram language's entropy: O(T V^2)) is computed here, off the run loop's thread.
            post(.training(.floor(trainers.first?.floor), generation: generation))
            let control = TrainingControl(cancellation: token, isPaused: { [self] in self.isPaused })
            TrainingDriver.runOnThreads(scenario.initializers.count) { row in
                let report = trainers[row].train(
                    scenario.initializers[row], control: control, snapshotEvery: LiveTraining.snapshotEvery, plan: plan,
                    onStep: { post(.training(.step(row: row, step: $0.step, loss: $0.loss, heldOutLoss: $0.heldOutLoss),
                                                     generation: generation)) },
                    onSnapshot: { post(.training(.snapshot(row: row, step: $0.step, layers: $0.layers), generation: generation)) })
                if let step = report.divergedAtStep { post(.training(.diverged(row: row, step: step), generation: generation)) }
            }
        }
    }

    /// The job training every row at every rate (rate by rate, so the map fills column by column), `threads`
    /// runs at a time; `.sweep` after each run.
    func sweepWork(_ scenario: Scenario, _ configuration: TrainingConfiguration, rates: [Double], generation: Int,
                   threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> CustomWork {
        { token, post in
            let rows = scenario.initializers.count, total = rows * rates.count
            let next = Atomic<Int>(0)
            let control = TrainingControl(cancellation: token)
            TrainingDriver.runOnThreads(max(1, min(threads, total))) { _ in
                while !token.isCancelled {
                    let pair = next.add(1, ordering: .relaxed).oldValue
                    guard pair < total else { return }
                    let rateIndex = pair / rows, row = pair % rows
                    var single = configuration
                    single.learningRate = rates[rateIndex]
                    single.threads = 1
                    guard let trainer = try? Trainer(scenario: Self.rowScenario(scenario, row: row), configuration: single) else { continue }
                    let named = scenario.initializers[row]
                    let run = trainer.train(named, control: control)
                    guard !token.isCancelled else { return }
                    let result = SweepResult(named: named.name, learningRate: rates[rateIndex],
                                             finalLoss: Trainer.finalLoss(of: run), divergedAt: run.divergedAtStep)
                    post(.training(.sweep(row: row, rateIndex: rateIndex, result: result), generation: generation))
                }
            }
        }
    }

    /// The network row `row` trains: the scenario's, with BatchNorm for a resnet's "he+bn" row (as its step-0
    /// picture), its initializer alone.
    static func rowScenario(_ scenario: Scenario, row: Int) -> Scenario {
        var single = scenario
        let named = scenario.initializers[row]
        single.architecture = ArchitectureRows.architecture(of: named, in: scenario.architecture)
        single.initializers = [named]
        return single
    }

    /// Runs body(0) ... body(count - 1) each on a thread of its own (8 MiB stacks, nice + `niceness` so the run
    /// loop's thread wins the cores when a key arrives); returns when all are done.
    static func runOnThreads(_ count: Int, niceness: Int32 = 5, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                // Linux keeps a nice value per thread: PRIO_PROCESS with id 0 sets the calling thread's alone.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
                body(index)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
    }
}
