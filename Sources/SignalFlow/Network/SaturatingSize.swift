// Sizes (elements, bytes) computed with overflow-checked arithmetic: a result that does not fit in Int
// saturates at Int.max, so a huge request reads as "too large" instead of wrapping or trapping.
// Legend: every operand is a count >= 0; a negative operand counts as 0.

/// Non-negative sizes whose sums and products saturate at Int.max instead of overflowing.
public enum SaturatingSize {
    /// a * b, or Int.max when the product overflows (negative operands count as 0).
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = Swift.max(a, 0).multipliedReportingOverflow(by: Swift.max(b, 0))
        return overflow ? Int.max : value
    }

    /// The product of every value, saturating at Int.max (1 for no values).
    public static func product(_ a: Int, _ b: Int, _ c: Int, _ more: Int...) -> Int {
        more.reduce(product(product(a, b), c)) { product($0, $1) }
    }

    /// a + b, or Int.max when the sum overflows (negative operands count as 0).
    public static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = Swift.max(a, 0).addingReportingOverflow(Swift.max(b, 0))
        return overflow ? Int.max : value
    }

    /// The sum of every value, saturating at Int.max (0 for no values).
    public static func sum<S: Sequence>(_ values: S) -> Int where S.Element == Int {
        values.reduce(0) { sum($0, $1) }
    }
}
