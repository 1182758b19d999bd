// The engine's checks stop the program with their message (they are `Invariant.require`, kept by the shipped
// -Ounchecked build; scripts/check-engine-invariants.sh keeps `precondition` out of the engine).
// Legend: m x k by k x n products.
import Testing
@testable import SignalFlow

@Test func aProductOfMismatchedShapesStopsTheProgram() async {
    await #expect(processExitsWith: .failure) {
        GEMM.multiply(Matrix(rows: 2, cols: 3), Matrix(rows: 4, cols: 2), into: Matrix(rows: 2, cols: 2))
    }
}

@Test func aPropagatorWithoutBuffersForItsLayerNormsStopsTheProgram() async {
    await #expect(processExitsWith: .failure) {
        var scenario = Scenario(activation: .tanh, depth: 2, width: 8, batch: 2, seed: 1,
                                initializers: [NamedInitializer(name: "xavier", initializer: .xavierNormal(gain: 1))])
        scenario.architecture = .transformer(TransformerOptions(tokens: 4, heads: 2, normalization: .none))
        let workspace = TransformerWorkspace(TransformerWorkspace.Shape(scenario))
        _ = TransformerPropagator(workspace: workspace, activation: .tanh, options: TransformerOptions(tokens: 4, heads: 2))
    }
}

@Test func aSatisfiedInvariantLetsTheCallThrough() {
    let c = Matrix(rows: 2, cols: 2)
    GEMM.multiply(Matrix(rows: 2, cols: 3, elements: [1, 0, 0, 0, 1, 0]), Matrix(rows: 3, cols: 2, elements: [1, 2, 3, 4, 5, 6]), into: c)
    #expect(c.elements == [1, 2, 3, 4])
}
