// The whole live screen (80x24, synthetic ReLU comparison) drawn with every bundled theme at every colour depth:
// every colour is showable at that depth, every visible glyph is legible, and the styles match a snapshot.
// Legibility: each non-blank cell's foreground on its background >= 3:1 (WCAG 2, `.default` = the theme's
// assumed colours), except cells drawn dim on purpose; text roles are held to 4.5:1 by ThemeBundledTests.
// Snapshots: Snapshots/ThemeScreens/<theme>.txt, one section per depth: a style legend and a 80x24 grid of style
// letters. Re-record with INITSCOPE_RECORD_SNAPSHOTS=1 (the run then fails once, like the other snapshots).
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeScreenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/ThemeScreens").path
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static func screen(_ theme: Theme, depth: ColorDepth) -> Canvas {
        view(UITestSupport.completedReluState(width: 80, height: 24, theme: theme.resolved(for: depth)))
    }

    static func describe(_ style: Style) -> String {
        var parts = ["fg=\(style.foreground.themeSpelling)", "bg=\(style.background.themeSpelling)"]
        if style.bold { parts.append("bold") }
        if style.dim { parts.append("dim") }
        if style.reverse { parts.append("reverse") }
        if style.underline { parts.append("underline") }
        return parts.joined(separator: " ")
    }

    /// Legend plus grid of style letters for one canvas.
    static func styleMap(_ canvas: Canvas) -> [String] {
        var ids: [Style: Character] = [:], order: [Style] = []
        var grid: [String] = []
        for y in 0..<canvas.height {
            var row = ""
            for x in 0..<canvas.width {
                let style = canvas[x, y]!.style
                if ids[style] == nil {
                    ids[style] = order.count < letters.count ? letters[order.count] : "?"
                    order.append(style)
                }
                row.append(ids[style]!)
            }
            grid.append(row)
        }
        return order.map { "\(ids[$0]!) \(describe($0))" } + grid
    }

    @Test(arguments: ThemeBundledTests.required)
    func everyDepthIsShowableLegibleAndMatchesItsSnapshot(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        var document: [String] = ["theme \(name): 80x24 ReLU comparison, style letters per cell"]
        for depth in ColorDepth.allCases.reversed() {
            let canvas = Self.screen(theme, depth: depth)
            var illegible: [String] = []
            for y in 0..<canvas.height { for x in 0..<canvas.width {
                let cell = canvas[x, y]!
                #expect(cell.style.foreground.degraded(to: depth) == cell.style.foreground
                        && cell.style.background.degraded(to: depth) == cell.style.background,
                        "\(name) at \(depth): cell \(x),\(y) has \(cell.style)")
                guard cell.character != " ", !cell.style.dim else { continue }
                let fg = cell.style.foreground.rgbValue(defaultingTo: theme.assumedForeground)
                let bg = cell.style.background.rgbValue(defaultingTo: theme.assumedBackground)
                let ratio = ColorSpace.contrastRatio(fg, bg)
                if ratio < 3 { illegible.append("'\(cell.character)' at \(x),\(y) \(Self.describe(cell.style)) \(ThemeContrast.format(ratio)):1") }
            } }
            #expect(illegible.isEmpty, "\(name) at \(depth): \(illegible.count) illegible cells, first \(illegible.prefix(3))")
            document.append("")
            document.append("[\(ThemeContrast.label(depth))]")
            document += Self.styleMap(canvas)
        }
        let text = document.joined(separator: "\n") + "\n"
        let path = Self.directory + "/\(name).txt"
        if ProcessInfo.processInfo.environment["INITSCOPE_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded ThemeScreens/\(name).txt; run again without INITSCOPE_RECORD_SNAPSHOTS")
            return
        }
        let expected = try #require(try? String(contentsOfFile: path, encoding: .utf8), "missing snapshot \(path)")
        if text != expected {
            let got = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = got.indices.first { $0 >= want.count || got[$0] != want[$0] } ?? got.count
            let gotLine = first < got.count ? got[first] : "", wantLine = first < want.count ? want[first] : ""
            Issue.record("ThemeScreens/\(name).txt differs at line \(first + 1): got '\(gotLine)' want '\(wantLine)'")
        }
    }

    /// Same screen, different themes: the characters never change, only the styles (themes are colour only,
    /// apart from the monochrome series glyphs).
    @Test func themesChangeStylesNotText() throws {
        let reference = Self.screen(.builtInDefault, depth: .truecolor).lines
        for name in ThemeBundledTests.required where name != "mono" {
            let theme = try #require(ThemeTestSupport.theme(name))
            #expect(Self.screen(theme, depth: .ansi16).lines == reference, "\(name)")
        }
    }
}
