// The one file that calls ncurses. A Screen on the process's controlling terminal (stdin/stdout):
// start-up (setlocale, newterm, cbreak, noecho, nonl, keypad, curs_set(0)), colour pairs on demand, erase-free
// drawing of only the cells that changed (mvwadd_wchnstr per changed run, then doupdate; never clear per frame),
// input by poll() on stdin plus a self-pipe (signals, wake-ups), keys by get_wch in no-delay mode, SIGWINCH by
// resize_term, and a restore that always runs (q, signals, end of input, crash handlers).
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

    /// One-line message for the user.
    public var description: String {
        switch self {
        case .notATerminal:
            return "initscope: the live view needs a terminal on stdin and stdout; use `initscope report` for text output"
        case .unknownTerminal(let term):
            return "initscope: unknown terminal type TERM=\(term); try TERM=xterm-256color or use `initscope report`"
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
    private var emptyReadableWakeups = 0
    private var isRestored = false
    private let wakeFileDescriptor: Int32
    private var runBuffer: [cchar_t] = []

    /// Starts curses on the terminal. `color` and `asciiOnly` are the `--color` and `--ascii` flags.
    /// Throws `notATerminal` when stdin or stdout is not a tty, `unknownTerminal` when terminfo fails.
    public init(color: ColorChoice, asciiOnly: Bool,
                environment: [String: String]) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesScreenError.notATerminal }
        _ = setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) }

        var settings = termios()
        _ = tcgetattr(STDIN_FILENO, &settings)
        TerminalSignals.installCrashRestore(settings: settings, escapes: Array("\u{1B}[0m\u{1B}[?25h\r\n".utf8))

        let term = environment["TERM"] ?? ""
        guard let screen = newterm(nil, cnc_stdout(), cnc_stdin()) else {
            TerminalSignals.removeCrashRestore()
            throw CursesScreenError.unknownTerminal(term)
        }
        screenPointer = screen
        _ = set_term(screen)
        TerminalSignals.setCrashEscapes(CursesScreen.restoreEscapes())

        _ = cbreak(); _ = noecho(); _ = nonl()
        _ = intrflush(cnc_stdscr(), false)
        _ = keypad(cnc_stdscr(), true)
        _ = nodelay(cnc_stdscr(), true)
        _ = scrollok(cnc_stdscr(), false)
        _ = leaveok(cnc_stdscr(), true)
        _ = set_escdelay(25)
        CursesScreen.defineCommonKeySequences()
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

    /// The bytes that undo full-screen mode, from terminfo: sgr0 (attributes off), cnorm (cursor visible),
    /// rmcup (leave the alternate screen), then a newline.
    static func restoreEscapes() -> [UInt8] {
        var bytes: [UInt8] = []
        for name in ["sgr0", "cnorm", "rmcup"] {
            guard let pointer = tigetstr(name), Int(bitPattern: pointer) != -1 else { continue }
            bytes.append(contentsOf: Array(String(cString: pointer).utf8))
        }
        bytes.append(contentsOf: Array("\r\n".utf8))
        return bytes
    }

    // MARK: drawing

    /// Shows `canvas`: only runs of changed cells are handed to curses, then one doupdate.
    public func draw(_ canvas: Canvas) {
        guard !isRestored else { return }
        let runs = canvas.changedRuns(since: previous)
        guard !runs.isEmpty else { return }
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
        previous = canvas
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
            var remaining: Int32 = -1
            if let deadline { remaining = Int32(clamping: max(0, deadline - monotonicMilliseconds())) }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeFileDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), remaining)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput("poll failed: errno \(errno)")
            }
            if ready == 0 { return .timeout }
            if fds[1].revents != 0 { pendingInputs += inputsFromPipe() }
            let stdinEvents = Int32(fds[0].revents)
            if stdinEvents & Int32(POLLIN) != 0 {
                let keys = readKeys()
                if keys.isEmpty {
                    // Readable but nothing decoded: a partial escape sequence, or a closed input. Never spin.
                    emptyReadableWakeups += 1
                    var waiting: Int32 = 0
                    if ioctl(STDIN_FILENO, UInt(FIONREAD), &waiting) != 0 || (waiting == 0 && emptyReadableWakeups >= 3) {
                        pendingInputs.append(.endOfInput("end of input on the terminal"))
                    }
                } else {
                    emptyReadableWakeups = 0
                    pendingInputs += keys
                }
            } else if stdinEvents & Int32(POLLHUP | POLLERR | POLLNVAL) != 0 {
                pendingInputs.append(.endOfInput("the terminal hung up"))
            }
            if !pendingInputs.isEmpty {
                // Signals first: a quit must not wait behind a burst of keys.
                if let index = pendingInputs.firstIndex(where: { if case .signal = $0 { return true }; return false }) {
                    return pendingInputs.remove(at: index)
                }
                return pendingInputs.removeFirst()
            }
        }
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

    /// Home/End/Insert/Delete spellings that terminfo entries often lack (tmux and screen send ESC[1~ / ESC[4~
    /// whatever TERM says; rxvt sends ESC[7~ / ESC[8~), so they are keys rather than an Escape plus junk.
    static func defineCommonKeySequences() {
        let sequences: [(String, Int32)] = [
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[H", KEY_HOME), ("\u{1B}OH", KEY_HOME),
            ("\u{1B}[4~", KEY_END), ("\u{1B}[8~", KEY_END), ("\u{1B}[F", KEY_END), ("\u{1B}OF", KEY_END),
            ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[Z", KEY_BTAB),
            ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
            ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
        ]
        for (sequence, code) in sequences where key_defined(sequence) <= 0 { _ = define_key(sequence, code) }
    }

    /// Every key waiting in curses (no-delay mode): ERR ends the batch. An Escape followed at once by more
    /// input is an escape sequence curses did not know: it is dropped whole (never read as Escape = quit).
    private func readKeys() -> [ScreenInput] {
        var raw: [(isKeyCode: Bool, value: UInt32)] = []
        var inputs: [ScreenInput] = []
        while raw.count < 256 {
            var value: wint_t = 0
            let status = get_wch(&value)
            if status == ERR { break }
            if status == KEY_CODE_YES && Int32(value) == KEY_RESIZE {
                if let size = applyTerminalSize() { inputs.append(.resize(width: size.width, height: size.height)) }
                continue
            }
            raw.append((status == KEY_CODE_YES, UInt32(value)))
        }
        for value in CursesScreen.droppingUnknownEscapeSequences(raw) {
            if let key = CursesScreen.decodeKey(isKeyCode: value.isKeyCode, value: value.value) { inputs.append(.key(key)) }
        }
        return inputs
    }

    /// Removes unknown escape sequences from a batch of get_wch results: ESC '[' params final (final byte
    /// 0x40-0x7E), ESC 'O' x, and ESC x (Alt+x). A lone ESC at the end of the batch is the Escape key.
    public static func droppingUnknownEscapeSequences(_ batch: [(isKeyCode: Bool, value: UInt32)])
        -> [(isKeyCode: Bool, value: UInt32)] {
        var result: [(isKeyCode: Bool, value: UInt32)] = []
        var index = 0
        while index < batch.count {
            let item = batch[index]
            guard !item.isKeyCode, item.value == 27, index + 1 < batch.count, !batch[index + 1].isKeyCode else {
                result.append(item); index += 1; continue
            }
            let introducer = batch[index + 1].value
            index += 2
            if introducer == 91 {  // '[': parameters and intermediates, then one final byte
                while index < batch.count, !batch[index].isKeyCode {
                    let byte = batch[index].value
                    index += 1
                    if (0x40...0x7E).contains(byte) { break }
                }
            } else if introducer == 79, index < batch.count {  // 'O' x
                index += 1
            }
        }
        return result
    }

    /// A key from get_wch: a key code (KEY_UP ...) when `isKeyCode`, else a character. nil for keys we ignore.
    public static func decodeKey(isKeyCode: Bool, value: UInt32) -> KeyPress? {
        if isKeyCode {
            switch Int32(value) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME, KEY_BEG: return .home
            case KEY_END, KEY_LL: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(Int32(value) - KEY_F0))
            default: return nil
            }
        }
        switch value {
        case 3: return .interrupt
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    // MARK: restore

    /// Ends curses (endwin), puts signal handlers back and removes the crash handlers. Idempotent.
    public func restore() {
        guard !isRestored else { return }
        isRestored = true
        _ = curs_set(1)
        _ = endwin()
        TerminalSignals.removeCrashRestore()
        TerminalSignals.resetForwardedSignals()
        if let screen = screenPointer { delscreen(screen); screenPointer = nil }
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
