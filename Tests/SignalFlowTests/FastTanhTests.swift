// fastTanh, the engine's rational tanh approximation, against Double tanh.
import Foundation
import Testing
@testable import SignalFlow

@Test func fastTanhMatchesDoubleTanh() {
    var worstAbsolute = 0.0, worstRelative = 0.0
    var x = -12.0
    while x <= 12 {
        let exact = Foundation.tanh(Double(Float(x)))
        let approx = Double(fastTanh(Float(x)))
        worstAbsolute = Swift.max(worstAbsolute, Swift.abs(approx - exact))
        if exact != 0 { worstRelative = Swift.max(worstRelative, Swift.abs(approx - exact) / Swift.abs(exact)) }
        x += 0.000731
    }
    // A few Float ulps: relative 1e-6 keeps small activations exact enough for the log10 histograms.
    #expect(worstAbsolute < 5e-7 && worstRelative < 1e-6, "abs \(worstAbsolute) rel \(worstRelative)")
    #expect(fastTanh(.infinity) == 1 && fastTanh(-.infinity) == -1 && fastTanh(1e-30) == 1e-30 && fastTanh(0) == 0)
    #expect(fastTanh(.nan).isNaN)
}
