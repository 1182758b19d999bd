// What went wrong loading a theme, located by file, line and key for a one-line message.

/// A theme that could not be loaded: where, which key, and what is wrong.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (path as given) or theme name the problem is in.
    public var file: String
    /// 1-based line of the problem, when known.
    public var line: Int?
    /// The key at fault ("text", "text.ansi16", "inherits"), when there is one.
    public var key: String?
    /// What is wrong, in a few words.
    public var problem: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, key: String? = nil, problem: String) {
        self.file = file; self.line = line; self.key = key; self.problem = problem
    }

    /// "file:line key: problem" (parts omitted when unknown).
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { place += " \(key)" }
        return "\(place): \(problem)"
    }
}
