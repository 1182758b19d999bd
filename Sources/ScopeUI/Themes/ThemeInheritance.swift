// Resolving `inherits` chains: specs by name -> complete themes. Pure; cycles and deep chains are errors.

/// Turns theme specs into complete themes by following `inherits`.
public enum ThemeInheritance {
    /// Longest `inherits` chain accepted (a theme and up to this many ancestors).
    public static let maximumDepth = 8
    /// The name that always means the compiled-in default.
    public static let builtInName = "built-in"

    /// The complete theme for `spec`, looking parents up in `specs` by name. "default" without a file and
    /// "built-in" mean `Theme.builtInDefault`. A theme that inherits nothing must define every role.
    public static func resolve(_ spec: ThemeSpec, among specs: [String: ThemeSpec]) -> Result<Theme, ThemeError> {
        var chain: [ThemeSpec] = [spec]
        var seen: Set<String> = [spec.name]
        var base: Theme? = nil
        while base == nil, let parentName = chain.last!.inherits {
            let child = chain.last!
            func error(_ problem: String) -> ThemeError {
                ThemeError(file: child.source, line: child.lineOfKey["inherits"], key: "inherits", problem: problem)
            }
            if parentName == builtInName { base = .builtInDefault; break }
            guard !seen.contains(parentName) else {
                let names = chain.map(\.name) + [parentName]
                return .failure(error("inheritance cycle: \(names.joined(separator: " -> "))"))
            }
            guard chain.count <= maximumDepth else {
                return .failure(error("inheritance deeper than \(maximumDepth) levels (from '\(spec.name)')"))
            }
            if let parent = specs[parentName] {
                chain.append(parent); seen.insert(parentName)
            } else if parentName == Theme.builtInDefault.name {
                base = .builtInDefault
            } else {
                return .failure(error("inherits from unknown theme '\(parentName)'"))
            }
        }
        if base == nil, let root = chain.last {
            let missing = ThemeRole.allCases.filter { root.roles[$0] == nil }.map(\.key)
                + (root.series == nil ? ["series"] : []) + (root.ramp == nil ? ["ramp"] : [])
            guard missing.isEmpty else {
                return .failure(ThemeError(file: root.source, key: missing[0],
                    problem: "missing \(missing.joined(separator: ", ")) and inherits nothing (add inherits = \"default\")"))
            }
        }
        var theme = base ?? .builtInDefault
        for ancestor in chain.reversed() { theme = ancestor.applied(over: theme) }
        return .success(theme)
    }
}
