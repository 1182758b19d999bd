// Runs one full-screen session: opens the terminal, starts the engine worker and the run loop, and always gives
// the terminal back (normal end, signals, end of input) before returning the exit status.
import ScopeUI
import ArgumentParser
import Foundation
import SignalFlow
import Terminal

/// The outcome of a session.
struct SessionResult {
    /// Why the loop ended.
    var exit: LoopExit
    /// Timings measured by the loop.
    var statistics: LoopStatistics
    /// Why --stats-file could not be written (one line), nil when it was or was not asked for.
    var statisticsFileFailure: String? = nil
    /// Why the --record file is not complete (one line), nil when it is or was not asked for.
    var recordingFailure: String? = nil

    /// The status to exit with: the loop's, or 74 (EX_IOERR) when a quit could not write --stats-file or --record.
    var exitStatus: Int32 {
        exit == .quit && (statisticsFileFailure != nil || recordingFailure != nil) ? ExitStatus.ioError : exit.exitStatus
    }
}

/// Opening the terminal and running a LiveApplication on it.
enum LiveSession {
    /// Opens a CursesScreen; on failure prints one line to stderr and returns the exit status to use.
    static func openScreen(display: DisplayFlags) -> Result<CursesScreen, ExitCode> {
        do {
            let screen = try CursesScreen(color: try display.colorChoice(), asciiOnly: display.ascii,
                                          environment: ProcessInfo.processInfo.environment)
            return .success(screen)
        } catch let error as CursesScreenError {
            printError(error.description)
            return .failure(ExitCode(ExitStatus.noTerminal))
        } catch {
            printError("initscope: \(error)")
            return .failure(ExitCode(ExitStatus.usage))
        }
    }

    /// Runs `application` on `screen` until it ends, then restores the terminal, finishes `recording` (--record,
    /// started by the caller) and writes statistics if asked, and returns the result. `simulate` runs scenarios on
    /// the worker thread.
    static func run<Application: LiveApplication>(_ application: Application, on screen: Screen,
                                                  display: DisplayFlags, startedAtMilliseconds: Int? = nil,
                                                  recording: SessionRecording? = nil,
                                                  simulate: @escaping SimulationFunction) -> SessionResult {
        let mailbox = EngineMailbox()
        let worker = EngineWorker(simulate: simulate, predict: { RowPrediction.forRows($0, rows: $1, cancellation: $2) },
                                  preparesRuns: true, mailbox: mailbox, wake: { TerminalSignals.wake() })
        let training = TrainingDriver()
        let panels = PanelWorker(mailbox: mailbox, wake: { TerminalSignals.wake() })
        let saver = ScreenSaver(mailbox: mailbox, wake: { TerminalSignals.wake() })
        let loop = RunLoop(application: application, screen: screen, mailbox: mailbox, framesPerSecond: display.fps,
                           startedAtMilliseconds: startedAtMilliseconds,
                           statusSource: { recording?.takeProblem() },
                           startSimulation: { worker.start($0, plan: $1, rows: $2, generation: $3) },
                           cancelSimulation: { worker.cancel() },
                           trainingEffect: { effect in
                               switch effect {
                               case .startTraining(let scenario, let configuration, let plan, let generation):
                                   worker.start(generation: generation,
                                                work: training.trainingWork(scenario, configuration, plan: plan, generation: generation))
                               case .startSweep(let scenario, let configuration, let rates, let generation):
                                   worker.start(generation: generation,
                                                work: training.sweepWork(scenario, configuration, rates: rates, generation: generation))
                               case .pauseTraining(let paused): training.setPaused(paused)
                               case .computePanel(let request): panels.start(request)
                               default: break
                               }
                           },
                           saveScreen: { saver.save($0, foreground: $1, background: $2) })
        let exit = loop.run()
        screen.restore()
        saver.finish()
        let recordingFailure = recording?.finish()
        if let recordingFailure, let path = recording?.path {
            printError("initscope: --record \(PrintableText.quoted(path)): \(recordingFailure)")
        }
        panels.cancel()
        let workerStopped = worker.stop()
        var statisticsFileFailure: String? = nil
        if let path = display.statisticsFile {
            statisticsFileFailure = writeStatistics(loop.statistics, exit: exit, to: path)
            if let statisticsFileFailure { printError("initscope: --stats-file: \(statisticsFileFailure)") }
        }
        switch exit {
        case .endOfInput(let reason): printError("initscope: \(reason)")
        case .signal(let number): printError("initscope: ended by \(TerminalSignals.name(of: number))")
        case .quit: break
        }
        if !workerStopped {
            // The engine is still inside a layer: skip exit handlers that would free its buffers under it.
            fflush(nil)  // every output stream: stdout and stderr
            _exit(SessionResult(exit: exit, statistics: loop.statistics, statisticsFileFailure: statisticsFileFailure,
                                recordingFailure: recordingFailure).exitStatus)
        }
        return SessionResult(exit: exit, statistics: loop.statistics, statisticsFileFailure: statisticsFileFailure,
                             recordingFailure: recordingFailure)
    }

    /// Writes the loop's timings as `key value` lines (first frame ms, frame and key latencies in microseconds);
    /// nil on success, else one line saying why the file could not be written.
    static func writeStatistics(_ statistics: LoopStatistics, exit: LoopExit, to path: String) -> String? {
        func percentile(_ values: [Int], _ fraction: Double) -> Int {
            guard !values.isEmpty else { return -1 }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
        }
        func slowest(_ key: SlowKey?) -> String {
            guard let key else { return "-" }
            return "\(key.keyToFrameMicroseconds) key=\(String(reflecting: key.key)) update_us=\(key.updateMicroseconds)"
                + " frame_us=\(key.frameMicroseconds)"
        }
        func busy(_ stretch: BusyStretch?) -> String {
            guard let stretch else { return "" }
            return " actions=\(stretch.actions) update_us=\(stretch.updateMicroseconds) frame_us=\(stretch.frameMicroseconds)"
                + " slowest_action=\(stretch.slowestAction.isEmpty ? "none" : stretch.slowestAction)"
                + " slowest_action_us=\(stretch.slowestActionMicroseconds) at_unix_ms=\(stretch.endedAtUnixMilliseconds)"
        }
        let lines = [
            "first_complete_frame_ms \(statistics.firstCompleteFrameMilliseconds ?? -1)",
            "first_complete_frame_unix_ms \(statistics.firstCompleteFrameUnixMilliseconds ?? -1)",
            "frames \(statistics.frames)",
            "events \(statistics.events)",
            "update_us_total \(statistics.updateMicrosecondsTotal)",
            "frame_us_median \(percentile(statistics.frameMicroseconds, 0.5))",
            "frame_us_p95 \(percentile(statistics.frameMicroseconds, 0.95))",
            "frame_us_max \(percentile(statistics.frameMicroseconds, 1))",
            "keys \(statistics.keyToFrameMicroseconds.count)",
            "key_to_frame_us_median \(percentile(statistics.keyToFrameMicroseconds, 0.5))",
            "key_to_frame_us_max \(percentile(statistics.keyToFrameMicroseconds, 1))",
            "key_to_frame_slowest \(slowest(statistics.slowestKey))",
            "loop_busy_us_max \(statistics.longestBusyMicroseconds)\(busy(statistics.longestBusy))",
            "engine_run_ms \(statistics.engineRunMilliseconds.isEmpty ? "-" : statistics.engineRunMilliseconds.map(String.init).joined(separator: ","))",
            "exit_status \(exit.exitStatus)",
        ]
        return StandardStreams.writeFile(lines.joined(separator: "\n") + "\n", path: path)
    }

    /// Prints one line to standard error.
    static func printError(_ line: String) {
        StandardStreams.writeErrorLine(line)
    }
}
