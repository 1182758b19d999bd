// Row-major Float32 matrices whose storage is allocated once and reused across runs.
// Legend: rows x cols, element (i, j) at offset i * cols + j; B = batch, n = width.
//
// The storage pointer is internal: the engine's kernels and BLAS calls use it; other code reads and writes the
// elements through `withSpan` / `withMutableSpan` (the span cannot outlive the call) or `elements`.
import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// A row-major Float32 matrix (rows x cols) owning its storage; reshaping within capacity never allocates.
public final class Matrix {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var cols: Int
    /// Elements allocated (>= rows * cols).
    public private(set) var capacity: Int
    /// Start of the storage (row-major, `capacity` elements); engine-internal.
    private(set) var base: UnsafeMutablePointer<Float>
    /// Spans lent by `withSpan` / `withMutableSpan` and not yet given back: `reshape` may not free the storage then.
    private var lentSpans = 0
    /// Bytes mapped for the storage when it came from `mmap` (large matrices), 0 when from calloc.
    private var mappedBytes = 0

    /// A rows x cols matrix of zeros.
    public init(rows: Int, cols: Int) {
        Invariant.require(rows >= 0 && cols >= 0, "negative matrix shape")
        self.rows = rows; self.cols = cols; self.capacity = Swift.max(rows * cols, 1)
        (base, mappedBytes) = Matrix.allocateZeros(capacity)
    }

    /// A rows x cols matrix holding `elements` (row-major, rows * cols of them).
    public convenience init(rows: Int, cols: Int, elements: [Float]) {
        Invariant.require(elements.count == rows * cols, "Matrix: \(elements.count) elements for \(rows) x \(cols)")
        self.init(rows: rows, cols: cols)
        elements.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: $0.count) }
    }

    deinit { Matrix.release(base, mappedBytes: mappedBytes) }

    /// Storage from `mmap` (aligned to a huge page, advised as transparent huge pages) from this many bytes on.
    static let hugePageBytes = 2 << 20

    /// `count` zero Float32s from fresh (already zero) pages, so the pages are touched, and faulted in, by whichever
    /// thread first writes them rather than all up front: calloc below `hugePageBytes`; from there on an anonymous
    /// mapping aligned to 2 MiB whose whole 2 MiB spans are advised as transparent huge pages (the products stream
    /// through these tensors: one TLB entry per 2 MiB instead of 512; the transformer pass measured 7% faster), the
    /// tail past the last whole span in small pages, so the resident size does not grow. Returns the storage and
    /// the bytes mapped (0 = calloc).
    private static func allocateZeros(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let bytes = count * MemoryLayout<Float>.stride
        func outOfMemory() -> Never {
            fatalError("out of memory allocating \(count) Float32 (the scenario's memory check should prevent this)")
        }
        #if canImport(Glibc)
        if bytes >= hugePageBytes {
            let pageBytes = 4096, length = (bytes + pageBytes - 1) / pageBytes * pageBytes
            guard let raw = mmap(nil, length + hugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  raw != UnsafeMutableRawPointer(bitPattern: -1) else { outOfMemory() }
            let address = UInt(bitPattern: raw), aligned = (address + UInt(hugePageBytes) - 1) & ~UInt(hugePageBytes - 1)
            let head = Int(aligned - address)
            if head > 0 { munmap(raw, head) }
            if hugePageBytes - head > 0 { munmap(raw + head + length, hugePageBytes - head) }
            let start = UnsafeMutableRawPointer(bitPattern: aligned)!
            _ = madvise(start, bytes / hugePageBytes * hugePageBytes, MADV_HUGEPAGE)   // advice only: ignore a refusal
            return (start.bindMemory(to: Float.self, capacity: count), length)
        }
        #endif
        guard let raw = calloc(count, MemoryLayout<Float>.stride) else { outOfMemory() }
        return (raw.bindMemory(to: Float.self, capacity: count), 0)
    }

    /// Gives back storage from `allocateZeros`.
    private static func release(_ base: UnsafeMutablePointer<Float>, mappedBytes: Int) {
        #if canImport(Glibc)
        if mappedBytes > 0 { munmap(base, mappedBytes); return }
        #endif
        free(base)
    }

    /// Number of elements rows * cols.
    public var count: Int { rows * cols }

    /// The elements as a buffer (rows * cols Float32 values); engine-internal.
    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// A copy of the rows * cols elements, row-major.
    public var elements: [Float] { Array(UnsafeBufferPointer(buffer)) }

    /// Calls `body` with the rows * cols elements (row-major) as a span, valid only during the call.
    public func withSpan<Result, Failure: Error>(_ body: (Span<Float>) throws(Failure) -> Result) throws(Failure) -> Result {
        lentSpans += 1
        defer { lentSpans -= 1 }
        return try body(UnsafeBufferPointer(buffer).span)
    }

    /// Calls `body` with the rows * cols elements (row-major) as a mutable span, valid only during the call.
    public func withMutableSpan<Result, Failure: Error>(_ body: (inout MutableSpan<Float>) throws(Failure) -> Result)
        throws(Failure) -> Result {
        lentSpans += 1
        defer { lentSpans -= 1 }
        var span = buffer.mutableSpan
        return try body(&span)
    }

    /// Changes the shape, reallocating only when rows * cols exceeds the capacity. Contents are unspecified.
    public func reshape(rows newRows: Int, cols newCols: Int) {
        Invariant.require(newRows >= 0 && newCols >= 0, "negative matrix shape")
        let needed = newRows * newCols
        if needed > capacity {
            Invariant.require(lentSpans == 0, "reshape would free storage lent to a span (inside withSpan/withMutableSpan)")
            Matrix.release(base, mappedBytes: mappedBytes)
            capacity = needed
            (base, mappedBytes) = Matrix.allocateZeros(capacity)
        }
        rows = newRows; cols = newCols
    }

    /// Element (i, j).
    @inline(__always)
    public subscript(i: Int, j: Int) -> Float {
        get { base[i * cols + j] }
        set { base[i * cols + j] = newValue }
    }

    /// Multiplies every element by `factor`.
    public func scale(by factor: Float) {
        cblas_sscal(Int32(count), factor, base, 1)
    }

    /// Copies the elements of `other` (same count) into this matrix.
    public func copy(from other: Matrix) {
        Invariant.require(other.count == count, "copy: shape mismatch")
        base.update(from: other.base, count: count)
    }
}
