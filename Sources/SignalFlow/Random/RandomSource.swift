// Seeded pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64.
// Normals: 256-layer ziggurat (Marsaglia & Tsang 2000), two Float32 normals per 64-bit draw on the fast path.
// Same seed and stream -> same numbers on every run and machine (no platform RNG; IEEE Double/Float maths only).
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
    public mutating func next() -> UInt64 { Self.step(&s0, &s1, &s2, &s3) }

    /// One xoshiro256** step on a state held anywhere (fields or locals): the next 64 bits.
    @inline(__always)
    static func step(_ s0: inout UInt64, _ s1: inout UInt64, _ s2: inout UInt64, _ s3: inout UInt64) -> UInt64 {
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

    /// Fills `values` with N(mean, standardDeviation^2) Float32 values (ziggurat; each value uses 32 random bits
    /// on the fast path: 8 for the layer, 1 for the sign, 23 for the magnitude; ~1.2 % take a slower exact path).
    public mutating func fillNormal(_ values: inout MutableSpan<Float>, mean: Float = 0, standardDeviation: Float = 1) {
        values.withUnsafeMutableBufferPointer { fillNormal($0, mean: mean, standardDeviation: standardDeviation) }
    }

    /// `fillNormal` on a buffer (engine-internal).
    mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, standardDeviation: Float = 1) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        let tables = ZigguratTables.shared
        var i = 0
        // The state in locals, so the fast path keeps it in registers (the slow path is a call that takes `self`:
        // the state goes back to `self` around it). The same draws in the same order as `next()`.
        var a = s0, b = s1, c = s2, d = s3
        tables.ki.withUnsafeBufferPointer { ki in tables.wf.withUnsafeBufferPointer { wf in
            while i + 1 < count {
                let bits = Self.step(&a, &b, &c, &d)
                let low = UInt32(truncatingIfNeeded: bits), high = UInt32(truncatingIfNeeded: bits >> 32)
                let layer0 = Int(low & 0xFF), magnitude0 = low >> 9
                let layer1 = Int(high & 0xFF), magnitude1 = high >> 9
                let z0: Float, z1: Float
                if magnitude0 < ki[layer0] {
                    // Sign bit 8 moved onto the Float sign bit: branch-free negation.
                    z0 = Float(bitPattern: (Float(magnitude0) * wf[layer0]).bitPattern ^ ((low & 0x100) << 23))
                } else {
                    s0 = a; s1 = b; s2 = c; s3 = d
                    z0 = Float(zigguratSlowPath(low))
                    a = s0; b = s1; c = s2; d = s3
                }
                if magnitude1 < ki[layer1] {
                    z1 = Float(bitPattern: (Float(magnitude1) * wf[layer1]).bitPattern ^ ((high & 0x100) << 23))
                } else {
                    s0 = a; s1 = b; s2 = c; s3 = d
                    z1 = Float(zigguratSlowPath(high))
                    a = s0; b = s1; c = s2; d = s3
                }
                base[i] = mean + standardDeviation * z0
                base[i + 1] = mean + standardDeviation * z1
                i += 2
            }
        } }
        s0 = a; s1 = b; s2 = c; s3 = d
        if i < count {
            base[i] = mean + standardDeviation * Float(nextZigguratNormal(UInt32(truncatingIfNeeded: next())))
        }
    }

    /// One standard normal from the ziggurat (32 random bits on the fast path), for occasional single draws
    /// such as rejection redraws. Consumes one `next()` (plus more on the slow path).
    @inline(__always)
    public mutating func nextZigguratNormal() -> Double {
        nextZigguratNormal(UInt32(truncatingIfNeeded: next()))
    }

    /// One standard normal (Double) from the ziggurat, starting from the 32 random bits `bits`.
    @inline(__always)
    private mutating func nextZigguratNormal(_ bits: UInt32) -> Double {
        let tables = ZigguratTables.shared
        let layer = Int(bits & 0xFF), magnitude = bits >> 9
        if magnitude < tables.ki[layer] {
            let z = Double(magnitude) * tables.wi[layer]
            return bits & 0x100 != 0 ? -z : z
        }
        return zigguratSlowPath(bits)
    }

    /// The rare branch of the ziggurat: the tail (layer 0) or the wedge test; draws fresh bits until accepted.
    @inline(never)
    mutating func zigguratSlowPath(_ firstBits: UInt32) -> Double {
        let tables = ZigguratTables.shared
        let r = ZigguratTables.tailStart
        var bits = firstBits
        while true {
            let layer = Int(bits & 0xFF), magnitude = bits >> 9
            let negative = bits & 0x100 != 0
            let z = Double(magnitude) * tables.wi[layer]
            if magnitude < tables.ki[layer] { return negative ? -z : z }
            if layer == 0 {
                // Tail beyond r (Marsaglia 1964): x = -ln(U1)/r, y = -ln(U2), accept when 2y > x^2.
                while true {
                    let x = -Foundation.log1p(-nextUnitDouble()) / r
                    let y = -Foundation.log1p(-nextUnitDouble())
                    if y + y > x * x { return negative ? -(r + x) : r + x }
                }
            }
            // Wedge: uniform height between f(x_layer) and f(x_{layer+1}) against the density at z.
            let lowerHeight = tables.fi[layer], upperHeight = tables.fi[layer + 1]
            let height = lowerHeight + nextUnitDouble() * (upperHeight - lowerHeight)
            if height < Foundation.exp(-0.5 * z * z) { return negative ? -z : z }
            bits = UInt32(truncatingIfNeeded: next())
        }
    }

    /// Fills `values` with U[lower, upper) Float32 values (24 random bits each, two per 64-bit draw).
    public mutating func fillUniform(_ values: inout MutableSpan<Float>, lower: Float, upper: Float) {
        values.withUnsafeMutableBufferPointer { fillUniform($0, lower: lower, upper: upper) }
    }

    /// `fillUniform` on a buffer (engine-internal).
    mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, lower: Float, upper: Float) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        let width = upper - lower
        var i = 0
        while i + 1 < count {
            let bits = next()
            base[i] = lower + width * (Float(bits >> 40) * 0x1.0p-24)
            base[i + 1] = lower + width * (Float((bits >> 8) & 0xFF_FFFF) * 0x1.0p-24)
            i += 2
        }
        if i < count { base[i] = lower + width * (Float(next() >> 40) * 0x1.0p-24) }
    }
}
