// Everything the run loop needs about themes at start-up, in one call: the list for `t`, the chosen index, and
// one status-line message when something went wrong. Pure: the executable reads the files (ThemeFileSystem).
import Terminal

/// The themes of a run: what `t` cycles through, which one is active, and what to say about failures.
public struct ThemeStartup: Equatable, Sendable {
    /// Every usable theme, in display order.
    public var themes: [Theme]
    /// Index of the active theme in `themes`.
    public var index: Int
    /// One line for the status bar, nil when all went well: the selection failure if any
    /// ("theme 'x': file:line key: problem; using default"), else the first skipped file and how many.
    public var statusMessage: String?
    /// Every problem found, one line each (for stderr or a log).
    public var warnings: [String]

    /// The active theme.
    public var current: Theme { themes[index] }

    /// Selection and messages from a loaded catalog and `request` (the `--theme` value; nil = INITSCOPE_THEME, else
    /// "default"); `file` is the load of `ThemeCatalog.fileToLoad`'s path when the request names a file.
    public static func make(catalog: (themes: [Theme], warnings: [String]), request: String?,
                            environment: [String: String], file: Result<Theme, ThemeError>? = nil) -> ThemeStartup {
        let selection = ThemeCatalog.select(request, environment: environment, themes: catalog.themes, file: file)
        var warnings = catalog.warnings
        if let message = selection.message { warnings.insert(message, at: 0) }
        var status = selection.message
        if status == nil, let first = catalog.warnings.first {
            status = catalog.warnings.count == 1 ? first : "\(first) (and \(catalog.warnings.count - 1) more)"
        }
        return ThemeStartup(themes: selection.themes, index: selection.index, statusMessage: status, warnings: warnings)
    }

    /// Every theme made concrete for a terminal of `depth` (what AppState wants: `.setThemes(...)`).
    public func resolved(for depth: ColorDepth) -> ThemeStartup {
        var copy = self
        copy.themes = themes.map { $0.resolved(for: depth) }
        return copy
    }

    /// The index after `index` when cycling with `t` (wraps around).
    public func next(after index: Int) -> Int { themes.isEmpty ? 0 : (index + 1) % themes.count }
}
