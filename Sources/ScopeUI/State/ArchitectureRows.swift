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

    /// Depth, width and batch the view switches to for `architecture` (the transformer's, as `report`'s: L = 12,
    /// d = 256, B = 8 sequences, since 256 sequences of 32 tokens would make 8192-row blocks), nil to keep the
    /// scenario's; `leaving` is the architecture switched from (leaving the transformer restores 50, 512, 256).
    public static func sizes(for architecture: Architecture, leaving: Architecture) -> (depth: Int, width: Int, batch: Int)? {
        if architecture.transformer != nil { return (12, 256, 8) }
        if leaving.transformer != nil { return (50, 512, 256) }
        return nil
    }

    /// The architecture row `named` runs on in a scenario of `architecture`: with BatchNorm (pre) for a "+bn" row of
    /// a residual network, else `architecture` itself.
    public static func architecture(of named: NamedInitializer, in architecture: Architecture) -> Architecture {
        guard named.name.hasSuffix(batchNormSuffix), var options = architecture.residual else { return architecture }
        options.normalization = .batch; options.position = .pre
        return .resnet(options)
    }
}
