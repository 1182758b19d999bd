// --record FILE.cast: an asciicast v2 recording of the live view (and of a lecture). The file is created before the
// screen opens, so a path that cannot be created is one line and exit 74 with nothing drawn; once the first state
// exists the header is written (size, time, the theme's name in the title, its colours as the player's) and the
// screen's output tee starts; the file is finished after the terminal is restored (quit, signals, end of input).
// A disk that falls behind or fails stops the recording and says so in the status line, never blocks a key.
import ArgumentParser
import Foundation
import SignalFlow
import Terminal

/// A --record file opened before the screen, and its recording once started.
final class SessionRecording {
    /// The path given to --record.
    let path: String
    private var descriptor: Int32
    private var recording: AsciicastRecording?
    private var startProblem: String?
    private var problemShown = false

    private init(path: String, descriptor: Int32) { self.path = path; self.descriptor = descriptor }

    /// Creates (or truncates) the file at `path` (mode 0644); the error is one line naming the path and the reason.
    static func create(path: String) -> Result<SessionRecording, OutputWriteError> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return .failure(OutputWriteError("--record: could not create \(PrintableText.quoted(path)) (\(StandardStreams.reason(errno)))"))
        }
        return .success(SessionRecording(path: path, descriptor: descriptor))
    }

    /// Opens the --record file of `display`, if any, before the screen: on failure one line on stderr, exit 74.
    static func openIfAsked(display: DisplayFlags) throws -> SessionRecording? {
        guard let path = display.recordPath else { return nil }
        switch create(path: path) {
        case .success(let recording): return recording
        case .failure(let error):
            StandardStreams.writeErrorLine("initscope: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
    }

    /// Removes the file again (the screen never opened, nothing was recorded).
    func discard() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor); descriptor = -1
        _ = unlink(path)
    }

    /// Writes the header (`screen`'s size, now, `title`, the player's colours) and starts teeing the screen's output.
    func start(on screen: CursesScreen, title: String, foreground: RGBColor, background: RGBColor) {
        guard descriptor >= 0, recording == nil else { return }
        let environment = ProcessInfo.processInfo.environment
        let header = AsciicastEncoder.header(
            width: screen.width, height: screen.height, unixSeconds: Int(Date().timeIntervalSince1970), title: title,
            environment: environment.filter { $0.key == "TERM" || $0.key == "SHELL" },
            foreground: foreground, background: background, palette: XtermPalette.ansi)
        let started = AsciicastRecording(fileDescriptor: descriptor, header: header, startMicroseconds: monotonicMicroseconds(),
                                         width: screen.width, height: screen.height,
                                         onProblem: { TerminalSignals.wake() })
        descriptor = -1  // the recording closes it
        recording = started
        if !screen.startRecording(sink: { started.append($0, microseconds: $1, width: $2, height: $3) }) {
            startProblem = "recording not started: curses' output could not be teed"
        }
    }

    /// The problem to show in the status line, once (nil while the recording is whole, or once shown).
    func takeProblem() -> String? {
        guard !problemShown, let problem = startProblem ?? recording?.problem else { return nil }
        problemShown = true
        return problem
    }

    /// Finishes the file after the terminal was restored; nil when the recording is complete, else why not.
    func finish() -> String? {
        if descriptor >= 0 { _ = close(descriptor); descriptor = -1 }
        let problem = recording?.finish()
        return startProblem ?? problem
    }
}
