// Degradation of colours to each depth, against xterm's default palette (hand-computed indices).
import Testing
@testable import Terminal

@Suite struct ColorDegradationTests {
    @Test func truecolorKeepsEverything() {
        for color in [TerminalColor.rgb(1, 2, 3), .indexed(200), .ansi(9), .default] {
            #expect(color.degraded(to: .truecolor) == color)
        }
    }

    @Test func rgbMapsToExactCubeAndGreyEntriesAt256() {
        #expect(TerminalColor.rgb(255, 0, 0).degraded(to: .indexed256) == .indexed(196))   // 16 + 36*5
        #expect(TerminalColor.rgb(0x5F, 0x87, 0xAF).degraded(to: .indexed256) == .indexed(67)) // 16+36+12+3
        #expect(TerminalColor.rgb(0x80, 0x80, 0x80).degraded(to: .indexed256) == .indexed(244)) // 8 + 10*12
        #expect(TerminalColor.rgb(0, 0, 0).degraded(to: .indexed256) == .indexed(16))
        #expect(TerminalColor.rgb(255, 255, 255).degraded(to: .indexed256) == .indexed(231))
        #expect(TerminalColor.rgb(0x12, 0x12, 0x12).degraded(to: .indexed256) == .indexed(233)) // grey 18
    }

    @Test func nearColoursSnapToTheClosestEntryAt256() {
        // #0a0a0a lies between cube black (0) and grey 232 (8): grey is nearer.
        #expect(TerminalColor.rgb(0x0A, 0x0A, 0x0A).degraded(to: .indexed256) == .indexed(232))
        // #fe0101 is next to pure red.
        #expect(TerminalColor.rgb(0xFE, 0x01, 0x01).degraded(to: .indexed256) == .indexed(196))
        // Mid grey #7a7a7a: grey ramp 238-... 118 (243) vs 128 (244): 118 is nearer in L*.
        #expect(TerminalColor.rgb(0x7A, 0x7A, 0x7A).degraded(to: .indexed256) == .indexed(243))
    }

    @Test func ansiAndIndexedStayAt256() {
        #expect(TerminalColor.ansi(12).degraded(to: .indexed256) == .ansi(12))
        #expect(TerminalColor.indexed(100).degraded(to: .indexed256) == .indexed(100))
    }

    @Test func sixteenColourMapping() {
        #expect(TerminalColor.rgb(255, 0, 0).degraded(to: .ansi16) == .ansi(9))
        #expect(TerminalColor.rgb(0xCC, 0x00, 0x00).degraded(to: .ansi16) == .ansi(1))
        #expect(TerminalColor.rgb(0xE0, 0xE0, 0xE0).degraded(to: .ansi16) == .ansi(7))
        #expect(TerminalColor.rgb(0xFA, 0xFA, 0xFA).degraded(to: .ansi16) == .ansi(15))
        #expect(TerminalColor.rgb(0x10, 0x10, 0x10).degraded(to: .ansi16) == .ansi(0))
        #expect(TerminalColor.rgb(0x80, 0x80, 0x80).degraded(to: .ansi16) == .ansi(8))
        #expect(TerminalColor.indexed(196).degraded(to: .ansi16) == .ansi(9))
        #expect(TerminalColor.indexed(3).degraded(to: .ansi16) == .ansi(3))
        #expect(TerminalColor.indexed(21).degraded(to: .ansi16) == .ansi(4))   // #0000ff -> blue #0000ee
        #expect(TerminalColor.ansi(13).degraded(to: .ansi16) == .ansi(13))
    }

    @Test func eightColourMapping() {
        #expect(TerminalColor.ansi(9).degraded(to: .ansi8) == .ansi(1))
        #expect(TerminalColor.ansi(15).degraded(to: .ansi8) == .ansi(7))
        #expect(TerminalColor.ansi(4).degraded(to: .ansi8) == .ansi(4))
        #expect(TerminalColor.indexed(11).degraded(to: .ansi8) == .ansi(3))
        #expect(TerminalColor.rgb(255, 0, 0).degraded(to: .ansi8) == .ansi(1))
        #expect(TerminalColor.rgb(255, 255, 255).degraded(to: .ansi8) == .ansi(7))
        #expect(TerminalColor.rgb(0, 0, 0x80).degraded(to: .ansi8) == .ansi(4))
        #expect(TerminalColor.indexed(46).degraded(to: .ansi8) == .ansi(2))   // #00ff00
    }

    @Test func monochromeDropsColour() {
        for color in [TerminalColor.rgb(255, 0, 0), .indexed(3), .ansi(9), .default] {
            #expect(color.degraded(to: .monochrome) == .default)
        }
    }

    @Test func defaultStaysDefaultAtEveryDepth() {
        for depth in ColorDepth.allCases { #expect(TerminalColor.default.degraded(to: depth) == .default) }
    }

    /// Every palette colour and a grid of rgb colours: the result is showable at the depth and idempotent.
    @Test func resultsAreRepresentableAndIdempotent() {
        var colors: [TerminalColor] = (0..<16).map { .ansi(UInt8($0)) } + (0..<256).map { .indexed(UInt8($0)) }
        for r in stride(from: 0, through: 255, by: 51) { for g in stride(from: 0, through: 255, by: 51) {
            for b in stride(from: 0, through: 255, by: 51) { colors.append(.rgb(UInt8(r), UInt8(g), UInt8(b))) }
        } }
        for depth in ColorDepth.allCases {
            for color in colors {
                let once = color.degraded(to: depth)
                #expect(once.degraded(to: depth) == once, "\(color) at \(depth)")
                switch (depth, once) {
                case (.monochrome, let c): #expect(c == .default)
                case (.ansi8, .ansi(let i)): #expect(i < 8)
                case (.ansi16, .ansi(let i)): #expect(i < 16)
                case (.indexed256, .ansi), (.indexed256, .indexed), (.truecolor, _): break
                default: Issue.record("\(color) at \(depth) gave \(once)")
                }
            }
        }
    }

    @Test func paletteValuesAreXtermDefaults() {
        #expect(TerminalColor.ansi(4).rgbValue == RGBColor(0, 0, 0xEE))
        #expect(TerminalColor.ansi(8).rgbValue == RGBColor(0x7F, 0x7F, 0x7F))
        #expect(TerminalColor.indexed(12).rgbValue == RGBColor(0x5C, 0x5C, 0xFF))
        #expect(TerminalColor.indexed(16).rgbValue == RGBColor(0, 0, 0))
        #expect(TerminalColor.indexed(67).rgbValue == RGBColor(0x5F, 0x87, 0xAF))
        #expect(TerminalColor.indexed(231).rgbValue == RGBColor(255, 255, 255))
        #expect(TerminalColor.indexed(232).rgbValue == RGBColor(8, 8, 8))
        #expect(TerminalColor.indexed(255).rgbValue == RGBColor(238, 238, 238))
        #expect(TerminalColor.rgb(1, 2, 3).rgbValue == RGBColor(1, 2, 3))
        #expect(TerminalColor.default.rgbValue == nil)
        #expect(TerminalColor.default.rgbValue(defaultingTo: RGBColor(9, 9, 9)) == RGBColor(9, 9, 9))
    }
}

@Suite struct XtermPaletteCacheTests {
    /// The memo returns what the search computes, for many colours and all three candidate ranges, also
    /// across a cache clear (more colours than `cacheLimit`), and from several threads at once.
    @Test func memoAgreesWithTheSearch() async {
        var colors: [RGBColor] = []
        for r in stride(from: 0, through: 255, by: 15) { for g in stride(from: 0, through: 255, by: 15) {
            for b in stride(from: 0, through: 255, by: 15) { colors.append(RGBColor(UInt8(r), UInt8(g), UInt8(b))) }
        } }
        #expect(colors.count > XtermPalette.cacheLimit)
        let ranges = [16..<256, 0..<16, 0..<8]
        await withTaskGroup(of: Int.self) { group in
            for part in 0..<4 {
                group.addTask { [colors] in
                    var mismatches = 0
                    for (i, color) in colors.enumerated() where i % 4 == part {
                        for range in ranges {
                            let first = XtermPalette.nearestIndex(to: color, among: range)
                            if first != XtermPalette.nearestIndex(to: color, among: range)
                                || first != XtermPalette.searchNearestIndex(to: color, among: range) { mismatches += 1 }
                        }
                    }
                    return mismatches
                }
            }
            var total = 0
            for await mismatches in group { total += mismatches }
            #expect(total == 0)
        }
    }
}
