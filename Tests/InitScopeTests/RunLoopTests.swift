// The run loop against a MemoryScreen: drawing only after changes, frame pacing, ticks, effects and exits.
import Testing
import SignalFlow
#if canImport(Glibc)
import Glibc
#endif
@testable import Terminal
@testable import initscope
import ScopeUI

/// A tiny application that records what it was given and shows the last key.
private struct RecordingApplication: LiveApplication {
    var events: [String] = []
    var lastKey = "-"
    var ticking = false
    var ticks = 0
    var scenario: Scenario

    mutating func handle(_ event: Action) -> [Effect] {
        switch event {
        case .key(.character("q")): return [.quit]
        case .key(.character("r")):
            events.append("key r"); lastKey = "r"
            return [.startSimulation(scenario, plan: .everything, generation: 7, rows: [0])]
        case .key(.character("t")): ticking = true; events.append("key t")
        case .key(let key): events.append("key \(key)"); lastKey = "\(key)"
        case .resize(let width, let height): events.append("resize \(width)x\(height)")
        case .tick: ticks += 1; if ticks == 3 { ticking = false }
        case .engine(_, let generation): events.append("engine \(generation)")
        case .engineFailed(let message, _): events.append("failed \(message)")
        case .engineFinished(let generation): events.append("finished \(generation)")
        case .start, .setThemes, .setGlyphs, .predictions, .freshRuns, .training, .status, .panel: break
        }
        return []
    }

    func render(width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        canvas.write("key \(lastKey) ticks \(ticks)", x: 0, y: 0)
        return canvas
    }

    var tickIntervalMilliseconds: Int? { ticking ? 5 : nil }
}

/// A screen that posts one engine event per input request (as a worker would: layer progress, then the end of
/// the run), then times out, then ends.
private final class FeedingScreen: Screen {
    let width = 30, height = 2
    let capabilities = TerminalCapabilities(colorDepth: .monochrome, unicode: false)
    private let mailbox: EngineMailbox
    private var feeds: Int, timeouts: Int, generation = 0, finishes: Bool
    private(set) var frames = 0
    /// Frames drawn so far, read when each input is requested.
    private(set) var framesAtRequest: [Int] = []
    private(set) var requestedTimeouts: [Int?] = []
    init(mailbox: EngineMailbox, feeds: Int, timeouts: Int, finishes: Bool = false) {
        self.mailbox = mailbox; self.feeds = feeds; self.timeouts = timeouts; self.finishes = finishes
    }
    func draw(_ canvas: Canvas) { frames += 1 }
    func nextInput(timeoutMilliseconds: Int?) -> ScreenInput {
        requestedTimeouts.append(timeoutMilliseconds)
        framesAtRequest.append(frames)
        if feeds > 0 {
            feeds -= 1; generation += 1
            usleep(1000)
            mailbox.post(.engine(.forwardLayer(run: 0, layer: LayerReport(index: generation, quantities: [:])), generation: 1))
            return .wake
        }
        if finishes {
            finishes = false
            mailbox.post(.engineFinished(generation: 1))
            return .wake
        }
        if timeouts > 0, let milliseconds = timeoutMilliseconds {
            timeouts -= 1
            usleep(UInt32(milliseconds) * 1000)
            return .timeout
        }
        return .endOfInput("done")
    }
    func wake() {}
    func repaint() {}
    func restore() {}
}

@Suite struct RunLoopTests {
    let scenario = Scenario(activation: .tanh, depth: 2, width: 4, batch: 3, seed: 1, initializers: [])

    @Test func idleLoopBlocksAndQuitEndsWithStatusZero() {
        let screen = MemoryScreen(width: 30, height: 3, script: [.timeout, .key(.character("x")), .timeout, .key(.character("q"))])
        screen.honoursTimeouts = true
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen, mailbox: EngineMailbox(),
                           framesPerSecond: 1000, startSimulation: { _, _, _, _ in }, cancelSimulation: {})
        let exit = loop.run()
        #expect(exit == .quit)
        #expect(exit.exitStatus == 0)
        // Nothing pending after the first frame: the loop blocks (nil timeout), never polls.
        #expect(screen.requestedTimeouts.first! == nil)
        #expect(screen.lines[0].hasPrefix("key character(\"x\")"))
        #expect(loop.application.events == ["resize 30x3", "key character(\"x\")"])
    }

    @Test func signalsAndEndOfInputGiveDistinctStatuses() {
        for (input, status) in [(ScreenInput.signal(1), Int32(129)), (.signal(15), 143), (.endOfInput("eof"), 74)] {
            let screen = MemoryScreen(width: 10, height: 2, script: [input])
            let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen,
                               mailbox: EngineMailbox(), framesPerSecond: 20, startSimulation: { _, _, _, _ in },
                               cancelSimulation: {})
            #expect(loop.run().exitStatus == status)
        }
    }

    @Test func effectsReachTheEngineAndMailboxEventsReachTheApplication() {
        let mailbox = EngineMailbox()
        var started: [Int] = []
        let screen = MemoryScreen(width: 20, height: 2, script: [.key(.character("r")), .wake, .key(.character("q"))])
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen, mailbox: mailbox,
                           framesPerSecond: 1000, startSimulation: { _, _, _, generation in
                               started.append(generation)
                               mailbox.post(.engineFailed(message: "boom", generation: generation))
                               mailbox.post(.engineFinished(generation: generation))
                           }, cancelSimulation: {})
        #expect(loop.run() == .quit)
        #expect(started == [7])
        #expect(loop.application.events == ["resize 20x2", "key r", "failed boom", "finished 7"])
    }

    @Test func ticksArePacedByTheApplicationsIntervalAndStopWhenItIsIdle() {
        // "t" starts ticking every 5 ms; the app stops after 3 ticks. Timeouts really wait (honoursTimeouts).
        let screen = MemoryScreen(width: 20, height: 2,
                                  script: [.key(.character("t"))] + Array(repeating: .timeout, count: 40))
        screen.honoursTimeouts = true
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen,
                           mailbox: EngineMailbox(), framesPerSecond: 1000, startSimulation: { _, _, _, _ in },
                           cancelSimulation: {})
        if case .endOfInput = loop.run() {} else { Issue.record("expected the script to end the loop") }
        #expect(loop.application.ticks == 3)
        // While ticking the loop waits at most the tick interval; once idle it blocks (nil).
        let waits = screen.requestedTimeouts
        #expect(waits.dropFirst().prefix(3).allSatisfy { $0 != nil && $0! <= 5 })
        #expect(waits.last! == nil)
    }

    @Test func frameCapPacesEngineProgressButKeysAreAnsweredAtOnce() {
        // 10 fps: five engine events arriving 1 ms apart are drawn in one frame, not five.
        let mailbox = EngineMailbox()
        let feeding = FeedingScreen(mailbox: mailbox, feeds: 5, timeouts: 3)
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: feeding, mailbox: mailbox,
                           framesPerSecond: 10, startSimulation: { _, _, _, _ in }, cancelSimulation: {})
        _ = loop.run()
        #expect(loop.application.events.filter { $0.hasPrefix("engine") }.count == 5)
        #expect(feeding.frames == 2)  // the first frame, then one frame holding all five events
        #expect(feeding.requestedTimeouts.dropFirst().contains { $0 != nil && $0! > 80 })
        // The end of a run is the complete picture: drawn at once, not at the next frame slot.
        let finishing = FeedingScreen(mailbox: mailbox, feeds: 1, timeouts: 3, finishes: true)
        let finishingLoop = RunLoop(application: RecordingApplication(scenario: scenario), screen: finishing,
                                    mailbox: mailbox, framesPerSecond: 1, startSimulation: { _, _, _, _ in },
                                    cancelSimulation: {})
        _ = finishingLoop.run()
        // Requests: 1 after the first frame (posts progress), 2 (posts the end), 3: the end was drawn before it.
        #expect(finishing.framesAtRequest.prefix(3) == [1, 1, 2])
        #expect(finishingLoop.statistics.firstCompleteFrameMilliseconds.map { $0 < 500 } == true)
        // ... while each key gets its own frame at once, whatever the cap.
        let keyScreen = MemoryScreen(width: 30, height: 2,
                                     script: [.key(.character("a")), .key(.character("b")), .key(.character("c"))])
        let keyLoop = RunLoop(application: RecordingApplication(scenario: scenario), screen: keyScreen,
                              mailbox: EngineMailbox(), framesPerSecond: 1, startSimulation: { _, _, _, _ in },
                              cancelSimulation: {})
        _ = keyLoop.run()
        #expect(keyScreen.frames.count == 4)  // first frame + one per key
        #expect(keyScreen.lines[0].hasPrefix("key character(\"c\")"))
        #expect(keyLoop.statistics.keyToFrameMicroseconds.count == 3)
    }
}

@Suite struct RunLoopRedrawTests {
    /// Repaints on "l" (as Ctrl-L does through the real key map).
    private struct RedrawingApplication: LiveApplication {
        var keys = 0
        mutating func handle(_ event: Action) -> [Effect] {
            switch event {
            case .key(.character("l")): return [.redraw]  // nothing changes: only the repaint rewrites cells
            case .key(.character("q")): return [.quit]
            case .key: keys += 1; return []
            default: return []
            }
        }
        func render(width: Int, height: Int) -> Canvas {
            var canvas = Canvas(width: width, height: height)
            canvas.write("keys \(keys)", x: 0, y: 0)
            return canvas
        }
        var tickIntervalMilliseconds: Int? { nil }
    }

    @Test func redrawRepaintsEveryCellAndKeepsRunning() {
        let screen = MemoryScreen(width: 12, height: 2,
                                  script: [.key(.character("l")), .key(.character("l")), .key(.character("l")),
                                           .key(.control("a")), .key(.character("q"))])
        let loop = RunLoop(application: RedrawingApplication(), screen: screen, mailbox: EngineMailbox(),
                           framesPerSecond: 20, startSimulation: { _, _, _, _ in }, cancelSimulation: {})
        #expect(loop.run() == .quit)
        #expect(screen.repaints == 3)
        // Each repaint is followed by a frame that rewrites the whole screen (24 cells), not only the changed ones.
        #expect(Array(screen.cellsWrittenByFrame.prefix(4)) == [24, 24, 24, 24])
        #expect(screen.lines[0].hasPrefix("keys 1"))
    }
}

@Suite struct RunLoopTickFlushTests {
    /// Wants a tick every 10 s once "t" is pressed (so none fires by itself); rendering takes 3 ms.
    private struct SlowTicker: LiveApplication {
        var log: [String] = []
        var ticking = false
        mutating func handle(_ action: Action) -> [Effect] {
            switch action {
            case .key(.character("q")): return [.quit]
            case .key(.character("t")): ticking = true; log.append("key t")
            case .key(.character(let c)): log.append("key \(c)")
            case .tick(let elapsed): log.append(elapsed >= 3 ? "tick" : "short tick")
            default: break
            }
            return []
        }
        func render(width: Int, height: Int) -> Canvas { usleep(3000); return Canvas(width: width, height: height) }
        var tickIntervalMilliseconds: Int? { ticking ? 10_000 : nil }
    }

    @Test func timeBeforeAnActionIsDeliveredAsATickBeforeIt() {
        // A sweep started by a key must not inherit the time the tick was armed before it (a status message's).
        let screen = MemoryScreen(width: 10, height: 2, script: [.key(.character("t")), .key(.character("x")), .key(.character("q"))])
        let loop = RunLoop(application: SlowTicker(), screen: screen, mailbox: EngineMailbox(), framesPerSecond: 1000,
                           startSimulation: { _, _, _, _ in }, cancelSimulation: {})
        #expect(loop.run() == .quit)
        #expect(loop.application.log == ["key t", "tick", "key x", "tick"])
    }
}

@Suite struct RunLoopSlowestKeyTests {
    /// Takes 30 ms to update on "s", 10 ms to render after it; every other key is instant.
    private struct SlowOnS: LiveApplication {
        var renderSlowly = false
        mutating func handle(_ event: Action) -> [Effect] {
            guard case .key(let key) = event else { return [] }
            if key == .character("s") { usleep(30_000); renderSlowly = true } else { renderSlowly = false }
            return []
        }
        func render(width: Int, height: Int) -> Canvas {
            if renderSlowly { usleep(10_000) }
            return Canvas(width: width, height: height)
        }
        var tickIntervalMilliseconds: Int? { nil }
    }

    @Test func theSlowestKeyIsNamedWithItsUpdateAndFrameTimes() {
        let screen = MemoryScreen(width: 10, height: 2,
                                  script: [.key(.character("a")), .key(.character("s")), .key(.character("b"))])
        let loop = RunLoop(application: SlowOnS(), screen: screen, mailbox: EngineMailbox(), framesPerSecond: 1,
                           startSimulation: { _, _, _, _ in }, cancelSimulation: {})
        _ = loop.run()
        let slowest = loop.statistics.slowestKey
        #expect(slowest?.key == .character("s"))
        // usleep sleeps at least as long as asked: 30 ms in the update, 10 ms in the frame, both inside the latency.
        #expect((slowest?.updateMicroseconds ?? 0) >= 30_000)
        #expect((slowest?.frameMicroseconds ?? 0) >= 10_000)
        #expect((slowest?.keyToFrameMicroseconds ?? 0) >= (slowest?.updateMicroseconds ?? 0) + (slowest?.frameMicroseconds ?? 0))
        #expect(loop.statistics.keyToFrameMicroseconds.max() == slowest?.keyToFrameMicroseconds)
        // The loop went without looking for input at least as long as "s"'s update and frame (a key arriving then
        // waited), and not longer than the whole run.
        #expect(loop.statistics.longestBusyMicroseconds >= 40_000)
        #expect(loop.statistics.longestBusyMicroseconds < 10_000_000)
        #expect((loop.statistics.longestBusy?.updateMicroseconds ?? 0) >= 30_000)
        #expect((loop.statistics.longestBusy?.frameMicroseconds ?? 0) >= 10_000)
        #expect((loop.statistics.longestBusy?.actions ?? 0) >= 1)
        // Its slowest action is "s"'s key press (30 ms; every other action is instant).
        #expect(loop.statistics.longestBusy?.slowestAction == "key")
        #expect((loop.statistics.longestBusy?.slowestActionMicroseconds ?? 0) >= 30_000)
        // It ended during this test, on the wall clock.
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let now = Int(wall.tv_sec) * 1000 + Int(wall.tv_nsec) / 1_000_000
        #expect(((now - 60_000)...now).contains(loop.statistics.longestBusy?.endedAtUnixMilliseconds ?? 0))
    }
}

@Suite struct RunLoopReleaseTests {
    /// Retires something on "d" (drop), nothing on other keys.
    private struct DroppingApplication: LiveApplication {
        var dropped = false
        mutating func handle(_ event: Action) -> [Effect] {
            if case .key(.character("d")) = event { dropped = true }
            return []
        }
        mutating func takeRetired() -> RetiredRuns? {
            defer { dropped = false }
            return dropped ? RetiredRuns() : nil
        }
        func render(width: Int, height: Int) -> Canvas { Canvas(width: width, height: height) }
        var tickIntervalMilliseconds: Int? { nil }
    }

    @Test func whatAnActionRetiresGoesToTheReleaserOnce() {
        let screen = MemoryScreen(width: 10, height: 2,
                                  script: [.key(.character("d")), .key(.character("x")), .key(.character("d"))])
        nonisolated(unsafe) var released = 0   // the loop calls the releaser on this thread
        let loop = RunLoop(application: DroppingApplication(), screen: screen, mailbox: EngineMailbox(),
                           framesPerSecond: 1, startSimulation: { _, _, _, _ in }, cancelSimulation: {},
                           releaseRetired: { _ in released += 1 })
        _ = loop.run()
        #expect(released == 2)
    }
}
