// The ladders + - ] [ b B step along, and the activation cycle of a / A.
import SignalFlow

/// Pure helpers that move a scenario parameter one step.
public enum ScenarioSteps {
    /// Depths + and - step through (layers).
    public static let depths = [1, 2, 3, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10_000]
    /// Widths ] and [ step through (units per layer).
    public static let widths = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16_384]
    /// Batch sizes b and B step through (rows).
    public static let batches = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536]

    /// The next value of `ladder` above (`up`) or below `value`; `value` itself at either end.
    public static func step(_ value: Int, along ladder: [Int], up: Bool) -> Int {
        if up { return ladder.first { $0 > value } ?? value }
        return ladder.last { $0 < value } ?? value
    }

    /// The activation after (`forward`) or before `activation` in `Activation.all` (wrapping).
    public static func cycle(_ activation: Activation, forward: Bool) -> Activation {
        let all = Activation.all
        guard let index = all.firstIndex(of: activation) else { return all.first ?? activation }
        return all[(index + (forward ? 1 : all.count - 1)) % all.count]
    }
}
