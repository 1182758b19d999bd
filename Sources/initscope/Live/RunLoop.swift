// The run loop: the one thread that owns the screen. It applies events to the application, performs its effects,
// draws only after something changed - at most `framesPerSecond` frames a second for engine progress and
// animation, at once after a key - and waits for input with a
// timeout computed from the next frame or animation tick - with nothing pending it blocks (no output, no CPU).
import ScopeUI
import SignalFlow
import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// Why the run loop ended, and the process exit status that goes with it.
enum LoopExit: Equatable {
    /// The user quit (q): status 0.
    case quit
    /// A terminating signal arrived: status 128 + signal.
    case signal(Int32)
    /// The terminal's input ended or failed (hang-up, EOF, read error): status 74 (EX_IOERR).
    case endOfInput(String)

    /// The process exit status.
    var exitStatus: Int32 {
        switch self {
        case .quit: return ExitStatus.success
        case .signal(let number): return 128 + number
        case .endOfInput: return ExitStatus.ioError
        }
    }
}

/// Timings the run loop measures about itself (milliseconds on the monotonic clock).
struct LoopStatistics {
    /// When the command started (before the terminal was opened); the loop's own start when not given.
    var startMilliseconds = 0
    /// Time from `startMilliseconds` to the first frame drawn after the first simulation finished (nil until then).
    var firstCompleteFrameMilliseconds: Int?
    /// The same frame on the wall clock (milliseconds since 1970), for benchmarks that time from outside.
    var firstCompleteFrameUnixMilliseconds: Int?
    /// Duration of each frame: render (view) + draw (diff and terminal output), in microseconds.
    var frameMicroseconds: [Int] = []
    /// For each key press: time from reading the key to the next frame on screen, in microseconds.
    var keyToFrameMicroseconds: [Int] = []
    /// For each engine run that finished: milliseconds from asking for it to its end (compute time of the rows
    /// asked for, the engine's own pace), in the order they finished.
    var engineRunMilliseconds: [Int] = []
    /// The slowest key from read to frame: the key, that time, the time its own update took and the time the
    /// frame that showed it took to render and draw (all microseconds); nil before the first key is drawn.
    var slowestKey: SlowKey?
    /// The longest stretch the loop worked without looking for input (events, ticks, a frame), in microseconds: a
    /// key that arrives meanwhile waits that long before it is read, on top of its read-to-frame time.
    var longestBusyMicroseconds: Int { longestBusy?.microseconds ?? 0 }
    /// That stretch and where its time went; nil before the loop first waited for input twice.
    var longestBusy: BusyStretch?
    /// Frames drawn.
    var frames = 0
    /// Time spent applying events to the application (update), in microseconds, and the number of events.
    var updateMicrosecondsTotal = 0, events = 0
    /// Samples kept per series (about 14 hours at 20 frames per second), so memory stays bounded.
    static let maximumSamples = 1_000_000
}

/// One stretch of the run loop between two waits for input (microseconds): its length, the actions it applied
/// (engine events, ticks, a key) and their update time, and the time of the frames it drew. What is left of the
/// length is the loop's own bookkeeping or time the thread waited for a core.
struct BusyStretch: Equatable {
    /// From the end of one wait for input to the start of the next.
    var microseconds: Int
    /// Actions applied, and the time their updates took.
    var actions: Int, updateMicroseconds: Int
    /// Time of the frames drawn (render and draw).
    var frameMicroseconds: Int
    /// The action whose update took longest in the stretch (`Action.kindName`) and that update's time; "" and 0
    /// when none was applied.
    var slowestAction = "", slowestActionMicroseconds = 0
    /// When the stretch ended on the wall clock (milliseconds since 1970), to find it in a log of keys sent.
    var endedAtUnixMilliseconds = 0
}

/// Where the slowest key's time went (microseconds): read to frame, its update, and the frame's render and draw.
struct SlowKey: Equatable {
    /// The key as decoded.
    var key: KeyPress
    /// Read to frame on screen.
    var keyToFrameMicroseconds: Int
    /// The key's own update (application.handle and its effects).
    var updateMicroseconds: Int
    /// The frame that showed it: render (view) and draw (diff and terminal output).
    var frameMicroseconds: Int
}

/// Drives a LiveApplication on a Screen with an engine worker.
final class RunLoop<Application: LiveApplication> {
    private(set) var application: Application
    private let screen: Screen
    private let mailbox: EngineMailbox
    private let startSimulation: (Scenario, MeasurementPlan, [Int], Int) -> Void
    private let cancelSimulation: () -> Void
    private let trainingEffect: (Effect) -> Void
    private let statusSource: () -> String?
    private let releaseRetired: (RetiredRuns) -> Void
    private let saveScreen: ((Canvas, RGBColor, RGBColor) -> Void)?
    private let frameIntervalMilliseconds: Int
    private(set) var statistics = LoopStatistics()

    private var dirty = true
    private var lastFrameAt = Int.min / 2
    private var tickArmedAt: Int?
    /// Keys read since the last frame: when each was read (us), the key, and how long its update took (us).
    private var keysAwaitingFrame: [(readAt: Int, key: KeyPress, updateMicroseconds: Int)] = []
    private var firstSimulationFinished = false
    private var quitRequested = false
    /// When each generation still running was asked for (ms), to time engine runs.
    private var runStartedAt: [Int: Int] = [:]
    /// When the loop last came back from waiting for input (us), to time how long it works before it looks again.
    private var inputReturnedAt: Int?
    /// The stretch since then: actions applied, their update time and the frames' time (us).
    private var stretch = BusyStretch(microseconds: 0, actions: 0, updateMicroseconds: 0, frameMicroseconds: 0)

    /// A loop for `application` on `screen`; `startSimulation`/`cancelSimulation` (and `trainingEffect`: start
    /// training or a sweep, pause) reach the engine worker, whose events arrive through `mailbox`. `framesPerSecond` caps redraws (>= 1).
    /// `statusSource` is asked on every turn for a message from outside the application (the --record file's).
    /// `releaseRetired` frees what the application dropped (default: on a background queue, see BackgroundRelease).
    /// `saveScreen` writes a screen saved with `C` (the canvas and the theme's assumed foreground and background)
    /// and posts its status line (`ScreenSaver`, in the background); nil = written here, in the effect.
    init(application: Application, screen: Screen, mailbox: EngineMailbox, framesPerSecond: Int,
         startedAtMilliseconds: Int? = nil, statusSource: @escaping () -> String? = { nil },
         startSimulation: @escaping (Scenario, MeasurementPlan, [Int], Int) -> Void, cancelSimulation: @escaping () -> Void,
         trainingEffect: @escaping (Effect) -> Void = { _ in },
         releaseRetired: @escaping (RetiredRuns) -> Void = BackgroundRelease().release,
         saveScreen: ((Canvas, RGBColor, RGBColor) -> Void)? = nil) {
        self.trainingEffect = trainingEffect
        self.releaseRetired = releaseRetired
        self.saveScreen = saveScreen
        self.statusSource = statusSource
        self.application = application; self.screen = screen; self.mailbox = mailbox
        statistics.startMilliseconds = startedAtMilliseconds ?? monotonicMilliseconds()
        self.startSimulation = startSimulation; self.cancelSimulation = cancelSimulation
        frameIntervalMilliseconds = max(1, 1000 / max(1, framesPerSecond))
    }

    /// Runs until quit, a terminating signal or the end of input; returns why.
    func run() -> LoopExit {
        apply(.resize(width: screen.width, height: screen.height))
        while true {
            var simulationJustFinished = false
            for event in mailbox.takeAll() {
                if case .engineFinished(let generation) = event {
                    firstSimulationFinished = true; simulationJustFinished = true
                    if let started = runStartedAt.removeValue(forKey: generation),
                       statistics.engineRunMilliseconds.count < LoopStatistics.maximumSamples {
                        statistics.engineRunMilliseconds.append(monotonicMilliseconds() - started)
                    }
                }
                apply(event)
            }
            if let message = statusSource() { apply(.status(message)) }
            if quitRequested { return .quit }
            let now = monotonicMilliseconds()
            fireTickIfDue(now: now)
            if quitRequested { return .quit }
            // Keys and the end of a simulation (the complete picture, once per run) are drawn at once; the frame
            // cap paces engine progress and animation only.
            if dirty && (!keysAwaitingFrame.isEmpty || simulationJustFinished || now - lastFrameAt >= frameIntervalMilliseconds) {
                drawFrame()
            }

            if let returned = inputReturnedAt {
                stretch.microseconds = monotonicMicroseconds() - returned
                if stretch.microseconds > statistics.longestBusyMicroseconds {
                    stretch.endedAtUnixMilliseconds = wallClockMilliseconds()
                    statistics.longestBusy = stretch
                }
            }
            let input = screen.nextInput(timeoutMilliseconds: timeoutMilliseconds(now: monotonicMilliseconds()))
            inputReturnedAt = monotonicMicroseconds()
            stretch = BusyStretch(microseconds: 0, actions: 0, updateMicroseconds: 0, frameMicroseconds: 0)
            switch input {
            case .key(let key):
                let readAt = monotonicMicroseconds()
                apply(.key(key))
                keysAwaitingFrame.append((readAt, key, monotonicMicroseconds() - readAt))
            case .resize(let width, let height):
                apply(.resize(width: width, height: height))
                lastFrameAt = Int.min / 2  // a resized terminal is repainted at once
            case .wake, .timeout:
                break
            case .signal(let number):
                return .signal(number)
            case .endOfInput(let reason):
                return .endOfInput(reason)
            }
            if quitRequested { return .quit }
        }
    }

    /// Applies one action and performs the effects it returns.
    private func apply(_ event: Action) {
        // Time that passed since the last tick belongs to the state before this action (a status message's clock,
        // say), not to what the action starts (a new sweep): deliver it first, and time anew from here.
        if case .tick = event {} else if let armed = tickArmedAt {
            let now = monotonicMilliseconds()
            tickArmedAt = nil
            if now > armed { apply(.tick(elapsedMilliseconds: Double(now - armed))) }
        }
        dirty = true
        let started = monotonicMicroseconds()
        let effects = application.handle(event)
        if let retired = application.takeRetired() { releaseRetired(retired) }
        let updated = monotonicMicroseconds() - started
        statistics.updateMicrosecondsTotal += updated
        statistics.events += 1
        stretch.actions += 1; stretch.updateMicroseconds += updated
        if updated > stretch.slowestActionMicroseconds {
            stretch.slowestAction = event.kindName; stretch.slowestActionMicroseconds = updated
        }
        for effect in effects {
            switch effect {
            case .startSimulation(let scenario, let plan, let generation, let rows):
                runStartedAt = [generation: monotonicMilliseconds()]  // a new run cancels the others
                startSimulation(scenario, plan, rows, generation)
            case .startTraining, .startSweep:
                runStartedAt = [:]  // training is not a propagation run: its time is not an engine run's
                trainingEffect(effect)
            case .pauseTraining, .computePanel: trainingEffect(effect)
            case .cancelSimulation: cancelSimulation()
            case .quit: quitRequested = true
            case .redraw: screen.repaint()
            case .saveScreen(let foreground, let background):
                let canvas = application.render(width: screen.width, height: screen.height)
                if let saveScreen { saveScreen(canvas, foreground, background) }
                else { apply(.status(ScreenFiles.save(canvas, foreground: foreground, background: background))) }
            }
        }
    }

    /// Sends a tick when the application wants one and its interval has passed since it was armed.
    private func fireTickIfDue(now: Int) {
        guard let interval = application.tickIntervalMilliseconds else { tickArmedAt = nil; return }
        let armed = tickArmedAt ?? now
        tickArmedAt = armed
        if now - armed >= max(0, interval) {
            tickArmedAt = now
            apply(.tick(elapsedMilliseconds: Double(now - armed)))
        }
    }

    /// How long to wait for input: until the next frame may be drawn (if dirty) or the next tick is due;
    /// nil (block) when nothing is pending.
    private func timeoutMilliseconds(now: Int) -> Int? {
        var deadlines: [Int] = []
        if dirty { deadlines.append(lastFrameAt + frameIntervalMilliseconds) }
        if let interval = application.tickIntervalMilliseconds { deadlines.append((tickArmedAt ?? now) + max(0, interval)) }
        guard let next = deadlines.min() else { return nil }
        return max(0, next - now)
    }

    /// Renders the application and shows it; records timings.
    private func drawFrame() {
        let started = monotonicMicroseconds()
        let canvas = application.render(width: screen.width, height: screen.height)
        screen.draw(canvas)
        let finished = monotonicMicroseconds()
        statistics.frames += 1
        stretch.frameMicroseconds += finished - started
        if statistics.frameMicroseconds.count < LoopStatistics.maximumSamples {
            statistics.frameMicroseconds.append(finished - started)
        }
        for pressed in keysAwaitingFrame {
            let latency = finished - pressed.readAt
            if statistics.keyToFrameMicroseconds.count < LoopStatistics.maximumSamples {
                statistics.keyToFrameMicroseconds.append(latency)
            }
            if latency > statistics.slowestKey?.keyToFrameMicroseconds ?? -1 {
                statistics.slowestKey = SlowKey(key: pressed.key, keyToFrameMicroseconds: latency,
                                                updateMicroseconds: pressed.updateMicroseconds,
                                                frameMicroseconds: finished - started)
            }
        }
        keysAwaitingFrame.removeAll()
        if firstSimulationFinished && statistics.firstCompleteFrameMilliseconds == nil {
            statistics.firstCompleteFrameMilliseconds = finished / 1000 - statistics.startMilliseconds
            statistics.firstCompleteFrameUnixMilliseconds = wallClockMilliseconds()
        }
        lastFrameAt = finished / 1000
        dirty = false
    }
}

/// The wall clock in milliseconds since 1970 (for figures compared with other programs' logs).
private func wallClockMilliseconds() -> Int {
    var wall = timespec()
    clock_gettime(CLOCK_REALTIME, &wall)
    return Int(wall.tv_sec) * 1000 + Int(wall.tv_nsec) / 1_000_000
}
