// The Screen protocol: what the run loop needs from a terminal, implemented by CursesScreen (a real terminal)
// and MemoryScreen (tests). Sizes are in cells (columns x rows).

/// Something read from a screen's input.
public enum ScreenInput: Equatable, Sendable {
    /// A key press.
    case key(KeyPress)
    /// The terminal now has `width` columns and `height` rows.
    case resize(width: Int, height: Int)
    /// The run loop was woken by another thread (a mailbox post); nothing was read.
    case wake
    /// The timeout expired with no input.
    case timeout
    /// The process received a terminating signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, ...); the number is given.
    case signal(Int32)
    /// Input ended (EOF, hang-up, read error): the program must end. The text says why.
    case endOfInput(String)
}

/// A terminal-like surface that shows canvases and produces input.
public protocol Screen: AnyObject {
    /// Current size: columns, rows.
    var width: Int { get }
    /// Current size: rows.
    var height: Int { get }
    /// What the terminal can show.
    var capabilities: TerminalCapabilities { get }
    /// Shows `canvas`, writing only the cells that differ from the last canvas shown.
    func draw(_ canvas: Canvas)
    /// Waits at most `timeoutMilliseconds` (nil = until something happens) for input and returns it.
    func nextInput(timeoutMilliseconds: Int?) -> ScreenInput
    /// Makes the next `draw` repaint every cell, whatever was shown before (Ctrl-L).
    func repaint()
    /// Wakes a thread blocked in `nextInput` from any thread (returns `.wake` there). Async-safe.
    func wake()
    /// Gives the terminal back to the shell (idempotent).
    func restore()
}
