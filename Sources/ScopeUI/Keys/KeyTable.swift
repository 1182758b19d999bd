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
    /// Every key binding in the help's order; arrows named with `glyphs`.
    public static func table(glyphs: GlyphSet) -> [KeyBinding] {
        let a = glyphs.arrows
        let initializerKeys = InitializerCatalog.keyNames.map { String($0.key) }.joined(separator: " ")
        var lines = InitializerCatalog.keyNames.enumerated().map { index, entry in
            KeyBinding(keys: String(entry.key), summary: "add/focus \(entry.name)",
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
            KeyBinding(keys: "\(a.up)/\(a.down) k/j", summary: "focus previous/next row", hint: "\(a.up)\(a.down):focus", hintRank: 5, pinned: true,
                       bindings: [KeyCommand(.up, .focusPrevious), KeyCommand(.character("k"), .focusPrevious),
                                  KeyCommand(.down, .focusNext), KeyCommand(.character("j"), .focusNext)]),
            KeyBinding(keys: "tab/S-tab", summary: "focus next/previous row",
                       bindings: [KeyCommand(.tab, .focusNext), KeyCommand(.backTab, .focusPrevious)]),
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
            KeyBinding(keys: "g", summary: "histograms lin/log10|x|", hint: "g:log", hintRank: 11,
                       bindings: [KeyCommand(.character("g"), .toggleHistogramScale)]),
            KeyBinding(keys: "enter", summary: "skip the animation", hint: "enter:skip", hintRank: 12,
                       bindings: [KeyCommand(.enter, .skipAnimation)]),
            KeyBinding(keys: "space", summary: "pause/resume", hint: "space:pause", hintRank: 15,
                       bindings: [KeyCommand(.character(" "), .togglePause)]),
            KeyBinding(keys: ".", summary: "step one layer", hint: ".:step", hintRank: 16,
                       bindings: [KeyCommand(.character("."), .step)]),
            KeyBinding(keys: "r", summary: "rerun every row", hint: "r:rerun", hintRank: 17,
                       bindings: [KeyCommand(.character("r"), .rerun)]),
            KeyBinding(keys: "t", summary: "next theme", hint: "t:theme", hintRank: 18,
                       bindings: [KeyCommand(.character("t"), .nextTheme)]),
            KeyBinding(keys: "?", summary: "this help (tab: more)", hint: "?:help", hintRank: 0, pinned: true,
                       bindings: [KeyCommand(.character("?"), .toggleHelp)]),
            KeyBinding(keys: "C-l", summary: "redraw the screen",
                       bindings: [KeyCommand(.control("l"), .redraw)]),
            KeyBinding(keys: "q", summary: "quit", hint: "q:quit", hintRank: 1, pinned: true,
                       bindings: [KeyCommand(.character("q"), .quit), KeyCommand(.interrupt, .quit)]),
        ]
        return lines
    }

    /// Key -> command, built once from the table. Esc is not bound: it only closes the help, so a lone or late
    /// ESC from a slow link can never end the program.
    static let lookup: [KeyPress: Command] = {
        var map: [KeyPress: Command] = [:]
        for line in table(glyphs: .ascii) { for binding in line.bindings where map[binding.key] == nil { map[binding.key] = binding.command } }
        return map
    }()

    /// The command bound to `key`, nil when the key does nothing (unknown keys are ignored).
    public static func command(for key: KeyPress) -> Command? { lookup[key] }

    /// Every line of the table, for the help overlay (kept under its former name).
    public static func bindings(glyphs: GlyphSet) -> [KeyBinding] { table(glyphs: glyphs) }

    /// The status-line hints: the pinned (essential) ones in rank order, then the others ordered by use: keys not
    /// used yet first, so the line keeps offering what the user has not tried (`used`: indices into `table`).
    public static func hints(glyphs: GlyphSet, used: Set<Int> = []) -> [String] {
        let lines = table(glyphs: glyphs).enumerated().filter { $0.element.hint != nil }
        return lines.sorted { a, b in
            let keyA = (a.element.pinned ? 0 : used.contains(a.offset) ? 2 : 1, a.element.hintRank)
            let keyB = (b.element.pinned ? 0 : used.contains(b.offset) ? 2 : 1, b.element.hintRank)
            return keyA < keyB
        }.compactMap(\.element.hint)
    }

    /// The line of `table` (its index) that binds `key` and has a status-line hint, nil when none does.
    public static func hintedLineIndex(of key: KeyPress) -> Int? { hintedLineIndexByKey[key] }

    /// Key -> line of the table with a hint, built once.
    static let hintedLineIndexByKey: [KeyPress: Int] = {
        var map: [KeyPress: Int] = [:]
        for (index, line) in table(glyphs: .ascii).enumerated() where line.hint != nil {
            for binding in line.bindings where map[binding.key] == nil { map[binding.key] = index }
        }
        return map
    }()
}
