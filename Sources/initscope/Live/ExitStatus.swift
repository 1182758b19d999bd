// Exit statuses of initscope (sysexits.h numbers), documented in README.md.

/// Process exit statuses.
enum ExitStatus {
    /// Normal end (q).
    static let success: Int32 = 0
    /// Bad command line (EX_USAGE).
    static let usage: Int32 = 64
    /// An input file (theme) could not be read (EX_NOINPUT).
    static let unreadableInput: Int32 = 66
    /// Not run on a terminal, or terminfo unusable (EX_UNAVAILABLE).
    static let noTerminal: Int32 = 69
    /// Internal error (EX_SOFTWARE).
    static let internalError: Int32 = 70
    /// The terminal's input ended or failed (EX_IOERR).
    static let ioError: Int32 = 74
}
