// The comparison set every front end uses when the user names no initializer: xavier, he, lsuv.

extension NamedInitializer {
    /// Names of the default comparison, in display order.
    public static let defaultComparisonNames = ["xavier", "he", "lsuv"]

    /// The default comparison (xavier, he, lsuv) followed by `extra` names not already in it; names that do not
    /// parse are skipped.
    public static func defaultComparison(adding extra: [String] = []) -> [NamedInitializer] {
        var names = defaultComparisonNames
        for name in extra where !names.contains(name) { names.append(name) }
        return names.compactMap { name in
            (try? Initializer.parse(name)).map { NamedInitializer(name: name, initializer: $0) }
        }
    }
}

extension NamedInitializer {
    /// Names of the schemes that matter for a transformer, in display order (its default comparison and the live
    /// view's rows): plain Xavier, GPT-2's scaled residual init, T-Fixup, DeepNorm.
    public static let transformerComparisonNames = ["xavier", "gpt2", "t-fixup", "deepnorm"]
}
