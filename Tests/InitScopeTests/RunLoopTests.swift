// The run loop against a MemoryScreen: drawing only after changes, frame pacing, ticks, effects and exits.
import Testing
import SignalFlow
@testable import Terminal
@testable import initscope

/// A tiny application that records what it was given and shows the last key.
private struct RecordingApplication: LiveApplication {
    var events: [String] = []
    var lastKey = "-"
    var ticking = false
    var ticks = 0
    var scenario: Scenario

    mutating func handle(_ event: LoopEvent) -> [LoopEffect] {
        switch event {
        case .key(.character("q")): return [.quit]
        case .key(.character("r")):
            events.append("key r"); lastKey = "r"
            return [.startSimulation(scenario, generation: 7)]
        case .key(.character("t")): ticking = true; events.append("key t")
        case .key(let key): events.append("key \(key)"); lastKey = "\(key)"
        case .resize(let width, let height): events.append("resize \(width)x\(height)")
        case .tick: ticks += 1; if ticks == 3 { ticking = false }
        case .engine(_, let generation): events.append("engine \(generation)")
        case .engineFailed(let message, _): events.append("failed \(message)")
        case .engineFinished(let generation): events.append("finished \(generation)")
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

@Suite struct RunLoopTests {
    let scenario = Scenario(activation: .tanh, depth: 2, width: 4, batch: 3, seed: 1, initializers: [])

    @Test func idleLoopBlocksAndQuitEndsWithStatusZero() {
        let screen = MemoryScreen(width: 30, height: 3, script: [.timeout, .key(.character("x")), .timeout, .key(.character("q"))])
        screen.honoursTimeouts = true
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen, mailbox: EngineMailbox(),
                           framesPerSecond: 1000, startSimulation: { _, _ in }, cancelSimulation: {})
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
                               mailbox: EngineMailbox(), framesPerSecond: 20, startSimulation: { _, _ in },
                               cancelSimulation: {})
            #expect(loop.run().exitStatus == status)
        }
    }

    @Test func effectsReachTheEngineAndMailboxEventsReachTheApplication() {
        let mailbox = EngineMailbox()
        var started: [Int] = []
        let screen = MemoryScreen(width: 20, height: 2, script: [.key(.character("r")), .wake, .key(.character("q"))])
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen, mailbox: mailbox,
                           framesPerSecond: 1000, startSimulation: { _, generation in
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
                           mailbox: EngineMailbox(), framesPerSecond: 1000, startSimulation: { _, _ in },
                           cancelSimulation: {})
        if case .endOfInput = loop.run() {} else { Issue.record("expected the script to end the loop") }
        #expect(loop.application.ticks == 3)
        // While ticking the loop waits at most the tick interval; once idle it blocks (nil).
        let waits = screen.requestedTimeouts
        #expect(waits.dropFirst().prefix(3).allSatisfy { $0 != nil && $0! <= 5 })
        #expect(waits.last! == nil)
    }

    @Test func frameCapDelaysRedrawsButEveryChangeIsShownEventually() {
        // 10 fps: keys arriving together are drawn in one frame after at most 100 ms, not one frame each.
        let screen = MemoryScreen(width: 30, height: 2,
                                  script: [.key(.character("a")), .key(.character("b")), .key(.character("c")),
                                           .timeout, .timeout, .timeout])
        screen.honoursTimeouts = true
        let loop = RunLoop(application: RecordingApplication(scenario: scenario), screen: screen,
                           mailbox: EngineMailbox(), framesPerSecond: 10, startSimulation: { _, _ in },
                           cancelSimulation: {})
        _ = loop.run()
        #expect(screen.frames.count <= 3)
        #expect(screen.lines[0].hasPrefix("key character(\"c\")"))
        #expect(screen.requestedTimeouts.contains { $0 != nil && $0! > 50 && $0! <= 100 })
    }
}
