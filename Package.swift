// swift-tools-version:6.0
// initscope: watch what weight initialization does to a deep network, in the terminal.
import PackageDescription
import Foundation

/// The engine is built like every other target (`-O` in release: preconditions and bounds checks on), so unit
/// tests check what they run and the `SignalFlow` product has no unsafe flags (a package can depend on it).
/// `INITSCOPE_OUNCHECKED=1` opts into `-Ounchecked` for an experiment (see README, "-Ounchecked");
/// `INITSCOPE_NATIVE_CPU=1` compiles the engine for the building machine's CPU (`make build` does both).
let engineSettings: [SwiftSetting] = (ProcessInfo.processInfo.environment["INITSCOPE_OUNCHECKED"] == "1"
    ? [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))] : [])
    + (ProcessInfo.processInfo.environment["INITSCOPE_NATIVE_CPU"] == "1"
    ? [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release))] : [])

/// Release-grade numerics even in debug test builds of the engine would hide bugs; we keep defaults
/// and let `make` choose `-c release` where speed matters.
let package = Package(
    name: "initscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "initscope", targets: ["initscope"]),
        .library(name: "SignalFlow", targets: ["SignalFlow"]),
        // For the fuzz package in Fuzz/ (make fuzz), which links the parsers without the executable.
        .library(name: "ScopeUI", targets: ["ScopeUI"]),
        .library(name: "Terminal", targets: ["Terminal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .target(name: "SignalFlow", dependencies: ["COpenBLAS"],
                swiftSettings: engineSettings),
        .target(name: "Terminal", dependencies: ["CNcursesw"]),
        .target(name: "ScopeUI", dependencies: ["SignalFlow", "Terminal", "TOMLKit",
                                              .product(name: "DequeModule", package: "swift-collections")]),
        .executableTarget(name: "initscope", dependencies: [
            "SignalFlow", "Terminal", "ScopeUI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "SignalFlowTests", dependencies: ["SignalFlow"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        .testTarget(name: "ScopeUITests", dependencies: ["ScopeUI", "SignalFlow", "Terminal"],
                    exclude: ["Snapshots"]),  // text snapshots, read through #filePath
        .testTarget(name: "InitScopeTests", dependencies: ["initscope", "ScopeUI", "SignalFlow", "Terminal"],
                    exclude: ["Expected"]),  // checked-in snapshot outputs, read through #filePath
    ],
    swiftLanguageModes: [.v6]
)
