// Selection by name, INITSCOPE_THEME and the user's folder, and the status-line message on failure; the catalog
// built from files handed in as values (the file-system side is tested in InitScopeTests/ThemeFileSystemTests).
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeCatalogTests {
    @Test func userDirectoryFollowsXDG() {
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/initscope/themes")
        #expect(ThemeCatalog.userDirectory(environment: ["HOME": "/h"]) == "/h/.config/initscope/themes")
        #expect(ThemeCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]) == "/h/.config/initscope/themes")
        #expect(ThemeCatalog.userDirectory(environment: [:]) == nil)
    }

    @Test func selectionByNameFlagThenEnvironment() {
        let themes = ThemeTestSupport.bundled.themes
        let byFlag = ThemeCatalog.select("mono", environment: ["INITSCOPE_THEME": "light"], themes: themes)
        #expect(byFlag.themes[byFlag.index].name == "mono" && byFlag.message == nil)
        let byEnvironment = ThemeCatalog.select(nil, environment: ["INITSCOPE_THEME": "light"], themes: themes)
        #expect(byEnvironment.themes[byEnvironment.index].name == "light")
        let none = ThemeCatalog.select(nil, environment: [:], themes: themes)
        #expect(none.themes[none.index].name == "default" && none.message == nil)
    }

    @Test func unknownNameFallsBackToDefaultWithAMessage() {
        let selection = ThemeCatalog.select("neon", environment: [:], themes: ThemeTestSupport.bundled.themes)
        #expect(selection.themes[selection.index].name == "default")
        #expect(selection.message?.hasPrefix("theme 'neon': no such theme (have default, light,") == true)
        #expect(selection.message?.hasSuffix("; using default") == true)
    }
}

@Suite struct ThemeMessageSafetyTests {
    @Test func controlCharactersNeverReachTheTerminal() throws {
        // A quoted key may carry an escape written as \u001b; the message shows "?" instead.
        guard case .failure(let error) = ThemeParser.parse(text: "inherits = \"default\"\n\"x\\u001b[2Jy\" = \"red\"\n", file: "/t/e.toml") else {
            Issue.record("parsed"); return
        }
        #expect(!error.description.unicodeScalars.contains { $0.value == 0x1B })
        #expect(error.description.hasPrefix("/t/e.toml x?[2Jy: unknown role"))   // escaped key: no line found
        let selection = ThemeCatalog.select("bad\u{1B}]0;title\u{07}name", environment: [:], themes: [Theme.builtInDefault])
        #expect(selection.message?.hasPrefix("theme 'bad?]0;title?name': no such theme") == true)
        let long = ThemeCatalog.select(String(repeating: "n", count: 5000), environment: [:], themes: [])
        #expect((long.message?.count ?? 0) < 200)
    }
}
