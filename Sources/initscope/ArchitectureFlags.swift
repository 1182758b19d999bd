// The flags that choose the network of `initscope report`, `bench` and the live view: --arch, --norm,
// --norm-position, --sites (report and bench) and the transformer's --tokens, --heads, --attention-scale, --causal.
import ArgumentParser
import SignalFlow

/// Which sites inside a block a report measures.
enum SiteSelection: String, CaseIterable {
    /// The stream and its gradient only.
    case stream
    /// Every site inside the blocks too.
    case all
}

/// --arch, --norm, --norm-position, --sites.
struct ArchitectureFlags: ParsableArguments {
    @Option(help: "Network: \(Architecture.acceptedNames) (default mlp).")
    var arch: String = "mlp"

    @Option(help: "Normalization of a resnet: none, batch, layer, rms (default none).")
    var norm: String?

    @Option(name: .customLong("norm-position"), help: "Where a resnet's normalization or a transformer's LayerNorms sit: pre or post (default pre).")
    var normPosition: String?

    @Option(help: "Sites measured inside each resnet or transformer block: stream (the stream and its gradient) or all (default all).")
    var sites: String?

    @Option(parsing: .unconditional, help: "Transformer: tokens per sequence T (1...\(TransformerOptions.maximumTokens), default 32); --batch is the number of sequences.")
    var tokens: Int?

    @Option(parsing: .unconditional, help: "Transformer: attention heads H, dividing --width (1...\(TransformerOptions.maximumHeads), default 4).")
    var heads: Int?

    @Option(name: .customLong("attention-scale"), help: "Transformer: factor of the logits: sqrt (1/sqrt(d_k), default), linear (1/d_k), none (1).")
    var attentionScale: String?

    @Flag(help: "Transformer: causal mask (token t attends to tokens 1...t).")
    var causal = false

    /// The transformer-only flags given, by name.
    var transformerFlagsGiven: [String] {
        [("--tokens", tokens != nil), ("--heads", heads != nil), ("--attention-scale", attentionScale != nil),
         ("--causal", causal)].filter(\.1).map(\.0)
    }

    /// The architecture these flags describe, or a ValidationError (exit 64) naming the bad flag and what is accepted.
    func architecture() throws -> Architecture {
        switch arch.lowercased() {
        case "mlp":
            for (flag, value) in [("--norm", norm), ("--norm-position", normPosition), ("--sites", sites)] where value != nil {
                throw ValidationError("\(flag) applies to --arch resnet, transformer only (got --arch mlp)")
            }
            if let flag = transformerFlagsGiven.first { throw ValidationError("\(flag) applies to --arch transformer only (got --arch mlp)") }
            return .mlp
        case "transformer":
            if norm != nil { throw ValidationError("--norm applies to --arch resnet only (a transformer has LayerNorms; t-fixup removes them)") }
            var options = TransformerOptions()
            if let normPosition {
                guard let parsed = NormPosition(rawValue: normPosition.lowercased()) else {
                    throw ValidationError("unknown --norm-position '\(PrintableText.quoted(normPosition))'; accepted: pre, post")
                }
                options.position = parsed
            }
            if let attentionScale {
                guard let parsed = AttentionScale(rawValue: attentionScale.lowercased()) else {
                    throw ValidationError("unknown --attention-scale '\(PrintableText.quoted(attentionScale))'; accepted: \(AttentionScale.acceptedNames)")
                }
                options.attentionScale = parsed
            }
            if let tokens { options.tokens = tokens }
            if let heads { options.heads = heads }
            options.causal = causal
            _ = try siteSelection()
            return .transformer(options)
        case "resnet":
            if let flag = transformerFlagsGiven.first { throw ValidationError("\(flag) applies to --arch transformer only (got --arch resnet)") }
            var options = ResidualOptions()
            if let norm {
                guard let parsed = Normalization(rawValue: norm.lowercased()) else {
                    throw ValidationError("unknown --norm '\(PrintableText.quoted(norm))'; accepted: none, batch, layer, rms")
                }
                options.normalization = parsed
            }
            if let normPosition {
                guard let parsed = NormPosition(rawValue: normPosition.lowercased()) else {
                    throw ValidationError("unknown --norm-position '\(PrintableText.quoted(normPosition))'; accepted: pre, post")
                }
                options.position = parsed
            }
            _ = try siteSelection()
            return .resnet(options)
        default:
            throw ValidationError("unknown --arch '\(PrintableText.quoted(arch))'; accepted: \(Architecture.acceptedNames)")
        }
    }

    /// The --sites choice (default all).
    func siteSelection() throws -> SiteSelection {
        guard let sites else { return .all }
        guard let parsed = SiteSelection(rawValue: sites.lowercased()) else {
            throw ValidationError("unknown --sites '\(PrintableText.quoted(sites))'; accepted: stream, all")
        }
        return parsed
    }

    /// The default comparison of an architecture: xavier, he, lsuv for the MLP; he, fixup, rezero, skipinit for a
    /// resnet; xavier, gpt2, t-fixup, deepnorm for a transformer.
    static func defaultComparison(for architecture: Architecture) -> [NamedInitializer] {
        guard architecture != .mlp else { return NamedInitializer.defaultComparison() }
        let names = architecture.transformer != nil ? NamedInitializer.transformerComparisonNames : ["he", "fixup", "rezero", "skipinit"]
        return names.compactMap { name in
            (try? Initializer.parse(name)).map { NamedInitializer(name: name, initializer: $0) }
        }
    }
}
