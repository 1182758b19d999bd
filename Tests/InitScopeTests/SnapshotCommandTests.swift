// `initscope snapshot`: a fixed scenario's complete picture as txt, ansi and svg, compared with checked-in files
// (Expected/). Re-record with INITSCOPE_RECORD_SNAPSHOTS=1 (the test then fails once), and review the diff.
import Foundation
import Testing
@testable import initscope
import ScopeUI
import SignalFlow
import Terminal

@Suite struct SnapshotCommandTests {
    static let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")

    /// tanh, L = 6, n = 32, B = 16, seed 7, xavier and he, at 80x24 (or `width` x `height`) in the default theme,
    /// with `panel` in the histograms' place.
    static func canvas(width: Int = 80, height: Int = 24, panel: LowerPanel = .histograms) throws -> Canvas {
        let scenario = try Scenario.uniform(activation: .tanh, depth: 6, width: 32, batch: 16, seed: 7,
                                            initializers: ["xavier", "he"].map { NamedInitializer(name: $0, initializer: try! Initializer.parse($0)) })
        let state = try SnapshotCommand.completeState(scenario: scenario, width: width, height: height, glyphs: .unicode,
                                                      theme: Theme.builtInDefault.resolved(for: .truecolor), panel: panel)
        #expect(state.runs.allSatisfy { $0.finished != nil } && !state.simulationRunning)
        #expect(state.lowerPanel == panel && state.missingPanelRequest == nil)
        return view(state)
    }

    func expectFile(_ text: String, named name: String) {
        let url = Self.expected.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["INITSCOPE_RECORD_SNAPSHOTS"] == "1" {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name); run again without INITSCOPE_RECORD_SNAPSHOTS")
            return
        }
        guard let want = try? String(contentsOf: url, encoding: .utf8) else { Issue.record("missing \(name)"); return }
        #expect(want == text, "\(name) differs:\n\(text)")
    }

    @Test(arguments: CanvasExport.Format.allCases)
    func aFixedScenarioMatchesItsCheckedInOutput(format: CanvasExport.Format) throws {
        let theme = Theme.builtInDefault.resolved(for: .truecolor)
        let text = CanvasExport.render(try Self.canvas(), format: format, foreground: theme.assumedForeground,
                                       background: theme.assumedBackground)
        expectFile(text, named: "snapshot-tanh-80x24.\(format.rawValue)")
    }

    /// The spectrum and the phase map, computed before drawing (no "computing...").
    @Test(arguments: [(LowerPanel.spectrum, 80, 24), (.spectrum, 160, 48), (.phaseMap, 80, 24), (.phaseMap, 160, 48)])
    func aPanelIsComputedBeforeTheSnapshotIsDrawn(panel: LowerPanel, width: Int, height: Int) throws {
        let text = CanvasExport.render(try Self.canvas(width: width, height: height, panel: panel), format: .txt,
                                       foreground: RGBColor(0, 0, 0), background: RGBColor(0, 0, 0))
        #expect(!text.contains("computing"))
        expectFile(text, named: "snapshot-tanh-\(panel.rawValue)-\(width)x\(height).txt")
    }

    @Test func aBadPanelIsOneLineAndStatus64() throws {
        let result = try InitScopeBinary.run(["snapshot", "--panel", "heatmap"])
        #expect(result.status == 64 && result.stdout.isEmpty, "status \(result.status)")
        #expect(result.stderr.split(separator: "\n").count == 1
                && result.stderr.contains("--panel must be histograms, spectrum, phase-map (got 'heatmap')"), "\(result.stderr)")
    }

    @Test func sizeAndFormatAreChecked() throws {
        #expect(try SnapshotCommand.parse(["--size", "72x20"]).screenSize() == (72, 20))
        #expect(throws: (any Error).self) { try SnapshotCommand.parse(["--size", "71x20"]) }
        #expect(throws: (any Error).self) { try SnapshotCommand.parse(["--size", "100"]) }
        #expect(throws: (any Error).self) { try SnapshotCommand.parse(["--format", "png"]) }
    }
}

@Test func theSaveKeyWritesTxtAnsiAndSvgUnderOneFreshName() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("initscope-screens-\(getpid())").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var canvas = Canvas(width: 3, height: 1)
    canvas.write("ab", x: 0, y: 0, style: Style(foreground: .rgb(1, 2, 3)))
    let date = Date(timeIntervalSince1970: 1_764_567_000)   // 2025-12-01 05:30:00 UTC
    let first = ScreenFiles.save(canvas, foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0), directory: directory, date: date)
    #expect(first == "screen saved: initscope-screen-20251201-053000.{svg,txt,ansi}")
    #expect(try String(contentsOfFile: directory + "/initscope-screen-20251201-053000.txt", encoding: .utf8) == "ab\n")
    #expect(try String(contentsOfFile: directory + "/initscope-screen-20251201-053000.svg", encoding: .utf8).contains("fill=\"#010203\""))
    #expect(FileManager.default.fileExists(atPath: directory + "/initscope-screen-20251201-053000.ansi"))
    let second = ScreenFiles.save(canvas, foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0), directory: directory, date: date)
    #expect(second == "screen saved: initscope-screen-20251201-053000-2.{svg,txt,ansi}")
    #expect(ScreenFiles.save(canvas, foreground: RGBColor(9, 9, 9), background: RGBColor(0, 0, 0), directory: "/nonexistent/dir", date: date)
            .hasPrefix("screen not saved: could not open"))
}
