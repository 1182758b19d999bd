// Oracle A1: fans under the PyTorch, JAX and Keras layout conventions.
import Testing
@testable import SignalFlow

@Test func fansOfWorkedExamples() throws {
    #expect(try Fans.of(shape: [300, 784], convention: .pytorch) == Fans(fanIn: 784, fanOut: 300))
    #expect(try Fans.of(shape: [64, 3, 7, 7], convention: .pytorch) == Fans(fanIn: 147, fanOut: 3136))
    #expect(try Fans.of(shape: [7, 7, 3, 64], convention: .jax) == Fans(fanIn: 147, fanOut: 3136))
    #expect(try Fans.of(shape: [7, 7, 3, 64], convention: .keras) == Fans(fanIn: 147, fanOut: 3136))
    #expect(try Fans.of(shape: [10], convention: .keras) == Fans(fanIn: 10, fanOut: 10))
    #expect(try Fans.of(shape: [], convention: .keras) == Fans(fanIn: 1, fanOut: 1))
    #expect(try Fans.of(shape: [784, 300], convention: .jax) == Fans(fanIn: 784, fanOut: 300))
    #expect(Fans.dense(inputs: 784, outputs: 300) == Fans(fanIn: 784, fanOut: 300))
}

@Test func fansRejectShapesTheFrameworkRejects() {
    #expect(throws: FanError.self) { try Fans.of(shape: [10], convention: .pytorch) }
    #expect(throws: FanError.self) { try Fans.of(shape: [], convention: .pytorch) }
    #expect(throws: FanError.self) { try Fans.of(shape: [10], convention: .jax) }
    #expect(throws: FanError.self) { try Fans.of(shape: [3, -1], convention: .keras) }
    do {
        _ = try Fans.of(shape: [10], convention: .pytorch)
    } catch {
        #expect("\(error)".contains("fewer than 2 dimensions"))
        #expect(!"\(error)".contains("\n"))
    }
}
