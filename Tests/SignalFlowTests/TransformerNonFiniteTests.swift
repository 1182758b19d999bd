// The transformer's FFN follows the MLP's convention at a NaN or infinite pre-activation h: phi'(h) is NaN there,
// also when h is not kept and phi' comes from phi(h) (tanh(+inf) = 1 would give 1 - 1 = 0, relu(-inf) = 0 gives 0:
// a clean zero gradient where the truth is an overflow). In Float, on the engine's own kernels.
// Legend: R = 6 rows, d = 4, 4d = 16 hidden units for the kernel; B = 4 sequences of T = 8 tokens, d = 16, H = 2,
// L = 3 blocks for the network.
import Foundation
import Testing
@testable import SignalFlow

/// Float buffers freed together.
private final class FloatArena {
    private var blocks: [UnsafeMutablePointer<Float>] = []
    /// `count` values N(0, scale^2) from stream `stream` of seed 5 (0 when scale is 0).
    func make(_ count: Int, stream: UInt64 = 0, scale: Float = 0) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
        var random = RandomSource(seed: 5, stream: stream)
        for i in 0..<count { p[i] = scale == 0 ? 0 : scale * Float(random.nextZigguratNormal()) }
        blocks.append(p)
        return p
    }
    deinit { for p in blocks { p.deallocate() } }
}

/// Equal bits, or both NaN (the payload is not part of the convention).
private func sameValues(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Bool {
    (0..<count).allSatisfy { a[$0].bitPattern == b[$0].bitPattern || (a[$0].isNaN && b[$0].isNaN) }
}

/// How many of the `count` values are NaN or infinite.
private func nonFinite(_ p: UnsafePointer<Float>, _ count: Int) -> Int { (0..<count).count { !p[$0].isFinite } }

@Test(arguments: Activation.all + [.leakyRelu(slope: 3)], [false, true])
func feedForwardDerivativeAtANonFiniteHIsTheMLPs(phi: Activation, keepsPreactivation: Bool) {
    let rows = 6, d = 4, hidden = 4 * d, arena = FloatArena()
    let u = arena.make(rows * d, stream: 1, scale: 1), w1 = arena.make(d * hidden, stream: 2, scale: 0.5)
    let w2 = arena.make(hidden * d, stream: 3, scale: 0.5), dO = arena.make(rows * d, stream: 4, scale: 1)
    // h[0][3] = 4e38 + ... = +inf, h[0][5] = -inf; h[r][3], h[r][5] = +-5e37 + ... (huge, finite) in rows 2...5; row 1
    // all NaN (u[1][1] = NaN).
    for r in 0..<rows { u[r * d] = r == 0 ? 4 : 0.5 }
    u[1 * d + 1] = .nan
    w1[3] = 1e38; w1[5] = -1e38
    let h = arena.make(rows * hidden), a = arena.make(rows * hidden), out = arena.make(rows * d)
    let dh = arena.make(rows * hidden), du = arena.make(rows * d), dW = arena.make(d * hidden)
    var shown: [WeightRole: [Float]] = [:]
    // GELU's phi' reads h, so its h is always kept (as TransformerBlockKernel asks).
    let keeps = keepsPreactivation || !phi.derivativeFromActivationValue
    let flagged = FeedForwardKernel.forward(rows: rows, width: d, activation: phi, input: u, inWeights: w1, outWeights: w2,
                                            preactivation: h, activation: a, keepsPreactivation: keeps, into: out)
    #expect(flagged == phi.derivativeFromActivationValue, "\(phi.name): the forward pass notes the non-finite h")
    FeedForwardKernel.backward(rows: rows, width: d, activation: phi, input: u, inWeights: w1, outWeights: w2,
                               preactivation: h, activation: a, preactivationNonFinite: flagged, outputGradient: dO,
                               hiddenGradient: dh, weightGradientScratch: dW, into: du) { role, values in shown[role] = Array(values) }

    // The MLP's convention on the same h and da = dO W2^T: Activation.multiplyByDerivative with h (NaN at a
    // non-finite h; NonFiniteGradientTests), phi' from phi(h) or h as the MLP keeps it.
    let hExpected = arena.make(rows * hidden), da = arena.make(rows * hidden)
    Float.gemm(m: rows, n: hidden, k: d, a: u, lda: d, transposeA: false, b: w1, ldb: hidden, transposeB: false,
               c: hExpected, ldc: hidden, alpha: 1, beta: 0, threads: 1)
    Float.gemm(m: rows, n: hidden, k: d, a: dO, lda: d, transposeA: false, b: w2, ldb: d, transposeB: true,
               c: da, ldc: hidden, alpha: 1, beta: 0, threads: 1)
    let x = arena.make(rows * hidden)
    x.update(from: hExpected, count: rows * hidden)
    phi.applyInPlace(UnsafeMutableBufferPointer(start: x, count: rows * hidden))
    let hBuffer = UnsafeBufferPointer(start: UnsafePointer(hExpected), count: rows * hidden)
    phi.multiplyByDerivative(UnsafeMutableBufferPointer(start: da, count: rows * hidden),
                             kept: phi.derivativeFromActivationValue ? UnsafeBufferPointer(start: UnsafePointer(x), count: rows * hidden) : hBuffer,
                             preactivation: hBuffer)
    #expect(hExpected[3] == .infinity && hExpected[5] == -.infinity && hExpected[2 * hidden + 3].isFinite
            && Swift.abs(hExpected[2 * hidden + 3]) > 1e37)
    #expect(sameValues(a, x, rows * hidden), "\(phi.name): phi(h) unchanged")
    #expect(sameValues(dh, da, rows * hidden), "\(phi.name): dL/dh is the MLP's")
    #expect(dh[3].isNaN && dh[5].isNaN && (0..<hidden).allSatisfy { dh[hidden + $0].isNaN }, "\(phi.name): NaN, not 0")
    #expect(nonFinite(dh, rows * hidden) == 2 + hidden, "\(phi.name): only the non-finite h give NaN")
    // dL/du = dL/dh W1^T: rows 0 and 1 NaN throughout; dW1 = u^T dL/dh: columns 3 and 5 and every entry fed by row 1.
    let duExpected = arena.make(rows * d)
    Float.gemm(m: rows, n: d, k: hidden, a: da, lda: hidden, transposeA: false, b: w1, ldb: hidden, transposeB: true,
               c: duExpected, ldc: d, alpha: 1, beta: 0, threads: 1)
    #expect(sameValues(du, duExpected, rows * d) && (0..<2 * d).allSatisfy { du[$0].isNaN }, "\(phi.name): dL/du")
    let dW1 = shown[.ffnIn] ?? []
    #expect(dW1.count == d * hidden && dW1.allSatisfy(\.isNaN), "\(phi.name): dW1 (row 1 of u is NaN)")
}

private func transformerScenario(_ phi: Activation) -> Scenario {
    var s = Scenario(activation: phi, depth: 3, width: 16, batch: 4, seed: 3,
                     initializers: [NamedInitializer(name: "xavier", initializer: try! Initializer.parse("xavier"))])
    s.architecture = .transformer(TransformerOptions(tokens: 8, heads: 2))
    return s
}

/// Forward and backward through the network with W1[0][3] of the top block at the largest Float: h[r][3] = +-inf in
/// the rows where |LN(x1)[r][0]| > 1, huge and finite elsewhere. Returns the ffn.pre statistics of the top block (when
/// sites are measured) and every stream-gradient site, top block first.
private func overflowingRun(_ phi: Activation, measuresSites: Bool, keepsActivations: Bool)
    -> (pre: SummaryStats?, gradients: [SiteReport]) {
    let s = transformerScenario(phi)
    var shape = TransformerWorkspace.Shape(s)
    shape.keepsActivations = keepsActivations
    let workspace = TransformerWorkspace(shape)
    var propagator = TransformerPropagator(workspace: workspace, activation: phi, options: s.architecture.transformer!)
    propagator.measuresSites = measuresSites
    propagator.drawInputAndUpstream(seed: s.seed)
    propagator.drawParameters(initializer: s.initializers[0].initializer, seed: s.seed)
    workspace.weights[2].matrices[4].base[3] = .greatestFiniteMagnitude
    var pre: SummaryStats? = nil
    for l in 1...3 {
        let report = propagator.forwardBlock(l)
        if l == 3 { pre = report.site(TransformerSite.ffnPre)?.stats }
    }
    propagator.beginBackward()
    let gradients = stride(from: 3, through: 1, by: -1).map { propagator.backwardBlock($0)[0] }
    return (pre, gradients)
}

@Test(arguments: [Activation.tanh, .relu, .sigmoid, .gelu])
func aTransformerBlockWithAnInfiniteFFNPreactivationGivesNaNGradientsBelowIt(phi: Activation) throws {
    let measured = overflowingRun(phi, measuresSites: true, keepsActivations: true)
    let pre = try #require(measured.pre)
    #expect(pre.nonFiniteCount > 0 && pre.nonFiniteCount < pre.count / 16, "\(phi.name): the top block's h overflows in a few rows")
    // dL/dx^3 is the upstream gradient; below the top block the NaN of phi'(+-inf) spreads (rows, then the sequence
    // through the attention), as it does in the MLP and with GELU (whose phi' always reads h).
    #expect(measured.gradients[0].quantity.stats.nonFiniteCount == 0)
    for site in measured.gradients.dropFirst() {
        #expect(site.quantity.stats.nonFiniteCount > 0, "\(phi.name): \(site.quantity.stats)")
    }
    // h kept (sites measured), not kept, and recomputed before each backward step: the same statistics.
    for (sites, keeps) in [(false, true), (false, false)] {
        let other = overflowingRun(phi, measuresSites: sites, keepsActivations: keeps)
        #expect(other.gradients.map(\.quantity.stats) == measured.gradients.map(\.quantity.stats), "\(phi.name) sites \(sites) keeps \(keeps)")
    }
}
