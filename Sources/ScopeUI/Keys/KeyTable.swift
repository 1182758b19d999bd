// The one table of key bindings: the key map, the help overlay's key list and the status-line hints are all
// derived from it. Tests/Soak/keys.txt lists every key here (SoakKeyTableTests checks it).
import Terminal

/// One key and the command it triggers.
public struct KeyCommand: Equatable, Sendable {
    /// The key.
    public var key: KeyPress
    /// What it does.
    public var command: Command
    /// Pairs `key` with `command`.
    public init(_ key: KeyPress, _ command: Command) { self.key = key; self.command = command }
}

/// One line of the key table: the keys as the help shows them, what they do, and the status-line hint.
public struct KeyBinding: Equatable, Sendable {
    /// Keys as the help shows them ("x", "up/down k/j").
    public var keys: String
    /// What they do, in a few words.
    public var summary: String
    /// The status line's short hint ("a:act"), nil when the key is listed in the help only.
    public var hint: String?
    /// Order of the hints in the status line: lower shows first.
    public var hintRank: Int
    /// An essential hint: always shown before the others (they all fit at 80 columns).
    public var pinned: Bool
    /// The keys bound on this line and their commands.
    public var bindings: [KeyCommand]

    /// Creates a line of the table.
    public init(keys: String, summary: String, hint: String? = nil, hintRank: Int = 100, pinned: Bool = false,
                bindings: [KeyCommand]) {
        self.keys = keys; self.summary = summary; self.hint = hint; self.hintRank = hintRank; self.pinned = pinned
        self.bindings = bindings
    }
}

/// The key map of the live screen, derived from `table`.
public enum KeyMap {
    /// In a lecture, `n` and `p` move between scenes; the initializer `n` adds in the live view moves to this key.
    public static let lectureNaiveKey: Character = "v"

    /// Every key binding in the help's order; arrows named with `glyphs`. In a `lecture`, the first line is
    /// `n`/`p` (and PageDown/PageUp, the keys of presentation clickers) for the next and previous scene, and the
    /// initializer on `n` in the live view is on `lectureNaiveKey`.
    public static func table(glyphs: GlyphSet, lecture: Bool = false) -> [KeyBinding] {
        let a = glyphs.arrows
        let keyNames = InitializerCatalog.keyNames.map { entry in
            (key: lecture && entry.key == "n" ? lectureNaiveKey : entry.key, name: entry.name, moved: lecture && entry.key == "n")
        }
        let initializerKeys = keyNames.map { String($0.key) }.joined(separator: " ")
        var lines: [KeyBinding] = []
        if lecture {
            lines.append(KeyBinding(keys: "n/p", summary: "next/prev scene pgdn/pgup", hint: "n/p:scene", hintRank: 0, pinned: true,
                                    bindings: [KeyCommand(.character("n"), .sceneNext), KeyCommand(.pageDown, .sceneNext),
                                               KeyCommand(.character("p"), .scenePrevious), KeyCommand(.pageUp, .scenePrevious)]))
        }
        lines += keyNames.enumerated().map { index, entry in
            KeyBinding(keys: String(entry.key), summary: entry.moved ? "\(entry.name) (live: n)" : "add/focus \(entry.name)",
                       hint: index == 0 ? "\(initializerKeys):init" : nil, hintRank: 2, pinned: true,
                       bindings: [KeyCommand(.character(entry.key), .focusInitializer(entry.name))])
        }
        lines += InitializerCatalog.residualKeyNames.map { entry in
            KeyBinding(keys: String(entry.key), summary: "resnet row \(entry.name)",
                       bindings: [KeyCommand(.character(entry.key), .focusInitializer(entry.name))])
        }
        // One help line for the three (the help lists every key at 72x20).
        let transformerKeys = InitializerCatalog.transformerKeyNames
        lines.append(KeyBinding(keys: transformerKeys.map { String($0.key) }.joined(separator: "/"),
                                summary: transformerKeys.map(\.name).joined(separator: "/") + " row",
                                bindings: transformerKeys.map { KeyCommand(.character($0.key), .focusInitializer($0.name)) }))
        lines += [
            KeyBinding(keys: "m", summary: "next architecture", hint: "m:arch", hintRank: 19,
                       bindings: [KeyCommand(.character("m"), .architectureNext)]),
            KeyBinding(keys: "z", summary: "next normalization", hint: "z:norm", hintRank: 20,
                       bindings: [KeyCommand(.character("z"), .normalizationNext)]),
            KeyBinding(keys: "w/W", summary: "next/prev. site in block", hint: "w:site", hintRank: 21,
                       bindings: [KeyCommand(.character("w"), .siteNext), KeyCommand(.character("W"), .sitePrevious)]),
            KeyBinding(keys: "D", summary: "remove the focused row", hint: "D:drop", hintRank: 7,
                       bindings: [KeyCommand(.character("D"), .removeRow)]),
            KeyBinding(keys: "R", summary: "reset rows to the default", hint: "R:reset", hintRank: 8,
                       bindings: [KeyCommand(.character("R"), .resetRows)]),
            // Every focus key on one line (tab and shift-tab as j and k), so the help still fits 72x20 in two columns.
            KeyBinding(keys: "\(a.up)\(a.down) kj tab", summary: "focus previous/next row", hint: "\(a.up)\(a.down):focus", hintRank: 5, pinned: true,
                       bindings: [KeyCommand(.up, .focusPrevious), KeyCommand(.character("k"), .focusPrevious),
                                  KeyCommand(.down, .focusNext), KeyCommand(.character("j"), .focusNext),
                                  KeyCommand(.tab, .focusNext), KeyCommand(.backTab, .focusPrevious)]),
            KeyBinding(keys: "\(a.left)/\(a.right)", summary: "previous/next layer", hint: "\(a.left)\(a.right):layer", hintRank: 4, pinned: true,
                       bindings: [KeyCommand(.left, .layerPrevious), KeyCommand(.right, .layerNext)]),
            KeyBinding(keys: "home/end", summary: "first/last layer",
                       bindings: [KeyCommand(.home, .layerFirst), KeyCommand(.end, .layerLast)]),
            KeyBinding(keys: "a/A", summary: "next/previous activation", hint: "a:act", hintRank: 3, pinned: true,
                       bindings: [KeyCommand(.character("a"), .activationNext), KeyCommand(.character("A"), .activationPrevious)]),
            KeyBinding(keys: "+/-", summary: "deeper/shallower", hint: "+-:depth", hintRank: 6, pinned: true,
                       bindings: [KeyCommand(.character("+"), .depthUp), KeyCommand(.character("="), .depthUp),
                                  KeyCommand(.character("-"), .depthDown), KeyCommand(.character("_"), .depthDown)]),
            KeyBinding(keys: "]/[", summary: "wider/narrower", hint: "][:width", hintRank: 9,
                       bindings: [KeyCommand(.character("]"), .widthUp), KeyCommand(.character("["), .widthDown)]),
            KeyBinding(keys: "b/B", summary: "larger/smaller batch", hint: "bB:batch", hintRank: 14,
                       bindings: [KeyCommand(.character("b"), .batchUp), KeyCommand(.character("B"), .batchDown)]),
            KeyBinding(keys: "s", summary: "new random seed", hint: "s:seed", hintRank: 13,
                       bindings: [KeyCommand(.character("s"), .newSeed)]),
            KeyBinding(keys: "S", summary: "scale per row/shared", hint: "S:scale", hintRank: 10,
                       bindings: [KeyCommand(.character("S"), .toggleScale)]),
            // The lower panel's keys share a line, so the help still fits 72x20 in two columns.
            KeyBinding(keys: "g J", summary: "lin/log10|x|, next panel", hint: "g:log", hintRank: 11,
                       bindings: [KeyCommand(.character("g"), .toggleHistogramScale), KeyCommand(.character("J"), .cycleLowerPanel)]),
            KeyBinding(keys: "enter", summary: "skip the animation", hint: "enter:skip", hintRank: 12,
                       bindings: [KeyCommand(.enter, .skipAnimation)]),
            KeyBinding(keys: "space", summary: "pause/resume", hint: "space:pause", hintRank: 15,
                       bindings: [KeyCommand(.character(" "), .togglePause)]),
            KeyBinding(keys: ".", summary: "step one layer", hint: ".:step", hintRank: 16,
                       bindings: [KeyCommand(.character("."), .step)]),
            KeyBinding(keys: "r", summary: "rerun every row", hint: "r:rerun", hintRank: 17,
                       bindings: [KeyCommand(.character("r"), .rerun)]),
            // Theme and screen files share a line, so the help still fits 72x20 in two columns.
            KeyBinding(keys: "t C", summary: "next theme, save screen", hint: "t:theme", hintRank: 18,
                       bindings: [KeyCommand(.character("t"), .nextTheme), KeyCommand(.character("C"), .saveScreen)]),
            // One line for the training keys, so the help still fits 72x20 in two columns. In a lecture p is the
            // previous scene, so training has no pause key there.
            KeyBinding(keys: lecture ? "T/esc L" : "T/esc p L", summary: lecture ? "train/stop, lr map" : "train/stop, pause, lr map",
                       hint: "T:train", hintRank: 22,
                       bindings: [KeyCommand(.character("T"), .toggleTraining), KeyCommand(.escape, .stopTraining)]
                           + (lecture ? [] : [KeyCommand(.character("p"), .pauseTraining)]) + [KeyCommand(.character("L"), .toggleSweep)]),
            KeyBinding(keys: "?", summary: "this help (tab: more)", hint: "?:help", hintRank: 0, pinned: true,
                       bindings: [KeyCommand(.character("?"), .toggleHelp)]),
            KeyBinding(keys: "C-l", summary: "redraw the screen",
                       bindings: [KeyCommand(.control("l"), .redraw)]),
            KeyBinding(keys: "q", summary: "quit", hint: "q:quit", hintRank: 1, pinned: true,
                       bindings: [KeyCommand(.character("q"), .quit), KeyCommand(.interrupt, .quit)]),
        ]
        return lines
    }

    /// Key -> command, built once from the table (live view, lecture). Esc only stops training (and closes the
    /// help), so a lone or late ESC from a slow link can never end the program.
    static let lookup: [KeyPress: Command] = commands(table(glyphs: .ascii))
    static let lectureLookup: [KeyPress: Command] = commands(table(glyphs: .ascii, lecture: true))

    /// Key -> command of `lines`, the first binding of a key winning.
    static func commands(_ lines: [KeyBinding]) -> [KeyPress: Command] {
        var map: [KeyPress: Command] = [:]
        for line in lines { for binding in line.bindings where map[binding.key] == nil { map[binding.key] = binding.command } }
        return map
    }

    /// The command bound to `key` (in a `lecture`: its table), nil when the key does nothing (unknown keys are ignored).
    public static func command(for key: KeyPress, lecture: Bool = false) -> Command? { (lecture ? lectureLookup : lookup)[key] }

    /// Every line of the table, for the help overlay (kept under its former name).
    public static func bindings(glyphs: GlyphSet, lecture: Bool = false) -> [KeyBinding] { table(glyphs: glyphs, lecture: lecture) }

    /// The status-line hints: the pinned (essential) ones in rank order, then the others ordered by use: keys not
    /// used yet first, so the line keeps offering what the user has not tried (`used`: indices into `table`).
    public static func hints(glyphs: GlyphSet, used: Set<Int> = [], lecture: Bool = false) -> [String] {
        let lines = table(glyphs: glyphs, lecture: lecture).enumerated().filter { $0.element.hint != nil }
        return lines.sorted { a, b in
            let keyA = (a.element.pinned ? 0 : used.contains(a.offset) ? 2 : 1, a.element.hintRank)
            let keyB = (b.element.pinned ? 0 : used.contains(b.offset) ? 2 : 1, b.element.hintRank)
            return keyA < keyB
        }.compactMap(\.element.hint)
    }

    /// The line of `table` (its index; in a `lecture`, of its table) that binds `key` and has a status-line hint,
    /// nil when none does.
    public static func hintedLineIndex(of key: KeyPress, lecture: Bool = false) -> Int? {
        (lecture ? lectureHintedLineIndexByKey : hintedLineIndexByKey)[key]
    }

    /// Key -> line of the table with a hint, built once (live view, lecture).
    static let hintedLineIndexByKey: [KeyPress: Int] = hintedLines(table(glyphs: .ascii))
    static let lectureHintedLineIndexByKey: [KeyPress: Int] = hintedLines(table(glyphs: .ascii, lecture: true))

    /// Key -> index of the first line of `lines` with a hint that binds it.
    static func hintedLines(_ lines: [KeyBinding]) -> [KeyPress: Int] {
        var map: [KeyPress: Int] = [:]
        for (index, line) in lines.enumerated() where line.hint != nil {
            for binding in line.bindings where map[binding.key] == nil { map[binding.key] = index }
        }
        return map
    }
}
