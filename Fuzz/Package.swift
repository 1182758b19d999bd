// swift-tools-version:6.0
// Fuzz targets of initscope's parsers of outside input (libFuzzer through -sanitize=fuzzer). Built only by
// `make fuzz` (scratch path .build-fuzz, with the fuzzer and address sanitizers), never by the normal build.
// Each target is an executable whose entry point is libFuzzer's main; it defines LLVMFuzzerTestOneInput.
import Foundation
import PackageDescription

/// The root package is a path dependency, and SwiftPM names it after its folder (main, wt-tools, ...).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "initscope-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        // Theme files: the whole load path (byte checks, TOML subset check, TOMLKit/toml++, schema, inheritance).
        .executableTarget(name: "ThemeFuzzer", dependencies: [
            "FuzzSupport", .product(name: "ScopeUI", package: root), .product(name: "Terminal", package: root),
        ]),
        // Lecture files: the whole parse (shared TOML front end, [[scene]] tables, schema, inheritance, validation).
        .executableTarget(name: "LectureFuzzer", dependencies: [
            "FuzzSupport", .product(name: "ScopeUI", package: root), .product(name: "SignalFlow", package: root),
        ]),
        // toml++ under TOMLKit, raw (no pre-check): for exploring what crashes it (make fuzz-explore).
        .executableTarget(name: "TOMLFuzzer", dependencies: ["FuzzSupport", "TOMLKit"]),
        // --init and --activation names.
        .executableTarget(name: "GrammarFuzzer", dependencies: [
            "FuzzSupport", .product(name: "SignalFlow", package: root),
        ]),
        // Whole scenario command lines through ArgumentParser and the executable's own ScenarioFlags
        // (Sources/FlagsFuzzer/ScenarioFlags.swift is a symbolic link to Sources/initscope/ScenarioFlags.swift).
        .executableTarget(name: "FlagsFuzzer", dependencies: [
            "FuzzSupport", .product(name: "SignalFlow", package: root), .product(name: "ScopeUI", package: root),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)

// The key decoder (Sources/Terminal/KeyDecoder.swift) arrives with the "tty" branch; fuzz it once it is there.
if FileManager.default.fileExists(atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/Terminal/KeyDecoder.swift").path) {
    // Terminal input bytes with random splits and delays through KeyDecoder.
    package.targets.append(.executableTarget(name: "KeyFuzzer", dependencies: [
        "FuzzSupport", .product(name: "Terminal", package: root),
    ]))
}
