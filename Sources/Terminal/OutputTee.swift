// A tee between curses and the terminal, for --record. Curses writes to its own descriptor (a dup of the tty,
// given to newterm); the tee puts a pipe's write end in that descriptor's place, and a relay thread copies every
// chunk from the pipe to the terminal at once, then hands it (time-stamped, with the terminal's size then) to a
// sink that only queues it. Curses' writes return as soon as the bytes are in the pipe, so the key path never
// waits for the recording; the disk is the sink's business. `stop` puts the tty back in curses' descriptor (the
// pipe's last writer goes, so the relay reads what is left, then end of file) and waits for the relay to finish,
// so the terminal got every byte before curses writes its restore sequence directly.
// Ctrl-Z: curses' SIGTSTP handler sets the shell's terminal modes through its descriptor, which must then be the tty:
// the tee wraps that handler, giving curses the tty for the suspension (its leave and repaint bytes are not
// recorded: the repaint shows what the recording already has) and the pipe again after it.
// Units: time in microseconds on the monotonic clock; sizes in cells.
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Read by the SIGTSTP wrapper (plain memory: a handler may not take a lock); written before it is installed.
nonisolated(unsafe) private var suspendCursesDescriptor: Int32 = -1
nonisolated(unsafe) private var suspendPipeDescriptor: Int32 = -1
nonisolated(unsafe) private var suspendCursesHandler: (@convention(c) (Int32) -> Void)? = nil

/// SIGTSTP while teeing: curses' handler runs with the tty in its descriptor, then the pipe goes back.
private func suspendAroundTee(_ signalNumber: Int32) {
    let savedErrno = errno
    let cursesDescriptor = suspendCursesDescriptor, pipeDescriptor = suspendPipeDescriptor
    if cursesDescriptor >= 0 { _ = dup2(STDOUT_FILENO, cursesDescriptor) }
    suspendCursesHandler?(signalNumber)
    if cursesDescriptor >= 0 && pipeDescriptor >= 0 { _ = dup2(pipeDescriptor, cursesDescriptor) }
    errno = savedErrno
}

/// Copies curses' output to the terminal through a pipe and a relay thread, showing each chunk to a sink.
public final class OutputTee: @unchecked Sendable {
    /// Receives each chunk after the terminal got it: bytes, time (monotonic microseconds), width, height (cells).
    public typealias Sink = @Sendable ([UInt8], Int, Int, Int) -> Void

    private let cursesDescriptor: Int32
    private let terminalDescriptor: Int32
    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private var wrappedSuspend = false
    private let relayDone = DispatchSemaphore(value: 0)
    private var stopped = false

    /// Puts a pipe in place of `cursesDescriptor` (curses' output, a dup of the tty) and starts the relay to
    /// `terminalDescriptor` (the tty). nil when the pipe cannot be made (curses then writes to the tty as before).
    public init?(cursesDescriptor: Int32, terminalDescriptor: Int32 = STDOUT_FILENO, sink: @escaping Sink) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        guard dup2(fds[1], cursesDescriptor) >= 0 else { _ = close(fds[0]); _ = close(fds[1]); return nil }
        self.cursesDescriptor = cursesDescriptor
        self.terminalDescriptor = terminalDescriptor
        readDescriptor = fds[0]
        writeDescriptor = fds[1]  // kept: the SIGTSTP wrapper puts it back in curses' descriptor after a suspension
        let thread = Thread { [self] in self.relay(sink: sink) }
        thread.start()
        wrapSuspendHandler()
    }

    /// Installs `suspendAroundTee` in front of curses' SIGTSTP handler (when curses has one: a plain handler).
    private func wrapSuspendHandler() {
        var current = sigaction()
        guard sigaction(SIGTSTP, nil, &current) == 0, current.sa_flags & Int32(SA_SIGINFO) == 0,
              let handler = current.__sigaction_handler.sa_handler,
              unsafeBitCast(handler, to: Int.self) > 1 else { return }  // SIG_DFL (0), SIG_IGN (1): curses has none
        suspendCursesHandler = handler
        suspendCursesDescriptor = cursesDescriptor
        suspendPipeDescriptor = writeDescriptor
        var wrapper = current
        wrapper.__sigaction_handler.sa_handler = suspendAroundTee
        wrappedSuspend = sigaction(SIGTSTP, &wrapper, nil) == 0
    }

    /// Gives curses the tty again and waits (at most `timeoutMilliseconds`) until the relay has copied every byte
    /// curses wrote. Idempotent.
    public func stop(timeoutMilliseconds: Int = 2000) {
        guard !stopped else { return }
        stopped = true
        if wrappedSuspend, let handler = suspendCursesHandler {
            var current = sigaction()
            if sigaction(SIGTSTP, nil, &current) == 0 {
                current.__sigaction_handler.sa_handler = handler
                _ = sigaction(SIGTSTP, &current, nil)
            }
            suspendCursesDescriptor = -1; suspendPipeDescriptor = -1
        }
        _ = dup2(terminalDescriptor, cursesDescriptor)
        _ = fcntl(cursesDescriptor, F_SETFD, FD_CLOEXEC)
        _ = close(writeDescriptor)  // the pipe's last write end: the relay reads what is left, then end of file
        _ = relayDone.wait(timeout: .now() + .milliseconds(timeoutMilliseconds))
    }

    /// The relay thread: pipe to terminal, chunk by chunk, until end of file. A terminal that fails (hung up)
    /// does not stop it: curses must never block on a full pipe.
    private func relay(sink: Sink) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let chunk = Array(buffer[0..<count])
            var offset = 0
            while offset < count {
                let written = chunk.withUnsafeBytes { write(terminalDescriptor, $0.baseAddress! + offset, count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
            var size = winsize()
            let known = ioctl(terminalDescriptor, UInt(TIOCGWINSZ), &size) == 0
            sink(chunk, monotonicMicroseconds(), known ? Int(size.ws_col) : 0, known ? Int(size.ws_row) : 0)
        }
        _ = close(readDescriptor)
        relayDone.signal()
    }
}
