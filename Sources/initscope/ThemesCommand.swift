// `initscope themes`: list every theme found (bundled, user, built-in) with a colour swatch each, or check files.
import ArgumentParser
import Foundation
import ScopeUI
import Terminal

/// Lists themes, or validates theme files with --check.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the colour themes found, with a swatch line each.",
        discussion: """
            Themes are read from the bundled Themes/ folder (found from the binary's location or the install \
            prefix's share/initscope/themes), then $XDG_CONFIG_HOME/initscope/themes (default \
            ~/.config/initscope/themes). Swatches use escape sequences when stdout is a terminal, colour names \
            otherwise; --depth previews another colour depth. Exit status 65 when --check finds a broken file.
            """)

    /// EX_DATAERR: a theme file given to --check is broken.
    static let dataErrorStatus: Int32 = 65
    /// EX_NOINPUT: a theme file exists but could not be read (permissions, I/O error).
    static let unreadableStatus: Int32 = 66

    /// Refuses, with one line on stderr and status 66, a theme path asked for (`--theme`, else INITSCOPE_THEME)
    /// that exists but cannot be read: a read error is not an empty or broken file.
    static func refuseUnreadableTheme(_ request: String?, environment: [String: String]) throws {
        guard let asked = ThemeCatalog.requestedTheme(request, environment: environment), ThemeCatalog.isPath(asked),
              case .failure(let error) = ThemeFileSystem.read(asked).spec, error.isReadFailure else { return }
        StandardStreams.writeErrorLine("initscope: theme \(error)")
        throw ExitCode(unreadableStatus)
    }

    @Option(help: "Colour: auto, always or never (NO_COLOR is honoured with auto).")
    var color: String = "auto"

    @Option(help: "Theme name or path to mark as selected (default: INITSCOPE_THEME, else default).")
    var theme: String?

    @Option(help: "Preview at this colour depth instead of the terminal's: truecolor, 256, 16, 8 or mono.")
    var depth: String?

    @Option(name: .customLong("check"), parsing: .upToNextOption, help: ArgumentHelp("Check theme files (--check A B, or repeated): problems, contrast; exit 65 if one is broken.",
                                                           valueName: "file"))
    var checkPaths: [String] = []

    /// The --depth value as a ColorDepth (nil = detect).
    static func parseDepth(_ text: String) -> ColorDepth? {
        switch text.lowercased() {
        case "truecolor", "24bit", "24": return .truecolor
        case "256": return .indexed256
        case "16": return .ansi16
        case "8": return .ansi8
        case "mono", "monochrome", "0", "2": return .monochrome
        default: return nil
        }
    }

    func validate() throws {
        if let depth, Self.parseDepth(depth) == nil {
            throw ValidationError("--depth must be truecolor, 256, 16, 8 or mono (got '\(depth)')")
        }
        guard ["auto", "always", "never"].contains(color.lowercased()) else {
            throw ValidationError("--color must be auto, always or never (got '\(color)')")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if checkPaths.isEmpty { try Self.refuseUnreadableTheme(theme, environment: environment) }
        let catalog = ThemeFileSystem.catalog(environment: environment)
        // Listing and check reports go through one buffer: a failed write is one line and EX_IOERR (74).
        var output = BufferedOutput()
        if !checkPaths.isEmpty {
            let failureStatus = check(catalog.themes, environment: environment, to: &output)
            try output.finish(writing: "the theme check")
            if let failureStatus { throw ExitCode(failureStatus) }
            return
        }
        for warning in catalog.warnings { StandardStreams.writeErrorLine("initscope: " + warning) }
        let selection = ThemeFileSystem.select(theme, environment: environment, themes: catalog.themes)
        if let message = selection.message { StandardStreams.writeErrorLine("initscope: " + message) }
        let terminal = isatty(STDOUT_FILENO) == 1
        let detected = Self.listingDepth(environment: environment, color: color.lowercased(), stdoutIsTerminal: terminal)
        let escapes = detected != .monochrome || (terminal && color.lowercased() != "never")
        // --depth previews a depth: as escapes on a terminal (or with --color always), else as colour names.
        let preview = depth.flatMap(Self.parseDepth)
        let shownDepth = preview ?? (escapes ? detected : .truecolor)
        for (index, entry) in selection.themes.enumerated() {
            output.write(ThemeListing.line(entry, depth: shownDepth, escapes: escapes, selected: index == selection.index) + "\n")
        }
        try output.finish(writing: "the theme list")
    }

    /// Validates each --check file against the catalog (for `inherits`), writing one line per file (and its
    /// contrast notes) into `output`; the exit status when a file is unreadable (66) or broken (65), else nil.
    func check<Output: TextOutputStream>(_ themes: [Theme], environment: [String: String],
                                         to output: inout Output) -> Int32? {
        var failed = false, unreadable = false
        for path in checkPaths {
            switch ThemeFileSystem.loadFile(path: path, themes: themes,
                                            userDirectory: ThemeCatalog.userDirectory(environment: environment)) {
            case .success(let theme):
                output.write("\(path): ok (theme '\(theme.name)'" + (theme.inherits.map { ", inherits '\($0)'" } ?? "") + ")\n")
                output.write("  contrast " + ThemeContrast.summary(theme) + "\n")
                for line in ThemeContrast.shortfalls(theme) { output.write("  warning: low contrast: " + line + "\n") }
            case .failure(let error):
                if error.isReadFailure { unreadable = true } else { failed = true }
                output.write("\(path): FAILED: \(error)\n")
            }
        }
        if unreadable { return Self.unreadableStatus }
        return failed ? Self.dataErrorStatus : nil
    }

    /// The depth the swatches are drawn at: none unless stdout is a terminal (or --color always), NO_COLOR
    /// honoured with auto, COLORTERM=truecolor|24bit -> truecolor, TERM *256color* -> 256, dumb -> none, else 16.
    static func listingDepth(environment: [String: String], color: String, stdoutIsTerminal: Bool) -> ColorDepth {
        if color == "never" { return .monochrome }
        if color == "auto" {
            guard stdoutIsTerminal else { return .monochrome }
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        }
        let term = (environment["TERM"] ?? "").lowercased(), colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .truecolor }
        if term.contains("256color") { return .indexed256 }
        if term == "dumb" || term.isEmpty { return color == "always" ? .ansi8 : .monochrome }
        return .ansi16
    }
}
