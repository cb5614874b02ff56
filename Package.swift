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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
    ],
    targets: [
        // libxml2 through a shim header that hides its ICU module (see docs/architecture.md, "Layout").
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibYAML",
            providers: [.apt(["libyaml-dev"])]
        ),
        // SQLite: the registry's file, and the temporary index that joins an HSDS tabular package's tables.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // The files of Schemas/ embedded in the executable (#embed): a binary copied anywhere needs
        // nothing beside it. scripts/embed-schemas.sh writes the list.
        .target(name: "CEmbeddedSchemas"),
        .target(
            name: "CroceviaKit",
            dependencies: [
                "CEmbeddedSchemas",
                "CLibXML2",
                "CLibYAML",
                "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The registry in a SQLite file, on CroceviaKit's SQLiteConnection (the registry itself is in
        // CroceviaKit/Registry).
        .target(
            name: "CroceviaSQLite",
            dependencies: ["CroceviaKit"]
        ),
        // The registry on a PostgreSQL server, through postgres-nio: apart, because it builds slowly.
        .target(
            name: "CroceviaPostgres",
            dependencies: [
                "CroceviaKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "crocevia",
            dependencies: [
                "CroceviaKit",
                "CroceviaSQLite",
                "CroceviaPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CroceviaKitTests",
            dependencies: ["CroceviaKit"]
        ),
        // Registry tests run against a SQLite file and a PostgreSQL server (see README, "Testing").
        .testTarget(
            name: "CroceviaRegistryTests",
            dependencies: ["CroceviaKit", "CroceviaSQLite", "CroceviaPostgres"]
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
