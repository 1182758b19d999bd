// Where lectures are and which file a request names. Pure: the executable lists folders and reads the file
// (LectureFileSystem) and hands the results in; here they are matched and parsed.
// Legend: a path is as given (`lecture PATH`) or as listed (folder + "/" + name + ".toml").

/// A lecture file as the executable read it: its path and its bytes, or what kept them from being read.
public struct LectureFile: Equatable, Sendable {
    /// The path read.
    public var path: String
    /// What reading it gave (as for theme files).
    public var contents: ThemeFile.Contents

    /// A file read from `path`.
    public init(path: String, contents: ThemeFile.Contents) { self.path = path; self.contents = contents }

    /// The parsed lecture, or the one-line problem: "no such file", "is a folder, not a lecture file", "is not a
    /// regular file", "could not be read (reason)" (a read failure, exit 66), over the size limit, or what the
    /// parser found.
    public var lecture: Result<Lecture, LectureError> {
        switch contents {
        case .missing: return .failure(LectureError(file: path, problem: "no such file"))
        case .folder: return .failure(LectureError(file: path, problem: "is a folder, not a lecture file"))
        case .notRegularFile: return .failure(LectureError(file: path, problem: "is not a regular file"))
        case .unreadable(let reason):
            return .failure(LectureError(file: path, problem: "could not be read (\(reason))", isReadFailure: true))
        case .bytes(let bytes): return LectureParser.parse(bytes: bytes, file: path)
        }
    }
}

/// Finding lectures by name.
public enum LectureCatalog {
    /// The lecture `initscope lecture` gives without a name.
    public static let defaultName = "initialization"

    /// Folders that may hold the bundled lectures, best first: a `Lectures/` folder or `share/initscope/lectures` in
    /// the binary's folder or one of its ancestors (a source checkout, an install prefix), then the usual install
    /// locations (as for themes). `executablePath` is absolute with symlinks resolved.
    public static func bundledDirectoryCandidates(executablePath: String?) -> [String] {
        ThemeCatalog.bundledDirectoryCandidates(executablePath: executablePath).map { folder in
            folder.hasSuffix("/Themes") ? String(folder.dropLast("Themes".count)) + "Lectures"
                : String(folder.dropLast("themes".count)) + "lectures"
        }
    }

    /// The user's lecture folder: $XDG_DATA_HOME/initscope/lectures, else ~/.local/share/initscope/lectures.
    public static func userDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/initscope/lectures" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/initscope/lectures" }
        return nil
    }

    /// True when `request` names a file rather than a lecture: it holds a "/" or ends in ".toml".
    public static func isPath(_ request: String) -> Bool { request.contains("/") || request.hasSuffix(".toml") }

    /// True when `name` can name a lecture file in a folder (letters, digits, - _ .; no leading dot).
    public static func isName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }

    /// The paths to try for `request` (nil: the default lecture), in order: the path itself, or NAME.toml in the
    /// user's folder, then in each bundled folder.
    public static func candidatePaths(for request: String?, userDirectory: String?, bundledDirectories: [String]) -> [String] {
        let asked = request ?? defaultName
        if isPath(asked) { return [asked] }
        guard isName(asked) else { return [] }
        return ([userDirectory].compactMap { $0 } + bundledDirectories).map { $0 + "/" + asked + ".toml" }
    }

    /// The lecture names among a folder's file names: `*.toml`, not hidden, sorted, without the extension.
    public static func names(in fileNames: [String]) -> [String] {
        fileNames.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }
}
