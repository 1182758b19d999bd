// Helpers shared by the theme tests: the repository's Themes/ folder, temp folders, contrast at a depth.
import Foundation
@testable import ScopeUI
import Terminal

enum ThemeTestSupport {
    /// The repository's Themes/ folder (found from this file's path).
    static let bundledDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes").path

    /// The bundled themes, loaded once.
    static let bundled: (themes: [Theme], warnings: [String]) = ThemeCatalog.load(bundled: folder(bundledDirectory), user: nil)

    /// The theme files of a folder, read plainly (the tests read files; ScopeUI is handed them).
    static func folder(_ path: String) -> ThemeFolder {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return ThemeFolder(path: path, files: ThemeFolder.themeFileNames(names).map { name in
            let file = ThemeFolder.filePath(folder: path, name: name)
            return ThemeFile(path: file, contents: FileManager.default.contents(atPath: file).map { .bytes([UInt8]($0)) } ?? .missing)
        })
    }

    /// A bundled theme by name.
    static func theme(_ name: String) -> Theme? { bundled.themes.first { $0.name == name } }

    /// A fresh empty temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "initscope-theme-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `directory/name`, returning the path.
    @discardableResult
    static func write(_ text: String, to directory: String, name: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// WCAG contrast of `role` against `over` as `theme` shows at `depth` (`.default` = the assumed colours).
    static func contrast(_ theme: Theme, _ role: ThemeRole, over: ThemeRole = .background, at depth: ColorDepth) -> Double {
        let shown = theme.resolved(for: depth)
        return ColorSpace.contrastRatio(shown.assumedRGB(role), shown.assumedRGB(over))
    }
}
