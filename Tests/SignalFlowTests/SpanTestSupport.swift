// Shorthands over SignalFlow's span API for tests that hold their values in arrays.
import SignalFlow

extension RandomSource {
    /// Fills every element of `values` through `fillNormal(_: inout MutableSpan<Float>, ...)`.
    mutating func fillNormal(_ values: inout [Float], mean: Float = 0, standardDeviation: Float = 1) {
        var span = values.mutableSpan
        fillNormal(&span, mean: mean, standardDeviation: standardDeviation)
    }

    /// Fills every element of `values` through `fillUniform(_: inout MutableSpan<Float>, ...)`.
    mutating func fillUniform(_ values: inout [Float], lower: Float, upper: Float) {
        var span = values.mutableSpan
        fillUniform(&span, lower: lower, upper: upper)
    }
}
