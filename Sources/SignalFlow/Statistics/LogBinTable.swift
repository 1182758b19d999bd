// Cached lookup tables for log10|x| binning: the bin of every Float magnitude cell of relative width 2^-7
// (top 15 bits of |x|: exponent and 7 mantissa bits). Float bit patterns are monotonic in |x|, so the bin of
// x is the cell's bin or the next one (bins are wider than cells), settled by one comparison with an edge.
// Cell 0 (zero and the smallest subnormals, never a normal magnitude) holds K when K < 256: the fused kernel's
// slot for exact zeros. `nextEdgeBits[b]` is the bit pattern of the edge that moves a magnitude from bin b to b + 1.
// Legend: K = bins; edges e[0...K] as Float; tables are shared by every thread (read-only once built).
import Synchronization

/// A bin table for one (lower, upper, K) log10 range.
final class LogBinTable: Sendable {
    /// Bin (0..<K) of the start of each of the 2^15 magnitude cells.
    /// Cell 0 holds K (the zero slot) instead when `hasZeroSlot`.
    let binOfCell: [UInt8]
    /// K + 1 bit patterns: e[b + 1] for b < K - 1; 0xFFFF_FFFF (never reached) for the closed last bin and the slot.
    let nextEdgeBits: [UInt32]
    /// Whether cell 0 is the zero slot (K < 256).
    let hasZeroSlot: Bool

    init(edges: UnsafeBufferPointer<Float>) {
        let binCount = edges.count - 1
        var table = [UInt8](repeating: 0, count: 1 << 15)
        var bin = 0
        for cell in 0..<(1 << 15) {
            let start = Float(bitPattern: UInt32(cell) << 16)
            while bin < binCount - 1 && start >= edges[bin + 1] { bin += 1 }
            table[cell] = UInt8(bin)
        }
        hasZeroSlot = binCount < 256
        if hasZeroSlot { table[0] = UInt8(binCount) }
        binOfCell = table
        nextEdgeBits = (0...binCount).map { $0 < binCount - 1 ? edges[$0 + 1].bitPattern : 0xFFFF_FFFF }
    }

    /// Whether a table applies: at most 256 bins, each wider than a cell (log10(1 + 2^-7) = 0.00337 decades).
    static func applies(binCount: Int, decadesPerBin: Double) -> Bool { binCount <= 256 && decadesPerBin > 0.0035 }

    /// Tables built so far, by range key.
    private static let cache = Mutex<[String: LogBinTable]>([:])

    /// The table for a range, built once per (lower, upper, K) and kept (at most 256 ranges).
    static func table(lower: Double, upper: Double, edges: UnsafeBufferPointer<Float>) -> LogBinTable {
        let key = "\(lower.bitPattern):\(upper.bitPattern):\(edges.count)"
        if let found = cache.withLock({ $0[key] }) { return found }
        let built = LogBinTable(edges: edges)
        cache.withLock { tables in
            if tables.count >= 256 { tables.removeAll() }
            tables[key] = built
        }
        return built
    }
}
