// The xterm 256-colour palette with xterm's default values, the reference for degradation and contrast.
// 0-15: the ANSI colours as xterm ships them (XTerm-col.ad / 256colres.h); 16-231: the 6x6x6 cube with levels
// 0, 95, 135, 175, 215, 255; 232-255: the grey ramp 8, 18, ..., 238.
import Foundation
import Synchronization

/// xterm's default palette and the colour names used in themes.
public enum XtermPalette {
    /// The 16 ANSI colours, xterm defaults: black, red, green, yellow, blue, magenta, cyan, white, then bright.
    public static let ansi: [RGBColor] = [
        0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5,
        0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF,
    ].map { RGBColor(hex: $0) }

    /// Channel levels of the 6x6x6 colour cube (indices 16-231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// All 256 colours, index = xterm colour number.
    public static let colors: [RGBColor] = {
        var table = ansi
        for r in 0..<6 { for g in 0..<6 { for b in 0..<6 {
            table.append(RGBColor(cubeLevels[r], cubeLevels[g], cubeLevels[b]))
        } } }
        for step in 0..<24 { let v = UInt8(8 + 10 * step); table.append(RGBColor(v, v, v)) }
        return table
    }()

    /// CIELAB of every palette entry, index = xterm colour number.
    public static let labs: [LabColor] = colors.map(\.lab)

    /// ANSI colour names, index 0-15 ("black" ... "bright-white").
    public static let ansiNames: [String] = {
        let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        return base + base.map { "bright-" + $0 }
    }()

    /// The palette index in `candidates` nearest to `color` by CIEDE2000 delta E (first one on ties).
    /// Memoised (about 50 us a search; screens may ask per cell): thread-safe, at most `cacheLimit` entries.
    public static func nearestIndex(to color: RGBColor, among candidates: Range<Int>) -> Int {
        let key = UInt64(color.red) << 48 | UInt64(color.green) << 40 | UInt64(color.blue) << 32
            | UInt64(UInt16(clamping: candidates.lowerBound)) << 16 | UInt64(UInt16(clamping: candidates.upperBound))
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let index = searchNearestIndex(to: color, among: candidates)
        cache.withLock { answers in
            if answers.count >= cacheLimit { answers.removeAll(keepingCapacity: true) }
            answers[key] = index
        }
        return index
    }

    /// Most remembered nearest-colour answers before the memo is cleared.
    public static let cacheLimit = 4096
    /// Nearest-colour answers so far, by (colour, candidates) key.
    private static let cache = Mutex<[UInt64: Int]>([:])

    /// The uncached search behind `nearestIndex`.
    static func searchNearestIndex(to color: RGBColor, among candidates: Range<Int>) -> Int {
        let target = color.lab
        var best = candidates.lowerBound, bestDistance = Double.infinity
        for index in candidates {
            let distance = ColorSpace.deltaE2000(target, labs[index])
            if distance < bestDistance { best = index; bestDistance = distance }
        }
        return best
    }
}
