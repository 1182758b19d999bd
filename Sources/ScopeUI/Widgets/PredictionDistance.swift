// How far a measured per-layer series is from the mean-field prediction, in decades.
import Foundation

/// Distance between measurement and prediction on the log scale.
public enum PredictionDistance {
    /// max over layers of |log10(measured / predicted)|, over layers where both are finite and positive;
    /// nil when there is no such layer. Inputs are per layer (count L), nil = unknown.
    public static func decades(measured: [Double?], predicted: [Double?]) -> Double? {
        largest(zip(measured, predicted).lazy.map { decades(measured: $0, predicted: $1) })
    }

    /// |log10(measured / predicted)| of one layer; nil unless both are finite and positive.
    public static func decades(measured: Double?, predicted: Double?) -> Double? {
        guard let m = measured, let p = predicted, m.isFinite, p.isFinite, m > 0, p > 0 else { return nil }
        return abs(log10(m / p))
    }

    /// The largest of per-layer distances (nil entries skipped); nil when there is none.
    public static func largest(_ distances: some Sequence<Double?>) -> Double? {
        var worst: Double?
        for distance in distances { if let distance { worst = max(worst ?? 0, distance) } }
        return worst
    }
}
