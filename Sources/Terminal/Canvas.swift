// An in-memory grid of styled cells that widgets draw into; screens copy it to a terminal.
// Coordinates: x = column (0 = left), y = row (0 = top), in cells.

/// A rectangle of cells.
public struct Rect: Equatable, Hashable, Sendable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Width in columns (>= 0).
    public var width: Int
    /// Height in rows (>= 0).
    public var height: Int

    /// Creates a rectangle; negative sizes are clamped to 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    /// True when the rectangle holds no cell.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// One past the right column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }

    /// The overlap of two rectangles (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }
}

/// One terminal cell: a single-column character and its style.
public struct Cell: Equatable, Hashable, Sendable {
    /// The character shown (one column wide; a space when empty).
    public var character: Character
    /// Colours and attributes.
    public var style: Style

    /// Creates a cell.
    public init(_ character: Character = " ", style: Style = .plain) { self.character = character; self.style = style }

    /// An empty cell in the default style.
    public static let blank = Cell()
}

/// A width x height grid of cells; drawing outside it is clipped, never a trap.
public struct Canvas: Equatable, Sendable {
    /// Width in columns.
    public let width: Int
    /// Height in rows.
    public let height: Int
    /// Cells row by row, `width * height` of them.
    public private(set) var cells: [Cell]

    /// A blank canvas filled with `fill`.
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width); self.height = max(0, height)
        let count = self.width * self.height
        if var reused = CanvasStorage.take(count: count) {
            // A recycled buffer (pages already mapped): filled in place, unless someone still shares it.
            reused.withUnsafeMutableBufferPointer { $0.update(repeating: fill) }
            cells = reused
        } else {
            cells = Array(repeating: fill, count: count)
        }
    }

    /// The whole canvas as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), or nil outside the canvas.
    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Sets one cell; ignored outside the canvas.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = cell
    }

    /// Writes `text` from (x, y) rightwards in `style`, clipped to `clip` (default: the whole canvas).
    /// Returns the column after the last character written. Every character takes one column.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        var column = x
        guard y >= area.y, y < area.maxY else { return x + text.count }
        for character in text {
            if column >= area.x && column < area.maxX { cells[y * width + column] = Cell(character, style: style) }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY { for column in area.x..<area.maxX { cells[row * width + column] = cell } }
    }

    /// The characters of each row, trailing spaces kept (for snapshots and tests).
    public var lines: [String] {
        (0..<height).map { row in String(cells[(row * width)..<((row + 1) * width)].map(\.character)) }
    }
}
