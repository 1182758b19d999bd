// Colour maths against published values: WCAG luminance/contrast, CIELAB, CIEDE2000 (Sharma et al. 2005
// test data), and the Machado et al. 2009 dichromacy simulation (hand-computed from the matrices).
import Testing
@testable import Terminal

@Suite struct ColorMathTests {
    @Test func relativeLuminanceAndContrastMatchWCAG() {
        #expect(RGBColor(255, 255, 255).relativeLuminance == 1)
        #expect(RGBColor(0, 0, 0).relativeLuminance == 0)
        #expect(abs(ColorSpace.contrastRatio(RGBColor(0, 0, 0), RGBColor(255, 255, 255)) - 21) < 1e-9)
        // #767676 is the lightest grey with 4.5:1 on white (4.54); #777777 just fails (4.48).
        #expect(abs(ColorSpace.contrastRatio(RGBColor(hex: 0x767676), RGBColor(hex: 0xFFFFFF)) - 4.54) < 0.005)
        #expect(ColorSpace.contrastRatio(RGBColor(hex: 0x777777), RGBColor(hex: 0xFFFFFF)) < 4.5)
        // Pure red on white: 3.998.
        #expect(abs(ColorSpace.contrastRatio(RGBColor(255, 0, 0), RGBColor(255, 255, 255)) - 3.998) < 0.001)
        // Symmetric.
        #expect(ColorSpace.contrastRatio(RGBColor(1, 2, 3), RGBColor(200, 100, 50))
                == ColorSpace.contrastRatio(RGBColor(200, 100, 50), RGBColor(1, 2, 3)))
    }

    @Test func srgbTransferRoundTripsEveryByte() {
        for byte in 0...255 { #expect(ColorSpace.encode(ColorSpace.linearize(UInt8(byte))) == UInt8(byte)) }
        #expect(ColorSpace.encode(.nan) == 0)
        #expect(ColorSpace.encode(2) == 255)
    }

    @Test func labOfReferenceColours() {
        let white = RGBColor(255, 255, 255).lab
        #expect(abs(white.l - 100) < 0.01 && abs(white.a) < 0.01 && abs(white.b) < 0.01)
        let red = RGBColor(255, 0, 0).lab   // 53.24, 80.09, 67.20
        #expect(abs(red.l - 53.24) < 0.02 && abs(red.a - 80.09) < 0.05 && abs(red.b - 67.20) < 0.05)
        let blue = RGBColor(0, 0, 255).lab  // 32.30, 79.19, -107.86
        #expect(abs(blue.l - 32.30) < 0.02 && abs(blue.a - 79.19) < 0.05 && abs(blue.b + 107.86) < 0.05)
    }

    /// Pairs 1, 7, 17, 25 and 34 of Sharma, Wu & Dalal's CIEDE2000 test data (4 decimals).
    @Test(arguments: [
        (LabColor(l: 50, a: 2.6772, b: -79.7751), LabColor(l: 50, a: 0, b: -82.7485), 2.0425),
        (LabColor(l: 50, a: 0, b: 0), LabColor(l: 50, a: -1, b: 2), 2.3669),
        (LabColor(l: 50, a: 2.5, b: 0), LabColor(l: 73, a: 25, b: -18), 27.1492),
        (LabColor(l: 60.2574, a: -34.0099, b: 36.2677), LabColor(l: 60.4626, a: -34.1751, b: 39.4387), 1.2644),
        (LabColor(l: 22.7233, a: 20.0904, b: -46.6940), LabColor(l: 23.0331, a: 14.9730, b: -42.5619), 2.0373),
    ])
    func ciede2000MatchesSharmaTestData(pair: (LabColor, LabColor, Double)) {
        #expect(abs(ColorSpace.deltaE2000(pair.0, pair.1) - pair.2) < 1e-4)
        #expect(abs(ColorSpace.deltaE2000(pair.1, pair.0) - pair.2) < 1e-4)
    }

    @Test func deltaE76IsEuclidean() {
        #expect(ColorSpace.deltaE76(LabColor(l: 0, a: 3, b: 4), LabColor(l: 0, a: 0, b: 0)) == 5)
    }

    @Test func dichromacySimulationMatchesMachadoMatrices() {
        // Pure red, linear (1, 0, 0) -> first column of each matrix, re-encoded to sRGB.
        #expect(ColorVisionDeficiency.protanopia.simulate(RGBColor(255, 0, 0)) == RGBColor(109, 95, 0))
        #expect(ColorVisionDeficiency.deuteranopia.simulate(RGBColor(255, 0, 0)) == RGBColor(163, 144, 0))
        // Rows sum to 1: neutral greys are unchanged.
        for deficiency in ColorVisionDeficiency.allCases {
            for grey in [0, 64, 128, 255] {
                let g = UInt8(grey)
                let seen = deficiency.simulate(RGBColor(g, g, g))
                #expect(abs(Int(seen.red) - grey) <= 1 && abs(Int(seen.green) - grey) <= 1 && abs(Int(seen.blue) - grey) <= 1,
                        "\(deficiency) grey \(grey) -> \(seen)")
            }
        }
        // The classic confusion: red and green collapse for a deuteranope (delta E2000 < 15) but not normally (> 60).
        let red = RGBColor(0xCC, 0x00, 0x00), green = RGBColor(0x00, 0x80, 0x00)
        #expect(ColorSpace.deltaE2000(red.lab, green.lab) > 60)
        let deut = ColorVisionDeficiency.deuteranopia
        #expect(ColorSpace.deltaE2000(deut.simulate(red).lab, deut.simulate(green).lab) < 15)
    }
}
