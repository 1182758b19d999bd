// Seeded pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64.
// Same seed and stream -> same numbers on every run and machine (no platform RNG, no Foundation).
import Foundation

/// A seeded xoshiro256** generator with Float32 normal and uniform fills.
public struct RandomSource: Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator for `seed`; distinct `stream`s give independent sequences for the same seed
    /// (the input batch, the upstream gradient and each layer's weights use their own stream).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
        func splitMix(_ state: inout UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&mixer); s1 = splitMix(&mixer); s2 = splitMix(&mixer); s3 = splitMix(&mixer)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal Double (Box-Muller, one of the pair; used off the hot path).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1.0 - nextUnitDouble()  // (0, 1]
        let u2 = nextUnitDouble()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Fills `buffer` with N(mean, standardDeviation^2) Float32 values (Box-Muller in pairs).
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, standardDeviation: Float = 1) {
        let count = buffer.count
        var i = 0
        while i < count {
            let bits = next()
            // Two 26-bit uniforms from one draw keep it fast; u1 in (0, 1], u2 in [0, 1).
            let u1 = Float((bits >> 38) + 1) * 0x1.0p-26
            let u2 = Float((bits >> 12) & 0x3FF_FFFF) * 0x1.0p-26
            let radius = (-2 * Foundation.logf(u1)).squareRoot() * standardDeviation
            let angle = 2 * Float.pi * u2
            buffer[i] = mean + radius * Foundation.cosf(angle)
            if i + 1 < count { buffer[i + 1] = mean + radius * Foundation.sinf(angle) }
            i += 2
        }
    }

    /// Fills `buffer` with U[lower, upper) Float32 values (24 random bits each).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, lower: Float, upper: Float) {
        let width = upper - lower
        for i in 0..<buffer.count {
            let u = Float(next() >> 40) * 0x1.0p-24
            buffer[i] = lower + width * u
        }
    }
}
