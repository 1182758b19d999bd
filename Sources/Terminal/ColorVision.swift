// Colour-vision deficiency simulation: Machado, Oliveira & Fernandes (2009), severity 1.0, on linear sRGB.
// Shape: 3x3 matrices applied to column vectors (r, g, b) in linear light; results clamped to 0...1.

/// A type of dichromacy to simulate.
public enum ColorVisionDeficiency: String, CaseIterable, Sendable {
    /// No L cones (red-blind).
    case protanopia
    /// No M cones (green-blind), the most common.
    case deuteranopia
    /// No S cones (blue-blind).
    case tritanopia

    /// Machado et al. 2009 matrix at severity 1.0, rows of the 3x3 (linear RGB in, linear RGB out).
    public var matrix: [SIMD3<Double>] {
        switch self {
        case .protanopia:
            return [SIMD3(0.152286, 1.052583, -0.204868), SIMD3(0.114503, 0.786281, 0.099216),
                    SIMD3(-0.003882, -0.048116, 1.051998)]
        case .deuteranopia:
            return [SIMD3(0.367322, 0.860646, -0.227968), SIMD3(0.280085, 0.672501, 0.047413),
                    SIMD3(-0.011820, 0.042940, 0.968881)]
        case .tritanopia:
            return [SIMD3(1.255528, -0.076749, -0.178779), SIMD3(-0.078411, 0.930809, 0.147602),
                    SIMD3(0.004733, 0.691367, 0.303900)]
        }
    }

    /// The colour as a person with this deficiency sees it (sRGB bytes, clamped to the gamut).
    public func simulate(_ color: RGBColor) -> RGBColor {
        let linear = color.linear, rows = matrix
        func channel(_ row: SIMD3<Double>) -> UInt8 { ColorSpace.encode((row * linear).sum()) }
        return RGBColor(channel(rows[0]), channel(rows[1]), channel(rows[2]))
    }
}
