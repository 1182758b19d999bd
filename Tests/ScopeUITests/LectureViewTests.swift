// A lecture in the live view: n/p and PageDown/PageUp move between scenes, every other key still works inside a
// scene, the next scene starts from its own settings, the header says "scene k/N" and the title, and the caption's
// numbers come from the run. Snapshots of a scene at 80x24 and 160x48.
import Foundation
import Testing
@testable import ScopeUI
import SignalFlow
import Terminal

@Suite struct LectureViewTests {
    /// Three scenes on the synthetic ReLU run's scenario (seed 1): the second shows only heat maps and statistics.
    static let text = """
        title = "relu lecture"

        [[scene]]
        title = "Xavier halves, He holds"
        activation = "relu"
        init = ["xavier", "he", "lsuv"]
        seed = 1
        focus = "xavier"
        caption = "Xavier halves the variance at every layer: x{factor}, from {first} at layer 1 to {last} at layer {depth}. He keeps {last@he}."

        [[scene]]
        title = "heat maps of He"
        focus = "he"
        layer = 10
        panels = ["heatmaps", "stats"]
        caption = "He holds: {first} at layer 1, {var} at layer {layer}, chi1 {chi1}."

        [[scene]]
        title = "tanh"
        activation = "tanh"
        depth = 20
        caption = "Another network."
        """

    static func lecture() -> Lecture { try! LectureParser.parse(text: text, file: "/t/relu.toml").get() }

    /// The lecture at scene `scene` (0-based), started, with every synthetic ReLU event revealed when `complete`.
    static func state(width: Int = 80, height: Int = 24, scene: Int = 0, complete: Bool = true) -> AppState {
        var state = AppState(lecture: lecture(), width: width, height: height, sweepMilliseconds: 0)
        _ = update(&state, .start)
        for _ in 0..<scene { _ = update(&state, .key(.character("n"))) }
        if complete {
            for event in UITestSupport.reluEvents() { _ = update(&state, .engine(event, generation: state.generation)) }
            _ = update(&state, .engineFinished(generation: state.generation))
        }
        return state
    }

    @Test func theFirstSceneOpensWithItsScenarioFocusLayerAndPanels() {
        var state = AppState(lecture: Self.lecture(), width: 80, height: 24, sweepMilliseconds: 0)
        let effects = update(&state, .start)
        let scene = Self.lecture().scenes[0]
        #expect(state.lecture?.sceneIndex == 0 && state.scenario == scene.scenario)
        #expect(state.focusedInitializer?.name == "xavier" && state.selectedLayer == 50 && state.panels == .all)
        guard case .startSimulation(let scenario, _, _, _) = effects.first else { Issue.record("\(effects)"); return }
        #expect(scenario == scene.scenario)
        #expect(view(state).lines[0].hasPrefix("scene 1/3 Xavier halves, He holds  relu  L=50"))
    }

    @Test func nPageDownPAndPageUpMoveBetweenScenes() {
        var state = Self.state()
        _ = update(&state, .key(.character("n")))
        #expect(state.lecture?.sceneIndex == 1 && state.focusedInitializer?.name == "he" && state.selectedLayer == 10)
        #expect(state.panels == [.heatMaps, .stats])
        #expect(view(state).lines[0].hasPrefix("scene 2/3 heat maps of He"))
        let effects = update(&state, .key(.pageDown))
        #expect(state.lecture?.sceneIndex == 2 && state.scenario.activation == .tanh && state.scenario.depth == 20)
        guard case .startSimulation(let scenario, _, _, _) = effects.last else { Issue.record("\(effects)"); return }
        #expect(scenario.activation == .tanh && scenario.depth == 20)
        // Past the last scene: nothing moves, the status line says so.
        #expect(update(&state, .key(.character("n"))).isEmpty)
        #expect(state.lecture?.sceneIndex == 2 && state.statusMessage.hasPrefix("last scene"))
        _ = update(&state, .key(.character("p")))
        #expect(state.lecture?.sceneIndex == 1)
        _ = update(&state, .key(.pageUp))
        #expect(state.lecture?.sceneIndex == 0 && state.focusedInitializer?.name == "xavier" && state.selectedLayer == 50)
        #expect(update(&state, .key(.pageUp)).isEmpty && state.statusMessage.hasPrefix("first scene"))
    }

    @Test func otherKeysWorkInsideASceneAndTheNextSceneStartsFromItsOwnSettings() {
        var state = Self.state()
        _ = update(&state, .key(.character("a")))     // next activation
        _ = update(&state, .key(.character("+")))     // deeper
        _ = update(&state, .key(.character("j")))     // focus next row
        _ = update(&state, .key(.left))               // previous layer
        #expect(state.scenario.activation != .relu && state.scenario.depth > 50 && state.focusedRow == 1)
        #expect(!state.sceneCaptionApplies)
        _ = update(&state, .key(.character("n")))
        #expect(state.scenario == Self.lecture().scenes[1].scenario)
        #expect(state.focusedInitializer?.name == "he" && state.selectedLayer == 10 && state.sceneCaptionApplies)
    }

    @Test func nAndPAreSceneKeysInALectureAndTheNaiveInitializerMovesToV() {
        #expect(KeyMap.command(for: .character("n"), lecture: true) == .sceneNext)
        #expect(KeyMap.command(for: .character("p"), lecture: true) == .scenePrevious)
        #expect(KeyMap.command(for: .pageDown, lecture: true) == .sceneNext)
        #expect(KeyMap.command(for: .pageUp, lecture: true) == .scenePrevious)
        #expect(KeyMap.command(for: .character("v"), lecture: true) == .focusInitializer("normal:0.01"))
        // The live view keeps its keys.
        #expect(KeyMap.command(for: .character("n")) == .focusInitializer("normal:0.01"))
        // p pauses training in the live view; a lecture rebinds it to the previous scene.
        #expect(KeyMap.command(for: .character("p")) == .pauseTraining && KeyMap.command(for: .pageDown) == nil)
        #expect(KeyMap.command(for: .character("v")) == nil)
        var state = Self.state()
        #expect(view(state).lines[23].hasPrefix("n/p:scene ?:help q:quit x h l o v N d:init"))
        _ = update(&state, .key(.character("v")))
        #expect(state.focusedInitializer?.name == "normal:0.01" && state.lecture?.sceneIndex == 0)
        // The help says so, and the status line offers the scene keys first.
        let lines = KeyMap.bindings(glyphs: .ascii, lecture: true)
        #expect(lines[0].keys == "n/p" && lines[0].summary == "next/prev scene pgdn/pgup")
        #expect(lines.contains { $0.keys == "v" && $0.summary == "normal:0.01 (live: n)" })
        #expect(KeyMap.hints(glyphs: .ascii, lecture: true).first == "n/p:scene")
    }

    @Test func theCaptionIsFilledFromTheRunAndGivesWayWhenTheNetworkChanges() {
        let waiting = Self.state(complete: false)
        let pending = view(waiting).lines[21...22].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(pending.contains("x?, from ? at layer 1 to ? at layer 50"))
        var state = Self.state()
        let run = state.runs[0]
        let first = Caption.tableNumber(run.report(layer: 1)!.stats(.activation)!.variance)
        let last = Caption.tableNumber(run.report(layer: 50)!.stats(.activation)!.variance)
        let he = Caption.tableNumber(state.runs[1].report(layer: 50)!.stats(.activation)!.variance)
        let caption = view(state).lines[21...22].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(caption.contains("from \(first) at layer 1 to \(last) at layer 50. He keeps \(he)."), "\(caption)")
        #expect(!caption.contains("?"))
        _ = update(&state, .key(.character("s")))    // new seed: the scene's words no longer describe the screen
        #expect(!state.sceneCaptionApplies)
        #expect(!view(state).lines[21...22].joined().contains("He keeps"))
    }

    @Test func panelsChosenByASceneShapeTheLayout() {
        let heatOnly = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0, panels: [.heatMaps, .stats])
        #expect(heatOnly.histograms.isEmpty && heatOnly.heatMaps.count == 2 && !heatOnly.stats.isEmpty)
        let noStats = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0, panels: [.histograms])
        #expect(noStats.stats.isEmpty && noStats.heatMaps.isEmpty && noStats.histograms.count == 2)
        #expect(noStats.histograms[1].maxX > ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0).histograms[1].maxX)
        let threeLines = ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0, captionLines: 3)
        #expect(threeLines.caption == Rect(x: 0, y: 20, width: 80, height: 3) && threeLines.stats.height >= ScreenLayout.statsLines)
        // The default layout is the live view's.
        #expect(ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0, panels: .all, captionLines: 1)
                == ScreenLayout(width: 80, height: 24, rowCount: 3, focusedRow: 0))
    }

    @Test func lectureSceneAt80x24() {
        UITestSupport.expectSnapshot(view(Self.state()), named: "lecture-80x24")
    }

    @Test func lectureSceneAt160x48() {
        UITestSupport.expectSnapshot(view(Self.state(width: 160, height: 48)), named: "lecture-160x48")
    }

    @Test func lectureHelpAt80x24ListsTheSceneKeysWhole() {
        var state = Self.state()
        _ = update(&state, .key(.character("?")))
        let canvas = view(state)
        #expect(canvas.lines.contains { $0.contains("n/p        next/prev scene pgdn/pgup") })
        #expect(canvas.lines.contains { $0.contains("v          normal:0.01 (live: n)") })
        UITestSupport.expectSnapshot(canvas, named: "lecture-help-80x24")
    }

    @Test func lectureSceneWithHeatMapsOnlyAt160x48() {
        UITestSupport.expectSnapshot(view(Self.state(width: 160, height: 48, scene: 1)), named: "lecture-heatmaps-160x48")
    }
}
