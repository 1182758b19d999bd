// Keys mapped to commands: the one table the update function and the help overlay both read.
import Terminal

/// A user command, independent of the key that triggers it.
public enum Command: Equatable, Sendable {
    /// Focus the named initializer, adding it to the comparison when absent.
    case focusInitializer(String)
    case focusNext, focusPrevious
    case layerNext, layerPrevious, layerFirst, layerLast
    case activationNext, activationPrevious
    case depthUp, depthDown, widthUp, widthDown, batchUp, batchDown
    case newSeed, toggleHistogramScale, togglePause, step, rerun, nextTheme, toggleHelp, quit
    /// Repaint the whole terminal (Ctrl-L), keeping everything else as it is.
    case redraw
}

/// One line of the help: the keys as shown and what they do.
public struct KeyBinding: Equatable, Sendable {
    /// Keys as the help shows them ("x", "up/k").
    public var keys: String
    /// What they do, in a few words.
    public var summary: String
}

/// The key map of the live screen.
public enum KeyMap {
    /// The command bound to `key`, nil when the key does nothing (unknown keys are ignored). With help open, any
    /// key closes it (q still quits, Ctrl-L repaints and keeps it). Esc is not quit: it only closes the help, so a
    /// lone or late ESC from a slow link can never end the program.
    public static func command(for key: KeyPress) -> Command? {
        switch key {
        case .up, .character("k"), .backTab: return .focusPrevious
        case .down, .character("j"), .tab: return .focusNext
        case .left: return .layerPrevious
        case .right: return .layerNext
        case .home: return .layerFirst
        case .end: return .layerLast
        case .interrupt, .character("q"): return .quit
        case .control("l"): return .redraw
        case .character(let c):
            if let name = InitializerCatalog.name(forKey: c) { return .focusInitializer(name) }
            switch c {
            case "a": return .activationNext
            case "A": return .activationPrevious
            case "+", "=": return .depthUp
            case "-", "_": return .depthDown
            case "]": return .widthUp
            case "[": return .widthDown
            case "b": return .batchUp
            case "B": return .batchDown
            case "s": return .newSeed
            case "g": return .toggleHistogramScale
            case " ": return .togglePause
            case ".": return .step
            case "r": return .rerun
            case "t": return .nextTheme
            case "?": return .toggleHelp
            default: return nil
            }
        default: return nil
        }
    }

    /// Every key, in the order the help lists them; arrows named with `glyphs`.
    public static func bindings(glyphs: GlyphSet) -> [KeyBinding] {
        let a = glyphs.arrows
        var lines = InitializerCatalog.keyNames.map { KeyBinding(keys: String($0.key), summary: "add/focus \($0.name)") }
        lines += [
            KeyBinding(keys: "\(a.up)/\(a.down) k/j", summary: "focus previous/next row"),
            KeyBinding(keys: "tab/S-tab", summary: "focus next/previous row"),
            KeyBinding(keys: "\(a.left)/\(a.right)", summary: "previous/next layer"),
            KeyBinding(keys: "home/end", summary: "first/last layer"),
            KeyBinding(keys: "a/A", summary: "next/previous activation"),
            KeyBinding(keys: "+/-", summary: "deeper/shallower"),
            KeyBinding(keys: "]/[", summary: "wider/narrower"),
            KeyBinding(keys: "b/B", summary: "larger/smaller batch"),
            KeyBinding(keys: "s", summary: "new random seed"),
            KeyBinding(keys: "g", summary: "histograms lin/log10|x|"),
            KeyBinding(keys: "space", summary: "pause/resume"),
            KeyBinding(keys: ".", summary: "step one layer"),
            KeyBinding(keys: "r", summary: "rerun"),
            KeyBinding(keys: "t", summary: "next theme"),
            KeyBinding(keys: "?", summary: "this help"),
            KeyBinding(keys: "C-l", summary: "redraw the screen"),
            KeyBinding(keys: "q", summary: "quit"),
        ]
        return lines
    }
}
