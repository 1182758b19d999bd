// Signals at the terminal edge, async-signal-safe.
// - Every signal whose default action ends the process (HUP, INT, QUIT, TERM, USR1, USR2, ALRM, XCPU, XFSZ, VTALRM,
//   PROF, SYS, POLL, PWR, STKFLT and the real-time signals) becomes its number on a self-pipe that the screen's
//   input wait (poll) watches: the run loop wakes at once, restores the terminal on its own thread and exits with
//   128 + n. SIGQUIT (Ctrl-\) is one of them, so Swift's interactive backtracer never starts over the view.
//   SIGWINCH goes through the same pipe (relayout); SIGPIPE is ignored (a dead terminal is a write error).
// - Crash signals (SEGV, ABRT, BUS, ILL, FPE, TRAP) restore the terminal from state captured at start-up (the saved
//   termios and the sgr0/cnorm/rmkx/rmcup escape strings) with tcsetattr + write only, print one line naming the
//   crash log, point stdout/stderr at that file and hand over to the Swift runtime's crash handler (its backtrace
//   goes to the file, not over the screen), clean that file of the colour escapes the backtracer chose at start-up
//   (CrashLogCleaner), then re-raise with the default action: status 128 + n, core dump intact.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte written on the self-pipe by `TerminalSignals.wake()` (signals write their own number, 1...64).
let wakeByte: UInt8 = 0xFF

// Globals read by the handlers. Written before the handlers are installed (from one thread); the handlers only read.
// nonisolated(unsafe): a signal handler may read only plain memory (a lock is not async-signal-safe), and the
// compiler cannot see that the writes happen before the handlers and the worker thread exist.
nonisolated(unsafe) private var wakeReadFileDescriptor: Int32 = -1
nonisolated(unsafe) private var wakeWriteFileDescriptor: Int32 = -1
nonisolated(unsafe) private var savedTerminalSettings: UnsafeMutablePointer<termios>? = nil
nonisolated(unsafe) private var restoreEscapeBytes: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var restoreEscapeByteCount: Int = 0
/// NUL-terminated path of the crash log, nil when none could be formed.
nonisolated(unsafe) private var crashLogPathBytes: UnsafeMutablePointer<CChar>? = nil
/// The actions that were installed for each signal before ours (index = signal number, 0...64).
nonisolated(unsafe) private var previousActions: UnsafeMutablePointer<sigaction>? = nil
/// Which entries of `previousActions` hold a saved action.
nonisolated(unsafe) private var previousActionSaved: UnsafeMutablePointer<Bool>? = nil
/// Read and write buffers for cleaning the crash log in the handler (allocated at install: a handler must not).
nonisolated(unsafe) private var crashLogReadBuffer: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var crashLogWriteBuffer: UnsafeMutablePointer<UInt8>? = nil
private let crashLogBufferSize = 4096

private let signalTableSize = 65

/// Writes the signal number to the self-pipe (non-blocking; a full pipe already holds a wake-up).
private func forwardSignalToPipe(_ signalNumber: Int32) {
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    if wakeWriteFileDescriptor >= 0 { _ = write(wakeWriteFileDescriptor, &byte, 1) }
    errno = savedErrno
}

/// Writes a static string to `fd` (async-signal-safe: no allocation).
private func writeStatic(_ fd: Int32, _ text: StaticString) {
    _ = write(fd, text.utf8Start, text.utf8CodeUnitCount)
}

/// Puts the terminal back with async-signal-safe calls only: termios, then the saved escape bytes.
private func restoreTerminalFromHandler() {
    if let settings = savedTerminalSettings { _ = tcsetattr(STDIN_FILENO, TCSANOW, settings) }
    if let bytes = restoreEscapeBytes, restoreEscapeByteCount > 0 { _ = write(STDOUT_FILENO, bytes, restoreEscapeByteCount) }
}

/// The crash handler: restore, one line, backtrace (Swift runtime's handler) into the crash log, die of the signal.
private func restoreTerminalAndCrash(_ signalNumber: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                     _ context: UnsafeMutableRawPointer?) {
    restoreTerminalFromHandler()
    writeStatic(STDERR_FILENO, "initscope: crashed with ")
    writeStatic(STDERR_FILENO, staticSignalName(signalNumber))
    var handedOver = false
    if let actions = previousActions, let saved = previousActionSaved, (0..<signalTableSize).contains(Int(signalNumber)),
       saved[Int(signalNumber)], let path = crashLogPathBytes {
        let previous = actions[Int(signalNumber)]
        if previous.sa_flags & Int32(SA_SIGINFO) != 0, let handler = previous.__sigaction_handler.sa_sigaction {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
            if fd >= 0 {
                writeStatic(STDERR_FILENO, "; backtrace in ")
                _ = write(STDERR_FILENO, path, strlen(path))
                writeStatic(STDERR_FILENO, "\n")
                // The backtracer writes to stdout/stderr and asks stdin: give it the file and /dev/null, so nothing
                // reaches the user's screen (and nothing else drawn meanwhile does either).
                _ = dup2(fd, STDOUT_FILENO); _ = dup2(fd, STDERR_FILENO); _ = close(fd)
                let null = open("/dev/null", O_RDONLY)
                if null >= 0 { _ = dup2(null, STDIN_FILENO); _ = close(null) }
                handler(signalNumber, info, context)
                handedOver = true
                cleanCrashLogInPlace(path)
            }
        }
    }
    if !handedOver { writeStatic(STDERR_FILENO, "\n") }
    _ = signal(signalNumber, SIG_DFL)
    _ = raise(signalNumber)  // blocked while this handler runs: delivered, with the default action, on return
}

/// Rewrites the crash log at `path` as plain text (CrashLogCleaner) with open/pread/pwrite/ftruncate only: the
/// cleaned bytes never run ahead of the bytes read, so they are written over the file in place.
private func cleanCrashLogInPlace(_ path: UnsafePointer<CChar>) {
    guard let input = crashLogReadBuffer, let output = crashLogWriteBuffer else { return }
    let fd = open(path, O_RDWR | O_NOFOLLOW)
    guard fd >= 0 else { return }
    var cleaner = CrashLogCleaner()
    var readOffset = 0
    // Output bytes waiting to be written: offsets pendingStart ..< pendingStart + pendingCount.
    var pendingStart = 0, pendingCount = 0
    func flush() {
        if pendingCount > 0 { _ = pwrite(fd, output, pendingCount, off_t(pendingStart)) }
        pendingStart += pendingCount; pendingCount = 0
    }
    while true {
        let count = pread(fd, input, crashLogBufferSize, off_t(readOffset))
        if count <= 0 { break }
        readOffset += count
        for index in 0..<count {
            cleaner.feed(input[index]) { offset, byte in
                if offset != pendingStart + pendingCount || pendingCount == crashLogBufferSize {
                    flush(); pendingStart = offset
                }
                output[pendingCount] = byte; pendingCount += 1
            }
        }
    }
    cleaner.finish()
    flush()
    _ = ftruncate(fd, off_t(cleaner.outputLength))
    _ = close(fd)
}

/// The name of a signal as a static string (for the handlers).
private func staticSignalName(_ signalNumber: Int32) -> StaticString {
    switch signalNumber {
    case SIGHUP: return "SIGHUP"
    case SIGINT: return "SIGINT"
    case SIGQUIT: return "SIGQUIT"
    case SIGILL: return "SIGILL"
    case SIGTRAP: return "SIGTRAP"
    case SIGABRT: return "SIGABRT"
    case SIGBUS: return "SIGBUS"
    case SIGFPE: return "SIGFPE"
    case SIGKILL: return "SIGKILL"
    case SIGUSR1: return "SIGUSR1"
    case SIGSEGV: return "SIGSEGV"
    case SIGUSR2: return "SIGUSR2"
    case SIGPIPE: return "SIGPIPE"
    case SIGALRM: return "SIGALRM"
    case SIGTERM: return "SIGTERM"
    case SIGXCPU: return "SIGXCPU"
    case SIGXFSZ: return "SIGXFSZ"
    case SIGVTALRM: return "SIGVTALRM"
    case SIGPROF: return "SIGPROF"
    case SIGSYS: return "SIGSYS"
    case SIGPOLL: return "SIGPOLL"
    case SIGPWR: return "SIGPWR"
    case SIGSTKFLT: return "SIGSTKFLT"
    default: return "a signal"
    }
}

/// Signal plumbing for a full-screen terminal program.
public enum TerminalSignals {
    /// The real-time signals (default action: terminate) on this system.
    static var realTimeSignals: [Int32] {
        let first = __libc_current_sigrtmin(), last = __libc_current_sigrtmax()
        return first <= last ? Array(first...min(last, Int32(signalTableSize - 1))) : []
    }

    /// The signals whose default action ends the process without a crash: handled like SIGTERM (restore, then exit
    /// 128 + signal). Real-time signals are added when nobody else handles them.
    public static let terminating: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU,
                                              SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS, SIGPOLL, SIGPWR, SIGSTKFLT]
    /// The signals that mean a crash (restore from the handler, backtrace into the crash log, then re-raise).
    public static let crashes: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]
    /// The escape bytes a crash writes before terminfo is loaded: attributes off, cursor visible, normal cursor
    /// keys and keypad, newline.
    public static let fallbackRestoreEscapes: [UInt8] = Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1l\u{1B}>\r\n".utf8)

    /// The file a crash's backtrace goes to: `$TMPDIR` (else /tmp) / initscope-crash-PID.log.
    public static func crashLogPath(environment: [String: String], processIdentifier: Int32) -> String {
        var directory = environment["TMPDIR"] ?? ""
        if directory.isEmpty || !directory.hasPrefix("/") { directory = "/tmp" }
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        return (directory == "/" ? "" : directory) + "/initscope-crash-\(processIdentifier).log"
    }

    /// A signal's name ("SIGTERM"), or "signal N" for one without a name here.
    public static func name(of signalNumber: Int32) -> String {
        let name = staticSignalName(signalNumber)
        return name.description == "a signal" ? "signal \(signalNumber)" : name.description
    }

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

    /// Every signal forwarded to the self-pipe: the terminating ones, free real-time signals, and SIGWINCH.
    static func forwardedSignals() -> [Int32] {
        var signals = terminating + [SIGWINCH]
        for number in realTimeSignals {
            var current = sigaction()
            if sigaction(number, nil, &current) == 0,
               current.sa_flags & Int32(SA_SIGINFO) == 0, current.__sigaction_handler.sa_handler == nil {
                signals.append(number)  // SIG_DFL (nil): nobody else uses it
            }
        }
        return signals
    }

    /// Routes every terminating signal and SIGWINCH to the self-pipe; ignores SIGPIPE (a dead terminal then shows
    /// up as a write error, not a silent death).
    public static func forwardTerminatingSignalsAndResizes() {
        _ = wakeReadEnd()
        for signalNumber in forwardedSignals() { _ = signal(signalNumber, forwardSignalToPipe) }
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Puts the default actions back for the forwarded signals (after the terminal was restored).
    public static func resetForwardedSignals() {
        for signalNumber in terminating + [SIGWINCH] + realTimeSignals {
            var current = sigaction()
            guard sigaction(signalNumber, nil, &current) == 0, current.sa_flags & Int32(SA_SIGINFO) == 0,
                  let handler = current.__sigaction_handler.sa_handler,
                  unsafeBitCast(handler, to: Int.self) == unsafeBitCast(forwardSignalToPipe as @convention(c) (Int32) -> Void, to: Int.self)
            else { continue }
            _ = signal(signalNumber, SIG_DFL)
        }
    }

    /// Captures what a crash handler needs to restore the terminal: the termios of stdin as it was before
    /// curses changed it, the escape bytes that leave full-screen mode, and the crash log's path. Then installs
    /// the crash handlers, keeping the previous ones (the Swift runtime's backtracer) to hand over to.
    /// Call before curses starts (for `settings`) - `escapes` may be set later.
    public static func installCrashRestore(settings: termios, escapes: [UInt8],
                                           environment: [String: String] = [:]) {
        if savedTerminalSettings == nil {
            savedTerminalSettings = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        }
        savedTerminalSettings!.pointee = settings
        setCrashEscapes(escapes)
        let path = crashLogPath(environment: environment, processIdentifier: getpid())
        let pathBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: path.utf8.count + 1)
        path.withCString { pathBuffer.initialize(from: $0, count: path.utf8.count + 1) }
        crashLogPathBytes = pathBuffer
        if crashLogReadBuffer == nil {
            crashLogReadBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: crashLogBufferSize)
            crashLogWriteBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: crashLogBufferSize)
        }
        if previousActions == nil {
            previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: signalTableSize)
            previousActions!.initialize(repeating: sigaction(), count: signalTableSize)
            previousActionSaved = UnsafeMutablePointer<Bool>.allocate(capacity: signalTableSize)
            previousActionSaved!.initialize(repeating: false, count: signalTableSize)
        }
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = restoreTerminalAndCrash
        action.sa_flags = Int32(SA_SIGINFO) | Int32(SA_ONSTACK)
        _ = sigfillset(&action.sa_mask)
        for signalNumber in crashes {
            var previous = sigaction()
            guard sigaction(signalNumber, &action, &previous) == 0 else { continue }
            // Installing twice must not save our own handler as the one to hand over to.
            if !previousActionSaved![Int(signalNumber)] {
                previousActions![Int(signalNumber)] = previous
                previousActionSaved![Int(signalNumber)] = true
            }
        }
    }

    /// Most escape bytes written on a crash (terminfo's restore strings are a few dozen bytes; more are cut).
    public static let crashEscapeCapacity = 1024

    /// Replaces the escape bytes written on a crash (e.g. once terminfo is loaded). One buffer for the whole
    /// process, written in place: a handler may be reading it, so it is never freed (a replaced buffer was a leak
    /// under LeakSanitizer, 19 bytes per live view).
    public static func setCrashEscapes(_ escapes: [UInt8]) {
        if restoreEscapeBytes == nil {
            restoreEscapeBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: crashEscapeCapacity)
            restoreEscapeBytes!.initialize(repeating: 0, count: crashEscapeCapacity)
        }
        let count = min(escapes.count, crashEscapeCapacity)
        restoreEscapeByteCount = 0
        for index in 0..<count { restoreEscapeBytes![index] = escapes[index] }
        restoreEscapeByteCount = count
    }

    /// Removes the crash handlers (after a normal restore): the handlers that were there before come back.
    public static func removeCrashRestore() {
        for signalNumber in crashes {
            if let actions = previousActions, let saved = previousActionSaved, saved[Int(signalNumber)] {
                var previous = actions[Int(signalNumber)]
                _ = sigaction(signalNumber, &previous, nil)
                saved[Int(signalNumber)] = false
            } else {
                _ = signal(signalNumber, SIG_DFL)
            }
        }
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
