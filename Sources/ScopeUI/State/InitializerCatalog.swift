// The initializers a single key adds to the comparison: x h l o n N d.
import SignalFlow

/// Initializers reachable by one key, with the name the screen shows.
public enum InitializerCatalog {
    /// Key character -> initializer name, in help order.
    public static let keyNames: [(key: Character, name: String)] = [
        ("x", "xavier"), ("h", "he"), ("l", "lsuv"), ("o", "orthogonal"),
        ("n", "normal:0.01"), ("N", "normal:1"), ("d", "torch-default"),
    ]

    /// The comparison set used when the flags name nothing else.
    public static let defaultNames = NamedInitializer.defaultComparisonNames

    /// Initializers of residual networks reachable by one key (help only: the status line lists `keyNames`).
    public static let residualKeyNames: [(key: Character, name: String)] = [
        ("f", "fixup"), ("e", "rezero"), ("i", "skipinit"), ("H", "he" + ArchitectureRows.batchNormSuffix),
    ]

    /// Initializers made for transformers reachable by one key (help only, like `residualKeyNames`): G for GPT-2,
    /// F for T-Fixup (f is Fixup), P for DeepNorm (post-LN).
    public static let transformerKeyNames: [(key: Character, name: String)] = [
        ("G", "gpt2"), ("F", "t-fixup"), ("P", "deepnorm"),
    ]

    /// The named initializer for `name`, nil when the name does not parse. "NAME+bn" is NAME's scheme on a network
    /// with BatchNorm (ArchitectureRows).
    public static func named(_ name: String) -> NamedInitializer? {
        let scheme = name.hasSuffix(ArchitectureRows.batchNormSuffix) ? String(name.dropLast(ArchitectureRows.batchNormSuffix.count)) : name
        guard let initializer = try? Initializer.parse(scheme) else { return nil }
        return NamedInitializer(name: name, initializer: initializer)
    }

    /// The name bound to key `character`, nil when the key selects no initializer.
    public static func name(forKey character: Character) -> String? {
        (keyNames + residualKeyNames + transformerKeyNames).first { $0.key == character }?.name
    }
}
