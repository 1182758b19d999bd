// Theme files as the executable read them: ScopeUI parses what it is handed and never touches the file system.
// Legend: a path is as given (`--theme PATH`, `themes --check PATH`) or as listed (folder + "/" + name).

/// One theme file as the executable read it: its path and its bytes, or what kept them from being read.
public struct ThemeFile: Equatable, Sendable {
    /// What reading the path gave.
    public enum Contents: Equatable, Sendable {
        /// The file's first bytes, at most `ThemeFile.readLimit` of them (more than the parser's limit: too long).
        case bytes([UInt8])
        /// Nothing at the path (or its type could not be found).
        case missing
        /// A folder.
        case folder
        /// Not a regular file after symlinks (FIFO, device, socket): never opened, as reading it could block.
        case notRegularFile
        /// A regular file whose opening or reading failed; `reason` in the system's words ("Permission denied").
        case unreadable(reason: String)
    }

    /// The path read.
    public var path: String
    /// What reading it gave.
    public var contents: Contents

    /// A file read from `path`.
    public init(path: String, contents: Contents) { self.path = path; self.contents = contents }

    /// The most bytes a reader needs: one past the parser's limit, so a file over it is told apart.
    public static let readLimit = ThemeParser.maximumFileBytes + 1

    /// The parsed theme file, or the one-line problem: "no such file", "is a folder, not a theme file", "is not a
    /// regular file", "could not be read (reason)" (a read failure, exit 66), "file is over the 65536-byte limit",
    /// or what the parser found.
    public var spec: Result<ThemeSpec, ThemeError> {
        switch contents {
        case .missing: return .failure(ThemeError(file: path, problem: "no such file"))
        case .folder: return .failure(ThemeError(file: path, problem: "is a folder, not a theme file"))
        case .notRegularFile: return .failure(ThemeError(file: path, problem: "is not a regular file"))
        case .unreadable(let reason):
            return .failure(ThemeError(file: path, problem: "could not be read (\(reason))", isReadFailure: true))
        case .bytes(let bytes):
            guard bytes.count <= ThemeParser.maximumFileBytes else {
                return .failure(ThemeError(file: path, problem: "file is over the \(ThemeParser.maximumFileBytes)-byte limit"))
            }
            return ThemeParser.parse(bytes: bytes, file: path)
        }
    }
}

/// The theme files of one folder, as the executable listed and read them (names from `themeFileNames`).
public struct ThemeFolder: Equatable, Sendable {
    /// The folder's path.
    public var path: String
    /// Its theme files in reading order, each at `path + "/" + name`.
    public var files: [ThemeFile]

    /// A folder at `path` holding `files`.
    public init(path: String, files: [ThemeFile]) { self.path = path; self.files = files }

    /// The names of a folder listing that are theme files, in reading order: `*.toml` that are not hidden, sorted,
    /// at most `ThemeCatalog.maximumFilesPerDirectory` of them.
    public static func themeFileNames(_ names: [String]) -> [String] {
        Array(names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted().prefix(ThemeCatalog.maximumFilesPerDirectory))
    }

    /// The path of a file named `name` in the folder at `path` (how listed files are named in messages).
    public static func filePath(folder path: String, name: String) -> String { path + "/" + name }
}
