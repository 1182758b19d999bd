// One long-lived worker thread that runs simulations off the UI thread. A new job cancels the one in progress
// (its CancellationToken) and replaces any job not yet started, so the user never waits for a stale run.
// Events are posted into a lock-protected mailbox and the UI thread is woken to drain it.
import SignalFlow
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a scenario measuring what the plan asks: calls `onEvent` for each event; throws with a one-line
/// message on failure. Returns when finished or when `cancellation` is set.
typealias SimulationFunction = (Scenario, MeasurementPlan, CancellationToken, (PropagationEvent) -> Void) throws -> Void

/// A lock-protected queue of loop events, filled by the worker, drained by the UI thread.
final class EngineMailbox: Sendable {
    private let queue = Mutex<[LoopEvent]>([])
    /// Creates an empty mailbox.
    init() {}
    /// Appends one event (any thread).
    func post(_ event: LoopEvent) { queue.withLock { $0.append(event) } }
    /// Removes and returns every queued event, oldest first.
    func takeAll() -> [LoopEvent] { queue.withLock { events in defer { events.removeAll() }; return events } }
}

extension LoopEvent: @unchecked Sendable {}

/// The worker thread and its job slot.
final class EngineWorker: @unchecked Sendable {
    private struct Job { var scenario: Scenario; var plan: MeasurementPlan; var generation: Int; var token: CancellationToken }
    private struct Slot { var next: Job?; var currentToken: CancellationToken?; var stopping = false }

    private let slot = Mutex<Slot>(Slot())
    private var condition = pthread_cond_t()
    private var conditionMutex = pthread_mutex_t()
    private let simulate: SimulationFunction
    private let mailbox: EngineMailbox
    private let wake: @Sendable () -> Void
    private var thread: pthread_t? = nil
    /// Set (under conditionMutex) when the worker thread has left its loop.
    private var threadFinished = false

    /// A worker that runs `simulate`, posts into `mailbox` and calls `wake` after each post.
    init(simulate: @escaping SimulationFunction, mailbox: EngineMailbox, wake: @escaping @Sendable () -> Void) {
        self.simulate = simulate; self.mailbox = mailbox; self.wake = wake
        pthread_mutex_init(&conditionMutex, nil)
        pthread_cond_init(&condition, nil)
    }

    /// Cancels the run in progress and queues `scenario` with `plan` (replacing a queued job not yet started).
    func start(_ scenario: Scenario, plan: MeasurementPlan = .everything, generation: Int) {
        let job = Job(scenario: scenario, plan: plan, generation: generation, token: CancellationToken())
        slot.withLock { state in
            state.currentToken?.cancel()
            state.next = job
            state.currentToken = job.token
        }
        ensureThread()
        signalWorker()
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
        slot.withLock { state in state.currentToken?.cancel(); state.next = nil; state.stopping = true }
        signalWorker()
        guard thread != nil else { return true }
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + (timeoutMilliseconds % 1000) * 1_000_000
        deadline.tv_sec += timeoutMilliseconds / 1000 + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        pthread_mutex_lock(&conditionMutex)
        while !threadFinished {
            if pthread_cond_timedwait(&condition, &conditionMutex, &deadline) == ETIMEDOUT { break }
        }
        let finished = threadFinished
        pthread_mutex_unlock(&conditionMutex)
        return finished
    }

    private func signalWorker() {
        pthread_mutex_lock(&conditionMutex)
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&conditionMutex)
    }

    private func ensureThread() {
        guard thread == nil else { return }
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { argument in
            let worker = Unmanaged<EngineWorker>.fromOpaque(argument!).takeRetainedValue()
            worker.loop()
            pthread_mutex_lock(&worker.conditionMutex)
            worker.threadFinished = true
            pthread_cond_broadcast(&worker.condition)
            pthread_mutex_unlock(&worker.conditionMutex)
            return nil
        }, box.toOpaque())
        if created == 0 { pthread_detach(handle); thread = handle } else { box.release() }
    }

    private func takeJob() -> Job? {
        while true {
            let (job, stopping): (Job?, Bool) = slot.withLock { state in
                defer { state.next = nil }
                return (state.next, state.stopping)
            }
            if stopping { return nil }
            if let job { return job }
            pthread_mutex_lock(&conditionMutex)
            let pending = slot.withLock { $0.next != nil || $0.stopping }
            if !pending { pthread_cond_wait(&condition, &conditionMutex) }
            pthread_mutex_unlock(&conditionMutex)
        }
    }

    private func loop() {
        while let job = takeJob() {
            let mailbox = self.mailbox, wake = self.wake, generation = job.generation, token = job.token
            do {
                try simulate(job.scenario, job.plan, token) { event in
                    guard !token.isCancelled else { return }
                    mailbox.post(.engine(event, generation: generation))
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
