// Golden values: the first outputs of RandomSource for seed 20240611, stream 3, pinned bit for bit.
// If one of these changes, every recorded experiment changes: do it only on purpose and say so.
import Testing
@testable import SignalFlow

private let goldenSeed: UInt64 = 20_240_611
private let goldenStream: UInt64 = 3

@Test func goldenNextBits() {
    var random = RandomSource(seed: goldenSeed, stream: goldenStream)
    let bits = (0..<4).map { _ in random.next() }
    #expect(bits == [293_347_587_024_957_864, 5_813_102_322_253_510_284, 6_220_249_085_503_656_200, 603_820_139_308_309_989])
}

@Test func goldenFillNormal() {
    var random = RandomSource(seed: goldenSeed, stream: goldenStream)
    var values = [Float](repeating: 0, count: 8)
    random.fillNormal(&values, mean: 0, standardDeviation: 1)
    #expect(values.map(\.bitPattern) == [0xBF22_8670, 0x3D2B_82E3, 0x3EEB_67F3, 0xBEAD_36AE, 0xBF4A_3A8C, 0xBEEF_95F2, 0xBF07_9423, 0xBD8D_B22C])
    // -0.63486385, 0.04187287, 0.45977744, -0.3383078, -0.78995585, -0.46794087, -0.52960414, -0.06918749
    #expect(Swift.abs(values[0] + 0.63486385) < 1e-7)
}

@Test func goldenFillUniform() {
    var random = RandomSource(seed: goldenSeed, stream: goldenStream)
    var values = [Float](repeating: 0, count: 6)
    random.fillUniform(&values, lower: -1, upper: 1)
    #expect(values.map(\.bitPattern) == [0xBF77_DBA4, 0x3B2E_6200, 0xBEBD_4EDC, 0xBEBC_5328, 0xBEA6_B4F4, 0xBEF0_6CBC])
    // -0.9681952, 0.0026608706, -0.36974227, -0.36782193, -0.3255993, -0.46957958
    #expect(values.allSatisfy { $0 >= -1 && $0 < 1 })
}

@Test func goldenSlowPathIsDeterministic() {
    // 100 000 normals visit the tail and wedge paths ~1 200 times; the sum of bit patterns pins them all.
    var random = RandomSource(seed: goldenSeed, stream: goldenStream)
    var values = [Float](repeating: 0, count: 100_000)
    random.fillNormal(&values, mean: 0, standardDeviation: 1)
    let checksum = values.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1.bitPattern) }
    #expect(checksum == 16_872_017_853_447_343_460)
}

@Test func zigguratLayersHaveEqualArea() {
    // Every layer of the ziggurat has area v = r f(r) + sqrt(pi/2) erfc(r/sqrt 2) = 0.004928673233974658;
    // the recursion closes when the top layer (i = 255, from x_255 to 0) also has area v.
    let tables = ZigguratTables.shared
    let scale = 8_388_608.0
    let v = 0.004928673233974658
    let top = tables.wi[255] * scale * (1 - tables.fi[255])
    #expect(Swift.abs(top - v) < 1e-12)
    for i in 1..<255 {
        let area = tables.wi[i] * scale * (tables.fi[i + 1] - tables.fi[i])
        #expect(Swift.abs(area - v) < 1e-12, "layer \(i)")
    }
    #expect(tables.wi[1] * scale == ZigguratTables.tailStart)
}

@Test func goldenInitializerDraws() {
    // First six weights of a 6 x 4 layer (ReLU), seed 20240611, stream 9. Orthogonal is not pinned: its QR runs
    // in the system's LAPACK, whose rounding may differ between builds and CPUs.
    let expected: [(Initializer, [UInt32])] = [
        (.xavierNormal(gain: 1), [0x3E7D_1436, 0x3E4F_151B, 0xBF73_01A5, 0xBEAC_389F, 0xBE83_B672, 0xBEC2_6C47]),
        (.heUniform(mode: .fanIn, gain: nil), [0xBE14_E9E0, 0x3DF5_7160, 0xBBE8_AB00, 0x3F7A_A096, 0x3F71_D532, 0xBE93_DEC4]),
        (.truncatedNormal(.he), [0x3EB9_B7A6, 0x3E97_F6B3, 0x3F00_6EB6, 0xBEFC_C343, 0xBEC1_4F55, 0xBF0E_AC7A]),
        (.torchDefault, [0xBD73_2CC0, 0x3D48_6740, 0xBB3D_F900, 0x3ECC_A2E6, 0x3EC5_74A6, 0xBDF1_7894]),
    ]
    for (scheme, bits) in expected {
        var random = RandomSource(seed: goldenSeed, stream: 9)
        var weights = [Float](repeating: 0, count: 24)
        weights.withUnsafeMutableBufferPointer { scheme.fill($0, fanIn: 6, fanOut: 4, activation: .relu, random: &random) }
        #expect(Array(weights.prefix(6).map(\.bitPattern)) == bits, "\(scheme.canonicalName)")
    }
}

/// `fillNormal` (state in registers, synced around the slow path) against the plain loop on `next()`: the same bits
/// for long fills that take the slow path (tail and wedge) many times, odd lengths included.
@Test func fillNormalEqualsThePlainLoopOnNext() {
    let tables = ZigguratTables.shared
    for (seed, count) in [(UInt64(1), 100_003), (UInt64(77), 4097), (UInt64(20_240_611), 1)] {
        var fast = RandomSource(seed: seed, stream: 5), plain = fast
        var values = [Float](repeating: 0, count: count)
        fast.fillNormal(&values, mean: 0.25, standardDeviation: 3)
        var expected = [Float](repeating: 0, count: count)
        func one(_ bits: UInt32) -> Float {
            let layer = Int(bits & 0xFF), magnitude = bits >> 9
            if magnitude < tables.ki[layer] {
                return Float(bitPattern: (Float(magnitude) * tables.wf[layer]).bitPattern ^ ((bits & 0x100) << 23))
            }
            return Float(plain.zigguratSlowPath(bits))
        }
        var i = 0
        while i + 1 < count {
            let bits = plain.next()
            let z0 = one(UInt32(truncatingIfNeeded: bits)), z1 = one(UInt32(truncatingIfNeeded: bits >> 32))
            expected[i] = 0.25 + 3 * z0; expected[i + 1] = 0.25 + 3 * z1
            i += 2
        }
        if i < count { expected[i] = 0.25 + 3 * Float(plain.nextZigguratNormal()) }
        #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "seed \(seed) count \(count)")
        #expect(fast.next() == plain.next(), "the state after the fill, seed \(seed)")
    }
}
