// Finding and loading every theme: bundled Themes/, the user's config folder, an explicit file, the built-in.
// Side effects (directory listing, file reads) happen here only; parsing and inheritance are pure.
import Foundation

/// The list of available themes and the messages explaining any that failed to load.
public enum ThemeCatalog {
    /// Bundled theme names in display order; other themes follow alphabetically.
    public static let preferredOrder = ["default", "light", "high-contrast", "okabe-ito", "solarized-dark", "mono"]
    /// Most theme files read from one folder.
    public static let maximumFilesPerDirectory = 256

    /// Folders holding the bundled themes, best first: a `Themes/` folder found by walking up from the binary's
    /// real path (a source checkout), `<prefix>/share/initscope/themes` beside an installed binary, then the
    /// usual install locations.
    public static func bundledDirectoryCandidates(executablePath: String?) -> [String] {
        var candidates: [String] = []
        if let executablePath {
            var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<12 {
                candidates.append(directory.appendingPathComponent("Themes").path)
                candidates.append(directory.appendingPathComponent("share/initscope/themes").path)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
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

    /// The path of the running binary (Linux: /proc/self/exe; else argv[0]).
    public static func currentExecutablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).path }
    }

    /// Loads the themes of the first bundled folder that has any, then the user's folder (a user theme with a
    /// bundled theme's name replaces it, and inherits from it when it names itself in `inherits`). Always
    /// includes a "default" (the compiled-in one if no file).
    public static func load(bundledDirectories: [String], userDirectory: String?) -> (themes: [Theme], warnings: [String]) {
        let layers = readLayers(bundledDirectories: bundledDirectories, userDirectory: userDirectory)
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

    /// Every theme file of the first bundled folder that has any, then of the user's folder, parsed: `specs` by
    /// name (user files replacing bundled ones), `shadowed` the bundled specs a user file replaced, and one
    /// warning per file that could not be read or parsed.
    static func readLayers(bundledDirectories: [String], userDirectory: String?)
        -> (specs: [String: ThemeSpec], shadowed: [String: ThemeSpec], warnings: [String]) {
        var bundled: [String: ThemeSpec] = [:], user: [String: ThemeSpec] = [:]
        var warnings: [String] = []
        if let directory = bundledDirectories.first(where: { !themeFiles(in: $0).isEmpty }) {
            read(directory: directory, into: &bundled, warnings: &warnings)
        }
        if let userDirectory { read(directory: userDirectory, into: &user, warnings: &warnings) }
        let shadowed = bundled.filter { user[$0.key] != nil }
        return (bundled.merging(user) { _, mine in mine }, shadowed, warnings)
    }

    /// Loads the catalog from the standard places for this process.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                            executablePath: String? = currentExecutablePath()) -> (themes: [Theme], warnings: [String]) {
        load(bundledDirectories: bundledDirectoryCandidates(executablePath: executablePath),
             userDirectory: userDirectory(environment: environment))
    }

    /// Picks the theme asked for (`--theme` value, else INITSCOPE_THEME, else "default"): a name from `themes`
    /// or a path to a .toml file (added to the list). On failure the default theme is chosen and `message`
    /// says why, for the status line: "theme 'x': file:line key: problem; using default".
    public static func select(_ request: String?, environment: [String: String], themes: [Theme])
        -> (themes: [Theme], index: Int, message: String?) {
        var list = themes.isEmpty ? [Theme.builtInDefault] : themes
        let defaultIndex = list.firstIndex { $0.name == Theme.builtInDefault.name } ?? 0
        let asked = (request?.isEmpty == false ? request : nil) ?? environment["INITSCOPE_THEME"].flatMap { $0.isEmpty ? nil : $0 }
        guard let asked else { return (list, defaultIndex, nil) }
        if let index = list.firstIndex(where: { $0.name == asked }) { return (list, index, nil) }
        func failed(_ why: String) -> (themes: [Theme], index: Int, message: String?) {
            (list, defaultIndex, "theme '\(asked.printable(limit: 80))': \(why.printable(limit: 400)); using default")
        }
        guard asked.contains("/") || asked.hasSuffix(".toml") else {
            return failed("no such theme (have \(list.map(\.name).joined(separator: ", ")))")
        }
        switch loadFile(path: asked, themes: list, userDirectory: userDirectory(environment: environment)) {
        case .success(let theme):
            list.removeAll { $0.name == theme.name }
            list.append(theme)
            return (list, list.count - 1, nil)
        case .failure(let error): return failed(error.description)
        }
    }

    /// Loads one theme file, resolving `inherits` against the files `themes` came from and every file of their
    /// folders and of `userDirectory` (so a parent that is itself broken is reported as what it is).
    public static func loadFile(path: String, themes: [Theme], userDirectory: String? = nil) -> Result<Theme, ThemeError> {
        let spec: ThemeSpec
        switch readSpec(path: path) {
        case .success(let parsed): spec = parsed
        case .failure(let error): return .failure(error)
        }
        let sources = themes.map(\.source).filter { $0 != "built-in" }
        let folders = sources.map { ($0 as NSString).deletingLastPathComponent }
        let bundledFolder = folders.first { $0 != userDirectory }
        let layers = readLayers(bundledDirectories: bundledFolder.map { [$0] } ?? [], userDirectory: userDirectory)
        var specs = layers.specs
        for source in sources where source != path && !specs.values.contains(where: { $0.source == source }) {
            if case .success(let parsed) = readSpec(path: source) { specs[parsed.name] = parsed }
        }
        // The file itself overrides any catalog theme of its name, and may inherit from it.
        var shadowed = layers.shadowed
        if let replaced = specs[spec.name], replaced.source != spec.source { shadowed[spec.name] = replaced }
        specs = specs.filter { $0.value.source != path }
        specs[spec.name] = spec
        return ThemeInheritance.resolve(spec, among: specs, shadowed: shadowed)
    }

    /// The .toml files of a folder, sorted (empty if the folder is missing or unreadable).
    static func themeFiles(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
            .prefix(maximumFilesPerDirectory).map { directory + "/" + $0 }
    }

    /// Reads one theme file with the size cap applied before reading it all.
    public static func readSpec(path: String) -> Result<ThemeSpec, ThemeError> {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return .failure(ThemeError(file: path, problem: "no such file"))
        }
        // Only regular files (after symlinks): a FIFO or device would block or never end.
        let type = attributes[.type] as? FileAttributeType
        let resolvedType = type == .typeSymbolicLink
            ? (try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path))?[.type] as? FileAttributeType
            : type
        guard resolvedType == .typeRegular else {
            return .failure(ThemeError(file: path, problem: resolvedType == .typeDirectory ? "is a folder, not a theme file"
                                                                                         : "is not a regular file"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ThemeError(file: path, problem: "could not be read (\(String(cString: strerror(errno))))",
                                       isReadFailure: true))
        }
        defer { try? handle.close() }
        // A read error (EIO from /proc/self/mem, a failing disk) is not an empty file.
        let data: Data
        do {
            data = try handle.read(upToCount: ThemeParser.maximumFileBytes + 1) ?? Data()
        } catch {
            let code = (error as NSError).code
            let reason = (error as NSError).domain == NSPOSIXErrorDomain || (error as NSError).domain == NSCocoaErrorDomain
                ? String(cString: strerror(Int32(truncatingIfNeeded: code))) : error.localizedDescription
            return .failure(ThemeError(file: path, problem: "could not be read (\(reason.printable(limit: 120)))",
                                       isReadFailure: true))
        }
        guard data.count <= ThemeParser.maximumFileBytes else {
            return .failure(ThemeError(file: path, problem: "file is over the \(ThemeParser.maximumFileBytes)-byte limit"))
        }
        return ThemeParser.parse(bytes: [UInt8](data), file: path)
    }

    static func read(directory: String, into specs: inout [String: ThemeSpec], warnings: inout [String]) {
        for path in themeFiles(in: directory) {
            switch readSpec(path: path) {
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
