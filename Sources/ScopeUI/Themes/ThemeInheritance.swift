// Resolving `inherits` chains: specs by name -> complete themes. Pure; cycles, deep chains and missing parents
// are errors located at the theme being resolved (its file, its `inherits` line), naming the link at fault.

/// Turns theme specs into complete themes by following `inherits`.
public enum ThemeInheritance {
    /// Longest `inherits` chain accepted (a theme and up to this many ancestors).
    public static let maximumDepth = 8
    /// The name that always means the compiled-in default.
    public static let builtInName = "built-in"

    /// The complete theme for `spec`, looking parents up in `specs` by name, then in `shadowed` (the themes that
    /// `specs` replaced by name, e.g. bundled themes a user theme overrides): a theme never inherits from its own
    /// file, so a user "default" with `inherits = "default"` inherits the bundled default. "default" without a
    /// file and "built-in" mean `Theme.builtInDefault`. A theme that inherits nothing must define every role.
    public static func resolve(_ spec: ThemeSpec, among specs: [String: ThemeSpec],
                               shadowed: [String: ThemeSpec] = [:]) -> Result<Theme, ThemeError> {
        var chain: [ThemeSpec] = [spec]
        var seenSources: Set<String> = [spec.source]
        var base: Theme? = nil
        /// An error at `spec`'s own `inherits`; `problem` names the ancestor at fault when it is not `spec`.
        func failure(_ link: ThemeSpec, _ problem: String) -> Result<Theme, ThemeError> {
            let via = link.source == spec.source ? "" : "its ancestor '\(link.name)' (\(link.source)"
                + (link.lineOfKey["inherits"].map { ":\($0)" } ?? "") + ") "
            return .failure(ThemeError(file: spec.source, line: spec.lineOfKey["inherits"], key: "inherits",
                                       problem: via + problem))
        }
        while base == nil, let parentName = chain.last!.inherits {
            let child = chain.last!
            if parentName == builtInName { base = .builtInDefault; break }
            let candidates = [specs[parentName], shadowed[parentName]].compactMap { $0 }
                .filter { $0.source != child.source }
            if let parent = candidates.first(where: { !seenSources.contains($0.source) }) {
                guard chain.count <= maximumDepth else {
                    return .failure(ThemeError(file: spec.source, line: spec.lineOfKey["inherits"], key: "inherits",
                        problem: "inheritance deeper than \(maximumDepth) levels: "
                            + (chain.map(\.name) + [parentName]).joined(separator: " -> ") + " ..."))
                }
                chain.append(parent); seenSources.insert(parent.source)
            } else if !candidates.isEmpty {
                let names = chain.map(\.name) + [parentName]
                let cycle = "inheritance cycle: \(names.joined(separator: " -> "))"
                return failure(child, child.source == spec.source ? cycle : "closes an " + cycle)
            } else if parentName == Theme.builtInDefault.name {
                base = .builtInDefault
            } else if parentName == child.name {
                return failure(child, "inherits from itself (no other theme is named '\(parentName)')")
            } else {
                return failure(child, "inherits from unknown theme '\(parentName)'")
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
