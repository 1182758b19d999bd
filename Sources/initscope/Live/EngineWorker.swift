// One long-lived worker thread that runs simulations off the UI thread. A new job cancels the one in progress
// (its CancellationToken) and replaces any job not yet started, so the user never waits for a stale run.
// Events are posted into a lock-protected mailbox and the UI thread is woken to drain it. The idle worker
// parks on a semaphore (0% CPU); a cancel reaches a running job through its token at once.
import ScopeUI
import SignalFlow
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs the given rows (indices into the scenario's initializers, in that order) of a scenario measuring what the
/// plan asks: calls `onEvent` for each event, whose run index is the row; throws with a one-line message on
/// failure. Returns when finished or when `cancellation` is set.
typealias SimulationFunction = @Sendable (Scenario, MeasurementPlan, [Int], CancellationToken, (PropagationEvent) -> Void) throws -> Void

/// Mean field's prediction of the given rows of a scenario, by row (stops early when cancelled).
typealias PredictionFunction = @Sendable (Scenario, [Int], CancellationToken) -> [Int: RowPrediction]

/// Work run on the worker thread other than a propagation: stops when the token is cancelled, posts actions
/// (dropped once cancelled) through the function it is given.
typealias CustomWork = @Sendable (CancellationToken, @escaping @Sendable (Action) -> Void) -> Void

/// A lock-protected queue of actions, filled by the worker, drained by the UI thread.
final class EngineMailbox: Sendable {
    private let queue = Mutex<[Action]>([])
    /// Creates an empty mailbox.
    init() {}
    /// Appends one event (any thread).
    func post(_ event: Action) { queue.withLock { $0.append(event) } }
    /// Removes and returns every queued event, oldest first.
    func takeAll() -> [Action] { queue.withLock { events in defer { events.removeAll() }; return events } }
}

/// The worker thread and its job slot.
final class EngineWorker: Sendable {
    /// What a job runs: a propagation of rows (`simulate`), or any other work (training) that posts its own actions.
    private enum Work {
        case simulate(Scenario, MeasurementPlan, [Int])
        case custom(CustomWork)
    }
    private struct Job { var work: Work; var generation: Int; var token: CancellationToken }
    private struct Slot { var next: Job?; var currentToken: CancellationToken?; var stopping = false; var threadStarted = false }

    private let slot = Mutex<Slot>(Slot())
    /// Signalled after each change of the slot; the idle worker parks on it (0% CPU). Extra signals only
    /// make the worker look at the slot once more.
    private let slotChanged = DispatchSemaphore(value: 0)
    /// Signalled once when the worker thread has left its loop (and re-signalled by each `stop` that saw it).
    private let threadFinished = DispatchSemaphore(value: 0)
    private let simulate: SimulationFunction
    private let predict: PredictionFunction?
    /// Whether each propagation job first posts an empty run per row (`.freshRuns`).
    private let preparesRuns: Bool
    private let mailbox: EngineMailbox
    private let wake: @Sendable () -> Void

    /// A worker that runs `simulate`, posts into `mailbox` and calls `wake` after each post. With `predict`, each
    /// job first posts the rows' mean-field predictions (`.predictions`); with `preparesRuns`, an empty run per row
    /// (`.freshRuns`); then their numbers.
    init(simulate: @escaping SimulationFunction, predict: PredictionFunction? = nil, preparesRuns: Bool = false,
         mailbox: EngineMailbox, wake: @escaping @Sendable () -> Void) {
        self.simulate = simulate; self.predict = predict; self.preparesRuns = preparesRuns
        self.mailbox = mailbox; self.wake = wake
    }

    /// Cancels the run in progress and queues `rows` of `scenario` with `plan` (replacing a queued job not yet
    /// started); `rows` nil = every row in order.
    func start(_ scenario: Scenario, plan: MeasurementPlan = .everything, rows: [Int]? = nil, generation: Int) {
        enqueue(Job(work: .simulate(scenario, plan, rows ?? Array(scenario.initializers.indices)),
                    generation: generation, token: CancellationToken()))
    }

    /// Cancels the run in progress and queues `work` (replacing a job not yet started): it runs on the worker
    /// thread until done or until its token is cancelled, posting actions through the function it is given;
    /// `.engineFinished(generation)` follows when it returns.
    func start(generation: Int, work: @escaping CustomWork) {
        enqueue(Job(work: .custom(work), generation: generation, token: CancellationToken()))
    }

    private func enqueue(_ job: Job) {
        let needsThread = slot.withLock { state in
            state.currentToken?.cancel()
            state.next = job
            state.currentToken = job.token
            defer { state.threadStarted = true }
            return !state.threadStarted
        }
        if needsThread { startThread() }
        slotChanged.signal()
    }

    /// Cancels the run in progress and any queued job.
    func cancel() {
        slot.withLock { state in state.currentToken?.cancel(); state.next = nil }
    }

    /// Cancels everything and waits up to `timeoutMilliseconds` for the thread to leave the engine (runs stop at
    /// the next layer boundary). Returns false when it is still running: the caller must then end the process
    /// with `_exit`, since exit handlers (OpenBLAS teardown) would pull buffers from under the running layer.
    @discardableResult
    func stop(timeoutMilliseconds: Int = 2000) -> Bool {
        let started = slot.withLock { state in
            state.currentToken?.cancel(); state.next = nil; state.stopping = true
            return state.threadStarted
        }
        slotChanged.signal()
        guard started else { return true }
        guard threadFinished.wait(timeout: .now() + .milliseconds(timeoutMilliseconds)) == .success else { return false }
        threadFinished.signal()  // stays finished for a later `stop`
        return true
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { argument in
            let worker = Unmanaged<EngineWorker>.fromOpaque(argument!).takeRetainedValue()
            worker.loop()
            worker.threadFinished.signal()
            return nil
        }, box.toOpaque())
        if created == 0 {
            pthread_detach(handle)
        } else {
            box.release()
            slot.withLock { $0.threadStarted = false }
        }
    }

    private func takeJob() -> Job? {
        while true {
            let (job, stopping): (Job?, Bool) = slot.withLock { state in
                defer { state.next = nil }
                return (state.next, state.stopping)
            }
            if stopping { return nil }
            if let job { return job }
            slotChanged.wait()
        }
    }

    private func loop() {
        // Nice + 5 for this thread and the pool helpers it starts (Linux keeps a nice value per thread and a new
        // thread inherits its creator's): the run loop's thread wins a core when a key arrives while the engine
        // computes, as the training threads do (TrainingDriver.runOnThreads).
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        while let job = takeJob() {
            let mailbox = self.mailbox, wake = self.wake, generation = job.generation, token = job.token
            let post: @Sendable (Action) -> Void = { action in
                guard !token.isCancelled else { return }
                mailbox.post(action)
                wake()
            }
            guard case .simulate(let scenario, let plan, let rows) = job.work else {
                if case .custom(let work) = job.work { work(token, post) }
                mailbox.post(.engineFinished(generation: generation))
                wake()
                continue
            }
            if let predict {
                let predictions = predict(scenario, rows, token)
                if !token.isCancelled && !predictions.isEmpty {
                    mailbox.post(.predictions(predictions, generation: generation))
                    wake()
                }
            }
            if preparesRuns && !token.isCancelled {
                // Each row's empty run, built (its pages touched) here rather than copied on the UI thread.
                let runs = Dictionary(uniqueKeysWithValues: rows.map { ($0, RunData(depth: scenario.depth, activation: scenario.activation)) })
                if !token.isCancelled {
                    mailbox.post(.freshRuns(runs, generation: generation))
                    wake()
                }
            }
            // Displayed here, off the UI thread (a finished resnet's 10,000 blocks took 30+ ms there); the update's
            // own `displayed` then only looks, and a run's end carries the copies its backward events did.
            var displayer = DisplayedEvents()
            do {
                try simulate(scenario, plan, rows, token) { event in
                    guard !token.isCancelled else { return }
                    mailbox.post(.engine(displayer.display(event), generation: generation))
                    wake()
                }
            } catch {
                if !token.isCancelled {
                    mailbox.post(.engineFailed(message: "\(error)", generation: generation))
                }
            }
            mailbox.post(.engineFinished(generation: generation))
            wake()
        }
    }
}
