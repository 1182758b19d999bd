// The catalog's pure side: theme files and folders arrive as values (path + bytes, or why they could not be
// read), and every message is what the file-system version said; ScopeUI's sources name no file-system API.
import Foundation
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeFileTests {
    private func bytes(_ text: String) -> ThemeFile.Contents { .bytes(Array(text.utf8)) }

    @Test func eachWayAReadCanFailIsItsOwnMessage() {
        func problem(_ contents: ThemeFile.Contents) -> (String, Bool)? {
            guard case .failure(let error) = ThemeFile(path: "/t/x.toml", contents: contents).spec else { return nil }
            #expect(error.file == "/t/x.toml")
            return (error.problem, error.isReadFailure)
        }
        #expect(problem(.missing)! == ("no such file", false))
        #expect(problem(.folder)! == ("is a folder, not a theme file", false))
        #expect(problem(.notRegularFile)! == ("is not a regular file", false))
        #expect(problem(.unreadable(reason: "Permission denied"))! == ("could not be read (Permission denied)", true))
        #expect(problem(.bytes([UInt8](repeating: 0x23, count: ThemeFile.readLimit)))! == ("file is over the 65536-byte limit", false))
        #expect(problem(bytes("text = [\n"))!.0 == "TOML syntax: array opened here is not closed")
        let good = ThemeFile(path: "/t/snow.toml", contents: bytes("inherits = \"default\"\ntext = \"#ffffff\"\n"))
        #expect((try? good.spec.get())?.name == "snow" && (try? good.spec.get())?.source == "/t/snow.toml")
    }

    @Test func folderListingsKeepVisibleTomlFilesSortedAndCapped() {
        #expect(ThemeFolder.themeFileNames(["b.toml", ".hidden.toml", "notes.txt", "a.toml", "toml"]) == ["a.toml", "b.toml"])
        let many = (0..<300).map { String(format: "t%03d.toml", $0) }.shuffled()
        let kept = ThemeFolder.themeFileNames(many)
        #expect(kept.count == ThemeCatalog.maximumFilesPerDirectory && kept.first == "t000.toml" && kept.last == "t255.toml")
        #expect(ThemeFolder.filePath(folder: "/u/themes", name: "a.toml") == "/u/themes/a.toml")
    }

    @Test func candidatesWalkUpFromTheBinaryThenTheInstallLocations() {
        #expect(ThemeCatalog.bundledDirectoryCandidates(executablePath: "/a/b/initscope") == [
            "/a/b/Themes", "/a/b/share/initscope/themes", "/a/Themes", "/a/share/initscope/themes",
            "/Themes", "/share/initscope/themes", "/usr/local/share/initscope/themes", "/usr/share/initscope/themes"])
        #expect(ThemeCatalog.bundledDirectoryCandidates(executablePath: "/initscope") == [
            "/Themes", "/share/initscope/themes", "/usr/local/share/initscope/themes", "/usr/share/initscope/themes"])
        // At most twelve folders up.
        let deep = "/" + (0..<20).map { "d\($0)" }.joined(separator: "/") + "/initscope"
        let candidates = ThemeCatalog.bundledDirectoryCandidates(executablePath: deep)
        #expect(candidates.count == 24 + 2 && candidates[22] == "/d0/d1/d2/d3/d4/d5/d6/d7/d8/Themes")
        #expect(ThemeCatalog.bundledDirectoryCandidates(executablePath: nil) == ["/usr/local/share/initscope/themes", "/usr/share/initscope/themes"])
    }

    @Test func userFilesOverrideAndExtendBundledOnesInMemory() throws {
        let bundled = ThemeTestSupport.folder(ThemeTestSupport.bundledDirectory)
        let user = ThemeFolder(path: "/u", files: [
            ThemeFile(path: "/u/broken.toml", contents: bytes("text = [\n")),
            ThemeFile(path: "/u/lecture.toml", contents: bytes("inherits = \"okabe-ito\"\ntext = \"#f0f0f0\"\n")),
            ThemeFile(path: "/u/light.toml", contents: bytes("inherits = \"default\"\nname = \"light\"\naccent = \"red\"\n")),
            ThemeFile(path: "/u/gone.toml", contents: .unreadable(reason: "Input/output error")),
        ])
        let loaded = ThemeCatalog.load(bundled: bundled, user: user)
        #expect(loaded.themes.map(\.name) == ["default", "light", "high-contrast", "okabe-ito", "solarized-dark", "mono", "lecture"])
        #expect(loaded.themes[1].accent == .ansi(1) && loaded.themes[1].source == "/u/light.toml")
        #expect(loaded.warnings == ["skipped theme: /u/broken.toml:1 text: TOML syntax: array opened here is not closed",
                                    "skipped theme: /u/gone.toml: could not be read (Input/output error)"])
        #expect(ThemeCatalog.load(bundled: nil, user: nil).themes == [Theme.builtInDefault])
    }

    @Test func aRequestedFileIsLoadedByTheCallerAndAddedToTheList() throws {
        let themes = ThemeTestSupport.bundled.themes
        #expect(ThemeCatalog.fileToLoad("mono", environment: [:], themes: themes) == nil)
        #expect(ThemeCatalog.fileToLoad(nil, environment: ["INITSCOPE_THEME": "/t/talk.toml"], themes: themes) == "/t/talk.toml")
        #expect(ThemeCatalog.fileToLoad("neon", environment: [:], themes: themes) == nil)
        let file = ThemeFile(path: "/t/talk.toml", contents: bytes("inherits = \"light\"\naccent = \"#000080\"\n"))
        let around = ThemeCatalog.filesAround(path: file.path, themes: themes, userDirectory: "/u")
        #expect(around.bundledDirectory == ThemeTestSupport.bundledDirectory && around.sources == themes.map(\.source).filter { $0 != "built-in" })
        let talk = ThemeCatalog.resolve(file, bundled: ThemeTestSupport.folder(ThemeTestSupport.bundledDirectory), user: nil, sources: [])
        let selection = ThemeCatalog.select("/t/talk.toml", environment: [:], themes: themes, file: talk)
        #expect(selection.message == nil && selection.themes[selection.index].accent == .rgb(0, 0, 0x80))
        #expect(selection.themes[selection.index].background == ThemeTestSupport.theme("light")?.background)
        // A path whose load is not given reads as missing.
        let unread = ThemeCatalog.select("/t/none.toml", environment: [:], themes: [])
        #expect(unread.message == "theme '/t/none.toml': /t/none.toml: no such file; using default")
    }

    @Test func aCycleThroughTheUsersFolderIsReportedAsACycle() {
        let user = ThemeFolder(path: "/u", files: [ThemeFile(path: "/u/loop-a.toml", contents: bytes("inherits = \"loop-b\"\n")),
                                                   ThemeFile(path: "/u/loop-b.toml", contents: bytes("inherits = \"loop-a\"\n"))])
        guard case .failure(let error) = ThemeCatalog.resolve(user.files[0], bundled: nil, user: user, sources: []) else {
            Issue.record("cycle resolved"); return
        }
        #expect(error.problem == "its ancestor 'loop-b' (/u/loop-b.toml:1) closes an inheritance cycle: loop-a -> loop-b -> loop-a")
    }

    /// DESIGN: "ScopeUI: no ncurses, no threads, no I/O". Files are read by the executable (ThemeFileSystem).
    @Test func scopeUISourcesNameNoFileSystemAPI() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ScopeUI").path
        let forbidden = ["FileManager", "FileHandle", "fopen", "Data(contentsOf", "String(contentsOf", "/proc/", "ProcessInfo",
                         "CommandLine", "getenv", "opendir", "readlink", "resolvingSymlinksInPath", "URL(fileURLWithPath"]
        let files = try #require(FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") })
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for name in forbidden { #expect(!text.contains(name), "Sources/ScopeUI/\(file) uses \(name)") }
        }
    }
}
