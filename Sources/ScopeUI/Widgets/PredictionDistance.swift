// How far a measured per-layer series is from the mean-field prediction, in decades.
import Foundation

/// Distance between measurement and prediction on the log scale.
public enum PredictionDistance {
    /// max over layers of |log10(measured / predicted)|, over layers where both are finite and positive;
    /// nil when there is no such layer. Inputs are per layer (count L), nil = unknown.
    public static func decades(measured: [Double?], predicted: [Double?]) -> Double? {
        var worst: Double?
        for (m, p) in zip(measured, predicted) {
            guard let m, let p, m.isFinite, p.isFinite, m > 0, p > 0 else { continue }
            let distance = abs(log10(m / p))
            worst = max(worst ?? 0, distance)
        }
        return worst
    }
}
