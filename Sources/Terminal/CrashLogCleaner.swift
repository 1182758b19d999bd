// Plain text from what Swift's backtracer wrote for a terminal. The runtime decides colour once, at process start
// (SWIFT_BACKTRACE color=tty: stdout was the user's terminal then), so the crash log it writes later holds colour
// escapes and a progress line overwritten with CR + ESC[0K. The crash handler runs this filter over the log in
// place after the backtracer is done: escape sequences (CSI, OSC, two-byte ESC x) and other control bytes are
// dropped, and a line overwritten after a bare CR keeps only what came after the CR. Allocation-free, one byte at
// a time, so it can run inside a signal handler on a fixed buffer.
// Legend: offsets are byte positions in the cleaned output, counted from 0.

/// A streaming filter from terminal output to plain text (one byte in, at most two bytes out, never ahead of input).
public struct CrashLogCleaner: Sendable {
    private enum Escape: Sendable { case none, escape, controlSequence, operatingSystemCommand, operatingSystemEscape }

    private var escape = Escape.none
    private var pendingCarriageReturn = false
    /// Output offset where the current line starts (a bare CR rewinds the output to it).
    public private(set) var lineStart = 0
    /// Length of the cleaned output so far (bytes); after `finish`, the length to truncate the file to.
    public private(set) var outputLength = 0

    /// A filter at the start of a file.
    public init() {}

    /// Feeds one input byte; each byte kept is passed to `write` with its output offset, which never exceeds the
    /// number of input bytes fed before it (so writing in place over the input is safe).
    public mutating func feed(_ byte: UInt8, write: (_ offset: Int, _ byte: UInt8) -> Void) {
        switch escape {
        case .escape:
            // ESC [ starts a control sequence, ESC ] a command string; ESC followed by intermediates (0x20-0x2F)
            // waits for its final byte; any other byte ends the two-byte sequence.
            if byte == 0x5B { escape = .controlSequence } else if byte == 0x5D { escape = .operatingSystemCommand }
            else if !(0x20...0x2F).contains(byte) { escape = .none }
            return
        case .controlSequence:
            if (0x40...0x7E).contains(byte) { escape = .none; return }
            if byte >= 0x20 { return }
            escape = .none  // a control byte cuts a broken sequence short: handled as text below
        case .operatingSystemCommand:
            if byte == 0x07 { escape = .none } else if byte == 0x1B { escape = .operatingSystemEscape }
            return
        case .operatingSystemEscape:
            escape = byte == 0x5C ? .none : .operatingSystemCommand
            return
        case .none:
            break
        }
        if pendingCarriageReturn {
            pendingCarriageReturn = false
            // CR LF ends a line; a bare CR starts the line again (a progress line being overwritten).
            if byte != 0x0A { outputLength = lineStart }
        }
        switch byte {
        case 0x1B: escape = .escape
        case 0x0D: pendingCarriageReturn = true
        case 0x0A:
            write(outputLength, byte); outputLength += 1; lineStart = outputLength
        case 0x09:
            write(outputLength, byte); outputLength += 1
        case 0x00..<0x20, 0x7F:
            break  // bell, backspace and the other controls: nothing a text file shows
        default:
            write(outputLength, byte); outputLength += 1
        }
    }

    /// Ends the input: a CR at the very end is dropped, the line before it stays (as the terminal showed it).
    public mutating func finish() { pendingCarriageReturn = false; escape = .none }

    /// The cleaned text of `bytes` (for tests and callers without a file).
    public static func cleaned(_ bytes: [UInt8]) -> [UInt8] {
        var cleaner = CrashLogCleaner()
        var output: [UInt8] = []
        for byte in bytes {
            cleaner.feed(byte) { offset, kept in
                if offset < output.count { output[offset] = kept } else { output.append(kept) }
            }
        }
        cleaner.finish()
        return Array(output.prefix(cleaner.outputLength))
    }
}
