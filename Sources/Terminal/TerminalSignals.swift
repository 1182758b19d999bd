// Signals at the terminal edge, async-signal-safe: SIGINT/SIGTERM/SIGHUP/SIGWINCH become bytes on a self-pipe that
// the screen's input wait (poll) watches, so a signal wakes the run loop at once and is handled on its thread.
// Crash signals (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE) restore the terminal from state captured at start-up
// (the saved termios and the rmcup/cnorm/sgr0 escape strings) with tcsetattr + write only, then re-raise the
// signal with its default action so the exit status is 128 + signal and a core dump still happens.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte written on the self-pipe by `TerminalSignals.wake()` (signals write their own number, 1...64).
let wakeByte: UInt8 = 0xFF

// Globals read by the handlers. Written once before the handlers are installed; the handlers only read them.
// nonisolated(unsafe): a signal handler may read only plain memory (a lock is not async-signal-safe), and the
// compiler cannot see that the writes happen before the handlers and the worker thread exist.
nonisolated(unsafe) private var wakeReadFileDescriptor: Int32 = -1
nonisolated(unsafe) private var wakeWriteFileDescriptor: Int32 = -1
nonisolated(unsafe) private var savedTerminalSettings: UnsafeMutablePointer<termios>? = nil
nonisolated(unsafe) private var restoreEscapeBytes: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var restoreEscapeByteCount: Int = 0

/// Writes the signal number to the self-pipe (non-blocking; a full pipe already holds a wake-up).
private func forwardSignalToPipe(_ signalNumber: Int32) {
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    if wakeWriteFileDescriptor >= 0 { _ = write(wakeWriteFileDescriptor, &byte, 1) }
    errno = savedErrno
}

/// Restores the terminal with async-signal-safe calls only, then dies of the same signal.
private func restoreTerminalAndReraise(_ signalNumber: Int32) {
    if let settings = savedTerminalSettings { _ = tcsetattr(STDIN_FILENO, TCSANOW, settings) }
    if let bytes = restoreEscapeBytes, restoreEscapeByteCount > 0 { _ = write(STDOUT_FILENO, bytes, restoreEscapeByteCount) }
    _ = signal(signalNumber, SIG_DFL)
    _ = raise(signalNumber)
}

/// Signal plumbing for a full-screen terminal program.
public enum TerminalSignals {
    /// The signals that end the program gracefully (restore, then exit 128 + signal).
    public static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// The signals that mean a crash (restore from the handler, then re-raise).
    public static let crashes: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    /// Creates the self-pipe (both ends non-blocking, close-on-exec) once; returns its read end.
    public static func wakeReadEnd() -> Int32 {
        if wakeReadFileDescriptor >= 0 { return wakeReadFileDescriptor }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeWriteFileDescriptor = fds[1]
        wakeReadFileDescriptor = fds[0]
        return fds[0]
    }

    /// Routes SIGINT, SIGTERM, SIGHUP and SIGWINCH to the self-pipe; ignores SIGPIPE (a dead terminal then
    /// shows up as a write error, not a silent death).
    public static func forwardTerminatingSignalsAndResizes() {
        _ = wakeReadEnd()
        for signalNumber in terminating + [SIGWINCH] { _ = signal(signalNumber, forwardSignalToPipe) }
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Puts the default actions back for the forwarded signals (after the terminal was restored).
    public static func resetForwardedSignals() {
        for signalNumber in terminating + [SIGWINCH] { _ = signal(signalNumber, SIG_DFL) }
    }

    /// Captures what a crash handler needs to restore the terminal: the termios of stdin as it was before
    /// curses changed it, and the escape bytes that leave the alternate screen and show the cursor.
    /// Then installs the crash handlers. Call before curses starts (for `settings`) - `escapes` may be set later.
    public static func installCrashRestore(settings: termios, escapes: [UInt8]) {
        if savedTerminalSettings == nil {
            savedTerminalSettings = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        }
        savedTerminalSettings!.pointee = settings
        setCrashEscapes(escapes)
        for signalNumber in crashes { _ = signal(signalNumber, restoreTerminalAndReraise) }
    }

    /// Replaces the escape bytes written on a crash (e.g. once terminfo is loaded).
    public static func setCrashEscapes(_ escapes: [UInt8]) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, escapes.count))
        buffer.initialize(from: escapes, count: escapes.count)
        restoreEscapeByteCount = 0
        restoreEscapeBytes = buffer
        restoreEscapeByteCount = escapes.count
    }

    /// Removes the crash handlers (after a normal restore).
    public static func removeCrashRestore() {
        for signalNumber in crashes { _ = signal(signalNumber, SIG_DFL) }
    }

    /// Wakes a thread blocked on the self-pipe; safe from any thread and from signal handlers.
    public static func wake() {
        guard wakeWriteFileDescriptor >= 0 else { return }
        var byte = wakeByte
        _ = write(wakeWriteFileDescriptor, &byte, 1)
    }

    /// Reads and returns every byte waiting on the self-pipe (signal numbers and wake bytes).
    public static func drainPipe() -> [UInt8] {
        guard wakeReadFileDescriptor >= 0 else { return [] }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(wakeReadFileDescriptor, &buffer, buffer.count)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
