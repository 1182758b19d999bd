// From the catalog to the screen: ThemeStartup's list, resolved for a depth, handed to AppState; `t` cycles
// through every theme in order and the screen's background and status line follow.
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeCyclingTests {
    @Test(arguments: [ColorDepth.truecolor, .ansi16, .monochrome])
    func tCyclesEveryThemeAndTheScreenFollows(depth: ColorDepth) throws {
        let startup = ThemeStartup.make(catalog: ThemeTestSupport.bundled, request: "light", environment: [:])
            .resolved(for: depth)
        let resolved = startup.themes
        #expect(resolved == ThemeTestSupport.bundled.themes.map { $0.resolved(for: depth) })
        var state = UITestSupport.completedReluState(width: 80, height: 24, theme: resolved[startup.index])
        _ = update(&state, .setThemes(resolved))
        #expect(state.theme.name == "light")
        var seen: [String] = []
        for _ in resolved.indices {
            _ = update(&state, .key(.character("t")))
            seen.append(state.theme.name)
            let canvas = view(state)
            let corner = try #require(canvas[canvas.width - 1, 0])
            #expect(corner.style.background == state.theme.background, "\(state.theme.name) at \(depth)")
            #expect(canvas.lines.last?.hasPrefix("theme \(state.theme.name) |") == true)
        }
        // Starting after light, one full turn visits every theme once and comes back to light.
        let names = startup.themes.map(\.name)
        #expect(seen == Array(names[(startup.index + 1)...] + names[...startup.index]))
    }
}

@Suite struct ThemeFallbackMessageTests {
    /// "theme 'x': file:line key: problem; using default" set before the first run stays on the status line.
    @Test func startUpMessageSurvivesTheFirstRun() throws {
        let startup = ThemeStartup.make(catalog: ThemeTestSupport.bundled, request: "neon", environment: [:])
            .resolved(for: .ansi16)
        var state = AppState(scenario: UITestSupport.reluScenario(), width: 100, height: 30, glyphs: .unicode,
                             theme: startup.current, availableThemes: startup.themes, sweepMilliseconds: 0)
        state.statusMessage = try #require(startup.statusMessage)
        _ = update(&state, .start)
        #expect(state.statusMessage.hasPrefix("theme 'neon': no such theme"))
        #expect(view(state).lines.last?.hasPrefix("theme 'neon': no such theme") == true)
    }
}
