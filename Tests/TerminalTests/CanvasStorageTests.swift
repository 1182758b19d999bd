// A canvas the screen no longer needs lends its cell buffer to the next canvas of the same size (CanvasStorage):
// the new canvas is exactly a fresh one, the buffer is the old one, and a canvas still shared is never changed.
// Sizes here are odd on purpose (97 x 13, 89 x 7, 83 x 11): tests running beside these make no canvas of them.
import Testing
@testable import Terminal

@Suite(.serialized) struct CanvasStorageTests {
    private func address(_ canvas: Canvas) -> UnsafeRawPointer? {
        canvas.cells.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// Makes a width x height canvas, writes `text` into it and recycles it; returns where its cells were. (A
    /// function of its own, so nothing in the test still holds the canvas when the next one is made.)
    private func recycled(width: Int, height: Int, text: String = "drawn before") -> UnsafeRawPointer? {
        var canvas = Canvas(width: width, height: height)
        canvas.write(text, x: 3, y: height / 2, style: Style(bold: true))
        let cells = address(canvas)
        canvas.recycle()
        return cells
    }

    @Test func theNextCanvasOfTheSameSizeReusesTheBufferAndIsExactlyAFreshOne() {
        let oldAddress = recycled(width: 97, height: 13)
        let fill = Cell("·")
        let next = Canvas(width: 97, height: 13, fill: fill)
        #expect(address(next) == oldAddress)
        #expect(next.width == 97 && next.height == 13)
        #expect(next.cells.count == 97 * 13 && next.cells.allSatisfy { $0 == fill })
    }

    @Test func aBufferStillSharedIsNeverChanged() {
        var old = Canvas(width: 89, height: 7)
        old.write("kept", x: 0, y: 0)
        let shared = old                  // still read elsewhere
        old.recycle()
        let next = Canvas(width: 89, height: 7)
        #expect(next.cells.allSatisfy { $0 == .blank })
        #expect(shared[0, 0]?.character == "k" && shared[2, 0]?.character == "p")
        #expect(address(next) != address(shared))
    }

    @Test func aCanvasOfAnotherSizeLeavesTheSpareForTheNextOfItsSize() {
        let oldAddress = recycled(width: 83, height: 11)
        let small = Canvas(width: 5, height: 5)
        #expect(address(small) != oldAddress && small.cells.count == 25)
        let next = Canvas(width: 83, height: 11)
        #expect(address(next) == oldAddress && next.cells.allSatisfy { $0 == .blank })
    }
}
