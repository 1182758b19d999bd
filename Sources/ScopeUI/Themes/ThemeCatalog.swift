// Which themes a run has: the bundled folder's, the user's folder's, an explicit file, the built-in default.
// Pure: the executable lists folders and reads files (ThemeFile, ThemeFolder) and hands them in; here they are
// parsed, layered (user over bundled) and resolved (inheritance), and a request is matched against them.
import Foundation

/// The list of available themes and the messages explaining any that failed to load.
public enum ThemeCatalog {
    /// Bundled theme names in display order; other themes follow alphabetically.
    public static let preferredOrder = ["default", "light", "high-contrast", "okabe-ito", "solarized-dark", "mono"]
    /// Most theme files read from one folder.
    public static let maximumFilesPerDirectory = 256

    /// Folders that may hold the bundled themes, best first: a `Themes/` folder or `share/initscope/themes` in the
    /// binary's folder or one of its ancestors (a source checkout, an install prefix), then the usual install
    /// locations. `executablePath` is absolute with symlinks resolved (the executable resolves it).
    public static func bundledDirectoryCandidates(executablePath: String?) -> [String] {
        var candidates: [String] = []
        if let executablePath {
            var components = executablePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            components.removeLast(components.isEmpty ? 0 : 1)   // the binary itself
            for _ in 0..<12 {
                let directory = "/" + components.joined(separator: "/")
                let prefix = directory == "/" ? "" : directory
                candidates.append(prefix + "/Themes")
                candidates.append(prefix + "/share/initscope/themes")
                if components.isEmpty { break }
                components.removeLast()
            }
        }
        candidates += ["/usr/local/share/initscope/themes", "/usr/share/initscope/themes"]
        return candidates
    }

    /// The user's theme folder: $XDG_CONFIG_HOME/initscope/themes, else ~/.config/initscope/themes.
    public static func userDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/initscope/themes" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/initscope/themes" }
        return nil
    }

    /// The themes of the bundled folder (the first candidate with any theme file; nil when none has) and of the
    /// user's folder: a user theme with a bundled theme's name replaces it, and inherits from it when it names itself
    /// in `inherits`. Always includes a "default" (the compiled-in one if no file). Warnings: one per file skipped.
    public static func load(bundled: ThemeFolder?, user: ThemeFolder?) -> (themes: [Theme], warnings: [String]) {
        let layers = self.layers(bundled: bundled, user: user)
        var themes: [Theme] = []
        var warnings = layers.warnings
        for spec in layers.specs.values {
            switch ThemeInheritance.resolve(spec, among: layers.specs, shadowed: layers.shadowed) {
            case .success(let theme): themes.append(theme)
            case .failure(let error): warnings.append("skipped theme: \(error)")
            }
        }
        if !themes.contains(where: { $0.name == Theme.builtInDefault.name }) { themes.append(.builtInDefault) }
        return (sorted(themes), warnings.sorted())
    }

    /// Every theme file of the bundled folder, then of the user's folder, parsed: `specs` by name (user files
    /// replacing bundled ones), `shadowed` the bundled specs a user file replaced, and one warning per file that
    /// could not be read or parsed.
    static func layers(bundled: ThemeFolder?, user: ThemeFolder?)
        -> (specs: [String: ThemeSpec], shadowed: [String: ThemeSpec], warnings: [String]) {
        var bundledSpecs: [String: ThemeSpec] = [:], userSpecs: [String: ThemeSpec] = [:]
        var warnings: [String] = []
        if let bundled { parse(bundled, into: &bundledSpecs, warnings: &warnings) }
        if let user { parse(user, into: &userSpecs, warnings: &warnings) }
        let shadowed = bundledSpecs.filter { userSpecs[$0.key] != nil }
        return (bundledSpecs.merging(userSpecs) { _, mine in mine }, shadowed, warnings)
    }

    /// The theme asked for: the `--theme` value, else INITSCOPE_THEME (empty values count as not given).
    public static func requestedTheme(_ request: String?, environment: [String: String]) -> String? {
        (request?.isEmpty == false ? request : nil) ?? environment["INITSCOPE_THEME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when `asked` names a file rather than a theme: it holds a "/" or ends in ".toml".
    public static func isPath(_ asked: String) -> Bool { asked.contains("/") || asked.hasSuffix(".toml") }

    /// The file `select` needs loaded for this request: the requested theme when it is no theme of `themes` and is a
    /// path; nil otherwise. The executable loads it (`resolve`) and passes the result to `select`.
    public static func fileToLoad(_ request: String?, environment: [String: String], themes: [Theme]) -> String? {
        guard let asked = requestedTheme(request, environment: environment), isPath(asked) else { return nil }
        let list = themes.isEmpty ? [Theme.builtInDefault] : themes
        return list.contains { $0.name == asked } ? nil : asked
    }

    /// Picks the theme asked for (`--theme` value, else INITSCOPE_THEME, else "default"): a name from `themes`
    /// or a path to a .toml file, whose load (`fileToLoad`'s path) is `file` and is added to the list; a path not
    /// loaded reads as "no such file". On failure the default theme is chosen and `message` says why, for the status
    /// line: "theme 'x': file:line key: problem; using default".
    public static func select(_ request: String?, environment: [String: String], themes: [Theme],
                              file: Result<Theme, ThemeError>? = nil) -> (themes: [Theme], index: Int, message: String?) {
        var list = themes.isEmpty ? [Theme.builtInDefault] : themes
        let defaultIndex = list.firstIndex { $0.name == Theme.builtInDefault.name } ?? 0
        guard let asked = requestedTheme(request, environment: environment) else { return (list, defaultIndex, nil) }
        if let index = list.firstIndex(where: { $0.name == asked }) { return (list, index, nil) }
        func failed(_ why: String) -> (themes: [Theme], index: Int, message: String?) {
            (list, defaultIndex, "theme '\(asked.printable(limit: 80))': \(why.printable(limit: 400)); using default")
        }
        guard isPath(asked) else {
            return failed("no such theme (have \(list.map(\.name).joined(separator: ", ")))")
        }
        switch file ?? .failure(ThemeError(file: asked, problem: "no such file")) {
        case .success(let theme):
            list.removeAll { $0.name == theme.name }
            list.append(theme)
            return (list, list.count - 1, nil)
        case .failure(let error): return failed(error.description)
        }
    }

    /// What the executable reads to resolve the theme file at `path` against the catalog `themes` came from: the
    /// bundled folder (the first folder of a theme's file that is not `userDirectory`) and every theme's file.
    public static func filesAround(path: String, themes: [Theme], userDirectory: String?)
        -> (bundledDirectory: String?, sources: [String]) {
        let sources = themes.map(\.source).filter { $0 != "built-in" }
        let folders = sources.map { ($0 as NSString).deletingLastPathComponent }
        return (folders.first { $0 != userDirectory }, sources.filter { $0 != path })
    }

    /// Resolves one theme file (`--theme PATH`, `themes --check PATH`), its `inherits` against the bundled folder,
    /// the user's folder and the files of `themes` (`filesAround`), so a parent that is itself broken is reported
    /// as what it is. The file overrides any catalog theme of its name, and may inherit from it.
    public static func resolve(_ file: ThemeFile, bundled: ThemeFolder?, user: ThemeFolder?,
                               sources: [ThemeFile]) -> Result<Theme, ThemeError> {
        let spec: ThemeSpec
        switch file.spec {
        case .success(let parsed): spec = parsed
        case .failure(let error): return .failure(error)
        }
        let layers = self.layers(bundled: bundled, user: user)
        var specs = layers.specs
        for source in sources where source.path != file.path && !specs.values.contains(where: { $0.source == source.path }) {
            if case .success(let parsed) = source.spec { specs[parsed.name] = parsed }
        }
        var shadowed = layers.shadowed
        if let replaced = specs[spec.name], replaced.source != spec.source { shadowed[spec.name] = replaced }
        specs = specs.filter { $0.value.source != file.path }
        specs[spec.name] = spec
        return ThemeInheritance.resolve(spec, among: specs, shadowed: shadowed)
    }

    /// Parses every file of `folder` into `specs` by name, one warning per file skipped.
    static func parse(_ folder: ThemeFolder, into specs: inout [String: ThemeSpec], warnings: inout [String]) {
        for file in folder.files {
            switch file.spec {
            case .success(let spec): specs[spec.name] = spec
            case .failure(let error): warnings.append("skipped theme: \(error)")
            }
        }
    }

    /// Themes in preferred order, then by name.
    static func sorted(_ themes: [Theme]) -> [Theme] {
        func rank(_ theme: Theme) -> Int { preferredOrder.firstIndex(of: theme.name) ?? preferredOrder.count }
        return themes.sorted { (rank($0), $0.name) < (rank($1), $1.name) }
    }
}
