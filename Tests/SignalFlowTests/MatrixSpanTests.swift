// Matrix elements through spans: what a span writes the matrix holds, the span sees the matrix's row-major
// elements, and storage lent to a span is never freed under it (reshape past capacity traps inside the call).
import Testing
import SignalFlow

@Test func spansReadAndWriteTheRowMajorElements() {
    let matrix = Matrix(rows: 2, cols: 3, elements: [1, 2, 3, 4, 5, 6])
    #expect(matrix[1, 0] == 4 && matrix.elements == [1, 2, 3, 4, 5, 6])
    let sum = matrix.withSpan { span in (0..<span.count).reduce(Float(0)) { $0 + span[$1] } }
    #expect(sum == 21)
    matrix.withMutableSpan { span in for i in 0..<span.count { span[i] *= 10 } }
    #expect(matrix.elements == [10, 20, 30, 40, 50, 60])
    // Spans cover rows * cols after a reshape within capacity.
    matrix.reshape(rows: 1, cols: 2)
    #expect(matrix.withSpan { $0.count } == 2 && matrix.elements == [10, 20])
}

@Test func statisticsOfAMatrixSpanEqualThoseOfTheArray() {
    var random = RandomSource(seed: 3, stream: 4)
    var values = [Float](repeating: 0, count: 1000)
    random.fillNormal(&values)
    let matrix = Matrix(rows: 10, cols: 100, elements: values)
    #expect(matrix.withSpan { TensorStatistics.report($0) } == TensorStatistics.report(values.span))
}

struct SpanTestFailure: Error, Equatable {}

@Test func anErrorThrownInsideTheSpanCallPassesThrough() {
    let matrix = Matrix(rows: 1, cols: 1)
    #expect(throws: SpanTestFailure()) { try matrix.withSpan { _ throws(SpanTestFailure) in throw SpanTestFailure() } }
    matrix.reshape(rows: 4, cols: 4)   // the span was given back: growing is allowed again
    #expect(matrix.count == 16)
}

@Test func growingAMatrixWhileItsSpanIsOutTraps() async {
    await #expect(processExitsWith: .failure) {
        let matrix = Matrix(rows: 2, cols: 2)
        matrix.withSpan { _ in matrix.reshape(rows: 100, cols: 100) }
    }
}
