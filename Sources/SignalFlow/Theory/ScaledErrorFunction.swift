// The scaled complementary error function erfcx(x) = exp(x^2) erfc(x), finite for every x >= 0
// (the product form overflows to inf * 0 = NaN beyond x ~ 26.6).
import Foundation

/// Helpers for Gaussian tail products that would overflow if computed naively.
public enum ScaledErrorFunction {
    /// erfcx(x) = exp(x^2) erfc(x) for x >= 0 (decreasing from 1 to 0 like 1/(x sqrt(pi))); +inf argument gives 0.
    /// Direct product below x = 26, asymptotic series (relative error < 1e-10) above.
    public static func erfcx(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x == .infinity { return 0 }
        if x < 26 { return Foundation.exp(x * x) * Foundation.erfc(x) }
        let inverseSquare = 1 / (x * x)
        let series = 1 - 0.5 * inverseSquare + 0.75 * inverseSquare * inverseSquare
            - 1.875 * inverseSquare * inverseSquare * inverseSquare
        return series / (x * Double.pi.squareRoot())
    }

    /// exp(a^2 / 2) Phi(-a) = erfcx(a / sqrt 2) / 2 for a >= 0 (the SELU closed forms' tail terms).
    public static func gaussianTailProduct(_ a: Double) -> Double { 0.5 * erfcx(a / 2.0.squareRoot()) }
}
