// swift-tools-version:6.1
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
        // The directory served (CroceviaServe): no swift-configuration, Foundation's essentials only.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // libxml2 through a shim header that hides its ICU module (see docs/architecture.md, "Layout").
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // zlib: the deflated parts of a workbook (.xlsx, .ods), inflated as they are read.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
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
                "CZlib",
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
        // `crocevia serve`: the published directory over HTTP (the HSDS API and pages for people), on
        // Hummingbird: apart, because it builds slowly. The answers themselves are CroceviaKit's
        // (Directory/), which knows nothing of HTTP.
        .target(
            name: "CroceviaServe",
            dependencies: [
                "CroceviaKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "crocevia",
            dependencies: [
                "CroceviaKit",
                "CroceviaSQLite",
                "CroceviaPostgres",
                "CroceviaServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CroceviaKitTests",
            dependencies: ["CroceviaKit"]
        ),
        // Registry tests run against a SQLite file and a PostgreSQL server (see README, "Testing"),
        // and so do the served directory's: a server on a loopback port, asked over HTTP.
        .testTarget(
            name: "CroceviaRegistryTests",
            dependencies: ["CroceviaKit", "CroceviaSQLite", "CroceviaPostgres", "CroceviaServe",
                           .product(name: "Logging", package: "swift-log")],
            exclude: ["Serve"]
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
