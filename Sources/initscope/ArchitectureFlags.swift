// The flags that choose the network of `initscope report`: --arch, --norm, --norm-position and --sites.
// (The live view keeps running the MLP; its architecture key comes later.)
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

    @Option(name: .customLong("norm-position"), help: "Where a resnet's normalization sits: pre or post (default pre).")
    var normPosition: String?

    @Option(help: "Sites measured inside each resnet block: stream (the stream and its gradient) or all (default all).")
    var sites: String?

    /// The architecture these flags describe, or a ValidationError (exit 64) naming the bad flag and what is accepted.
    func architecture() throws -> Architecture {
        switch arch.lowercased() {
        case "mlp":
            for (flag, value) in [("--norm", norm), ("--norm-position", normPosition), ("--sites", sites)] where value != nil {
                throw ValidationError("\(flag) applies to --arch resnet only (got --arch mlp)")
            }
            return .mlp
        case "resnet":
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
    /// resnet.
    static func defaultComparison(for architecture: Architecture) -> [NamedInitializer] {
        guard architecture != .mlp else { return NamedInitializer.defaultComparison() }
        return ["he", "fixup", "rezero", "skipinit"].compactMap { name in
            (try? Initializer.parse(name)).map { NamedInitializer(name: name, initializer: $0) }
        }
    }
}
