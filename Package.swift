// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Crocevia",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CroceviaKit", targets: ["CroceviaKit"]),
        .executable(name: "crocevia", targets: ["crocevia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // libxml2 through a shim header that hides its ICU module (see README, "Building").
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibYAML",
            providers: [.apt(["libyaml-dev"])]
        ),
        // SQLite, for the temporary index that joins an HSDS tabular package's tables.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CroceviaKit",
            dependencies: [
                "CLibXML2",
                "CLibYAML",
                "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "crocevia",
            dependencies: [
                "CroceviaKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CroceviaKitTests",
            dependencies: ["CroceviaKit"]
        ),
        // Runs the built `crocevia` on the folders in Cases/ (arguments, input, expected output).
        .testTarget(
            name: "CroceviaEndToEndTests",
            dependencies: ["crocevia"],
            exclude: ["Cases"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
