// Pure colour-space maths: sRGB <-> linear RGB, relative luminance, CIE XYZ and CIELAB (D65), delta E.
// Units: sRGB channels 0...255 (UInt8) or 0...1 (Double); linear RGB 0...1; L* 0...100; a*, b* unbounded.
import Foundation

/// A 24-bit sRGB colour, one byte per channel.
public struct RGBColor: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Red, 0...255.
    public var red: UInt8
    /// Green, 0...255.
    public var green: UInt8
    /// Blue, 0...255.
    public var blue: UInt8

    /// Creates a colour from its three bytes.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// Creates a colour from 0xRRGGBB.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// "#rrggbb", lower case.
    public var description: String {
        "#" + [red, green, blue].map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The three channels in linear light, each 0...1 (IEC 61966-2-1 transfer function).
    public var linear: SIMD3<Double> {
        SIMD3(ColorSpace.linearize(red), ColorSpace.linearize(green), ColorSpace.linearize(blue))
    }

    /// WCAG 2 relative luminance, 0 (black) ... 1 (white).
    public var relativeLuminance: Double {
        let l = linear
        return 0.2126 * l.x + 0.7152 * l.y + 0.0722 * l.z
    }

    /// CIELAB coordinates (D65 white), L* 0...100.
    public var lab: LabColor { ColorSpace.lab(fromLinear: linear) }
}

/// A colour in CIELAB (D65): lightness 0...100 and the two opponent axes.
public struct LabColor: Equatable, Sendable {
    /// Lightness L*, 0...100.
    public var l: Double
    /// Green (-) to red (+) axis a*.
    public var a: Double
    /// Blue (-) to yellow (+) axis b*.
    public var b: Double

    /// Creates a Lab colour.
    public init(l: Double, a: Double, b: Double) { self.l = l; self.a = a; self.b = b }
}

/// Namespace of colour-space conversions and colour differences.
public enum ColorSpace {
    /// One sRGB byte (0...255) to linear light (0...1).
    public static func linearize(_ byte: UInt8) -> Double {
        let c = Double(byte) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    /// Linear light (any real, clamped to 0...1) to the nearest sRGB byte.
    public static func encode(_ linear: Double) -> UInt8 {
        let c = linear.isFinite ? min(max(linear, 0), 1) : 0
        let encoded = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
        return UInt8((encoded * 255).rounded())
    }

    /// Linear sRGB (0...1 per channel) to CIELAB with the D65 white point.
    public static func lab(fromLinear rgb: SIMD3<Double>) -> LabColor {
        // sRGB -> XYZ (D65), IEC 61966-2-1 matrix.
        let x = 0.4124564 * rgb.x + 0.3575761 * rgb.y + 0.1804375 * rgb.z
        let y = 0.2126729 * rgb.x + 0.7151522 * rgb.y + 0.0721750 * rgb.z
        let z = 0.0193339 * rgb.x + 0.1191920 * rgb.y + 0.9503041 * rgb.z
        let white = (x: 0.95047, y: 1.0, z: 1.08883)
        func f(_ t: Double) -> Double {
            let epsilon = 216.0 / 24389.0, kappa = 24389.0 / 27.0
            return t > epsilon ? cbrt(t) : (kappa * t + 16) / 116
        }
        let fx = f(x / white.x), fy = f(y / white.y), fz = f(z / white.z)
        return LabColor(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// CIE76 colour difference: Euclidean distance in CIELAB.
    public static func deltaE76(_ p: LabColor, _ q: LabColor) -> Double {
        let dl = p.l - q.l, da = p.a - q.a, db = p.b - q.b
        return (dl * dl + da * da + db * db).squareRoot()
    }

    /// CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), kL = kC = kH = 1.
    public static func deltaE2000(_ p: LabColor, _ q: LabColor) -> Double {
        let degree = Double.pi / 180
        let c1 = (p.a * p.a + p.b * p.b).squareRoot(), c2 = (q.a * q.a + q.b * q.b).squareRoot()
        let cMean = (c1 + c2) / 2
        let cMean7 = pow(cMean, 7)
        let g = 0.5 * (1 - (cMean7 / (cMean7 + pow(25, 7))).squareRoot())
        let a1 = (1 + g) * p.a, a2 = (1 + g) * q.a
        let c1p = (a1 * a1 + p.b * p.b).squareRoot(), c2p = (a2 * a2 + q.b * q.b).squareRoot()
        func hue(_ b: Double, _ a: Double) -> Double {
            if a == 0 && b == 0 { return 0 }
            let h = atan2(b, a) / degree
            return h >= 0 ? h : h + 360
        }
        let h1 = hue(p.b, a1), h2 = hue(q.b, a2)
        let dL = q.l - p.l, dC = c2p - c1p
        var dh = 0.0
        if c1p * c2p != 0 {
            dh = h2 - h1
            if dh > 180 { dh -= 360 } else if dh < -180 { dh += 360 }
        }
        let dH = 2 * (c1p * c2p).squareRoot() * sin(dh / 2 * degree)
        let lMean = (p.l + q.l) / 2, cpMean = (c1p + c2p) / 2
        var hMean = h1 + h2
        if c1p * c2p != 0 {
            if abs(h1 - h2) <= 180 { hMean = (h1 + h2) / 2 }
            else if h1 + h2 < 360 { hMean = (h1 + h2 + 360) / 2 }
            else { hMean = (h1 + h2 - 360) / 2 }
        }
        let t = 1 - 0.17 * cos((hMean - 30) * degree) + 0.24 * cos(2 * hMean * degree)
            + 0.32 * cos((3 * hMean + 6) * degree) - 0.20 * cos((4 * hMean - 63) * degree)
        let dTheta = 30 * exp(-pow((hMean - 275) / 25, 2))
        let cpMean7 = pow(cpMean, 7)
        let rc = 2 * (cpMean7 / (cpMean7 + pow(25, 7))).squareRoot()
        let lShift = (lMean - 50) * (lMean - 50)
        let sl = 1 + 0.015 * lShift / (20 + lShift).squareRoot()
        let sc = 1 + 0.045 * cpMean, sh = 1 + 0.015 * cpMean * t
        let rt = -sin(2 * dTheta * degree) * rc
        let termL = dL / sl, termC = dC / sc, termH = dH / sh
        return (termL * termL + termC * termC + termH * termH + rt * termC * termH).squareRoot()
    }

    /// WCAG 2 contrast ratio of two colours, 1...21, order-independent.
    public static func contrastRatio(_ p: RGBColor, _ q: RGBColor) -> Double {
        let lp = p.relativeLuminance, lq = q.relativeLuminance
        return (max(lp, lq) + 0.05) / (min(lp, lq) + 0.05)
    }
}
