// Every bundled theme resolved at every colour depth, written out as text and compared with a committed
// snapshot (Tests/ScopeUITests/Snapshots/Themes/<name>.txt). A change to a theme file, to the palette maths or to
// the degradation rules shows up here as a readable diff. Re-record on purpose with INITSCOPE_RECORD_SNAPSHOTS=1
// (the run then fails once so a recording is never mistaken for a pass).
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeSnapshotTests {
    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/Themes").path

    /// The text form: one block per depth, one line per role with colour and attributes.
    static func render(_ theme: Theme) -> String {
        var lines = ["theme \(theme.name)" + (theme.inherits.map { " (inherits \($0))" } ?? "")]
        for depth in ColorDepth.allCases.reversed() {
            let shown = theme.resolved(for: depth)
            lines.append("")
            lines.append("[\(depth)]")
            for role in ThemeRole.allCases {
                let style = shown.style(role)
                var attributes: [String] = []
                if style.bold { attributes.append("bold") }
                if style.dim { attributes.append("dim") }
                if style.reverse { attributes.append("reverse") }
                if style.underline { attributes.append("underline") }
                // Contrast of the role's foreground on its background (background and selection: text on them).
                let foreground: ThemeRole = role == .selection || role == .background ? .text : role
                let ratio = ColorSpace.contrastRatio(shown.assumedRGB(foreground),
                                                     shown.assumedRGB(role == .selection ? .selection : .background))
                lines.append("\(role.key.padding(12)) \(style.foreground.themeSpelling) on \(style.background.themeSpelling)"
                             + (attributes.isEmpty ? "" : " [\(attributes.joined(separator: ","))]")
                             + String(format: "  %.2f:1", ratio))
            }
            lines.append("series".padding(12) + " " + shown.series.map(\.themeSpelling).joined(separator: " "))
            lines.append("ramp".padding(12) + " " + shown.ramp.map(\.themeSpelling).joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: ThemeBundledTests.required)
    func resolvedThemeMatchesSnapshot(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        let rendered = Self.render(theme)
        let path = Self.snapshotDirectory + "/\(name).txt"
        if ProcessInfo.processInfo.environment["INITSCOPE_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.snapshotDirectory, withIntermediateDirectories: true)
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
            Issue.record("recorded Themes/\(name).txt; run again without INITSCOPE_RECORD_SNAPSHOTS")
            return
        }
        let expected = try #require(try? String(contentsOfFile: path, encoding: .utf8), "no snapshot at \(path)")
        if rendered != expected {
            let got = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let want = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = got.indices.first { $0 >= want.count || got[$0] != want[$0] } ?? got.count
            let gotLine = first < got.count ? got[first] : "", wantLine = first < want.count ? want[first] : ""
            Issue.record("\(name) differs from its snapshot at line \(first + 1): got '\(gotLine)', want '\(wantLine)'")
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
