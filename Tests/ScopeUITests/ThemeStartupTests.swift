// The run loop's view of themes: list, active index, one status message.
import Testing
@testable import ScopeUI

@Suite struct ThemeStartupTests {
    @Test func cleanStartHasNoMessage() {
        let startup = ThemeStartup.make(catalog: ThemeTestSupport.bundled, request: "okabe-ito", environment: [:])
        #expect(startup.current.name == "okabe-ito" && startup.statusMessage == nil && startup.warnings.isEmpty)
        #expect(startup.next(after: startup.index) == startup.index + 1)
        #expect(startup.next(after: startup.themes.count - 1) == 0)
    }

    @Test func selectionFailureWinsTheStatusLine() {
        let catalog = (themes: ThemeTestSupport.bundled.themes, warnings: ["skipped theme: a.toml:1 x: bad", "skipped theme: b"])
        let startup = ThemeStartup.make(catalog: catalog, request: nil, environment: ["INITSCOPE_THEME": "neon"])
        #expect(startup.current.name == "default")
        #expect(startup.statusMessage?.hasPrefix("theme 'neon': no such theme") == true)
        #expect(startup.warnings.count == 3)
    }

    @Test func skippedFilesAreSummarised() {
        let catalog = (themes: ThemeTestSupport.bundled.themes, warnings: ["skipped theme: a.toml:1 x: bad", "skipped theme: b"])
        let startup = ThemeStartup.make(catalog: catalog, request: nil, environment: [:])
        #expect(startup.statusMessage == "skipped theme: a.toml:1 x: bad (and 1 more)")
    }
}
