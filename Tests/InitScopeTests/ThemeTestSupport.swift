// Helpers of the theme file-system tests: the repository's Themes/ folder, its themes, temp folders.
import Foundation
@testable import initscope
import ScopeUI

enum ThemeTestSupport {
    /// The repository's Themes/ folder (found from this file's path).
    static let bundledDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes").path

    /// The bundled themes, loaded once through the executable's reader.
    static let bundled: (themes: [Theme], warnings: [String]) =
        ThemeFileSystem.catalog(bundledDirectories: [bundledDirectory], userDirectory: nil)

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
}
