// P asks the run loop to save the screen in the theme's colours; the run loop's answer lands in the status line.
import Testing
@testable import ScopeUI
import Terminal

@Test func capitalPAsksToSaveTheScreenInTheThemesColours() {
    var state = UITestSupport.completedReluState(width: 80, height: 24)
    let theme = state.theme
    #expect(update(&state, .key(.character("C"))) == [.saveScreen(foreground: theme.assumedForeground, background: theme.assumedBackground)])
    #expect(KeyMap.command(for: .character("C"), lecture: true) == .saveScreen)
    _ = update(&state, .status("screen saved: x.{svg,txt,ansi}"))
    #expect(view(state).lines[23].hasPrefix("screen saved: x.{svg,txt,ansi}"))
}
