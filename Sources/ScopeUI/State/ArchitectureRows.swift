// The rows each architecture shows by default (the schemes that matter for it), and rows that change the network
// as well as the weights: "he+bn" is He with BatchNorm in every block, whatever normalization the scenario has.
import SignalFlow

/// Default rows per architecture and the row variants that carry their own normalization.
public enum ArchitectureRows {
    /// Row names by architecture name, in order; names the engine does not parse (yet) are left out.
    static let namesByArchitecture: [String: [String]] = [
        "mlp": NamedInitializer.defaultComparisonNames,
        "resnet": ["he", "fixup", "rezero", "skipinit", "he+bn"],
        "transformer": ["xavier", "gpt2", "t-fixup", "deepnorm"],
    ]

    /// Suffix of a row name that runs its scheme with BatchNorm (pre) in every residual block.
    public static let batchNormSuffix = "+bn"

    /// The rows `architecture` shows by default; the MLP's comparison set for an architecture without a list.
    public static func defaultRows(for architecture: Architecture) -> [NamedInitializer] {
        let rows = (namesByArchitecture[architecture.name] ?? []).compactMap(InitializerCatalog.named)
        return rows.isEmpty ? NamedInitializer.defaultComparison() : rows
    }

    /// The architecture row `named` runs on in a scenario of `architecture`: with BatchNorm (pre) for a "+bn" row of
    /// a residual network, else `architecture` itself.
    public static func architecture(of named: NamedInitializer, in architecture: Architecture) -> Architecture {
        guard named.name.hasSuffix(batchNormSuffix), var options = architecture.residual else { return architecture }
        options.normalization = .batch; options.position = .pre
        return .resnet(options)
    }
}
