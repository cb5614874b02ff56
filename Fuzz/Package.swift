// swift-tools-version:6.0
// libFuzzer harnesses for Crocevia's readers, apart from the main package so that `swift build`
// and `swift test` never compile them. Build and run them with `bash scripts/fuzz.sh SECONDS`
// (debug build, -sanitize=fuzzer,address).
import Foundation
import PackageDescription

// A package found by path is known by its folder's name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let crocevia = root.lastPathComponent.lowercased()

func harness(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzShared", .product(name: "CroceviaKit", package: crocevia)])
}

let package = Package(
    name: "CroceviaFuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "FuzzShared", dependencies: [.product(name: "CroceviaKit", package: crocevia)]),
        harness("FuzzCSV"),
        harness("FuzzJSON"),
        harness("FuzzXML"),
        harness("FuzzProfile"),
        harness("FuzzDatapackage"),
    ],
    swiftLanguageModes: [.v6]
)
