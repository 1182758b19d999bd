// `initscope terminal-check`: a diagnostic screen for the terminal edge alone (no engine). Shows what was
// detected (size, colour depth, Unicode), colour swatches at that depth, the glyphs the widgets use, and the last
// keys read; `space` starts/stops an animated bar (frame pacing), Ctrl-L repaints, `q` quits. Used by the end-to-end tests
// and the UI benchmarks to exercise the screen independently of the rest of the program.
import ScopeUI
import SignalFlow
import Terminal

/// The diagnostic application's state.
struct TerminalCheckApplication: LiveApplication {
    /// Terminal size in cells.
    var width = 80, height = 24
    /// What the screen detected.
    let capabilities: TerminalCapabilities
    /// TERM and COLORTERM as given, for display.
    let termName: String, colorTermName: String
    /// The last keys read, newest last (at most 12).
    var recentKeys: [KeyPress] = []
    /// Animation on/off and its position in cells.
    var animating = false
    var animationPosition = 0
    /// Milliseconds per animation step.
    let animationIntervalMilliseconds: Int

    /// The smallest terminal this screen lays out in.
    static let minimumWidth = 40, minimumHeight = 12

    mutating func handle(_ action: Action) -> [Effect] {
        switch action {
        case .key(let key):
            recentKeys.append(key)
            if recentKeys.count > 12 { recentKeys.removeFirst(recentKeys.count - 12) }
            switch key {
            case .character("q"): return [.quit]
            case .control("l"): return [.redraw]
            case .character(" "): animating.toggle()
            default: break
            }
        case .resize(let newWidth, let newHeight):
            width = newWidth; height = newHeight
        case .tick(let elapsed):
            animationPosition += max(1, Int(elapsed) / max(1, animationIntervalMilliseconds))
        case .start, .engine, .predictions, .freshRuns, .engineFailed, .engineFinished, .training, .setThemes, .setGlyphs,
             .status, .panel:
            break
        }
        return []
    }

    var tickIntervalMilliseconds: Int? { animating ? animationIntervalMilliseconds : nil }

    func render(width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            canvas.write("Terminal too small: \(width)x\(height).", x: 0, y: 0)
            canvas.write("Needs at least \(Self.minimumWidth)x\(Self.minimumHeight).", x: 0, y: 1)
            return canvas
        }
        let bold = Style(bold: true)
        canvas.write("initscope terminal-check", x: 0, y: 0, style: bold)
        canvas.write("size \(width)x\(height)  TERM=\(termName)  COLORTERM=\(colorTermName)", x: 0, y: 1)
        canvas.write("colour depth: \(Self.name(of: capabilities.colorDepth))  unicode: \(capabilities.unicode ? "yes" : "no")",
                     x: 0, y: 2)
        // Swatches: the 16 ANSI colours, then a 24-step rgb ramp (degraded by the screen).
        canvas.write("ansi ", x: 0, y: 4)
        for index in 0..<16 {
            canvas.set(x: 5 + index, y: 4, Cell(capabilities.colorDepth == .monochrome ? Character("#") : " ",
                                                 style: Style(background: .ansi(UInt8(index)))))
        }
        canvas.write("rgb  ", x: 0, y: 5)
        for step in 0..<24 {
            let red = UInt8(step * 255 / 23), blue = UInt8(255 - step * 255 / 23)
            canvas.set(x: 5 + step, y: 5, Cell(capabilities.colorDepth == .monochrome ? Character("#") : " ",
                                                style: Style(background: .rgb(red, 64, blue))))
        }
        let glyphs = capabilities.unicode ? "\u{2581}\u{2582}\u{2583}\u{2584}\u{2585}\u{2586}\u{2587}\u{2588} \u{2500}\u{2502}\u{250C}\u{2510} \u{00B7}"
                                          : "_.-=+*#@ -|++ ."
        canvas.write("glyphs " + glyphs, x: 0, y: 6)
        canvas.write("attributes:", x: 0, y: 7)
        canvas.write("bold", x: 12, y: 7, style: Style(bold: true))
        canvas.write("dim", x: 17, y: 7, style: Style(dim: true))
        canvas.write("reverse", x: 21, y: 7, style: Style(reverse: true))
        canvas.write("underline", x: 29, y: 7, style: Style(underline: true))
        canvas.write("keys: " + recentKeys.map(Self.name(of:)).joined(separator: " "), x: 0, y: 9)
        let barWidth = width - 2
        let barRow = 10
        canvas.write(animating ? "animating (space stops)" : "space: animate, q: quit", x: 0, y: barRow)
        if animating {
            let head = animationPosition % barWidth
            let block: Character = capabilities.unicode ? "\u{2588}" : "#"
            for offset in 0..<min(8, barWidth) {
                canvas.set(x: 1 + (head + offset) % barWidth, y: barRow + 1, Cell(block, style: Style(foreground: .ansi(2))))
            }
        }
        canvas.write("q quits, C-l redraws", x: 0, y: height - 1, style: Style(reverse: true))
        return canvas
    }

    /// A short name of a colour depth.
    static func name(of depth: ColorDepth) -> String {
        switch depth {
        case .monochrome: return "monochrome"
        case .ansi8: return "8"
        case .ansi16: return "16"
        case .indexed256: return "256"
        case .truecolor: return "truecolor"
        }
    }

    /// A short name of a key for the key log.
    static func name(of key: KeyPress) -> String {
        switch key {
        case .character(" "): return "space"
        case .character(let character): return String(character)
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .tab: return "tab"
        case .backTab: return "btab"
        case .enter: return "enter"
        case .escape: return "esc"
        case .backspace: return "bksp"
        case .interrupt: return "^C"
        case .control(let letter): return "^" + letter.uppercased()
        case .function(let number): return "F\(number)"
        }
    }
}
