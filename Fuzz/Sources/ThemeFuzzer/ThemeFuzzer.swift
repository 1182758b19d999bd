// Fuzz target: bytes -> theme file load path (ThemeParser: size and UTF-8 checks, TOMLSubsetCheck, TOMLKit/toml++,
// schema), then inheritance, colour degradation, contrast and the `themes` listing of what loaded.
// Properties: never traps; a refusal is one printable line; a listing line without escapes is printable.
import FuzzSupport
import ScopeUI
import Terminal

@_cdecl("LLVMFuzzerTestOneInput")
public func themeFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = FuzzBytes(data: data, size: size).bytes
    switch ThemeParser.parse(bytes: bytes, file: "fuzz.toml") {
    case .failure(let error):
        fuzzCheck(isPrintableLine(error.description), "refusal is not one printable line: \(error.description.debugDescription)")
    case .success(let spec):
        switch ThemeInheritance.resolve(spec, among: [:]) {
        case .failure(let error):
            fuzzCheck(isPrintableLine(error.description), "refusal is not one printable line: \(error.description.debugDescription)")
        case .success(let theme):
            for depth in ColorDepth.allCases {
                let shown = theme.resolved(for: depth)
                _ = ThemeContrast.shortfalls(shown)
                let line = ThemeListing.line(theme, depth: depth, escapes: false)
                fuzzCheck(isPrintableLine(line), "listing line is not printable: \(line.debugDescription)")
                _ = ThemeListing.line(theme, depth: depth, escapes: true)
                for step in 0...8 { _ = shown.rampColor(fraction: Double(step) / 8); _ = shown.rampGlyph(fraction: Double(step) / 8) }
                for index in 0..<20 { _ = shown.seriesStyle(index); _ = shown.seriesGlyph(index, ascii: index % 2 == 0) }
            }
            _ = ThemeContrast.summary(theme)
        }
    }
    return 0
}
