// Oracles B7-B9 (reference section 4.2): orthogonality, Haar sign distribution, exact mean square.
import COpenBLAS
import Testing
@testable import SignalFlow

/// max |G - gain^2 I| where G = W^T W (rows >= cols) or W W^T (rows < cols), computed in Double.
private func orthogonalityError(_ weights: [Float], rows: Int, cols: Int, gain: Double) -> Double {
    let w = weights.map(Double.init)
    let k = min(rows, cols)
    var gram = [Double](repeating: 0, count: k * k)
    if rows >= cols {
        // G = W^T W, W row-major rows x cols.
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cols), Int32(cols), Int32(rows), 1, w, Int32(cols), w, Int32(cols), 0, &gram, Int32(cols))
    } else {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(rows), Int32(cols), 1, w, Int32(cols), w, Int32(cols), 0, &gram, Int32(rows))
    }
    var worst = 0.0
    for i in 0..<k { for j in 0..<k { worst = max(worst, abs(gram[i * k + j] - (i == j ? gain * gain : 0))) } }
    return worst
}

@Test(arguments: [(512, 512), (256, 512), (512, 256), (64, 288), (288, 64), (1, 7), (7, 1)])
func orthogonalIsOrthonormal(shape: (Int, Int)) {
    let (rows, cols) = shape
    for gain in [1.0, 2.0.squareRoot()] {
        let weights = drawInitializer(.orthogonal(gain: gain), fanIn: rows, fanOut: cols, seed: UInt64(rows * 1000 + cols))
        let error = orthogonalityError(weights, rows: rows, cols: cols, gain: gain)
        #expect(error <= 1e-5 * gain * gain, "\(rows)x\(cols) gain \(gain): \(error)")
    }
}

@Test func lsuvPreInitIsOrthonormalWithGainOne() {
    let weights = drawInitializer(.lsuv(tolerance: 0.1, maxIterations: 10), fanIn: 128, fanOut: 128, activation: .relu)
    #expect(orthogonalityError(weights, rows: 128, cols: 128, gain: 1) <= 1e-5)
}

@Test func orthogonalDefaultGainIsTheActivationGain() {
    let weights = drawInitializer(.orthogonal(gain: nil), fanIn: 96, fanOut: 96, activation: .tanh)
    #expect(orthogonalityError(weights, rows: 96, cols: 96, gain: 5.0 / 3.0) <= 1e-5 * 25 / 9)
}

@Test func orthogonalSquareMeanSquareIsExact() {
    // B9: every row has norm g, so mean(W^2) = g^2 / n.
    let gain = 2.0.squareRoot()
    let weights = drawInitializer(.orthogonal(gain: gain), fanIn: 512, fanOut: 512)
    let meanSquare = weights.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(weights.count)
    #expect(abs(meanSquare / (gain * gain / 512) - 1) < 1e-6)
    #expect(abs(Initializer.orthogonal(gain: gain).weightVariance(fanIn: 512, fanOut: 512, activation: .relu) - 2.0 / 512) < 1e-18)
}

@Test func orthogonalFirstEntrySignIsFair() {
    // B8: 400 independent 8 x 8 draws; W[0,0] > 0 ~ Binomial(400, 1/2): in [160, 240]. Without the sign fix: 0.
    var random = RandomSource(seed: 8, stream: 8)
    var positive = 0
    var weights = [Float](repeating: 0, count: 64)
    for _ in 0..<400 {
        weights.withUnsafeMutableBufferPointer { _ = OrthogonalMatrix.fill($0, rows: 8, cols: 8, gain: 1, random: &random) }
        if weights[0] > 0 { positive += 1 }
    }
    #expect((160...240).contains(positive), "positive W[0,0] in \(positive) of 400")
    // Same for a wide matrix (rows < cols path).
    positive = 0
    var wide = [Float](repeating: 0, count: 4 * 8)
    for _ in 0..<400 {
        wide.withUnsafeMutableBufferPointer { _ = OrthogonalMatrix.fill($0, rows: 4, cols: 8, gain: 1, random: &random) }
        if wide[0] > 0 { positive += 1 }
    }
    #expect((160...240).contains(positive), "wide: positive W[0,0] in \(positive) of 400")
}

@Test func orthogonalEntriesHaveHaarMoments() {
    // Every column of a Haar orthogonal n x n matrix is uniform on the unit sphere: each entry w has E[w] = 0,
    // E[w^2] = 1/n and Var(w^2) = 3/(n(n+2)) - 1/n^2. For n = 8 over 4000 draws the standard errors are
    // sd(w)/sqrt(4000) = 0.0056 and sd(w^2)/sqrt(4000) = 0.0023; the bounds are 5 standard errors. A missing sign
    // fix makes E[W[j][j]] = -0.3 or so; a reflector built from the wrong entries skews E[w^2] of later columns.
    let n = 8, draws = 4000
    var random = RandomSource(seed: 31, stream: 4)
    var sum = [Double](repeating: 0, count: n * n), sumSquares = sum
    var weights = [Float](repeating: 0, count: n * n)
    for _ in 0..<draws {
        weights.withUnsafeMutableBufferPointer { _ = OrthogonalMatrix.fill($0, rows: n, cols: n, gain: 1, random: &random) }
        for i in 0..<(n * n) { sum[i] += Double(weights[i]); sumSquares[i] += Double(weights[i]) * Double(weights[i]) }
    }
    for i in 0..<(n * n) {
        #expect(abs(sum[i] / Double(draws)) < 5 * 0.0056, "mean of W[\(i / n)][\(i % n)]: \(sum[i] / Double(draws))")
        #expect(abs(sumSquares[i] / Double(draws) - 1.0 / Double(n)) < 5 * 0.0023,
                "mean square of W[\(i / n)][\(i % n)]: \(sumSquares[i] / Double(draws))")
    }
}
