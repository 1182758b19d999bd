// The one file that calls ncurses. A Screen on the process's controlling terminal (stdin/stdout):
// start-up (setlocale, terminfo check, newterm, cbreak, noecho, nonl, curs_set(0)), colour pairs on demand,
// erase-free drawing of only the cells that changed (mvwadd_wchnstr per changed run, then doupdate; never clear per
// frame), input by poll() on stdin plus a self-pipe (signals, wake-ups), keys by read() and the pure KeyDecoder
// (curses never reads the terminal, so keypad mode stays off and ESC timing is ours), SIGWINCH by resize_term, and
// a restore that always runs (q, signals, end of input, crash handlers). Curses writes to a descriptor of its own (a
// dup of stdout), so --record can put an OutputTee in its place without touching stdout.
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a CursesScreen could not start.
public enum CursesScreenError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal.
    case notATerminal
    /// terminfo has no entry for TERM (or it is unusable).
    case unknownTerminal(String)
    /// The terminal cannot move the cursor (terminfo lacks `cup`, e.g. TERM=dumb): a full-screen view is impossible.
    case noCursorAddressing(String)

    /// One-line message for the user.
    public var description: String {
        switch self {
        case .notATerminal:
            return "initscope: the live view needs a terminal on stdin and stdout; use `initscope report` for text output"
        case .unknownTerminal(let term):
            return "initscope: unknown terminal type TERM=\(term); try TERM=xterm-256color or use `initscope report`"
        case .noCursorAddressing(let term):
            return "initscope: TERM=\(term) cannot move the cursor, which the live view needs; "
                + "try TERM=xterm-256color or use `initscope report`"
        }
    }
}

/// A Screen on the real terminal, driven by ncurses. Use from one thread only (except `wake()`).
public final class CursesScreen: Screen {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// What the terminal can show (colour depth already limited to what terminfo can emit).
    public let capabilities: TerminalCapabilities
    /// True when terminfo is direct-colour (COLORS = 2^24): rgb colours are sent as 24-bit.
    public let directColor: Bool
    /// Cells written to curses so far (statistics for benchmarks).
    public private(set) var cellsWritten = 0

    private var screenPointer: OpaquePointer?
    private var previous: Canvas?
    private var pairTable: ColorPairTable
    private var attributeCache: [Style: (attributes: attr_t, pair: Int32)] = [:]
    private var pendingInputs: [ScreenInput] = []
    private var decoder = KeyDecoder()
    private var isRestored = false
    private let wakeFileDescriptor: Int32
    private var runBuffer: [cchar_t] = []
    /// Curses' output: a dup of stdout (so a tee can take its place), or stdout itself when no dup could be made.
    private let outputDescriptor: Int32
    private var outputFile: UnsafeMutablePointer<FILE>?
    private var tee: OutputTee?

    /// Starts curses on the terminal. `color` and `asciiOnly` are the `--color` and `--ascii` flags.
    /// Throws `notATerminal` when stdin or stdout is not a tty, `unknownTerminal` when terminfo fails.
    public init(color: ColorChoice, asciiOnly: Bool,
                environment: [String: String]) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesScreenError.notATerminal }
        _ = setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) }

        let term = environment["TERM"] ?? ""
        if let problem = CursesScreen.terminfoProblem(term: term) { throw problem }

        var settings = termios()
        _ = tcgetattr(STDIN_FILENO, &settings)
        TerminalSignals.installCrashRestore(settings: settings, escapes: TerminalSignals.fallbackRestoreEscapes,
                                           environment: environment)

        let duplicate = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        let file = duplicate >= 0 ? fdopen(duplicate, "w") : nil
        if file == nil && duplicate >= 0 { _ = close(duplicate) }
        outputFile = file
        outputDescriptor = file != nil ? duplicate : STDOUT_FILENO
        guard let screen = newterm(nil, file ?? cnc_stdout(), cnc_stdin()) else {
            if let file { fclose(file) }
            TerminalSignals.removeCrashRestore()
            throw CursesScreenError.unknownTerminal(term)
        }
        screenPointer = screen
        _ = set_term(screen)
        TerminalSignals.setCrashEscapes(CursesScreen.restoreEscapes())

        _ = cbreak(); _ = noecho(); _ = nonl()
        _ = intrflush(cnc_stdscr(), false)
        _ = scrollok(cnc_stdscr(), false)
        _ = leaveok(cnc_stdscr(), true)
        _ = typeahead(-1)  // a frame is always drawn whole, even with keys waiting (curses never reads them)
        _ = curs_set(0)

        var terminfoColors: Int? = nil
        if has_colors() {
            _ = start_color()
            _ = use_default_colors()
            terminfoColors = Int(cnc_colors())
        }
        let detected = TerminalCapabilities.detect(environment: environment, terminfoColors: terminfoColors,
                                                   localeCodeset: codeset, color: color, asciiOnly: asciiOnly)
        let ceiling = TerminalCapabilities.depthFromCount(terminfoColors ?? 0)
        capabilities = TerminalCapabilities(colorDepth: min(detected.colorDepth, ceiling), unicode: detected.unicode)
        directColor = (terminfoColors ?? 0) >= 16_777_216
        pairTable = ColorPairTable(capacity: has_colors() ? Int(cnc_color_pairs()) : 1)

        width = Int(cnc_cols()); height = Int(cnc_lines())
        wakeFileDescriptor = TerminalSignals.wakeReadEnd()
        TerminalSignals.forwardTerminatingSignalsAndResizes()
    }

    deinit { restore() }

    /// Starts copying every byte curses writes to `sink` as well (--record): an OutputTee in place of curses'
    /// descriptor. The sink first gets terminfo's smcup and civis, which curses sent while starting (before a tee
    /// could be in place: it sets the terminal's modes through that descriptor), so a player is in the same state.
    /// False when it cannot (no descriptor of its own, no pipe); the view then runs unrecorded.
    public func startRecording(sink: @escaping OutputTee.Sink) -> Bool {
        guard tee == nil, !isRestored, outputDescriptor != STDOUT_FILENO else { return false }
        var startup: [UInt8] = []
        for name in ["smcup", "civis"] {
            guard let pointer = tigetstr(name), Int(bitPattern: pointer) != -1 else { continue }
            startup.append(contentsOf: Array(String(cString: pointer).utf8))
        }
        if !startup.isEmpty { sink(startup, monotonicMicroseconds(), width, height) }
        tee = OutputTee(cursesDescriptor: outputDescriptor, sink: sink)
        return tee != nil
    }

    /// The bytes that undo full-screen mode, from terminfo: sgr0 (attributes off), cnorm (cursor visible), rmkx
    /// (keypad and cursor keys back to normal mode), rmcup (leave the alternate screen), then the xterm spelling of
    /// normal cursor keys and keypad (ESC [?1l ESC >) in case terminfo lacks rmkx, then a newline.
    static func restoreEscapes() -> [UInt8] {
        var bytes: [UInt8] = []
        for name in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            guard let pointer = tigetstr(name), Int(bitPattern: pointer) != -1 else { continue }
            bytes.append(contentsOf: Array(String(cString: pointer).utf8))
        }
        bytes.append(contentsOf: Array("\u{1B}[?1l\u{1B}>\r\n".utf8))
        return bytes
    }

    /// Why the terminal named `term` cannot host the live view (unknown to terminfo, or no cursor addressing),
    /// nil when it can. Loads terminfo only (setupterm, nothing is written), then frees it.
    public static func terminfoProblem(term: String) -> CursesScreenError? {
        guard !term.isEmpty else { return .unknownTerminal(term) }
        switch cnc_terminfo_cursor_addressing(term, STDOUT_FILENO) {
        case 1: return nil
        case 0: return .noCursorAddressing(term)
        default: return .unknownTerminal(term)
        }
    }

    // MARK: drawing

    /// Shows `canvas`: only runs of changed cells are handed to curses, then one doupdate.
    public func draw(_ canvas: Canvas) {
        guard !isRestored else { return }
        let runs = canvas.changedRuns(since: previous)
        guard !runs.isEmpty else { canvas.recycle(); return }
        for run in runs where run.y < height {
            let end = min(run.x + run.count, width)
            guard end > run.x else { continue }
            runBuffer.removeAll(keepingCapacity: true)
            for column in run.x..<end { runBuffer.append(cursesCell(canvas[column, run.y]!)) }
            cellsWritten += runBuffer.count
            runBuffer.withUnsafeBufferPointer { buffer in
                _ = mvwadd_wchnstr(cnc_stdscr(), Int32(run.y), Int32(run.x), buffer.baseAddress, Int32(buffer.count))
            }
        }
        let replaced = previous
        previous = canvas
        replaced?.recycle()   // the next frame's canvas is made in its buffer (no fresh 385 KB mapping at 200x60)
        _ = wnoutrefresh(cnc_stdscr())
        _ = doupdate()
    }

    /// One canvas cell as a curses wide cell: character (one column, else '?'), attributes and colour pair.
    private func cursesCell(_ cell: Cell) -> cchar_t {
        let (attributes, pair) = attributesAndPair(for: cell.style)
        var scalar = cell.character.unicodeScalars.first?.value ?? 32
        if scalar < 32 || scalar == 127 { scalar = 32 }
        if scalar >= 128 && (!capabilities.unicode || cnc_wcwidth(wchar_t(scalar)) != 1) { scalar = 63 }  // '?'
        var characters: [wchar_t] = [wchar_t(scalar), 0]
        var result = cchar_t()
        var extendedPair = pair
        _ = setcchar(&result, &characters, attributes, Int16(truncatingIfNeeded: min(pair, 32767)), &extendedPair)
        return result
    }

    /// Attributes and colour pair of a style, allocating the pair the first time it is seen.
    private func attributesAndPair(for style: Style) -> (attr_t, Int32) {
        if let cached = attributeCache[style] { return cached }
        var attributes = cnc_a_normal()
        if style.bold { attributes |= cnc_a_bold() }
        if style.dim { attributes |= cnc_a_dim() }
        if style.reverse { attributes |= cnc_a_reverse() }
        if style.underline { attributes |= cnc_a_underline() }
        var pair: Int32 = 0
        if capabilities.colorDepth > .monochrome {
            let depth = capabilities.colorDepth
            let foreground = CursesColorMapping.colorNumber(for: style.foreground, depth: depth, directColor: directColor)
            let background = CursesColorMapping.colorNumber(for: style.background, depth: depth, directColor: directColor)
            let (number, isNew) = pairTable.pair(foreground: foreground, background: background)
            if isNew { _ = init_extended_pair(number, foreground, background) }
            pair = number
        }
        attributeCache[style] = (attributes, pair)
        return (attributes, pair)
    }

    // MARK: input

    /// Waits for input: keys from stdin, signals and wake-ups from the self-pipe. nil timeout blocks until one
    /// of them arrives (no CPU while idle). End of input (hang-up, error, EOF) is reported, never spun on.
    public func nextInput(timeoutMilliseconds: Int?) -> ScreenInput {
        if !pendingInputs.isEmpty { return pendingInputs.removeFirst() }
        guard !isRestored else { return .endOfInput("screen restored") }
        let deadline = timeoutMilliseconds.map { monotonicMilliseconds() + $0 }
        while true {
            // Wait for the caller's deadline or for the decoder's (a lone ESC becomes Escape, stale bytes go).
            let now = monotonicMilliseconds()
            let wakeAt = [deadline, decoder.deadlineMilliseconds].compactMap { $0 }.min()
            let remaining = wakeAt.map { Int32(clamping: max(0, $0 - now)) } ?? -1
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeFileDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), remaining)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput("poll failed: errno \(errno)")
            }
            if fds[1].revents != 0 { pendingInputs += inputsFromPipe() }
            let stdinEvents = Int32(fds[0].revents)
            if stdinEvents & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
                // Readable or hung up: the read itself says whether there are keys or the input ended.
                pendingInputs += readKeys()
            } else if stdinEvents & Int32(POLLNVAL) != 0 {
                pendingInputs.append(.endOfInput("the terminal is closed"))
            }
            // Timed-out bytes resolve on time even while wake-ups (engine progress) keep the pipe busy.
            if let due = decoder.deadlineMilliseconds, monotonicMilliseconds() >= due {
                pendingInputs += decoder.expire(atMilliseconds: monotonicMilliseconds()).map { .key($0) }
            }
            if !pendingInputs.isEmpty {
                // Signals first: a quit must not wait behind a burst of keys.
                if let index = pendingInputs.firstIndex(where: { if case .signal = $0 { return true }; return false }) {
                    return pendingInputs.remove(at: index)
                }
                return pendingInputs.removeFirst()
            }
            if let deadline, monotonicMilliseconds() >= deadline { return .timeout }
        }
    }

    /// Makes the next draw repaint every cell from scratch (Ctrl-L: the terminal's contents were damaged).
    public func repaint() {
        guard !isRestored else { return }
        _ = clearok(cnc_stdscr(), true)
        previous = nil
    }

    /// Wakes `nextInput` from another thread.
    public func wake() { TerminalSignals.wake() }

    /// Decodes the self-pipe: signal numbers and wake bytes. Resizes are applied to curses here.
    private func inputsFromPipe() -> [ScreenInput] {
        var inputs: [ScreenInput] = []
        var woke = false, resized = false
        for byte in TerminalSignals.drainPipe() {
            if byte == wakeByte { woke = true }
            else if Int32(byte) == SIGWINCH { resized = true }
            else if !inputs.contains(.signal(Int32(byte))) { inputs.append(.signal(Int32(byte))) }
        }
        if resized, let size = applyTerminalSize() { inputs.append(.resize(width: size.width, height: size.height)) }
        if woke { inputs.append(.wake) }
        return inputs
    }

    /// Reads the window size from the tty and resizes curses to it; nil when it did not change or is unknown.
    private func applyTerminalSize() -> (width: Int, height: Int)? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        let newWidth = Int(size.ws_col), newHeight = Int(size.ws_row)
        _ = resize_term(Int32(newHeight), Int32(newWidth))
        width = Int(cnc_cols()); height = Int(cnc_lines())
        // The terminal reflowed or cleared its contents on resize, so curses' record of what is on screen is
        // stale: the next doupdate clears and repaints every cell (once per resize, never per frame).
        _ = clearok(cnc_stdscr(), true)
        previous = nil
        return (width, height)
    }

    /// Reads what is waiting on the terminal (poll said it is readable or hung up) and decodes it. End of input
    /// is decided from the read alone: 0 bytes (EOF), EIO (the other side of the pty is gone) or another error.
    private func readKeys() -> [ScreenInput] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        if count > 0 {
            return decoder.feed(buffer[0..<count], atMilliseconds: monotonicMilliseconds()).map { .key($0) }
        }
        if count == 0 { return [.endOfInput("end of input on the terminal")] }
        switch errno {
        case EINTR, EAGAIN: return []
        case EIO: return [.endOfInput("the terminal hung up")]
        default: return [.endOfInput("read error on the terminal: errno \(errno)")]
        }
    }

    // MARK: restore

    /// Ends curses (endwin), puts signal handlers back and removes the crash handlers. Idempotent.
    public func restore() {
        guard !isRestored else { return }
        isRestored = true
        tee?.stop()  // every byte curses wrote is on the terminal (and recorded) before the restore goes out
        _ = curs_set(1)
        _ = endwin()
        TerminalSignals.removeCrashRestore()
        TerminalSignals.resetForwardedSignals()
        if let screen = screenPointer { delscreen(screen); screenPointer = nil }
        if let file = outputFile { fclose(file); outputFile = nil }
        fflush(nil)  // every output stream, stdout included
    }
}

/// Microseconds on the monotonic clock.
public func monotonicMicroseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1000
}

/// Milliseconds on the monotonic clock.
public func monotonicMilliseconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
}
