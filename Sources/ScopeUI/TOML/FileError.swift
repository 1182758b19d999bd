// What went wrong loading a theme or lecture file, located by file, line and key for a one-line message.

/// A theme or lecture file that could not be loaded: where, which key, and what is wrong.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (path as given), or the theme or lecture name, the problem is in.
    public var file: String
    /// 1-based line of the problem, when known.
    public var line: Int?
    /// The key at fault ("text", "text.ansi16", "inherits"), when there is one.
    public var key: String?
    /// What is wrong, in a few words.
    public var problem: String
    /// True when the file exists but reading it failed (exit status 66), as opposed to broken contents.
    public var isReadFailure: Bool

    /// Creates an error.
    public init(file: String, line: Int? = nil, key: String? = nil, problem: String, isReadFailure: Bool = false) {
        self.file = file; self.line = line; self.key = key; self.problem = problem; self.isReadFailure = isReadFailure
    }

    /// "file:line key: problem" (parts omitted when unknown), safe to print on a terminal.
    public var description: String {
        var place = file.printable(limit: 200)
        if let line { place += ":\(line)" }
        if let key { place += " \(key.printable(limit: 60))" }
        return "\(place): \(problem.printable(limit: 300))"
    }
}

extension String {
    /// This text with control characters (C0, DEL, C1: escape sequences) replaced by "?" and cut to `limit`
    /// characters with "...", so names from files or the environment cannot drive the terminal.
    func printable(limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            let value = scalar.value
            scalars.append(value < 0x20 || (0x7F...0x9F).contains(value) ? "?" : scalar)
        }
        let clean = String(scalars)
        return clean.count > limit ? String(clean.prefix(limit)) + "..." : clean
    }
}

/// A theme that could not be loaded (`FileError`, shared with lectures).
public typealias ThemeError = FileError

/// A lecture that could not be loaded (`FileError`, shared with themes).
public typealias LectureError = FileError
