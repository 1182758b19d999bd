// LogScale.fitting takes the extremes first and two logarithms; the reference takes every value's logarithm.
import Foundation
import Testing
@testable import ScopeUI

@Suite struct LogScaleFittingTests {
    /// The definition: the decades spanned by log10 of every finite positive value.
    private func reference(_ values: [Double], minimumDecades: Int) -> LogScale {
        let exponents = values.filter { $0.isFinite && $0 > 0 }.map { log10($0) }
        guard let low = exponents.min(), let high = exponents.max() else {
            return LogScale(lowerExponent: -minimumDecades / 2, upperExponent: minimumDecades - minimumDecades / 2)
        }
        var lower = Int(max(-330, floor(low))), upper = Int(min(330, ceil(high)))
        if upper - lower < minimumDecades {
            let missing = minimumDecades - (upper - lower)
            lower -= (missing + 1) / 2; upper += missing / 2
        }
        return LogScale(lowerExponent: lower, upperExponent: upper)
    }

    @Test func agreesWithTheDefinitionOnEdgesAndRandomSeries() {
        let specials: [Double] = [0, -0.0, -1, .nan, .infinity, -.infinity, .leastNonzeroMagnitude,
                                  .leastNormalMagnitude, .greatestFiniteMagnitude, 1, 10, 1e-10, 0.1, 9.999999999999999]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        for trial in 0..<400 {
            let count = Int(next() % 40)
            let values: [Double] = (0..<count).map { _ in
                next() % 5 == 0 ? specials[Int(next() % UInt64(specials.count))]
                                : pow(10, Double(Int64(next() % 700) - 350) / 10) * (next() % 7 == 0 ? -1 : 1)
            }
            let decades = [1, 4, 6][trial % 3]
            #expect(LogScale.fitting(values, minimumDecades: decades) == reference(values, minimumDecades: decades))
        }
        #expect(LogScale.fitting([]) == reference([], minimumDecades: 4))
        #expect(LogScale.fitting(specials) == reference(specials, minimumDecades: 4))
    }
}
