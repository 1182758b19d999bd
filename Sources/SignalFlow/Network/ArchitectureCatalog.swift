// The architectures a front end can switch between, each with its default options, and the normalizations each one
// offers: the one list of them (a new architecture adds its entry here, and the live view's keys follow).

extension Architecture {
    /// Every architecture with its default options, in the order `acceptedNames` lists them.
    public static let catalog: [Architecture] = [.mlp, .resnet(ResidualOptions()), .transformer(TransformerOptions())]

    /// The normalizations this architecture offers, as the same architecture with each one, no normalization first
    /// (resnet: none, pre-LN, post-LN, BatchNorm; transformer: pre-LN, post-LN, none); other options (skip, branch multiplier) are kept. The MLP has
    /// none but itself (so has every architecture without residual options).
    public var normalizationChoices: [Architecture] {
        if let options = transformer {
            let choices: [(Normalization, NormPosition)] = [(.layer, .pre), (.layer, .post), (.none, .pre)]
            return choices.map { normalization, position in
                var changed = options
                changed.normalization = normalization; changed.position = position
                return .transformer(changed)
            }
        }
        guard let options = residual else { return [self] }
        let choices: [(Normalization, NormPosition)] = [(.none, .pre), (.layer, .pre), (.layer, .post), (.batch, .pre)]
        return choices.map { normalization, position in
            var changed = options
            changed.normalization = normalization; changed.position = position
            return .resnet(changed)
        }
    }

    /// A short name of the normalization ("none", "pre-LN", "post-LN", "BatchNorm", "post-BatchNorm", "pre-RMSNorm").
    public var normalizationName: String {
        let normalization = residual?.normalization ?? transformer?.normalization ?? .none
        let position = residual?.position ?? transformer?.position ?? .pre
        guard normalization != .none else { return "none" }
        let kind: String
        switch normalization {
        case .none: kind = ""
        case .layer: kind = "LN"
        case .rms: kind = "RMSNorm"
        case .batch: kind = "BatchNorm"
        }
        if normalization == .batch && position == .pre { return kind }
        return "\(position.rawValue)-\(kind)"
    }
}
