// The okabe-ito theme's series and status colours stay apart for colour-blind viewers.
// Method: simulate deuteranopia and protanopia with Machado, Oliveira & Fernandes (2009) at severity 1.0 on
// linear sRGB (Terminal.ColorVisionDeficiency), then require every pair of colours to differ by
// CIEDE2000 delta E >= 10 (about 4-5 times a just-noticeable difference; two curves side by side are told apart
// at a glance) and by CIE76 delta E >= 15. Measured minima (dE2000 / dE76): series normal 22.2 / 26.4,
// deuteranopia 12.5 / 18.1 (orange vs vermillion), protanopia 12.3 / 20.7 (blue vs reddish purple);
// status normal 34.7 / 56.7, deuteranopia 15.5 / 18.1, protanopia 14.1 / 20.7.
import Testing
@testable import ScopeUI
import Terminal

@Suite struct ThemeColorBlindTests {
    static let minimumDeltaE2000 = 10.0
    static let minimumDeltaE76 = 15.0

    /// The smallest pairwise (CIEDE2000, CIE76) difference among `colors` as seen with `deficiency` (nil = normal).
    static func smallestDifference(_ colors: [RGBColor], _ deficiency: ColorVisionDeficiency?) -> (Double, Double, String) {
        let seen = colors.map { deficiency?.simulate($0) ?? $0 }
        var best = (Double.infinity, Double.infinity, "")
        for i in seen.indices { for j in seen.indices where j > i {
            let e2000 = ColorSpace.deltaE2000(seen[i].lab, seen[j].lab), e76 = ColorSpace.deltaE76(seen[i].lab, seen[j].lab)
            if e2000 < best.0 { best.0 = e2000; best.2 = "\(colors[i]) vs \(colors[j])" }
            best.1 = min(best.1, e76)
        } }
        return best
    }

    /// Themes whose series colours are chosen for colour-blind viewers (high-contrast and solarized-dark keep
    /// their classic palettes and are not; Themes/README.md says so).
    static let colorBlindAwareThemes = ["okabe-ito", "default", "light"]

    @Test(arguments: [nil, ColorVisionDeficiency.deuteranopia, .protanopia])
    func okabeItoSeriesStayApart(deficiency: ColorVisionDeficiency?) throws {
        let theme = try #require(ThemeTestSupport.theme("okabe-ito"))
        let colors = theme.series.compactMap(\.rgbValue)
        #expect(colors.count == 6)
        let (e2000, e76, pair) = Self.smallestDifference(colors, deficiency)
        #expect(e2000 >= Self.minimumDeltaE2000, "\(String(describing: deficiency)): \(pair) dE2000 \(e2000)")
        #expect(e76 >= Self.minimumDeltaE76, "\(String(describing: deficiency)): dE76 \(e76)")
        print("okabe-ito series \(deficiency?.rawValue ?? "normal"): min dE2000 \(e2000) (\(pair)), min dE76 \(e76)")
    }

    @Test(arguments: [nil, ColorVisionDeficiency.deuteranopia, .protanopia])
    func okabeItoStatusColoursStayApart(deficiency: ColorVisionDeficiency?) throws {
        let theme = try #require(ThemeTestSupport.theme("okabe-ito"))
        let colors = [ThemeRole.healthy, .vanishing, .exploding, .nonFinite, .saturated].compactMap { theme.color($0).rgbValue }
        #expect(colors.count == 5)
        let (e2000, e76, pair) = Self.smallestDifference(colors, deficiency)
        #expect(e2000 >= Self.minimumDeltaE2000, "\(String(describing: deficiency)): \(pair) dE2000 \(e2000)")
        #expect(e76 >= Self.minimumDeltaE76)
        print("okabe-ito status \(deficiency?.rawValue ?? "normal"): min dE2000 \(e2000) (\(pair)), min dE76 \(e76)")
    }

    /// Default and light series too (measured minimum dE2000: default 11.5 deuteranopia / 14.1 protanopia,
    /// light 14.1 / 14.1).
    @Test(arguments: colorBlindAwareThemes)
    func seriesStayApartForColourBlindViewers(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        let colors = theme.series.compactMap(\.rgbValue)
        for deficiency in [nil, ColorVisionDeficiency.deuteranopia, .protanopia] {
            let (e2000, _, pair) = Self.smallestDifference(colors, deficiency)
            #expect(e2000 >= Self.minimumDeltaE2000, "\(name) \(String(describing: deficiency)): \(pair) dE2000 \(e2000)")
        }
    }

    /// The check has teeth: a red/green pair, the textbook confusion, fails it for deuteranopes.
    @Test func aRedGreenPaletteFailsTheCheck() {
        let redGreen = [RGBColor(0xCC, 0, 0), RGBColor(0, 0x80, 0), RGBColor(0, 0x72, 0xB2)]
        #expect(Self.smallestDifference(redGreen, nil).0 >= Self.minimumDeltaE2000)
        #expect(Self.smallestDifference(redGreen, .deuteranopia).0 < Self.minimumDeltaE2000)
    }
}

/// Initializer names are never painted in a status colour: every theme's identity palette (`series`) stays apart
/// from its five status colours. Rule: CIEDE2000 >= 14 in normal vision at truecolor (>= 10 at 256 colours, whose
/// 6x6x6 cube moves colours by up to about 4); at 16 colours
/// no identity colour is a status colour (dark themes; on white only 8 of the 16 reach 3:1, so light shares);
/// okabe-ito also >= 9 under simulated deuteranopia and protanopia.
@Suite struct ThemeIdentityTests {
    static let statusRoles: [ThemeRole] = [.healthy, .vanishing, .exploding, .nonFinite, .saturated]

    /// The smallest CIEDE2000 between an identity colour and a status colour of `theme` at `depth`.
    static func closest(_ theme: Theme, at depth: ColorDepth, _ deficiency: ColorVisionDeficiency? = nil) -> (Double, String) {
        let shown = theme.resolved(for: depth)
        let see = { (c: RGBColor) in deficiency?.simulate(c) ?? c }
        var best = (Double.infinity, "")
        for (index, identity) in shown.series.enumerated() {
            let a = see(identity.rgbValue(defaultingTo: theme.assumedForeground))
            for role in statusRoles {
                let b = see(shown.assumedRGB(role))
                let difference = ColorSpace.deltaE2000(a.lab, b.lab)
                if difference < best.0 { best = (difference, "series \(index) vs \(role.key)") }
            }
        }
        return best
    }

    @Test(arguments: ThemeBundledTests.required.filter { $0 != "mono" })
    func identityColoursAreNotStatusColours(name: String) throws {
        let theme = try #require(ThemeTestSupport.theme(name))
        for (depth, minimum) in [(ColorDepth.truecolor, 14.0), (.indexed256, 10.0)] {
            let (difference, pair) = Self.closest(theme, at: depth)
            #expect(difference >= minimum, "\(name) at \(depth): \(pair) dE2000 \(difference)")
            print("\(name) identity vs status at \(depth): min dE2000 \(difference) (\(pair))")
        }
        if name != "light" {
            let shown = theme.resolved(for: .ansi16)
            let status = Set(Self.statusRoles.map(shown.color))
            #expect(shown.series.allSatisfy { !status.contains($0) }, "\(name) at 16 colours: \(shown.series) vs \(status)")
        }
    }

    @Test(arguments: [ColorVisionDeficiency.deuteranopia, .protanopia])
    func okabeItoIdentityStaysApartForColourBlindViewers(deficiency: ColorVisionDeficiency) throws {
        let theme = try #require(ThemeTestSupport.theme("okabe-ito"))
        let (difference, pair) = Self.closest(theme, at: .truecolor, deficiency)
        #expect(difference >= 9, "\(deficiency): \(pair) dE2000 \(difference)")
    }

    /// The rule has teeth: the palette before (default's series 0 was the vanishing colour) fails it.
    @Test func theOldDefaultPaletteFails() {
        let old = Theme.builtInDefault.with { $0.series = [$0.vanishing, $0.exploding] }
        #expect(Self.closest(old, at: .truecolor).0 < 1)
    }
}
