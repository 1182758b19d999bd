// Discovery and loading from the file system: bundled folder found from the binary's path, user folder overrides,
// --theme PATH, what is refused (folders, FIFOs, devices, unreadable files) and the messages on failure.
import Foundation
import Testing
@testable import initscope
import ScopeUI
import Terminal

@Suite struct ThemeFileSystemTests {
    @Test func bundledFolderIsFoundByWalkingUpFromTheBinary() throws {
        let root = try ThemeTestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: root + "/.build/release", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/Themes", withIntermediateDirectories: true)
        try ThemeTestSupport.write("inherits = \"default\"\ntext = \"#ffffff\"\n", to: root + "/Themes", name: "snow.toml")
        let binary = try ThemeTestSupport.write("", to: root + "/.build/release", name: "initscope")
        // A symlink elsewhere (as on PATH) resolves to the real binary first.
        let bin = try ThemeTestSupport.temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: bin + "/initscope", withDestinationPath: binary)
        let candidates = ThemeFileSystem.bundledDirectoryCandidates(executablePath: bin + "/initscope")
        let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        #expect(candidates.contains(resolvedRoot + "/Themes"))
        #expect(candidates.last == "/usr/share/initscope/themes")
        let loaded = ThemeFileSystem.catalog(bundledDirectories: candidates, userDirectory: nil)
        #expect(loaded.themes.map(\.name) == ["default", "snow"])
        #expect(loaded.warnings.isEmpty)
    }

    @Test func installedLayoutIsFound() throws {
        let prefix = try ThemeTestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: prefix + "/share/initscope/themes", withIntermediateDirectories: true)
        let candidates = ThemeFileSystem.bundledDirectoryCandidates(executablePath: prefix + "/bin/initscope")
        let resolved = URL(fileURLWithPath: prefix).resolvingSymlinksInPath().path
        #expect(candidates.prefix(4).contains(resolved + "/share/initscope/themes"))
    }

    @Test func userThemesOverrideAndExtendBundledOnes() throws {
        let user = try ThemeTestSupport.temporaryDirectory()
        try ThemeTestSupport.write("inherits = \"default\"\nname = \"light\"\naccent = \"red\"\n", to: user, name: "light.toml")
        try ThemeTestSupport.write("inherits = \"okabe-ito\"\ntext = \"#f0f0f0\"\n", to: user, name: "lecture.toml")
        try ThemeTestSupport.write("text = [\n", to: user, name: "broken.toml")
        try ThemeTestSupport.write("not a theme", to: user, name: "notes.txt")
        let loaded = ThemeFileSystem.catalog(bundledDirectories: [ThemeTestSupport.bundledDirectory], userDirectory: user)
        let names = loaded.themes.map(\.name)
        #expect(names == ["default", "light", "high-contrast", "okabe-ito", "solarized-dark", "mono", "lecture"])
        #expect(loaded.themes[1].accent == .ansi(1) && loaded.themes[1].source == user + "/light.toml")
        let lecture = try #require(loaded.themes.last)
        #expect(lecture.series == ThemeTestSupport.theme("okabe-ito")?.series)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first == "skipped theme: \(user)/broken.toml:1 text: TOML syntax: array opened here is not closed", "\(loaded.warnings)")
    }

    @Test func missingFoldersGiveTheCompiledInDefault() {
        let loaded = ThemeFileSystem.catalog(bundledDirectories: ["/nonexistent/a", "/nonexistent/b"], userDirectory: "/nonexistent/u")
        #expect(loaded.themes == [Theme.builtInDefault])
        #expect(loaded.warnings.isEmpty)
    }

    @Test func selectionByPathAddsTheFile() throws {
        let directory = try ThemeTestSupport.temporaryDirectory()
        let path = try ThemeTestSupport.write("inherits = \"light\"\naccent = \"#000080\"\n", to: directory, name: "talk.toml")
        let selection = ThemeFileSystem.select(path, environment: [:], themes: ThemeTestSupport.bundled.themes)
        let chosen = selection.themes[selection.index]
        #expect(selection.message == nil && chosen.name == "talk" && chosen.accent == .rgb(0, 0, 0x80))
        #expect(chosen.background == ThemeTestSupport.theme("light")?.background)
        #expect(selection.themes.count == ThemeTestSupport.bundled.themes.count + 1)
    }

    @Test func brokenPathFallsBackWithFileLineAndKey() throws {
        let directory = try ThemeTestSupport.temporaryDirectory()
        let path = try ThemeTestSupport.write("inherits = \"default\"\n\naccent = \"#12345z\"\n", to: directory, name: "bad.toml")
        let selection = ThemeFileSystem.select(path, environment: [:], themes: ThemeTestSupport.bundled.themes)
        #expect(selection.themes[selection.index].name == "default")
        #expect(selection.message == "theme '\(path)': \(path):3 accent: '#12345z' is not a #rrggbb colour; using default")
        let missing = ThemeFileSystem.select(directory + "/none.toml", environment: [:], themes: [])
        #expect(missing.message == "theme '\(directory)/none.toml': \(directory)/none.toml: no such file; using default")
        #expect(missing.themes == [Theme.builtInDefault])
    }

    @Test func cyclicUserThemeIsSkippedWithAMessage() throws {
        let user = try ThemeTestSupport.temporaryDirectory()
        try ThemeTestSupport.write("inherits = \"loop-b\"\n", to: user, name: "loop-a.toml")
        try ThemeTestSupport.write("inherits = \"loop-a\"\n", to: user, name: "loop-b.toml")
        let loaded = ThemeFileSystem.catalog(bundledDirectories: [ThemeTestSupport.bundledDirectory], userDirectory: user)
        #expect(!loaded.themes.contains { $0.name.hasPrefix("loop") })
        #expect(loaded.warnings.count == 2 && loaded.warnings.allSatisfy { $0.contains("inheritance cycle") })
        let selection = ThemeFileSystem.select("loop-a", environment: [:], themes: loaded.themes)
        #expect(selection.message?.contains("no such theme") == true)
        // Loaded as a file (--theme PATH, themes --check), the cycle is still a cycle, not an unknown parent.
        guard case .failure(let error) = ThemeFileSystem.loadFile(path: user + "/loop-a.toml", themes: loaded.themes,
                                                                  userDirectory: user) else { Issue.record(); return }
        #expect(error.problem == "its ancestor 'loop-b' (\(user)/loop-b.toml:1) closes an inheritance cycle: loop-a -> loop-b -> loop-a")
    }

    /// A user "default" with `inherits = "default"` overrides the bundled default and inherits from it; every
    /// bundled theme (which inherit "default") then builds on the user's default, with no cycle.
    @Test func userThemeOverridingABundledOneInheritsFromIt() throws {
        let user = try ThemeTestSupport.temporaryDirectory()
        try ThemeTestSupport.write("name = \"default\"\ninherits = \"default\"\naccent = \"#123456\"\n", to: user, name: "mine.toml")
        let loaded = ThemeFileSystem.catalog(bundledDirectories: [ThemeTestSupport.bundledDirectory], userDirectory: user)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.themes.map(\.name) == ThemeTestSupport.bundled.themes.map(\.name))
        let mine = try #require(loaded.themes.first { $0.name == "default" })
        let bundledDefault = try #require(ThemeTestSupport.theme("default"))
        #expect(mine.accent == .rgb(0x12, 0x34, 0x56) && mine.source == user + "/mine.toml")
        #expect(mine.text == bundledDefault.text && mine.background == bundledDefault.background)
        // The same file given as --theme PATH inherits the bundled default too.
        let selection = ThemeFileSystem.select(user + "/mine.toml", environment: [:], themes: ThemeTestSupport.bundled.themes)
        #expect(selection.message == nil && selection.themes[selection.index].accent == mine.accent)
        #expect(selection.themes[selection.index].text == bundledDefault.text)
    }
}

@Suite struct ThemeFileKindTests {
    @Test func foldersFifosAndDevicesAreRefusedWithoutBlocking() throws {
        let directory = try ThemeTestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/dir.toml", withIntermediateDirectories: true)
        #expect(mkfifo(directory + "/pipe.toml", 0o600) == 0)
        guard case .failure(let folder) = ThemeFileSystem.read(directory + "/dir.toml").spec else { Issue.record(); return }
        #expect(folder.problem == "is a folder, not a theme file")
        guard case .failure(let fifo) = ThemeFileSystem.read(directory + "/pipe.toml").spec else { Issue.record(); return }
        #expect(fifo.problem == "is not a regular file")
        guard case .failure(let device) = ThemeFileSystem.read("/dev/zero").spec else { Issue.record(); return }
        #expect(device.problem == "is not a regular file")
        // A regular file whose read fails (EIO) is unreadable (exit 66), not an empty theme "missing background".
        guard case .failure(let unreadable) = ThemeFileSystem.read("/proc/self/mem").spec else { Issue.record(); return }
        #expect(unreadable.isReadFailure && unreadable.problem.hasPrefix("could not be read ("), "\(unreadable)")
        // A symlink to a good file is fine.
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.toml",
                                                   withDestinationPath: ThemeTestSupport.bundledDirectory + "/mono.toml")
        #expect((try? ThemeFileSystem.read(directory + "/link.toml").spec.get())?.name == "mono")   // its name = key
        let loaded = ThemeFileSystem.catalog(bundledDirectories: [], userDirectory: directory)
        #expect(loaded.warnings.count == 2 && loaded.themes.map(\.name) == ["default", "mono"])
    }

    @Test func aFileOverTheLimitIsReadOnlyToItsLimitAndRefused() throws {
        let huge = String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 2000)
        let directory = try ThemeTestSupport.temporaryDirectory()
        let path = try ThemeTestSupport.write(huge, to: directory, name: "huge.toml")
        let read = ThemeFileSystem.read(path)
        guard case .bytes(let bytes) = read.contents else { Issue.record("\(read.contents)"); return }
        #expect(bytes.count == ThemeFile.readLimit)
        guard case .failure(let fromDisk) = read.spec else { Issue.record("huge file read"); return }
        #expect(fromDisk.file == path && fromDisk.problem.contains("65536-byte limit"))
    }
}
