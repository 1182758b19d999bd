// Keys as the front end sees them, independent of terminals and their byte sequences (see KeyDecoder).

/// One key press decoded by a screen.
public enum KeyPress: Equatable, Hashable, Sendable {
    /// A printable character ("x", "+", "?", " ").
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace
    /// Ctrl-C read as a key (when the terminal delivers it as input rather than a signal).
    case interrupt
    /// Ctrl plus a letter other than those named above (Ctrl-L is `.control("l")`), lower case.
    case control(Character)
    /// A function key F1...F12.
    case function(Int)
}
