// The file-system side of themes, the only code that touches theme files: finds the binary, lists theme folders
// and reads theme files into values (ThemeFile, ThemeFolder) that ScopeUI's ThemeCatalog parses and resolves.
// Legend: paths as given (`--theme PATH`, `themes --check PATH`) or as listed (folder + "/" + name).
import Foundation
import ScopeUI
import SignalFlow

/// Reads theme folders and files, and loads the catalog, a requested theme and single theme files through them.
enum ThemeFileSystem {
    /// The running binary's path, absolute with symlinks resolved (Linux: /proc/self/exe; else argv[0]).
    static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved(path) }
        return CommandLine.arguments.first.map { resolved(URL(fileURLWithPath: $0).path) }
    }

    /// `path` made absolute with every symlink resolved.
    static func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }

    /// Where the bundled themes may be for a binary at `executablePath` (symlinks resolved first), best first.
    static func bundledDirectoryCandidates(executablePath: String?) -> [String] {
        ThemeCatalog.bundledDirectoryCandidates(executablePath: executablePath.map(resolved))
    }

    /// What reading `path` gives: its first `ThemeFile.readLimit` bytes, or why not. Only regular files (after
    /// symlinks) are opened: a FIFO or a device would block or never end.
    static func read(_ path: String) -> ThemeFile {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return ThemeFile(path: path, contents: .missing)
        }
        let type = attributes[.type] as? FileAttributeType
        let resolvedType = type == .typeSymbolicLink
            ? (try? FileManager.default.attributesOfItem(atPath: resolved(path)))?[.type] as? FileAttributeType
            : type
        guard resolvedType == .typeRegular else {
            return ThemeFile(path: path, contents: resolvedType == .typeDirectory ? .folder : .notRegularFile)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return ThemeFile(path: path, contents: .unreadable(reason: String(cString: strerror(errno))))
        }
        defer { try? handle.close() }
        // A read error (EIO from /proc/self/mem, a failing disk) is not an empty file.
        do {
            let data = try handle.read(upToCount: ThemeFile.readLimit) ?? Data()
            return ThemeFile(path: path, contents: .bytes([UInt8](data)))
        } catch {
            let code = (error as NSError).code
            let reason = (error as NSError).domain == NSPOSIXErrorDomain || (error as NSError).domain == NSCocoaErrorDomain
                ? String(cString: strerror(Int32(truncatingIfNeeded: code))) : error.localizedDescription
            return ThemeFile(path: path, contents: .unreadable(reason: PrintableText.quoted(reason, limit: 120)))
        }
    }

    /// The theme file names of the folder at `path` (`ThemeFolder.themeFileNames`; none when it is missing or unreadable).
    static func themeFileNames(in path: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return ThemeFolder.themeFileNames(names)
    }

    /// The folder at `path` with its theme files read.
    static func folder(_ path: String) -> ThemeFolder {
        ThemeFolder(path: path, files: themeFileNames(in: path).map { read(ThemeFolder.filePath(folder: path, name: $0)) })
    }

    /// The first of `candidates` that holds a theme file, read; nil when none does.
    static func firstFolderWithThemes(_ candidates: [String]) -> ThemeFolder? {
        for path in candidates {
            let names = themeFileNames(in: path)
            if !names.isEmpty { return ThemeFolder(path: path, files: names.map { read(ThemeFolder.filePath(folder: path, name: $0)) }) }
        }
        return nil
    }

    /// The catalog from the first bundled folder that has themes and the user's folder (`ThemeCatalog.load`).
    static func catalog(bundledDirectories: [String], userDirectory: String?) -> (themes: [Theme], warnings: [String]) {
        ThemeCatalog.load(bundled: firstFolderWithThemes(bundledDirectories), user: userDirectory.map(folder))
    }

    /// The catalog of this process: bundled themes found from the binary, then the user's folder.
    static func catalog(environment: [String: String], executablePath: String? = executablePath()) -> (themes: [Theme], warnings: [String]) {
        catalog(bundledDirectories: ThemeCatalog.bundledDirectoryCandidates(executablePath: executablePath),
                userDirectory: ThemeCatalog.userDirectory(environment: environment))
    }

    /// Loads the theme file at `path`, resolving `inherits` against the files `themes` came from, their bundled
    /// folder and `userDirectory` (`ThemeCatalog.resolve`). Nothing else is read when the file itself is bad.
    static func loadFile(path: String, themes: [Theme], userDirectory: String?) -> Result<Theme, ThemeError> {
        let file = read(path)
        if case .failure(let error) = file.spec { return .failure(error) }
        let around = ThemeCatalog.filesAround(path: path, themes: themes, userDirectory: userDirectory)
        let bundled = around.bundledDirectory.flatMap { firstFolderWithThemes([$0]) }
        let user = userDirectory.map(folder)
        var alreadyRead: [String: ThemeFile] = [:]
        for known in (bundled?.files ?? []) + (user?.files ?? []) { alreadyRead[known.path] = known }
        let sources = around.sources.map { alreadyRead[$0] ?? read($0) }
        return ThemeCatalog.resolve(file, bundled: bundled, user: user, sources: sources)
    }

    /// Picks the theme asked for (`ThemeCatalog.select`), loading it first when it is a file.
    static func select(_ request: String?, environment: [String: String], themes: [Theme])
        -> (themes: [Theme], index: Int, message: String?) {
        let file = ThemeCatalog.fileToLoad(request, environment: environment, themes: themes).map {
            loadFile(path: $0, themes: themes, userDirectory: ThemeCatalog.userDirectory(environment: environment))
        }
        return ThemeCatalog.select(request, environment: environment, themes: themes, file: file)
    }
}
